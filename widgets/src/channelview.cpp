#include "mpqwidgets/channelview.h"

#include "mpqwidgets/channelstats.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"
#include "mpqwidgets/pointsscale.h"

#include <QEvent>
#include <QLabel>
#include <QSplitter>
#include <QStackedLayout>
#include <QToolTip>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

namespace {

// The frame around the selected channel in a strip.
QCPItemRect *addCursor(QCPColorMap *strip)
{
    auto *cursor = new QCPItemRect(strip->parentPlot());
    cursor->setClipAxisRect(strip->keyAxis()->axisRect());
    for (QCPItemPosition *p : {cursor->topLeft, cursor->bottomRight})
        p->setAxes(strip->keyAxis(), strip->valueAxis());
    cursor->setBrush(Qt::NoBrush);
    cursor->setSelectable(false);
    return cursor;
}

} // namespace

ChannelView::ChannelView(QWidget *parent)
    : QWidget(parent)
{
    m_stack = new QStackedLayout(this);
    m_empty = createEmptyStateLabel(this);
    m_empty->setText(tr("Select a layer in the table to see its channels: the points each "
                        "got, its error, and how the points fit its weights."));
    auto *vertical = new QSplitter(Qt::Vertical, this);
    m_strips = new QCustomPlot(vertical);
    auto *horizontal = new QSplitter(Qt::Horizontal, vertical);
    m_histogram = new QCustomPlot(horizontal);
    m_errors = new QCustomPlot(horizontal);
    vertical->addWidget(m_strips);
    vertical->addWidget(horizontal);
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 2);
    m_strips->setMinimumHeight(fontMetrics().height() * 9);
    m_strips->setMaximumHeight(fontMetrics().height() * 16);
    m_content = vertical;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_content);
    setupStrips();
    setupHistogram();
    setupErrors();
    restyle();
    m_stack->setCurrentWidget(m_empty);
}

void ChannelView::setupStrips()
{
    m_strips->plotLayout()->clear();
    m_strips->plotLayout()->addElement(0, 0, new QCPTextElement(m_strips));
    m_stripsTitle = qobject_cast<QCPTextElement *>(m_strips->plotLayout()->element(0, 0));
    m_strips->plotLayout()->setRowStretchFactor(0, 0.001);
    auto *columnGroup = new QCPMarginGroup(m_strips);
    m_pointsMap = addHeatStrip(m_strips, 1, tr("Points"), columnGroup);
    m_errorMap = addHeatStrip(m_strips, 2, tr("Error"), columnGroup);
    m_pointsCursor = addCursor(m_pointsMap);
    m_errorCursor = addCursor(m_errorMap);
    m_pointsMap->keyAxis()->setTickLabels(false);
    m_errorMap->keyAxis()->setLabel(tr("Output channel (click to select)"));
    m_errorMap->setDataScaleType(QCPAxis::stLogarithmic);
    m_errorMap->colorScale()->setDataScaleType(QCPAxis::stLogarithmic);
    setLogAxis(m_errorMap->colorScale()->axis());
    m_errorMap->colorScale()->axis()->setLabel(tr("Rel. error"));
    // a short strip: two labelled decades at most, or the labels overlap
    m_errorMap->colorScale()->axis()->ticker()->setTickCount(2);
    if (auto log = m_errorMap->colorScale()->axis()->ticker().dynamicCast<QCPAxisTickerLog>())
        log->setSubTickCount(0);
    m_pointsMap->colorScale()->axis()->setLabel(tr("Points"));
    setIntegerAxis(m_pointsMap->colorScale()->axis());
    // The strip is short: let the integer step grow rather than overlap labels.
    auto pointsTicker =
        m_pointsMap->colorScale()->axis()->ticker().dynamicCast<QCPAxisTickerFixed>();
    pointsTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    pointsTicker->setTickCount(3);
    QCPColorGradient viridis;
    viridis.clearColorStops();
    for (int i = 0; i <= 8; ++i)
        viridis.setColorStopAt(i / 8.0, sequentialColor(i / 8.0));
    viridis.setNanHandling(QCPColorGradient::nhTransparent);
    m_errorMap->setGradient(viridis);
    connect(m_pointsMap->keyAxis(), qOverload<const QCPRange &>(&QCPAxis::rangeChanged),
            m_errorMap->keyAxis(), qOverload<const QCPRange &>(&QCPAxis::setRange));
    m_strips->setMouseTracking(true);
    connect(m_strips, &QCustomPlot::mousePress, this, &ChannelView::onStripClick);
    connect(m_strips, &QCustomPlot::mouseMove, this, &ChannelView::onStripHover);
}

