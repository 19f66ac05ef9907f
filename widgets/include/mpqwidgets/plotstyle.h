#pragma once

#include <QString>

class QCPAxis;
class QCPColorMap;
class QCPMarginGroup;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QWidget;

namespace mpq::ui {

/// Shared look of the QCustomPlot pages. QCustomPlot draws white backgrounds and black axes by
/// default; these helpers take every colour and font from the widget's QPalette and QFont so
/// plots follow the system's light or dark theme and its DPI-scaled point sizes. Call
/// stylePlot() again on QEvent::PaletteChange / FontChange (the plot widgets do).

/// Backgrounds, axes (both pairs), grids, tick labels, legend and text elements of `plot`.
/// Leaves series colours alone. Does not replot.
void stylePlot(QCustomPlot *plot);

/// Inserts a title row above the plot's first axis rect; the title's font is the widget font,
/// bold and 1.15 times larger. Returns the element (owned by the plot's layout).
QCPTextElement *addPlotTitle(QCustomPlot *plot, const QString &text);

/// Makes `axis` logarithmic with ticks at powers of ten written as 10^k.
void setLogAxis(QCPAxis *axis);

/// v itself when it can sit on a log axis (finite, > 0), else NaN, which QCustomPlot draws as a
/// gap in the line.
double logAxisValue(double v);

/// Integer ticks only (points and channel axes): step 1, or a larger whole step when crowded.
void setIntegerAxis(QCPAxis *axis);

/// Adds to layout row `row` of `plot` an axis rect holding a one-row heat strip (a QCPColorMap;
/// its value axis spans -0.5..1.5 and is unlabelled but for `label`; integer key ticks) and, in
/// column 1, a colour scale exactly as tall as the strip. Strips sharing `columnGroup` line up
/// left and right. Returns the map; everything is owned by the plot.
QCPColorMap *addHeatStrip(QCustomPlot *plot, int row, const QString &label,
                          QCPMarginGroup *columnGroup);

/// Moves the legend from its inset into layout row `row` below the axis rect, at most `columns`
/// entries per line: before every replot the legend takes as many columns as fit whole
/// (fitLegendColumns), so an entry is never cut off.
void moveLegendBelow(QCustomPlot *plot, int row, int columns);
/// Sets the legend's columns to the most (up to `maxColumns`, at least 1) whose widest entry
/// fits the plot's width whole, re-flowing the entries; returns the columns.
int fitLegendColumns(QCustomPlot *plot, int maxColumns);

/// The "what to do next" text that replaces empty axes before data exists: centred, word-wrapped,
/// in the placeholder text colour at 1.2 times the widget font. Owned by `parent`.
QLabel *createEmptyStateLabel(QWidget *parent);

} // namespace mpq::ui
