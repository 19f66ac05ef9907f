#include "mpqwidgets/plotstyle.h"

#include <QLabel>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

namespace {

// A font `factor` times larger, in whatever unit the font was given (points or pixels).
QFont scaledFont(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        font.setPixelSize(qRound(font.pixelSize() * factor));
    return font;
}

void styleAxis(QCPAxis *axis, const QPalette &pal, const QFont &font)
{
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = pal.color(QPalette::WindowText);
    grid.setAlphaF(0.15f);
    QColor subGrid = grid;
    subGrid.setAlphaF(0.06f);
    axis->setBasePen(QPen(text, 0));
    axis->setTickPen(QPen(text, 0));
    axis->setSubTickPen(QPen(text, 0));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
    axis->setSelectedTickLabelFont(font);
    axis->setSelectedLabelFont(font);
    axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    axis->grid()->setSubGridPen(QPen(subGrid, 0, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

} // namespace

void stylePlot(QCustomPlot *plot)
{
    const QPalette pal = plot->palette();
    const QFont font = plot->font();
    plot->setBackground(pal.brush(QPalette::Window));
    for (QCPAxisRect *rect : plot->axisRects()) {
        rect->setBackground(pal.brush(QPalette::Base));
        for (QCPAxis *axis : rect->axes())
            styleAxis(axis, pal, font);
    }
    if (plot->legend) { // null once its axis rect is gone (custom layouts)
        plot->legend->setBrush(pal.brush(QPalette::Base));
        plot->legend->setBorderPen(QPen(pal.color(QPalette::Mid), 0));
        plot->legend->setTextColor(pal.color(QPalette::WindowText));
        plot->legend->setFont(font);
        plot->legend->setSelectedFont(font);
    }
    for (QCPLayoutElement *element : plot->plotLayout()->elements(true)) {
        if (auto *title = qobject_cast<QCPTextElement *>(element)) {
            title->setTextColor(pal.color(QPalette::WindowText));
            QFont titleFont = scaledFont(font, 1.15);
            titleFont.setBold(true);
            title->setFont(titleFont);
        } else if (auto *scale = qobject_cast<QCPColorScale *>(element)) {
            styleAxis(scale->axis(), pal, font);
        }
    }
}

QCPTextElement *addPlotTitle(QCustomPlot *plot, const QString &text)
{
    plot->plotLayout()->insertRow(0);
    auto *title = new QCPTextElement(plot, text);
    plot->plotLayout()->addElement(0, 0, title);
    stylePlot(plot);
    return title;
}

void setLogAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

double logAxisValue(double v)
{
    return v > 0.0 && std::isfinite(v) ? v : qQNaN();
}

void setIntegerAxis(QCPAxis *axis)
{
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    // Exactly one tick per integer: points axes are short (N_max <= ~16). Long axes (channels)
    // switch to ssMultiples afterwards.
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    axis->setTicker(ticker);
    axis->setSubTicks(false);
    axis->setNumberFormat(QStringLiteral("f"));
    axis->setNumberPrecision(0);
}

QCPColorMap *addHeatStrip(QCustomPlot *plot, int row, const QString &label,
                          QCPMarginGroup *columnGroup)
{
    auto *rect = new QCPAxisRect(plot);
    plot->plotLayout()->addElement(row, 0, rect);
    QCPAxis *keys = rect->axis(QCPAxis::atBottom);
    QCPAxis *values = rect->axis(QCPAxis::atLeft);
    values->setLabel(label);
    values->setTicks(false);
    values->setTickLabels(false);
    values->setRange(-0.5, 1.5);
    values->grid()->setVisible(false);
    keys->grid()->setVisible(false);
    setIntegerAxis(keys);
    keys->ticker().dynamicCast<QCPAxisTickerFixed>()->setScaleStrategy(
        QCPAxisTickerFixed::ssMultiples); // channels: thousands of them
    auto *map = new QCPColorMap(keys, values);
    map->setInterpolate(false);
    map->setTightBoundary(false);
    auto *scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(row, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(plot->fontMetrics().height());
    map->setColorScale(scale);
    auto *rowGroup = new QCPMarginGroup(plot);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, rowGroup);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, rowGroup);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, columnGroup);
    return map;
}

void moveLegendBelow(QCustomPlot *plot, int row, int columns)
{
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(row, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(columns);
    plot->legend->setMargins(QMargins(4, 2, 4, 2));
    // Entries are never cut: before each replot (new entries, a resize) the legend takes as
    // many columns as fit whole, at most `columns` (docs/ui.md: nothing elided at the default
    // window size).
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot,
                     [plot, columns] { fitLegendColumns(plot, columns); });
}

int fitLegendColumns(QCustomPlot *plot, int maxColumns)
{
    QCPLegend *legend = plot->legend;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem *item = legend->item(i))
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    if (widest == 0)
        return legend->wrap();
    const QMargins outer = plot->plotLayout()->margins();
    const QMargins inner = legend->margins();
    const int available =
        plot->viewport().width() - outer.left() - outer.right() - inner.left() - inner.right();
    const int spacing = legend->columnSpacing();
    const int columns =
        std::clamp((available + spacing) / (widest + spacing), 1, std::max(1, maxColumns));
    if (columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(legend->fillOrder(), true); // re-flow the entries
    }
    return columns;
}

QLabel *createEmptyStateLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setMargin(label->fontMetrics().height());
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setFont(scaledFont(label->font(), 1.2));
    return label;
}

} // namespace mpq::ui
