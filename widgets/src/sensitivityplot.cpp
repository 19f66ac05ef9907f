#include "mpqwidgets/sensitivityplot.h"

#include "mpqwidgets/channelstats.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"

#include <QEvent>
#include <QLabel>
#include <QStackedLayout>
#include <QToolTip>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

namespace {

constexpr double kMinEpsilon = 1e-6;
constexpr double kMaxEpsilon = 1.0;
// Legends with more entries than this hide more than they explain; tooltips name the lines.
constexpr int kMaxLegendEntries = 10;

} // namespace

SensitivityPlot::SensitivityPlot(QWidget *parent)
    : QWidget(parent)
{
    m_stack = new QStackedLayout(this);
    m_empty = createEmptyStateLabel(this);
    m_plot = new QCustomPlot(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_plot);

    m_title = addPlotTitle(m_plot, QString());
    m_plot->xAxis->setLabel(tr("Points per channel"));
    m_plot->yAxis->setLabel(tr("Relative output error"));
    m_plot->yAxis2->setLabel(tr("SQNR (dB)"));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setRangeReversed(true);
    setIntegerAxis(m_plot->xAxis);
    setLogAxis(m_plot->yAxis);
    // the legend goes below the axis rect, never over the curves (row 0 is the title)
    moveLegendBelow(m_plot, 2, 2);
    m_plot->legend->setVisible(false);
    connect(m_plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this] { updateSqnrAxis(); });

    m_epsilonLine = new QCPItemStraightLine(m_plot);
    m_epsilonLine->setSelectable(false);
    m_epsilonLabel = new QCPItemText(m_plot);
    m_epsilonLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_epsilonLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_epsilonLabel->position->setTypeY(QCPItemPosition::ptPlotCoords);
    m_epsilonLabel->setSelectable(false);
    m_epsilonLabel->setPadding(QMargins(3, 1, 3, 1));
    m_epsilonLabel->setClipToAxisRect(true);

    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mousePress, this, &SensitivityPlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &SensitivityPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &SensitivityPlot::onMouseRelease);

    stylePlot(m_plot);
    rebuild();
}

void SensitivityPlot::setAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    m_analysis = std::move(analysis);
    rebuild();
}

void SensitivityPlot::setSelectedLayers(const QList<int> &layers)
{
    m_selected = layers;
    rebuild();
}

void SensitivityPlot::setEpsilonVisible(bool visible)
{
    if (visible == m_epsilonVisible)
        return;
    m_epsilonVisible = visible;
    m_dragging = false;
    if (m_stack->currentWidget() == m_plot)
        rescaleY();
    updateEpsilonItems();
    m_plot->replot();
}

QList<int> SensitivityPlot::mostSensitiveLayers(const mpq::Analysis &analysis, int count)
{
    QList<std::pair<double, int>> ranked;
    for (int i = 0; i < int(analysis.curves.size()); ++i) {
        const mpq::LayerCurves &c = analysis.curves[std::size_t(i)];
        if (c.maxPoints < 1)
            continue;
        const double r = mpq::layerRelativeError(c, 1);
        if (std::isfinite(r))
            ranked.append({r, i});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<int> layers;
    for (int i = 0; i < ranked.size() && i < count; ++i)
        layers << ranked[i].second;
    return layers;
}

void SensitivityPlot::setEpsilon(double epsilon)
{
    if (!(epsilon > 0.0))
        return;
    m_epsilon = epsilon;
    const QCPRange range = m_plot->yAxis->range();
    if (!m_dragging && m_epsilonVisible && (epsilon < range.lower || epsilon > range.upper))
        rescaleY();
    updateEpsilonItems();
    m_plot->replot();
}

QCPGraph *SensitivityPlot::layerGraph(int layer) const
{
    const int i = m_drawn.indexOf(layer);
    return i >= 0 && i < m_layerGraphs.size() ? m_layerGraphs[i] : nullptr;
}

QCPGraph *SensitivityPlot::spreadGraph(Spread which) const
{
    return which >= 0 && which < m_spreadGraphs.size() ? m_spreadGraphs[which] : nullptr;
}

bool SensitivityPlot::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString SensitivityPlot::emptyStateText() const
{
    return m_empty->text();
}

double SensitivityPlot::percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return qQNaN();
    const double pos = std::clamp(p, 0.0, 1.0) * double(sorted.size() - 1);
    const std::size_t i = std::size_t(std::floor(pos));
    const double t = pos - double(i);
    if (i + 1 >= sorted.size())
        return sorted.back();
    return sorted[i] + (sorted[i + 1] - sorted[i]) * t;
}

