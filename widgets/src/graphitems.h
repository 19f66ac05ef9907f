#pragma once
// Private to the Graph page (docs/ui.md "Graph page"): the text and colour helpers and the node
// item that graphview.cpp (the view), graphcolour.cpp (colouring, tooltips, the colour bar) and
// graphpage.cpp (the page and its Graphviz layout) share.
#include "mpqwidgets/graphview.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QPainter>
#include <QPen>
#include <QString>
#include <QStyleOptionGraphicsItem>

namespace mpq::ui {

namespace graph {
/// Node text: what graphNodeWidth() in core sizes the boxes for.
QFont labelFont(const QFont &base);
QFont detailFont(const QFont &base);
bool isLogQuantity(GraphQuantity q);
QColor mix(const QColor &a, const QColor &b, double t);
/// Black or white, whichever reads on `fill`.
QColor textOn(const QColor &fill);
QString quantityTitle(GraphQuantity q);
QString formatValue(GraphQuantity q, double v);
/// The middle of a long module path elided, never its end (docs/ui.md, layer names).
QString elided(const QString &text, const QFont &font, double width);
} // namespace graph

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
        const QFont label = graph::labelFont(font), detail = graph::detailFont(font);
        painter->setPen(text);
        if (m_detail.isEmpty()) {
            painter->setFont(label);
            painter->drawText(inner, Qt::AlignCenter, graph::elided(m_label, label, inner.width()));
            return;
        }
        const QRectF top(inner.left(), inner.top(), inner.width(), inner.height() / 2 + 1);
        const QRectF bottom(inner.left(), inner.center().y(), inner.width(), inner.height() / 2);
        painter->setFont(label);
        painter->drawText(top, Qt::AlignHCenter | Qt::AlignBottom,
                          graph::elided(m_label, label, inner.width()));
        painter->setFont(detail);
        QColor faint = text;
        faint.setAlphaF(0.75f);
        painter->setPen(faint);
        painter->drawText(bottom, Qt::AlignHCenter | Qt::AlignTop,
                          graph::elided(m_detail, detail, inner.width()));
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

} // namespace mpq::ui
