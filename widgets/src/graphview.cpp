#include "mpqwidgets/graphview.h"

#include "mpq/error.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"

#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QSaveFile>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyleOptionGraphicsItem>
#include <QSvgGenerator>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace mpq::ui {

namespace {

// Node text: what graphNodeWidth() in core sizes the boxes for (docs/ui.md "Graph page").
QFont labelFont(const QFont &base)
{
    QFont f(base);
    f.setPixelSize(11);
    f.setBold(true);
    return f;
}

QFont detailFont(const QFont &base)
{
    QFont f(base);
    f.setPixelSize(10);
    return f;
}

bool isLogQuantity(GraphQuantity q)
{
    return q == GraphQuantity::RelativeError || q == GraphQuantity::OnePointError;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor textOn(const QColor &fill)
{
    const double luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return luminance < 0.5 ? QColor(Qt::white) : QColor(Qt::black);
}

QString quantityTitle(GraphQuantity q)
{
    switch (q) {
    case GraphQuantity::Points:
        return QObject::tr("Points per channel");
    case GraphQuantity::RelativeError:
        return QObject::tr("Relative output error");
    case GraphQuantity::Sqnr:
        return QObject::tr("SQNR (dB)");
    case GraphQuantity::MemoryOverhead:
        return QObject::tr("Memory overhead");
    case GraphQuantity::OnePointError:
        return QObject::tr("One-point error");
    }
    return {};
}

QString formatValue(GraphQuantity q, double v)
{
    switch (q) {
    case GraphQuantity::Points:
        return QString::number(v, 'f', 2);
    case GraphQuantity::RelativeError:
    case GraphQuantity::OnePointError:
        return formatRelativeError(v);
    case GraphQuantity::Sqnr:
        return std::isinf(v) ? QObject::tr("inf dB")
                             : QString::number(v, 'f', 1) + QObject::tr(" dB");
    case GraphQuantity::MemoryOverhead:
        return formatPercent(v);
    }
    return {};
}

// The middle of a long module path elided, never its end (docs/ui.md, layer names).
QString elided(const QString &text, const QFont &font, double width)
{
    return QFontMetricsF(font).elidedText(text, Qt::ElideMiddle, width);
}

QString saveBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return path + QStringLiteral(": ") + file.errorString();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return path + QStringLiteral(": ") + file.errorString();
    return {};
}

} // namespace

double GraphFigures::sqnrDb() const
{
    return relativeError > 0.0 ? -10.0 * std::log10(relativeError)
                               : std::numeric_limits<double>::infinity();
}

double GraphFigures::memoryOverhead() const
{
    return weights > 0 && bits > 0 ? double(costBits) / (double(bits) * double(weights)) : 0.0;
}

double GraphFigures::macOverhead() const
{
    return macs > 0 ? double(extraMacs) / double(macs) : 0.0;
}

double GraphFigures::value(GraphQuantity q) const
{
    switch (q) {
    case GraphQuantity::Points:
        return meanPoints;
    case GraphQuantity::RelativeError:
        return relativeError;
    case GraphQuantity::Sqnr:
        return sqnrDb();
    case GraphQuantity::MemoryOverhead:
        return memoryOverhead();
    case GraphQuantity::OnePointError:
        return onePointError;
    }
    return 0.0;
}

