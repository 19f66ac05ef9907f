// The graph view's colours by a quantity, its tooltips, and the colour bar (docs/ui.md).
#include "graphitems.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace mpq::ui {

using namespace graph;

QColor GraphView::colourOf(double v) const
{
    if (!std::isfinite(v)) // SQNR of a zero error: the best end
        v = m_max;
    double t = 0.0;
    if (isLogQuantity(m_quantity)) {
        const double lo = std::log10(std::max(m_min, 1e-300)),
                     hi = std::log10(std::max(m_max, 1e-300));
        t = hi > lo ? (std::log10(std::max(v, 1e-300)) - lo) / (hi - lo) : 0.5;
    } else {
        t = m_max > m_min ? (v - m_min) / (m_max - m_min) : 0.5;
    }
    t = std::clamp(t, 0.0, 1.0);
    if (m_quantity == GraphQuantity::Points) {
        // the points ramp of every page, between whole counts
        const double points = 1.0 + t * double(std::max(1, m_maxPoints) - 1);
        const int lower = int(std::floor(points));
        return mix(pointsColor(lower, m_maxPoints),
                   pointsColor(std::min(lower + 1, m_maxPoints), m_maxPoints), points - lower);
    }
    // viridis, dark where the layer is sensitive: large errors and overheads, low SQNR
    return sequentialColor(m_quantity == GraphQuantity::Sqnr ? t : 1.0 - t);
}

void GraphView::recolour()
{
    // per layer (by name): its allocation and its one-point error
    std::map<std::string, const mpq::LayerAllocation *> allocationOf;
    if (m_allocation)
        for (const auto &l : m_allocation->layers)
            allocationOf.emplace(l.name, &l);
    std::map<std::string, const mpq::LayerCurves *> curvesOf;
    m_maxPoints = 1;
    if (m_analysis)
        for (const auto &c : m_analysis->curves) {
            curvesOf.emplace(c.name, &c);
            m_maxPoints = std::max(m_maxPoints, c.maxPoints);
        }
    m_figures.assign(m_visible.nodes.size(), {});
    for (std::size_t i = 0; i < m_visible.nodes.size(); ++i) {
        GraphFigures &f = m_figures[i];
        f.bits = m_allocation ? m_allocation->bits : 0;
        double pointsTimesChannels = 0.0;
        std::int64_t quantizedChannels = 0;
        std::set<std::string> seen; // a shared weight's call sites count once
        for (int id : m_visible.nodes[i].members) {
            const mpq::GraphNode &node = m_graph.nodes[std::size_t(id)];
            if (node.layer < 0 || !seen.insert(node.name).second)
                continue;
            const auto a = allocationOf.find(node.name);
            if (a == allocationOf.end())
                continue;
            const mpq::LayerAllocation &l = *a->second;
            const auto c = curvesOf.find(node.name);
            const std::int64_t channels =
                c != curvesOf.end() ? c->second->channels : std::int64_t(l.points.size());
            ++f.layers;
            f.channels += channels;
            f.weights += l.weights;
            f.costBits += l.costBits;
            f.macs += l.macs;
            f.extraMacs += l.extraMacs;
            if (l.isFloat) {
                ++f.floatLayers;
                continue;
            }
            pointsTimesChannels += l.meanPoints * double(channels);
            quantizedChannels += channels;
            f.relativeError += l.relativeError;
            if (c != curvesOf.end())
                f.onePointError += mpq::layerRelativeError(*c->second, 1);
        }
        f.meanPoints =
            quantizedChannels > 0 ? pointsTimesChannels / double(quantizedChannels) : 0.0;
    }
    // the range over the nodes that have a colour
    m_min = std::numeric_limits<double>::infinity();
    m_max = -std::numeric_limits<double>::infinity();
    for (const GraphFigures &f : m_figures) {
        if (f.layers == f.floatLayers)
            continue;
        const double v = f.value(m_quantity);
        if (!std::isfinite(v) || (isLogQuantity(m_quantity) && v <= 0.0))
            continue;
        m_min = std::min(m_min, v);
        m_max = std::max(m_max, v);
    }
    if (m_quantity == GraphQuantity::Points) {
        m_min = 1.0;
        m_max = double(m_maxPoints);
    }
    if (!std::isfinite(m_min) || !std::isfinite(m_max)) {
        m_min = 0.0;
        m_max = 1.0;
    }
    const QPalette &p = palette();
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        NodeItem *item = m_items[i];
        if (!item)
            continue;
        const GraphFigures &f = m_figures[i];
        const mpq::VisibleNode &v = m_visible.nodes[i];
        const bool io =
            v.module.empty() &&
            (m_graph.nodes[std::size_t(v.members.front())].kind == mpq::GraphNodeKind::Input ||
             m_graph.nodes[std::size_t(v.members.front())].kind == mpq::GraphNodeKind::Output);
        QColor fill = p.color(io ? QPalette::AlternateBase : QPalette::Button);
        QPen pen(p.color(QPalette::Mid), 1.0);
        if (f.layers > 0 && f.layers == f.floatLayers) {
            // kept float: the float colour, a solid outline (docs/ui.md, visual language)
            pen = QPen(floatColor(), 2.0);
        } else if (f.layers > 0) {
            fill = colourOf(f.value(m_quantity));
            pen = QPen(fill.darker(140), 1.0);
        } else if (item->hasLayers() && !m_allocation) {
            pen = QPen(p.color(QPalette::Dark), 1.0); // a layer, before any analysis
        }
        item->brush = QBrush(fill);
        item->pen = pen;
        item->textColour = f.layers > f.floatLayers ? textOn(fill) : p.color(QPalette::ButtonText);
        item->highlightColour = p.color(QPalette::Highlight);
        item->setToolTip(toolTipFor(int(i)));
        // a collapsed module shows its aggregate: "12 operations · 2.13 points"
        if (!v.module.empty()) {
            QString detail = QString::fromStdString(v.detail);
            if (f.layers > f.floatLayers)
                detail += tr(" · %1 points").arg(f.meanPoints, 0, 'f', 2);
            item->setDetail(detail);
        }
        item->update();
    }
    viewport()->update();
}

