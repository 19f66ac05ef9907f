#pragma once

#include <QString>

namespace mpq::ui {

/// The number formats of docs/ui.md, in the user's locale: one place so every page agrees.
/// Overheads are fractions (0.048 -> "4.8 %").
QString formatPercent(double fraction);
/// Bits with two decimals ("4.21 b").
QString formatBits(double bits);
/// A relative error in scientific notation with three significant digits ("1.23e-04").
QString formatRelativeError(double relativeError);
/// SQNR = -10 log10(relative error) in dB with one decimal; "inf dB" for a zero error.
QString formatSqnr(double relativeError);

} // namespace mpq::ui