// One drawn node: a rounded box with its op label and its name (or a module and its size).
class GraphView::NodeItem : public QGraphicsItem
{
public:
    NodeItem(const QRectF &rect, QString label, QString detail, bool module, bool hasLayers)
        : m_rect(rect)
        , m_label(std::move(label))
        , m_detail(std::move(detail))
        , m_module(module)
        , m_hasLayers(hasLayers)
    {
        setAcceptHoverEvents(true);
    }
    QRectF boundingRect() const override { return m_rect.adjusted(-3, -3, 3, 3); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(brush);
        painter->setPen(pen);
        const double radius = m_module ? 3.0 : 6.0;
        painter->drawRoundedRect(m_rect, radius, radius);
        if (m_module) // a collapsed module: a second outline, like a stack of boxes
            painter->drawRoundedRect(m_rect.adjusted(3, 3, -3, -3), radius, radius);
        if (selected) {
            painter->setBrush(Qt::NoBrush);
            painter->setPen(QPen(highlightColour, 3.0));
            painter->drawRoundedRect(m_rect.adjusted(-1.5, -1.5, 1.5, 1.5), radius + 1, radius + 1);
        }
        // zoomed out until text is unreadable: boxes only, which keeps a whole 700-node
        // graph cheap to repaint
        if (option->levelOfDetailFromTransform(painter->worldTransform()) < 0.35)
            return;
        const QColor text = textColour;
        const QRectF inner = m_rect.adjusted(6, 2, -6, -2);
        const QFont label = labelFont(font), detail = detailFont(font);
        painter->setPen(text);
        if (m_detail.isEmpty()) {
            painter->setFont(label);
            painter->drawText(inner, Qt::AlignCenter, elided(m_label, label, inner.width()));
            return;
        }
        const QRectF top(inner.left(), inner.top(), inner.width(), inner.height() / 2 + 1);
        const QRectF bottom(inner.left(), inner.center().y(), inner.width(), inner.height() / 2);
        painter->setFont(label);
        painter->drawText(top, Qt::AlignHCenter | Qt::AlignBottom,
                          elided(m_label, label, inner.width()));
        painter->setFont(detail);
        QColor faint = text;
        faint.setAlphaF(0.75f);
        painter->setPen(faint);
        painter->drawText(bottom, Qt::AlignHCenter | Qt::AlignTop,
                          elided(m_detail, detail, inner.width()));
    }
    QRectF rect() const { return m_rect; }
    bool hasLayers() const { return m_hasLayers; }
    QString label() const { return m_label; }
    QString detail() const { return m_detail; }
    void setDetail(const QString &detail) { m_detail = detail; }

    QBrush brush;
    QPen pen;
    QColor textColour;
    QColor highlightColour;
    QFont font;
    bool selected = false;

private:
    QRectF m_rect;
    QString m_label, m_detail;
    bool m_module, m_hasLayers;
};

GraphView::GraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    // drawing stays cheap at 300+ nodes: only changed items are repainted
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setFocusPolicy(Qt::StrongFocus);
    setBackgroundBrush(palette().color(QPalette::Base));
}

GraphView::~GraphView() = default;

void GraphView::setGraph(const mpq::ModelGraph &graph)
{
    m_fitPending = true;
    rebuild(graph);
}

void GraphView::rebuild(const mpq::ModelGraph &graph)
{
    m_graph = graph;
    m_visible = mpq::collapseGraph(m_graph, m_collapse);
    scene()->clear();
    m_items.clear();
    m_figures.clear();
    m_hasLayout = false;
    m_selectedNode = -1;
    m_lastFound = -1;
}

void GraphView::setCollapse(const mpq::GraphCollapse &collapse)
{
    m_collapse = collapse;
    const mpq::ModelGraph graph = std::move(m_graph);
    rebuild(graph);
}

bool GraphView::toggleCollapse(int index)
{
    if (index < 0 || index >= int(m_visible.nodes.size()))
        return false;
    const mpq::VisibleNode &node = m_visible.nodes[std::size_t(index)];
    if (!node.module.empty()) {
        m_collapse.collapsed.erase(node.module);
        if (m_collapse.depth > 0)
            m_collapse.expanded.insert(node.module);
    } else {
        const auto &scope = m_graph.nodes[std::size_t(node.members.front())].scope;
        if (scope.empty())
            return false;
        std::string module;
        for (const std::string &part : scope)
            module += (module.empty() ? "" : ".") + part;
        m_collapse.collapsed.insert(module);
        m_collapse.expanded.erase(module);
    }
    setCollapse(m_collapse);
    emit collapseChanged(m_collapse);
    return true;
}

