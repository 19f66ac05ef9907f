#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq decompose`: decomposes a synthetic Laplace weight matrix and prints how the error
/// falls with the number of points. arguments excludes the program name and the command.
int runDecompose(const QStringList &arguments);
