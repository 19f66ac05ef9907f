#include "mpqwidgets/allocationplot.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"
#include "mpqwidgets/pointsscale.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFutureWatcher>
#include <QLabel>
#include <QSplitter>
#include <QStackedLayout>
#include <QThreadPool>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace mpq::ui {

namespace {

bool sameOverrides(const std::map<std::string, mpq::LayerOverride> &a,
                   const std::map<std::string, mpq::LayerOverride> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto &x, const auto &y) {
        return x.first == y.first && x.second.kind == y.second.kind &&
               x.second.points == y.second.points && x.second.bits == y.second.bits;
    });
}

} // namespace

AllocationPlot::AllocationPlot(QWidget *parent)
    : QWidget(parent)
{
    m_stack = new QStackedLayout(this);
    m_empty = createEmptyStateLabel(this);
    m_empty->setText(tr("Run the analysis to see how many points each layer gets and what the "
                        "extra points cost."));
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_bars = new QCustomPlot(splitter);
    m_tradeOff = new QCustomPlot(splitter);
    splitter->addWidget(m_bars);
    splitter->addWidget(m_tradeOff);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_content = splitter;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_content);
    setupBarsPlot();
    setupTradeOffPlot();
    m_stack->setCurrentWidget(m_empty);
}

void AllocationPlot::setupBarsPlot()
{
    m_barsTitle = addPlotTitle(m_bars, tr("Points per channel, by layer"));
    m_bars->xAxis->setLabel(tr("Layer"));
    m_bars->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_bars->xAxis->setTickLabelRotation(60);
    m_bars->xAxis->setSubTicks(false);
    m_bars->xAxis->grid()->setVisible(false);
    m_bars->yAxis->setLabel(tr("Channels"));
    m_bars->yAxis2->setVisible(true);
    m_bars->yAxis2->setLabel(tr("Memory overhead (%)"));
    moveLegendBelow(m_bars, 2, 6);
    m_bars->legend->setVisible(true);
    m_bars->setMouseTracking(true);
    connect(m_bars, &QCustomPlot::mouseMove, this, &AllocationPlot::onBarsHover);
    connect(m_bars, &QCustomPlot::afterLayout, this, &AllocationPlot::updateTickLabels);
    stylePlot(m_bars);
}

void AllocationPlot::setupTradeOffPlot()
{
    m_tradeOffTitle = addPlotTitle(m_tradeOff, tr("Trade-off: memory overhead against error"));
    m_tradeOff->xAxis->setLabel(tr("Total relative output error (sum over layers)"));
    m_tradeOff->yAxis->setLabel(tr("Memory overhead (%)"));
    setLogAxis(m_tradeOff->xAxis);
    m_tradeOff->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_tradeOff->legend->setVisible(true);

    m_thresholdCurve = m_tradeOff->addGraph();
    m_thresholdCurve->setName(tr("Threshold rule (\u03b5 from 1e-6 to 1)"));
    m_budgetCurve = m_tradeOff->addGraph();
    m_budgetCurve->setName(tr("Memory budget rule"));
    m_marker = m_tradeOff->addGraph();
    m_marker->setName(tr("Current allocation"));
    m_marker->setLineStyle(QCPGraph::lsNone);
    m_budgetLine = new QCPItemStraightLine(m_tradeOff);
    m_budgetLine->setSelectable(false);
    m_budgetLine->setVisible(false);
    m_tradeOff->setMouseTracking(true);
    connect(m_tradeOff, &QCustomPlot::mouseMove, this, &AllocationPlot::onTradeOffHover);
    restyle();
}

void AllocationPlot::restyle()
{
    stylePlot(m_bars);
    stylePlot(m_tradeOff);
    const QColor text = palette().color(QPalette::WindowText);
    const QColor window = palette().color(QPalette::Base);
    for (std::size_t i = 0; i < m_pointsBars.size(); ++i) {
        m_pointsBars[i]->setBrush(pointsStepColor(int(i) + 1, int(m_pointsBars.size())));
        m_pointsBars[i]->setPen(QPen(window, 1));
    }
    if (m_floatBars) {
        m_floatBars->setBrush(floatColor());
        m_floatBars->setPen(QPen(window, 1));
    }
    if (m_overheadGraph) {
        m_overheadGraph->setPen(QPen(text, 1.5));
        m_overheadGraph->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssDiamond, text, text, 6));
    }
    m_thresholdCurve->setPen(QPen(quantizedColor(), 2));
    m_thresholdCurve->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, quantizedColor(), quantizedColor(), 4));
    m_budgetCurve->setPen(QPen(seriesColor(2), 2, Qt::DashLine));
    m_budgetCurve->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssSquare, seriesColor(2), seriesColor(2), 4));
    m_budgetLine->setPen(QPen(text, 1.5, Qt::DashLine));
    m_marker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(text, 2.5),
                                              Qt::NoBrush, fontMetrics().height()));
}