void SensitivityPlot::rebuild()
{
    m_plot->clearGraphs();
    m_layerGraphs.clear();
    m_spreadGraphs.clear();
    m_drawn.clear();
    m_defaultLayers = false;
    if (m_analysis) {
        for (int layer : m_selected) {
            if (layer >= 0 && layer < int(m_analysis->curves.size()) && !m_drawn.contains(layer) &&
                m_analysis->curves[layer].maxPoints > 0)
                m_drawn << layer;
        }
    }
    if (!m_analysis || m_analysis->curves.empty()) {
        m_empty->setText(tr("Run the analysis to see how each layer's error falls with more "
                            "points."));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    if (m_drawn.isEmpty()) {
        // nothing (valid) selected: the layers round-to-nearest hurts most, and the title says so
        m_drawn = mostSensitiveLayers(*m_analysis, kDefaultLayers);
        m_defaultLayers = !m_drawn.isEmpty();
    }
    if (m_drawn.isEmpty()) {
        m_empty->setText(tr("No layer has a measured error to show."));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_stack->setCurrentWidget(m_plot);

    if (m_defaultLayers) {
        m_title->setText(tr("The %n layer(s) with the largest error at 1 point, of %1 (%2 bits)\n"
                            "Select layers in the table or the ranking to see others",
                            nullptr, int(m_drawn.size()))
                             .arg(m_analysis->curves.size())
                             .arg(m_analysis->curves[m_drawn.front()].bits));
    } else if (m_drawn.size() == 1) {
        const mpq::LayerCurves &c = m_analysis->curves[m_drawn.front()];
        buildSpread(m_drawn.front());
        m_title->setText(
            tr("Output error of %1\n(%n channel(s), %2 bits)", nullptr, int(c.channels))
                .arg(fontMetrics().elidedText(QString::fromStdString(c.name), Qt::ElideMiddle,
                                              fontMetrics().averageCharWidth() * 48))
                .arg(c.bits));
    } else {
        m_title->setText(tr("Output error of %n layer(s) (%1 bits)", nullptr, int(m_drawn.size()))
                             .arg(m_analysis->curves[m_drawn.front()].bits));
    }
    buildLayerLines();
    // Legend: the layer lines first, then median, inner and outer band.
    m_plot->legend->clearItems();
    for (QCPGraph *g : m_layerGraphs)
        g->addToLegend();
    for (Spread s : {Median, P90, Max}) {
        if (QCPGraph *g = spreadGraph(s))
            g->addToLegend();
    }

    int maxPoints = 1;
    for (int layer : m_drawn)
        maxPoints = std::max(maxPoints, m_analysis->curves[layer].maxPoints);
    m_plot->xAxis->setRange(0.5, maxPoints + 0.5);
    const int legendEntries = m_plot->legend->itemCount();
    m_plot->legend->setVisible(legendEntries > 1 && legendEntries <= kMaxLegendEntries);
    rescaleY();
    updateEpsilonItems();
    m_plot->replot();
}

void SensitivityPlot::buildLayerLines()
{
    const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    const QCPScatterStyle::ScatterShape shapes[] = {
        QCPScatterStyle::ssDisc,    QCPScatterStyle::ssSquare, QCPScatterStyle::ssTriangle,
        QCPScatterStyle::ssDiamond, QCPScatterStyle::ssCross,  QCPScatterStyle::ssPlus};
    for (int i = 0; i < m_drawn.size(); ++i) {
        const mpq::LayerCurves &c = m_analysis->curves[m_drawn[i]];
        QVector<double> keys, values;
        for (int n = 1; n <= c.maxPoints; ++n) {
            // the zero-signal rule lives in core; a silent layer has no point on a log axis
            const double r = mpq::layerRelativeError(c, n);
            keys << n;
            values << (std::isfinite(r) ? logAxisValue(r) : qQNaN());
        }
        QCPGraph *graph = m_plot->addGraph();
        const QColor colour = m_drawn.size() == 1 ? quantizedColor() : seriesColor(i);
        const int cycle = i / seriesColorCount();
        graph->setPen(QPen(colour, 2.0, styles[cycle % 4]));
        graph->setScatterStyle(QCPScatterStyle(shapes[i % 6], colour, colour, 7));
        // long dotted paths elided in the middle: both ends of a module path say something
        const QString name = QString::fromStdString(c.name);
        const QString shown =
            name.size() > 40 ? name.left(18) + QChar(0x2026) + name.right(21) : name;
        graph->setName(m_drawn.size() == 1 ? tr("Layer: %1").arg(shown) : shown);
        graph->setData(keys, values, true);
        m_layerGraphs << graph;
    }
}

void SensitivityPlot::buildSpread(int layer)
{
    const mpq::LayerCurves &c = m_analysis->curves[layer];
    const double quantiles[SpreadCount] = {0.0, 0.1, 0.5, 0.9, 1.0};
    QVector<double> keys, values[SpreadCount];
    std::vector<double> rho;
    for (int n = 1; n <= c.maxPoints; ++n) {
        rho.clear();
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            if (guardedSignal(c, ch) > 0.0)
                rho.push_back(mpq::channelRelativeError(c, ch, n));
        }
        std::sort(rho.begin(), rho.end());
        keys << n;
        for (int q = 0; q < SpreadCount; ++q)
            values[q] << logAxisValue(percentile(rho, quantiles[q]));
    }
    const QColor base = quantizedColor();
    QColor outer = base, inner = base, edge = base;
    outer.setAlphaF(0.15f);
    inner.setAlphaF(0.35f);
    edge.setAlphaF(0.5f);
    const QString names[SpreadCount] = {tr("Channel minimum"), tr("10th percentile of channels"),
                                        tr("Median channel"), tr("90th percentile of channels"),
                                        tr("Channel maximum")};
    for (int q = 0; q < SpreadCount; ++q) {
        QCPGraph *graph = m_plot->addGraph();
        graph->setData(keys, values[q], true);
        graph->setName(names[q]);
        graph->setPen(QPen(edge, 1.0));
        m_spreadGraphs << graph;
    }
    m_spreadGraphs[Max]->setChannelFillGraph(m_spreadGraphs[Min]);
    m_spreadGraphs[Max]->setBrush(outer);
    m_spreadGraphs[Max]->setName(tr("Channels, min to max"));
    m_spreadGraphs[P90]->setChannelFillGraph(m_spreadGraphs[P10]);
    m_spreadGraphs[P90]->setBrush(inner);
    m_spreadGraphs[P90]->setName(tr("Channels, 10th to 90th percentile"));
    m_spreadGraphs[Median]->setPen(QPen(palette().color(QPalette::WindowText), 1.5, Qt::DashLine));
    m_spreadGraphs[Median]->setName(tr("Median channel"));
}

void SensitivityPlot::rescaleY()
{
    double lo = qInf(), hi = 0.0;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        for (const QCPGraphData &d : *m_plot->graph(i)->data()) {
            if (d.value > 0.0 && std::isfinite(d.value)) {
                lo = std::min(lo, d.value);
                hi = std::max(hi, d.value);
            }
        }
    }
    if (!(hi > 0.0))
        lo = hi = m_epsilon;
    // Each extra point divides the error by about 2^(2b): at 8 points a curve reaches 1e-18 and
    // would stretch the axis over 15 decades. Stop kDecadesBelow under the decisions.
    lo = std::max(lo, yFloor());
    if (m_epsilonVisible) {
        lo = std::min(lo, m_epsilon);
        hi = std::max(hi, m_epsilon);
    }
    m_plot->yAxis->setRange(lo / 2.0, hi * 2.0);
}