void GraphView::setGraphLayout(const mpq::GraphLayout &layout)
{
    scene()->clear();
    m_items.assign(m_visible.nodes.size(), nullptr);
    const QColor edgeColour = palette().color(QPalette::Text);
    QColor line = edgeColour;
    line.setAlphaF(0.55f);
    // edges first, under the nodes; one path item each (the spline dot computed)
    for (const auto &e : layout.edges) {
        if (e.points.empty())
            continue;
        QPainterPath path(QPointF(e.points[0].x, e.points[0].y));
        for (std::size_t i = 1; i + 2 < e.points.size(); i += 3)
            path.cubicTo(QPointF(e.points[i].x, e.points[i].y),
                         QPointF(e.points[i + 1].x, e.points[i + 1].y),
                         QPointF(e.points[i + 2].x, e.points[i + 2].y));
        auto *item = scene()->addPath(path, QPen(line, 1.2));
        item->setZValue(0);
        if (e.hasArrow) {
            const QPointF end(e.points.back().x, e.points.back().y);
            const QPointF tip(e.arrowTip.x, e.arrowTip.y);
            QLineF axis(tip, end);
            if (axis.length() > 0.01) {
                axis.setLength(7.0);
                QLineF normal = axis.normalVector();
                normal.setLength(3.5);
                const QPointF side = normal.p2() - normal.p1();
                QPolygonF head;
                head << tip << axis.p2() + side << axis.p2() - side;
                auto *arrow = scene()->addPolygon(head, QPen(Qt::NoPen), QBrush(line));
                arrow->setZValue(0);
                scene()->addLine(QLineF(end, axis.p2()), QPen(line, 1.2))->setZValue(0);
            }
        }
    }
    for (const auto &n : layout.nodes) {
        if (n.index < 0 || n.index >= int(m_visible.nodes.size()))
            continue;
        const mpq::VisibleNode &v = m_visible.nodes[std::size_t(n.index)];
        const bool hasLayers = std::any_of(v.members.begin(), v.members.end(), [&](int id) {
            return m_graph.nodes[std::size_t(id)].layer >= 0;
        });
        const QRectF rect(n.centre.x - n.width / 2, n.centre.y - n.height / 2, n.width, n.height);
        auto *item = new NodeItem(rect, QString::fromStdString(v.label),
                                  QString::fromStdString(v.detail), !v.module.empty(), hasLayers);
        item->font = font();
        item->setZValue(1);
        scene()->addItem(item);
        m_items[std::size_t(n.index)] = item;
    }
    scene()->setSceneRect(QRectF(-20, -20, layout.width + 40, layout.height + 40));
    m_hasLayout = true;
    recolour();
    if (m_fitPending) {
        m_fitPending = false;
        fitReadable();
    }
    if (m_pendingCentre >= 0) {
        const int layer = m_pendingCentre;
        m_pendingCentre = -1;
        centreOnLayer(layer);
    } else {
        setSelectedLayers(m_selectedLayers);
    }
}

void GraphView::setFigures(std::shared_ptr<const mpq::Analysis> analysis,
                           std::shared_ptr<const mpq::Allocation> allocation)
{
    m_analysis = std::move(analysis);
    m_allocation = std::move(allocation);
    recolour();
}

void GraphView::setQuantity(GraphQuantity quantity)
{
    m_quantity = quantity;
    recolour();
}

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

void GraphView::highlight(int index)
{
    m_selectedNode = index;
    for (std::size_t i = 0; i < m_items.size(); ++i)
        if (m_items[i] && m_items[i]->selected != (int(i) == index)) {
            m_items[i]->selected = int(i) == index;
            m_items[i]->update();
        }
}

int GraphView::visibleIndexOfLayer(int layer) const
{
    for (std::size_t i = 0; i < m_visible.nodes.size(); ++i)
        for (int id : m_visible.nodes[i].members)
            if (m_graph.nodes[std::size_t(id)].layer == layer)
                return int(i);
    return -1;
}

void GraphView::setSelectedLayers(const QList<int> &layers)
{
    m_selectedLayers = layers;
    if (layers.isEmpty()) {
        m_pendingCentre = -1;
        highlight(-1);
        return;
    }
    // a node clicked here comes back through the window's selection: it stays where it is
    if (m_hasLayout && m_selectedNode >= 0 && visibleIndexOfLayer(layers.front()) == m_selectedNode)
        return;
    centreOnLayer(layers.front());
}

void GraphView::centreOnLayer(int layer)
{
    if (!m_hasLayout) {
        m_pendingCentre = layer;
        return;
    }
    const int index = visibleIndexOfLayer(layer);
    highlight(index);
    if (index >= 0 && m_items[std::size_t(index)])
        centerOn(m_items[std::size_t(index)]);
}

bool GraphView::findNext(const QString &text)
{
    if (text.isEmpty() || m_items.empty())
        return false;
    const int n = int(m_visible.nodes.size());
    for (int step = 1; step <= n; ++step) {
        const int i = (m_lastFound + step) % n;
        if (!m_items[std::size_t(i)])
            continue;
        const mpq::VisibleNode &v = m_visible.nodes[std::size_t(i)];
        bool match = QString::fromStdString(v.label).contains(text, Qt::CaseInsensitive) ||
                     QString::fromStdString(v.detail).contains(text, Qt::CaseInsensitive);
        for (int id : v.members)
            match = match || QString::fromStdString(m_graph.nodes[std::size_t(id)].name)
                                 .contains(text, Qt::CaseInsensitive);
        if (match) {
            m_lastFound = i;
            highlight(i);
            centerOn(m_items[std::size_t(i)]);
            return true;
        }
    }
    return false;
}