void AllocationPlot::setAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    m_analysis = std::move(analysis);
    m_allocation.reset();
    m_tradeOffValid = false;
    if (!m_analysis || m_analysis->curves.empty()) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_stack->setCurrentWidget(m_content);
    rebuildBarSeries();
    updateBars();
    m_settings.bits = m_analysis->settings.bits;
    recomputeTradeOff();
    updateMarker();
}

void AllocationPlot::setAllocation(std::shared_ptr<const mpq::Allocation> allocation,
                                   const mpq::AllocationSettings &settings)
{
    m_allocation = std::move(allocation);
    m_settings = settings;
    if (!m_analysis || m_analysis->curves.empty())
        return;
    updateBars();
    if (!m_tradeOffValid || settings.bits != m_curveBits ||
        settings.sensitivityWeighted != m_curveWeighted ||
        settings.biasCorrection != m_curveCorrected ||
        !sameOverrides(settings.overrides, m_curveOverrides))
        recomputeTradeOff();
    updateMarker();
}

void AllocationPlot::setExtraCurves(std::vector<mpq::LayerCurves> curves)
{
    m_extraCurves = std::move(curves);
    m_tradeOffValid = false;
    if (m_analysis && !m_analysis->curves.empty()) {
        recomputeTradeOff();
        updateMarker();
    }
}

QCPBars *AllocationPlot::pointsBars(int points) const
{
    return points >= 1 && points <= int(m_pointsBars.size()) ? m_pointsBars[points - 1] : nullptr;
}

bool AllocationPlot::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString AllocationPlot::emptyStateText() const
{
    return m_empty->text();
}

void AllocationPlot::rebuildBarSeries()
{
    m_bars->clearPlottables();
    m_pointsBars.clear();
    int maxPoints = std::max(1, m_analysis->settings.maxPoints);
    for (const mpq::LayerCurves &c : m_analysis->curves)
        maxPoints = std::max(maxPoints, c.maxPoints);
    QCPBars *below = nullptr;
    for (int n = 1; n <= maxPoints; ++n) {
        auto *bars = new QCPBars(m_bars->xAxis, m_bars->yAxis);
        bars->setName(tr("%n point(s)", nullptr, n));
        bars->setWidth(0.7);
        if (below)
            bars->moveAbove(below);
        below = bars;
        m_pointsBars.push_back(bars);
    }
    m_floatBars = new QCPBars(m_bars->xAxis, m_bars->yAxis);
    m_floatBars->setName(tr("float"));
    m_floatBars->setWidth(0.7);
    m_floatBars->moveAbove(below);
    m_overheadGraph = new QCPGraph(m_bars->xAxis, m_bars->yAxis2);
    m_overheadGraph->setName(tr("Overhead (right axis)"));
    restyle();
}

void AllocationPlot::updateBars()
{
    const std::vector<mpq::LayerCurves> &curves = m_analysis->curves;
    const int layers = int(curves.size());
    std::unordered_map<std::string, const mpq::LayerAllocation *> byName;
    if (m_allocation) {
        for (const mpq::LayerAllocation &a : m_allocation->layers)
            byName.emplace(a.name, &a);
    }
    std::vector<QVector<double>> counts(m_pointsBars.size(), QVector<double>(layers, 0.0));
    QVector<double> keys(layers), floats(layers, 0.0), overhead(layers, qQNaN());
    double maxChannels = 1.0, maxOverhead = 0.0;
    for (int l = 0; l < layers; ++l) {
        keys[l] = l;
        maxChannels = std::max(maxChannels, double(curves[l].channels));
        const auto it = byName.find(curves[l].name);
        if (it == byName.end())
            continue;
        const mpq::LayerAllocation &a = *it->second;
        if (a.isFloat) {
            floats[l] = double(curves[l].channels);
            continue;
        }
        for (int n : a.points) {
            const int i = std::clamp(n, 1, int(m_pointsBars.size())) - 1;
            counts[i][l] += 1.0;
        }
        overhead[l] = a.overhead * 100.0;
        maxOverhead = std::max(maxOverhead, overhead[l]);
    }
    // Every series keeps its data (zeros included); the legend lists, in order, those that occur.
    m_bars->legend->clearItems();
    auto setBars = [](QCPBars *bars, const QVector<double> &keys, const QVector<double> &values) {
        bars->setData(keys, values, true);
        if (std::any_of(values.begin(), values.end(), [](double v) { return v > 0.0; }))
            bars->addToLegend();
    };
    for (std::size_t i = 0; i < m_pointsBars.size(); ++i)
        setBars(m_pointsBars[i], keys, counts[i]);
    setBars(m_floatBars, keys, floats);
    m_overheadGraph->addToLegend();
    m_overheadGraph->setData(keys, overhead, true);
    m_bars->xAxis->setRange(-0.6, layers - 0.4);
    m_bars->yAxis->setRange(0.0, maxChannels * 1.05);
    m_bars->yAxis2->setRange(0.0, std::max(1.0, maxOverhead * 1.15));
    m_barsTitle->setText(m_allocation
                             ? tr("Points per channel, by layer (memory overhead %1)")
                                   .arg(formatPercent(m_allocation->memoryOverhead))
                             : tr("Points per channel, by layer: choose a threshold or budget"));
    m_tickStep = 0; // new names: relabel after the next layout
    m_bars->replot();
}

