#pragma once
// The per-layer table and model totals of an allocation as text for the terminal (JSON and
// CSV come from core: mpq/report.h).

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QTextStream>

void printTable(QTextStream &out, const mpq::Analysis &analysis, const mpq::Allocation &allocation,
                const mpq::AllocationSettings &settings);