double SensitivityPlot::yFloor() const
{
    double reference = m_epsilonVisible ? m_epsilon : qInf();
    if (m_analysis)
        for (int layer : m_drawn) {
            const double r = mpq::layerRelativeError(m_analysis->curves[std::size_t(layer)], 1);
            if (r > 0.0 && std::isfinite(r))
                reference = std::min(reference, r);
        }
    if (!std::isfinite(reference))
        reference = m_epsilon;
    return reference * std::pow(10.0, -kDecadesBelow);
}

void SensitivityPlot::updateSqnrAxis()
{
    const QCPRange r = m_plot->yAxis->range();
    if (r.lower > 0.0 && r.upper > 0.0)
        m_plot->yAxis2->setRange(-10.0 * std::log10(r.upper), -10.0 * std::log10(r.lower));
}

void SensitivityPlot::updateEpsilonItems()
{
    m_epsilonLine->setVisible(m_epsilonVisible);
    m_epsilonLabel->setVisible(m_epsilonVisible);
    QColor colour = palette().color(QPalette::WindowText);
    m_epsilonLine->setPen(QPen(colour, 1.5, Qt::DashLine));
    m_epsilonLine->point1->setCoords(0.0, m_epsilon);
    m_epsilonLine->point2->setCoords(1.0, m_epsilon);
    m_epsilonLabel->position->setCoords(0.01, m_epsilon);
    m_epsilonLabel->setColor(colour);
    QColor background = palette().color(QPalette::Base);
    background.setAlphaF(0.85f);
    m_epsilonLabel->setBrush(background);
    m_epsilonLabel->setFont(font());
    m_epsilonLabel->setText(
        tr("threshold \u03b5 = %1 (drag to change)").arg(formatRelativeError(m_epsilon)));
}