void AllocationPlot::updateTickLabels()
{
    if (!m_analysis)
        return;
    // Rotated labels need about one line height each along the axis; thin them when crowded.
    // Called after each layout, when the axis rect's width is known; a changed step replots.
    const int layers = int(m_analysis->curves.size());
    const int lineHeight = fontMetrics().height();
    const int fit = std::max(1, m_bars->axisRect()->width() / std::max(1, int(lineHeight * 1.3)));
    const int step = std::max(1, (layers + fit - 1) / fit);
    if (step == m_tickStep && layers == m_tickLayers)
        return;
    m_tickStep = step;
    m_tickLayers = layers;
    auto ticker = m_bars->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    ticker->clear();
    const int nameWidth = fontMetrics().averageCharWidth() * 18;
    for (int l = 0; l < layers; l += step) {
        const QString name = QString::fromStdString(m_analysis->curves[l].name);
        ticker->addTick(l, fontMetrics().elidedText(name, Qt::ElideLeft, nameWidth));
    }
    m_bars->replot(QCustomPlot::rpQueuedReplot);
}

namespace {
// One worker for the trade-off curves of every AllocationPlot: a newer request waits for at most
// one older one, and analysis or evaluation jobs on the global pool never delay it.
QThreadPool &tradeOffPool()
{
    static QThreadPool pool;
    pool.setMaxThreadCount(1);
    return pool;
}
} // namespace

void AllocationPlot::recomputeTradeOff()
{
    m_tradeOffValid = true;
    m_curveBits = m_settings.bits;
    m_curveWeighted = m_settings.sensitivityWeighted;
    m_curveCorrected = m_settings.biasCorrection;
    m_curveOverrides = m_settings.overrides;
    ++m_tradeOffComputations;
    const int generation = ++m_tradeOffGeneration;
    m_tradeOffPending = generation;
    std::vector<mpq::LayerCurves> curves = m_analysis->curves;
    curves.insert(curves.end(), m_extraCurves.begin(), m_extraCurves.end());
    // Until the new curves arrive the old ones are not this model's or these overrides': none.
    showTradeOff({});
    m_tradeOffTitle->setText(tr("Trade-off: computing the curves..."));
    auto *watcher = new QFutureWatcher<TradeOffCurves>(this);
    connect(watcher, &QFutureWatcher<TradeOffCurves>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_tradeOffGeneration)
            return; // superseded by a newer request
        m_tradeOffPending = 0;
        showTradeOff(watcher->result());
        updateMarker();
    });
    watcher->setFuture(
        QtConcurrent::run(&tradeOffPool(), [curves = std::move(curves), settings = m_settings] {
            try {
                return computeTradeOff(curves, settings, tradeOffSamples());
            } catch (const std::exception &) {
                // A Bits override whose curves have not arrived yet: no curve until they do.
                return TradeOffCurves{};
            }
        }));
}

