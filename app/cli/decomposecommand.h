#pragma once

#include <QStringList>

/// Exit codes of the mpq tool, shared by every command.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitBadInput = 2, ExitCancelled = 3 };

/// `mpq decompose`: decomposes a synthetic Laplace weight matrix and prints how the error
/// falls with the number of points. arguments excludes the program name and the command.
int runDecompose(const QStringList &arguments);