bool SensitivityPlot::nearEpsilonLine(const QPointF &pos) const
{
    const double y = m_plot->yAxis->coordToPixel(m_epsilon);
    const double tolerance = std::max(4.0, fontMetrics().height() / 3.0);
    return m_epsilonVisible && m_plot->axisRect()->rect().contains(pos.toPoint()) &&
           std::abs(pos.y() - y) <= tolerance;
}

void SensitivityPlot::onMousePress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (nearEpsilonLine(event->position())) {
        m_dragging = true;
        QToolTip::hideText();
        return;
    }
    // a click on a layer's line selects that layer (the spread bands belong to the one drawn)
    QCPGraph *graph = graphAt(event->position());
    if (!graph)
        return;
    int index = m_layerGraphs.indexOf(graph);
    if (index < 0 && m_spreadGraphs.contains(graph) && m_drawn.size() == 1)
        index = 0;
    if (index >= 0 && index < m_drawn.size())
        emit layerClicked(m_drawn[index]);
}

QCPGraph *SensitivityPlot::graphAt(const QPointF &pos, double *value) const
{
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return nullptr;
    const int n = qRound(m_plot->xAxis->pixelToCoord(pos.x()));
    QCPGraph *best = nullptr;
    double bestValue = 0.0, bestDistance = fontMetrics().height() * 1.5;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *graph = m_plot->graph(i);
        const auto it = graph->data()->findBegin(n, false);
        if (it == graph->data()->constEnd() || it->key != n || !std::isfinite(it->value))
            continue;
        const double distance = std::abs(m_plot->yAxis->coordToPixel(it->value) - pos.y());
        // layer lines win ties with the bands they sit in
        if (distance < bestDistance ||
            (distance == bestDistance && m_layerGraphs.contains(graph))) {
            bestDistance = distance;
            best = graph;
            bestValue = it->value;
        }
    }
    if (value)
        *value = bestValue;
    return best;
}

void SensitivityPlot::onMouseMove(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (m_dragging) {
        const QCPRange r = m_plot->yAxis->range();
        double eps = m_plot->yAxis->pixelToCoord(pos.y());
        eps = std::clamp(eps, std::max(r.lower, kMinEpsilon), std::min(r.upper, kMaxEpsilon));
        m_epsilon = eps;
        updateEpsilonItems();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        emit epsilonDragged(eps);
        return;
    }
    m_plot->setCursor(nearEpsilonLine(pos) ? Qt::SizeVerCursor : Qt::ArrowCursor);
    // Tooltip: the nearest drawn point under the cursor's column, within a few lines of text.
    const int n = qRound(m_plot->xAxis->pixelToCoord(pos.x()));
    double bestValue = 0.0;
    QCPGraph *best = graphAt(pos, &bestValue);
    if (!best) {
        QToolTip::hideText();
        return;
    }
    QString name = best->name();
    if (const int i = m_layerGraphs.indexOf(best); i >= 0 && i < m_drawn.size())
        name = QString::fromStdString(m_analysis->curves[std::size_t(m_drawn[i])].name);
    if (best == spreadGraph(Max))
        name = tr("Channel maximum");
    else if (best == spreadGraph(P90))
        name = tr("90th percentile of channels");
    QToolTip::showText(
        event->globalPosition().toPoint(),
        tr("%1\n%n point(s): relative error %2 (SQNR %3)", nullptr, n)
                .arg(name, QLocale().toString(bestValue, 'e', 4), formatSqnr(bestValue)) +
            (m_layerGraphs.contains(best) ? tr("\nClick to select this layer") : QString()),
        m_plot);
}

void SensitivityPlot::onMouseRelease(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_dragging) {
        m_dragging = false;
        m_plot->replot();
    }
}

void SensitivityPlot::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        stylePlot(m_plot);
        rebuild();
    }
}

} // namespace mpq::ui
