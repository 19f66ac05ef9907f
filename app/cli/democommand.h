#pragma once

#include "cliutil.h"

#include <QStringList>

/// `mpq demo`: the built-in demo end to end, no arguments needed.
int runDemo(const QStringList &arguments);