void GraphView::fitAll()
{
    if (!scene()->items().isEmpty())
        fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
}

void GraphView::fitReadable()
{
    // the whole graph when its text stays readable, else its top at a readable size
    resetTransform();
    fitAll();
    const double fitted = transform().m11();
    if (fitted > 1.25) {
        resetTransform();
        scale(1.25, 1.25);
        centerOn(sceneRect().center());
    } else if (fitted < 0.6) {
        // the top of the graph, centred on its first node (the input), where reading starts
        resetTransform();
        scale(0.8, 0.8);
        double x = sceneRect().center().x(), top = std::numeric_limits<double>::infinity();
        for (const NodeItem *item : m_items)
            if (item && item->rect().top() < top) {
                top = item->rect().top();
                x = item->rect().center().x();
            }
        centerOn(x, sceneRect().top() + viewport()->height() / 2.0 / 0.8);
    }
}

void GraphView::zoomBy(double factor)
{
    // between a whole 300-node graph and a few nodes filling the view
    const double current = transform().m11();
    const double next = std::clamp(current * factor, 0.02, 8.0);
    scale(next / current, next / current);
}

int GraphView::nodeAt(const QPoint &pos) const
{
    for (QGraphicsItem *item : items(pos)) {
        const auto it = std::find(m_items.begin(), m_items.end(), item);
        if (it != m_items.end())
            return int(it - m_items.begin());
    }
    return -1;
}

QBrush GraphView::nodeBrush(int index) const
{
    return index >= 0 && std::size_t(index) < m_items.size() && m_items[std::size_t(index)]
               ? m_items[std::size_t(index)]->brush
               : QBrush();
}

QPointF GraphView::nodeCentre(int index) const
{
    return index >= 0 && std::size_t(index) < m_items.size() && m_items[std::size_t(index)]
               ? m_items[std::size_t(index)]->rect().center()
               : QPointF();
}

QString GraphView::nodeToolTip(int index) const
{
    return index >= 0 && std::size_t(index) < m_items.size() && m_items[std::size_t(index)]
               ? m_items[std::size_t(index)]->toolTip()
               : QString();
}

QString GraphView::nodeDetail(int index) const
{
    return index >= 0 && std::size_t(index) < m_items.size() && m_items[std::size_t(index)]
               ? m_items[std::size_t(index)]->detail()
               : QString();
}

GraphFigures GraphView::nodeFigures(int index) const
{
    return index >= 0 && std::size_t(index) < m_figures.size() ? m_figures[std::size_t(index)]
                                                               : GraphFigures();
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0)
        zoomBy(std::pow(1.2, steps));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8);
        return;
    case Qt::Key_F:
    case Qt::Key_0:
        fitAll();
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void GraphView::mousePressEvent(QMouseEvent *event)
{
    const int index = event->button() == Qt::LeftButton ? nodeAt(event->pos()) : -1;
    if (index < 0) {
        QGraphicsView::mousePressEvent(event); // pan by dragging the background
        return;
    }
    highlight(index);
    QList<int> layers;
    for (int id : m_visible.nodes[std::size_t(index)].members) {
        const int layer = m_graph.nodes[std::size_t(id)].layer;
        if (layer >= 0 && !layers.contains(layer))
            layers << layer;
    }
    if (!layers.isEmpty()) {
        m_selectedLayers = layers;
        emit layersChosen(layers);
    }
    event->accept();
}

void GraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int index = nodeAt(event->pos());
    if (index >= 0 && toggleCollapse(index)) {
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        setBackgroundBrush(palette().color(QPalette::Base));
        recolour();
    }
}