void AllocationPlot::waitForTradeOff()
{
    while (m_tradeOffPending != 0) {
        tradeOffPool().waitForDone();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

void AllocationPlot::showTradeOff(TradeOffCurves curves)
{
    m_curves = std::move(curves);
    // QCPGraph keeps its data sorted by key (error): the curve reads left to right.
    for (auto [graph, points] : {std::pair(m_thresholdCurve, &m_curves.threshold),
                                 std::pair(m_budgetCurve, &m_curves.budget)}) {
        graph->data()->clear();
        for (const TradeOffPoint &p : *points)
            graph->addData(logAxisValue(p.totalError), p.memoryOverhead * 100.0);
    }
    m_tradeOffTitle->setText(
        m_curves.threshold.empty()
            ? tr("Trade-off: waiting for the curves of overridden bits")
            : tr("Trade-off: memory overhead against error (%1 bits)").arg(m_curveBits));
}

void AllocationPlot::updateMarker()
{
    m_marker->data()->clear();
    if (m_allocation)
        m_marker->addData(logAxisValue(m_allocation->totalError),
                          m_allocation->memoryOverhead * 100.0);
    // A memory budget is a ceiling on this plot's y axis: show it as a line.
    const bool memoryBudget = m_settings.rule == mpq::AllocationRule::Budget &&
                              m_settings.cost == mpq::BudgetCost::Memory;
    m_budgetLine->setVisible(memoryBudget);
    m_budgetLine->point1->setCoords(1.0, m_settings.budget * 100.0);
    m_budgetLine->point2->setCoords(2.0, m_settings.budget * 100.0);
    // Axis ranges over the curves and the marker.
    double xlo = qInf(), xhi = -qInf(), yhi = 1.0;
    for (QCPGraph *g : {m_thresholdCurve, m_budgetCurve, m_marker}) {
        for (const QCPGraphData &d : *g->data()) {
            if (std::isfinite(d.key)) {
                xlo = std::min(xlo, d.key);
                xhi = std::max(xhi, d.key);
            }
            yhi = std::max(yhi, d.value);
        }
    }
    if (memoryBudget)
        yhi = std::max(yhi, m_settings.budget * 100.0);
    if (std::isfinite(xlo))
        m_tradeOff->xAxis->setRange(xlo / 2.0, xhi * 2.0);
    m_tradeOff->yAxis->setRange(-0.03 * yhi, yhi * 1.08);
    m_tradeOff->replot();
}

void AllocationPlot::onBarsHover(QMouseEvent *event)
{
    if (!m_analysis || !m_bars->axisRect()->rect().contains(event->pos())) {
        QToolTip::hideText();
        return;
    }
    const int l = qRound(m_bars->xAxis->pixelToCoord(event->position().x()));
    if (l < 0 || l >= int(m_analysis->curves.size()))
        return;
    const mpq::LayerCurves &c = m_analysis->curves[l];
    QString text =
        tr("%1: %n channel(s)", nullptr, int(c.channels)).arg(QString::fromStdString(c.name));
    if (m_floatBars->data()->at(l)->value > 0.0)
        text += QLatin1Char('\n') + tr("kept in float");
    for (QCPBars *bars : m_pointsBars) {
        const double count = bars->data()->at(l)->value;
        if (count > 0.0)
            text += QLatin1Char('\n') + tr("%1: %2 channels").arg(bars->name()).arg(count);
    }
    const double overhead = m_overheadGraph->data()->at(l)->value;
    if (std::isfinite(overhead))
        text += QLatin1Char('\n') + tr("memory overhead %1").arg(formatPercent(overhead / 100.0));
    QToolTip::showText(event->globalPosition().toPoint(), text, m_bars);
}

void AllocationPlot::onTradeOffHover(QMouseEvent *event)
{
    const QPointF pos = event->position();
    const QCPGraph *best = nullptr;
    QCPGraphData bestPoint;
    double bestDistance = fontMetrics().height();
    for (const QCPGraph *g : {m_marker, m_thresholdCurve, m_budgetCurve}) {
        for (const QCPGraphData &d : *g->data()) {
            if (!std::isfinite(d.key))
                continue;
            const double dx = m_tradeOff->xAxis->coordToPixel(d.key) - pos.x();
            const double dy = m_tradeOff->yAxis->coordToPixel(d.value) - pos.y();
            const double distance = std::hypot(dx, dy);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = g;
                bestPoint = d;
            }
        }
    }
    if (!best) {
        QToolTip::hideText();
        return;
    }
    QString name = best->name();
    const std::vector<TradeOffPoint> *points = best == m_thresholdCurve ? &m_curves.threshold
                                               : best == m_budgetCurve  ? &m_curves.budget
                                                                        : nullptr;
    for (const TradeOffPoint &p : points ? *points : std::vector<TradeOffPoint>()) {
        if (p.totalError == bestPoint.key && p.memoryOverhead * 100.0 == bestPoint.value) {
            name = best == m_thresholdCurve
                       ? tr("Threshold rule, \u03b5 = %1").arg(formatRelativeError(p.parameter))
                       : tr("Memory budget %1").arg(formatPercent(p.parameter));
            name += QLatin1Char('\n') + tr("MAC overhead %1").arg(formatPercent(p.macOverhead));
            break;
        }
    }
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1\nmemory overhead %2 (%3 %)\ntotal error %4")
                           .arg(name, formatPercent(bestPoint.value / 100.0),
                                QLocale().toString(bestPoint.value, 'f', 3),
                                QLocale().toString(bestPoint.key, 'e', 4)),
                       m_tradeOff);
}

void AllocationPlot::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        restyle();
        m_bars->replot();
        m_tradeOff->replot();
    }
}

} // namespace mpq::ui
