#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq eval MODEL --images DIR ...`: float beside quantized on sample images, for one method.
int runEval(const QStringList &arguments);
