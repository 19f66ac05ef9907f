#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq sweep MODEL --images DIR --budgets ... --method ...`: the task metric of each method over
/// a list of memory budgets, the float model run once.
int runSweep(const QStringList &arguments);