void ChannelView::setupHistogram()
{
    m_histogramTitle = addPlotTitle(m_histogram, QString());
    m_histogram->xAxis->setLabel(tr("Folded weight value"));
    m_histogram->yAxis->setLabel(tr("Weights per bin"));
    m_histogramBars = new QCPBars(m_histogram->xAxis, m_histogram->yAxis);
    m_histogramBars->setName(tr("float weights"));
    m_histogram->legend->setVisible(false);
}

void ChannelView::setupErrors()
{
    m_errorsTitle = addPlotTitle(m_errors, QString());
    m_errors->xAxis->setLabel(tr("Points"));
    m_errors->yAxis->setLabel(tr("Relative error"));
    setIntegerAxis(m_errors->xAxis);
    setLogAxis(m_errors->yAxis);
    m_weightError = m_errors->addGraph();
    m_weightError->setName(tr("Weight residual \u2016r\u2099\u2016\u00b2 / \u2016w\u2016\u00b2"));
    m_outputError = m_errors->addGraph();
    m_outputError->setName(tr("Output error e(n) / s"));
    m_chosenLine = new QCPItemStraightLine(m_errors);
    m_errors->legend->setVisible(true);
    m_errors->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void ChannelView::restyle()
{
    for (QCustomPlot *p : {m_strips, m_histogram, m_errors})
        stylePlot(p);
    const QColor text = palette().color(QPalette::WindowText);
    for (QCPItemRect *cursor : {m_pointsCursor, m_errorCursor})
        cursor->setPen(QPen(text, 2));
    m_histogramBars->setBrush(floatColor());
    m_histogramBars->setPen(Qt::NoPen);
    for (QCPItemStraightLine *line : m_levelLines)
        line->setPen(QPen(quantizedColor(), 1.5, Qt::DashLine));
    m_weightError->setPen(QPen(floatColor(), 2, Qt::DashLine));
    m_weightError->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssSquare, floatColor(), floatColor(), 6));
    m_outputError->setPen(QPen(quantizedColor(), 2));
    m_outputError->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, quantizedColor(), quantizedColor(), 7));
    m_chosenLine->setPen(QPen(text, 1.5, Qt::DotLine));
}

