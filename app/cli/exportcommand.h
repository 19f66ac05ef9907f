#pragma once

#include "cliutil.h"

#include <QStringList>

/// Exit code of an export whose verification found a larger difference than allowed.
constexpr int ExitVerifyFailed = 4;

/// `mpq export MODEL ... --format fakequant|report -o OUT`.
int runExport(const QStringList &arguments);
