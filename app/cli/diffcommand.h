#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq diff A.json B.json [--json] [--top N]`: compares two run snapshots or reports
/// (docs/snapshots.md): totals side by side, the per-layer changes sorted by size, and the
/// images whose predictions differ. arguments excludes the program name and the command.
int runDiff(const QStringList &arguments);
