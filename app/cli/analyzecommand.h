#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq analyze MODEL --calib DIR ...`: runs (or loads) the analysis, allocates points and
/// prints the per-layer table and model totals; optional JSON report and saved analysis.
/// arguments excludes the program name and the command.
int runAnalyze(const QStringList &arguments);