QString GraphView::exportGraph(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QRectF source = scene()->sceneRect();
    const double barWidth = 90.0;
    const QSizeF size(source.width() + barWidth, std::max(source.height(), 240.0));
    const auto draw = [&](QPainter &painter, double scale) {
        painter.scale(scale, scale);
        painter.fillRect(QRectF(QPointF(0, 0), size), palette().color(QPalette::Base));
        scene()->render(&painter, QRectF(0, 0, source.width(), source.height()), source);
        GraphColourBar::paint(painter, QRectF(source.width() + 10, 20, barWidth - 20, 200), this,
                              palette(), font());
    };
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setTitle(QFileInfo(path).completeBaseName());
        QPainter painter;
        if (!painter.begin(&svg))
            return path + tr(": cannot draw the SVG");
        draw(painter, 1.0);
        painter.end();
    } else if (suffix == QLatin1String("png")) {
        QImage image((size * 2.0).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(palette().color(QPalette::Base));
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        draw(painter, 2.0);
        painter.end();
        if (!image.save(&buffer, "PNG"))
            return path + tr(": cannot render the graph");
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(&buffer);
        pdf.setTitle(QFileInfo(path).completeBaseName());
        pdf.setResolution(72);
        pdf.setPageSize(QPageSize(size, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter;
        if (!painter.begin(&pdf))
            return path + tr(": cannot draw the PDF");
        draw(painter, 1.0);
        painter.end();
    } else {
        return path + tr(": choose a .png, .svg or .pdf file name");
    }
    return saveBytes(path, buffer.data());
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

GraphPage::GraphPage(QWidget *parent)
    : QWidget(parent)
    , m_view(new GraphView(this))
    , m_bar(new GraphColourBar(m_view, this))
    , m_stack(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_quantity(new QComboBox(this))
    , m_depth(new QSpinBox(this))
    , m_search(new QLineEdit(this))
{
    m_quantity->addItem(tr("Points per channel"), int(GraphQuantity::Points));
    m_quantity->addItem(tr("Relative output error"), int(GraphQuantity::RelativeError));
    m_quantity->addItem(tr("SQNR"), int(GraphQuantity::Sqnr));
    m_quantity->addItem(tr("Memory overhead"), int(GraphQuantity::MemoryOverhead));
    m_quantity->addItem(tr("One-point error"), int(GraphQuantity::OnePointError));
    m_quantity->setToolTip(tr("What colours the quantizable layers"));
    m_depth->setRange(0, 8);
    m_depth->setSpecialValueText(tr("none"));
    m_depth->setToolTip(tr("Draw every module this deep as one node (double-click a node to "
                           "collapse or expand its module)"));
    m_search->setPlaceholderText(tr("Find a layer (Enter: next)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(fontMetrics().averageCharWidth() * 32);
    const auto button = [this](const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    QToolButton *zoomIn = button(QStringLiteral("+"), tr("Zoom in (+)"));
    QToolButton *zoomOut = button(QStringLiteral("−"), tr("Zoom out (-)"));
    QToolButton *fit = button(tr("Fit"), tr("Show the whole graph (F)"));
    QToolButton *exportButton = button(tr("Export…"), tr("Save the graph as PNG, SVG or PDF"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 2);
    bar->addWidget(new QLabel(tr("Colour by:"), this));
    bar->addWidget(m_quantity);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Collapse modules:"), this));
    bar->addWidget(m_depth);
    bar->addSpacing(12);
    bar->addWidget(m_search);
    bar->addStretch(1);
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);
    bar->addWidget(fit);
    bar->addWidget(exportButton);

    auto *graphArea = new QWidget(this);
    auto *graphLayout = new QHBoxLayout(graphArea);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    graphLayout->setSpacing(0);
    graphLayout->addWidget(m_view, 1);
    graphLayout->addWidget(m_bar);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);
    m_stack->addWidget(graphArea);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    showMessage(tr("No model."));

    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] {
        m_view->setQuantity(GraphQuantity(m_quantity->currentData().toInt()));
        m_bar->update();
    });
    connect(m_depth, &QSpinBox::valueChanged, this, [this](int depth) {
        mpq::GraphCollapse collapse;
        collapse.depth = depth;
        m_view->setCollapse(collapse);
        startLayout();
    });
    connect(m_view, &GraphView::collapseChanged, this, [this] { startLayout(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const bool found = m_view->findNext(m_search->text());
        QPalette p = m_search->palette();
        p.setColor(QPalette::Text,
                   found ? palette().color(QPalette::Text) : QColor(0xD5, 0x5E, 0x00));
        m_search->setPalette(p);
        if (found) {
            const int node = m_view->selectedNode();
            QList<int> layers;
            for (int id : m_view->visibleGraph().nodes[std::size_t(node)].members)
                if (const int layer = m_view->graph().nodes[std::size_t(id)].layer; layer >= 0)
                    layers << layer;
            if (!layers.isEmpty())
                emit layersChosen(layers);
        }
    });
    connect(zoomIn, &QToolButton::clicked, this, [this] { m_view->zoomBy(1.25); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { m_view->zoomBy(0.8); });
    connect(fit, &QToolButton::clicked, m_view, &GraphView::fitAll);
    connect(exportButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export graph"), QStringLiteral("graph.png"),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        if (path.isEmpty())
            return;
        const QString error = m_view->exportGraph(path);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export graph"), error);
    });
    connect(m_view, &GraphView::layersChosen, this, &GraphPage::layersChosen);
}

GraphPage::~GraphPage()
{
    if (m_dot) {
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->waitForFinished(1000);
    }
}

void GraphPage::setDotProgram(const QString &program)
{
    m_dotProgram = program;
}

void GraphPage::setGraph(const mpq::ModelGraph &graph)
{
    mpq::GraphCollapse collapse;
    collapse.depth = m_depth->value();
    m_view->setGraph(graph);
    m_view->setCollapse(collapse);
    m_hasGraph = true;
    startLayout();
}

void GraphPage::clearGraph(const QString &message)
{
    if (m_dot) {
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->deleteLater();
    }
    m_hasGraph = false;
    m_view->setGraph({});
    showMessage(message);
}

void GraphPage::setFigures(std::shared_ptr<const mpq::Analysis> analysis,
                           std::shared_ptr<const mpq::Allocation> allocation)
{
    m_view->setFigures(std::move(analysis), std::move(allocation));
    m_bar->update();
}

bool GraphPage::isLayingOut() const
{
    return m_dot != nullptr;
}

QString GraphPage::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void GraphPage::showMessage(const QString &message)
{
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

void GraphPage::startLayout()
{
    if (m_dot) { // a newer graph or collapse supersedes the running layout
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->deleteLater();
    }
    if (!m_hasGraph)
        return;
    const QString program = m_dotProgram.isEmpty()
                                ? QStandardPaths::findExecutable(QStringLiteral("dot"))
                                : m_dotProgram;
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        showMessage(tr("The Graph page needs Graphviz's dot program to lay out the graph, and it "
                       "was not found.\n\nInstall Graphviz (on Debian or Ubuntu: sudo apt install "
                       "graphviz), then open the model again."));
        emit layoutFinished(false);
        return;
    }
    if (!m_view->hasLayout())
        showMessage(tr("Laying out the graph…"));
    m_layoutClock.start();
    auto *dot = new QProcess(this);
    m_dot = dot;
    connect(dot, &QProcess::finished, this, &GraphPage::onDotFinished);
    connect(dot, &QProcess::errorOccurred, this, [this, dot](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || dot != m_dot)
            return;
        showMessage(tr("Graphviz's dot could not be started (%1).").arg(dot->errorString()));
        dot->deleteLater();
        emit layoutFinished(false);
    });
    dot->start(program, {QStringLiteral("-Tjson")});
    dot->write(QByteArray::fromStdString(mpq::toDot(m_view->visibleGraph())));
    dot->closeWriteChannel();
}

void GraphPage::onDotFinished()
{
    QProcess *dot = m_dot;
    if (!dot)
        return;
    dot->deleteLater();
    m_dot = nullptr;
    const QByteArray out = dot->readAllStandardOutput();
    const QString errors = QString::fromLocal8Bit(dot->readAllStandardError()).trimmed();
    if (dot->exitStatus() != QProcess::NormalExit || dot->exitCode() != 0) {
        showMessage(tr("Graphviz's dot could not lay out the graph (exit code %1):\n\n%2")
                        .arg(dot->exitCode())
                        .arg(errors.isEmpty() ? tr("no message") : errors));
        emit layoutFinished(false);
        return;
    }
    try {
        m_view->setGraphLayout(mpq::parseDotJson(out.toStdString()));
    } catch (const mpq::Error &e) {
        showMessage(tr("Graphviz's dot gave a layout that cannot be read: %1")
                        .arg(QString::fromStdString(e.what())));
        emit layoutFinished(false);
        return;
    }
    m_stack->setCurrentIndex(1);
    m_bar->update();
    m_lastLayoutSeconds = double(m_layoutClock.nsecsElapsed()) * 1e-9;
    emit layoutFinished(true);
}

} // namespace mpq::ui