void ChannelView::setLayer(std::shared_ptr<const mpq::Analysis> analysis,
                           std::shared_ptr<const mpq::Allocation> allocation, int layer,
                           std::vector<float> foldedWeight)
{
    const bool sameLayer = analysis && m_analysis && layer == m_layer;
    m_analysis = std::move(analysis);
    m_allocation = std::move(allocation);
    m_weight = std::move(foldedWeight);
    m_layerAllocation = nullptr;
    if (!m_analysis || layer < 0 || layer >= int(m_analysis->curves.size()) ||
        m_analysis->curves[layer].channels <= 0) {
        m_layer = -1;
        m_channel = -1;
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    m_layer = layer;
    if (m_allocation) {
        for (const mpq::LayerAllocation &a : m_allocation->layers) {
            if (a.name == m_analysis->curves[layer].name)
                m_layerAllocation = &a;
        }
    }
    const int channels = int(m_analysis->curves[layer].channels);
    if (!sameLayer || m_channel < 0 || m_channel >= channels)
        m_channel = 0;
    m_stack->setCurrentWidget(m_content);
    updateStrips();
    updateChannel();
}

void ChannelView::setChannel(int channel)
{
    if (m_layer < 0)
        return;
    m_channel = std::clamp(channel, 0, int(m_analysis->curves[m_layer].channels) - 1);
    updateChannel();
}

bool ChannelView::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString ChannelView::emptyStateText() const
{
    return m_empty->text();
}

int ChannelView::channelPoints(int channel) const
{
    if (!m_layerAllocation || m_layerAllocation->isFloat ||
        channel >= int(m_layerAllocation->points.size()))
        return 0;
    return m_layerAllocation->points[channel];
}

double ChannelView::channelSignal(int channel) const
{
    return guardedSignal(m_analysis->curves[m_layer], channel);
}

const mpq::MatrixDecomposition *ChannelView::decomposition() const
{
    // Analyses loaded from older files or made without decompositions have none to show.
    if (m_layer >= int(m_analysis->decompositions.size()))
        return nullptr;
    const mpq::MatrixDecomposition &dec = m_analysis->decompositions[m_layer];
    return dec.rows() == m_analysis->curves[m_layer].channels && dec.points() >= 1 ? &dec : nullptr;
}

void ChannelView::updateStrips()
{
    const mpq::LayerCurves &c = m_analysis->curves[m_layer];
    const int channels = int(c.channels);
    const int maxPoints = std::max(1, c.maxPoints);
    for (QCPColorMap *map : {m_pointsMap, m_errorMap}) {
        map->data()->setSize(channels, 2);
        map->data()->setRange(QCPRange(0, std::max(1, channels - 1)), QCPRange(0, 1));
    }
    double lo = qInf(), hi = -qInf();
    for (int ch = 0; ch < channels; ++ch) {
        const int n = channelPoints(ch);
        const double rho = logAxisValue(c.errorAt(ch, std::max(n, 1)) / channelSignal(ch));
        if (std::isfinite(rho)) {
            lo = std::min(lo, rho);
            hi = std::max(hi, rho);
        }
        for (int y = 0; y < 2; ++y) {
            m_pointsMap->data()->setCell(ch, y, n > 0 ? n : qQNaN());
            m_errorMap->data()->setCell(ch, y, rho);
        }
    }
    QCPColorGradient points;
    points.clearColorStops();
    for (int n = 1; n <= maxPoints; ++n)
        points.setColorStopAt(maxPoints > 1 ? double(n - 1) / (maxPoints - 1) : 0.0,
                              pointsStepColor(n, maxPoints));
    points.setLevelCount(std::max(2, maxPoints));
    points.setNanHandling(QCPColorGradient::nhTransparent);
    m_pointsMap->setGradient(points);
    m_pointsMap->setDataRange(QCPRange(1, std::max(2, maxPoints)));
    // Whole decades, so the log colour scale is labelled at powers of ten only.
    if (std::isfinite(lo))
        m_errorMap->setDataRange(QCPRange(std::pow(10.0, std::floor(std::log10(lo))),
                                          std::pow(10.0, std::ceil(std::log10(hi) + 1e-9))));
    m_pointsMap->keyAxis()->setRange(-0.5, channels - 0.5);
    m_errorMap->keyAxis()->setRange(-0.5, channels - 0.5);
    QString what;
    if (!m_layerAllocation)
        what = tr("no allocation yet: error with one point");
    else if (m_layerAllocation->isFloat)
        what = tr("kept in float");
    else
        what = tr("mean %1 points, relative error at the allocated points")
                   .arg(QLocale().toString(m_layerAllocation->meanPoints, 'f', 2));
    // two lines: the layer's path, then what the strips show (one line was clipped beside the
    // docks); a long path is elided in the middle, the full one is in the Layers table's tooltip
    QString name = QString::fromStdString(c.name);
    const QFontMetrics fm(m_stripsTitle->font());
    const int room = std::max(fm.averageCharWidth() * 20, m_strips->width() - fm.height() * 2);
    name = fm.elidedText(name, Qt::ElideMiddle, room);
    m_stripsTitle->setText(tr("%1\n%n channel(s), %2", nullptr, channels).arg(name, what));
    stylePlot(m_strips);
    m_strips->replot();
}

void ChannelView::updateChannel()
{
    for (QCPItemRect *cursor : {m_pointsCursor, m_errorCursor}) {
        cursor->topLeft->setCoords(m_channel - 0.5, 1.5);
        cursor->bottomRight->setCoords(m_channel + 0.5, -0.5);
    }
    m_strips->replot();
    const int points = channelPoints(m_channel);
    updateHistogram(points);
    updateErrors(points);
}

void ChannelView::updateHistogram(int points)
{
    for (QCPItemStraightLine *line : m_levelLines)
        m_histogram->removeItem(line);
    m_levelLines.clear();
    m_histogramBars->data()->clear();
    const mpq::LayerCurves &c = m_analysis->curves[m_layer];
    const bool haveWeights = c.d > 0 && std::int64_t(m_weight.size()) >= c.channels * c.d;
    const mpq::MatrixDecomposition *dec = decomposition();
    m_gridLevels = dec ? firstPointLevels(*dec, m_channel, points) : QVector<double>();
    double lo = 0.0, hi = 0.0;
    if (haveWeights) {
        const Histogram h = histogram(m_weight.data() + m_channel * c.d, c.d);
        lo = h.min;
        hi = h.max;
        m_histogramBars->setWidth(h.binWidth);
        m_histogramBars->setData(h.centres, h.counts, true);
        m_histogram->yAxis->setRange(0.0,
                                     *std::max_element(h.counts.begin(), h.counts.end()) * 1.1);
    }
    for (double x : m_gridLevels) {
        auto *line = new QCPItemStraightLine(m_histogram);
        line->point1->setCoords(x, 0.0);
        line->point2->setCoords(x, 1.0);
        line->setSelectable(false);
        m_levelLines << line;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    const double margin = hi > lo ? (hi - lo) * 0.05 : 1.0;
    m_histogram->xAxis->setRange(lo - margin, hi + margin);
    QString title = haveWeights ? tr("Weights of channel %1 (%2 values)")
                                      .arg(m_channel)
                                      .arg(QLocale().toString(qlonglong(c.d)))
                                : tr("Weights of channel %1 not available").arg(m_channel);
    if (!m_gridLevels.isEmpty()) {
        const QString scale = QLocale().toString(firstPointScale(*dec, m_channel, points), 'g', 4);
        title += QLatin1Char('\n') +
                 (dec->hasSolo() && points >= 2
                      ? tr("dashed: the half-step pair's grid s\u00b7m, s = %1").arg(scale)
                      : tr("dashed: first point's grid a\u2081\u00b7q, a\u2081 = %1").arg(scale));
    }
    if (points > 1)
        title += tr(" (%n point(s) allocated)", nullptr, points);
    m_histogramTitle->setText(title);
    restyle();
    m_histogram->replot();
}

void ChannelView::updateErrors(int points)
{
    const mpq::LayerCurves &c = m_analysis->curves[m_layer];
    QVector<double> keys, weightErr, outputErr;
    const mpq::MatrixDecomposition *dec = decomposition();
    const double s = channelSignal(m_channel);
    for (int n = 1; n <= c.maxPoints; ++n) {
        keys << n;
        outputErr << logAxisValue(s > 0.0 ? c.errorAt(m_channel, n) / s : qQNaN());
        if (dec && n <= dec->points()) {
            const double w0 = dec->residualNorm(m_channel, 0);
            const double r = dec->residualNorm(m_channel, n);
            weightErr << logAxisValue(w0 > 0.0 ? (r * r) / (w0 * w0) : qQNaN());
        } else {
            weightErr << qQNaN();
        }
    }
    m_weightError->setData(keys, weightErr, true);
    m_outputError->setData(keys, outputErr, true);
    m_chosenLine->setVisible(points > 0);
    m_chosenLine->point1->setCoords(points, 1.0);
    m_chosenLine->point2->setCoords(points, 2.0);
    double lo = qInf(), hi = -qInf();
    for (const QVector<double> *v : {&weightErr, &outputErr}) {
        for (double x : *v) {
            if (std::isfinite(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
        }
    }
    m_errors->xAxis->setRange(0.5, std::max(1, c.maxPoints) + 0.5);
    if (std::isfinite(lo))
        m_errors->yAxis->setRange(lo / 2.0, hi * 2.0);
    m_errorsTitle->setText(
        points > 0 ? tr("Error of channel %1 by points (dotted: %n allocated)", nullptr, points)
                         .arg(m_channel)
                   : tr("Error of channel %1 by points").arg(m_channel));
    m_errors->replot();
}

void ChannelView::onStripClick(QMouseEvent *event)
{
    if (m_layer < 0 || event->button() != Qt::LeftButton)
        return;
    QCPAxisRect *rect = m_strips->axisRectAt(event->position());
    if (!rect)
        return;
    const int channel = qRound(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x()));
    if (channel < 0 || channel >= int(m_analysis->curves[m_layer].channels))
        return;
    setChannel(channel);
    emit channelClicked(channel);
}

void ChannelView::onStripHover(QMouseEvent *event)
{
    QCPAxisRect *rect = m_layer >= 0 ? m_strips->axisRectAt(event->position()) : nullptr;
    if (!rect) {
        QToolTip::hideText();
        return;
    }
    const mpq::LayerCurves &c = m_analysis->curves[m_layer];
    const int ch = qRound(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x()));
    if (ch < 0 || ch >= int(c.channels))
        return;
    const int n = channelPoints(ch);
    const double rho = c.errorAt(ch, std::max(n, 1)) / channelSignal(ch);
    QString text =
        n > 0 ? tr("Channel %1: %n point(s)", nullptr, n).arg(ch) : tr("Channel %1").arg(ch);
    text += QLatin1Char('\n') + tr("relative output error %1 (SQNR %2)")
                                    .arg(QLocale().toString(rho, 'e', 4), formatSqnr(rho));
    QToolTip::showText(event->globalPosition().toPoint(), text, m_strips);
}

void ChannelView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        restyle();
        for (QCustomPlot *p : {m_strips, m_histogram, m_errors})
            p->replot();
    }
}

} // namespace mpq::ui