QString GraphView::toolTipFor(int index) const
{
    const mpq::VisibleNode &v = m_visible.nodes[std::size_t(index)];
    QString tip = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(v.label).toHtmlEscaped());
    if (!v.detail.empty())
        tip += QStringLiteral("<br>") + QString::fromStdString(v.detail).toHtmlEscaped();
    if (std::size_t(index) >= m_figures.size())
        return tip;
    const GraphFigures &f = m_figures[std::size_t(index)];
    if (f.layers == 0)
        return tip;
    if (!v.module.empty())
        tip += QStringLiteral("<br>") +
               (f.layers == 1
                    ? tr("1 quantizable layer, %1 channels").arg(f.channels)
                    : tr("%1 quantizable layers, %2 channels").arg(f.layers).arg(f.channels));
    if (f.layers == f.floatLayers)
        return tip + QStringLiteral("<br>") + tr("Kept in float (F)");
    tip += QStringLiteral("<table>");
    const auto row = [&](const QString &name, const QString &value) {
        tip += QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;%2</td></tr>").arg(name, value);
    };
    row(tr("Points per channel"), QString::number(f.meanPoints, 'f', 2));
    row(tr("Relative output error"), formatRelativeError(f.relativeError));
    row(tr("SQNR"), formatSqnr(f.relativeError));
    row(tr("Memory overhead"), formatPercent(f.memoryOverhead()));
    row(tr("MAC overhead"), formatPercent(f.macOverhead()));
    row(tr("One-point error"), formatRelativeError(f.onePointError));
    if (f.floatLayers > 0)
        row(tr("Kept in float"), QString::number(f.floatLayers));
    tip += QStringLiteral("</table>");
    return tip;
}

GraphColourBar::GraphColourBar(GraphView *view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
{
    setMinimumWidth(80);
}

QSize GraphColourBar::sizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 14, 240);
}

void GraphColourBar::paint(QPainter &painter, const QRectF &rect, const GraphView *view,
                           const QPalette &palette, const QFont &font)
{
    painter.save();
    painter.setFont(font);
    const QFontMetricsF fm(font);
    const QString title = quantityTitle(view->quantity());
    painter.setPen(palette.color(QPalette::Text));
    const QRectF titleRect(rect.left(), rect.top(), rect.width(), fm.height() * 2.2);
    painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, title);
    const QRectF bar(rect.left(), titleRect.bottom() + 4, 14,
                     std::max(20.0, rect.height() - titleRect.height() - 8));
    // high values at the top; sampled finely enough to look continuous
    const int steps = 64;
    for (int i = 0; i < steps; ++i) {
        const double t = 1.0 - (i + 0.5) / steps;
        double v = 0.0;
        if (isLogQuantity(view->quantity()))
            v = std::pow(10.0, std::log10(std::max(view->rangeMin(), 1e-300)) +
                                   t * (std::log10(std::max(view->rangeMax(), 1e-300)) -
                                        std::log10(std::max(view->rangeMin(), 1e-300))));
        else
            v = view->rangeMin() + t * (view->rangeMax() - view->rangeMin());
        const QRectF slice(bar.left(), bar.top() + bar.height() * i / steps, bar.width(),
                           bar.height() / steps + 0.6);
        painter.fillRect(slice, view->colourOf(v));
    }
    painter.setPen(palette.color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);
    painter.setPen(palette.color(QPalette::Text));
    const QRectF labels(bar.right() + 4, bar.top(), rect.right() - bar.right() - 4, bar.height());
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop,
                     formatValue(view->quantity(), view->rangeMax()));
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignBottom,
                     formatValue(view->quantity(), view->rangeMin()));
    // kept-float layers: the float colour, never colour alone (a solid outline and "F")
    const QRectF floatBox(rect.left(), bar.bottom() + 8, 14, 10);
    if (floatBox.bottom() < rect.bottom() + fm.height() * 2) {
        painter.setPen(QPen(floatColor(), 2.0));
        painter.drawRoundedRect(floatBox, 2, 2);
        painter.setPen(palette.color(QPalette::Text));
        painter.drawText(QPointF(floatBox.right() + 4, floatBox.bottom()), QObject::tr("F: float"));
    }
    painter.restore();
}

void GraphColourBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    // a bar of a readable height, not the page's whole height
    const QRectF area = QRectF(rect()).adjusted(6, 8, -4, -8);
    paint(painter,
          QRectF(area.topLeft(), QSizeF(area.width(), std::min(area.height() - 30, 320.0))), m_view,
          palette(), font());
}

} // namespace mpq::ui
