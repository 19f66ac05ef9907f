// The graph view: nodes, edges, selection, zoom and export (docs/ui.md "Graph page").
#include "graphitems.h"

#include "mpqwidgets/figureexport.h"

#include <QBuffer>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpq::ui {

using namespace graph;

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

} // namespace mpq::ui
