#pragma once
// The Graph page (issue 15, docs/ui.md "Graph page"): the model's graph laid out by Graphviz's
// dot program (a subprocess, `dot -Tjson`; never linked) and drawn with Qt's graphics view;
// quantizable layers coloured by a chosen quantity, hover figures, selection, collapsible
// modules, zoom, pan, fit, search and export.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/graph.h"

#include <QElapsedTimer>
#include <QGraphicsView>
#include <QList>
#include <QPointer>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProcess;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace mpq::ui {

/// What the quantizable layers are coloured by.
enum class GraphQuantity { Points, RelativeError, Sqnr, MemoryOverhead, OnePointError };

/// A node's figures: one layer's, or a collapsed module's aggregate (mean points weighted by
/// channels; relative and one-point errors summed, as the allocation's total error sums them;
/// SQNR of the summed error; costs summed, overheads of the sums).
struct GraphFigures
{
    int layers = 0; ///< quantizable layers in it (0: nothing to colour)
    int floatLayers = 0;
    std::int64_t channels = 0;
    double meanPoints = 0.0;
    double relativeError = 0.0;
    double onePointError = 0.0;
    std::int64_t weights = 0, costBits = 0, macs = 0, extraMacs = 0;
    int bits = 0; ///< reference bits of the allocation
    double sqnrDb() const;
    double memoryOverhead() const;
    double macOverhead() const;
    /// The value of `q` (SQNR in dB, overheads as fractions).
    double value(GraphQuantity q) const;
};

/// The graph itself: a QGraphicsView over the laid-out scene.
class GraphView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit GraphView(QWidget *parent = nullptr);
    ~GraphView() override;

    /// A new graph: forgets the layout (and the collapse) until setGraphLayout().
    void setGraph(const mpq::ModelGraph &graph);
    const mpq::ModelGraph &graph() const { return m_graph; }
    void setCollapse(const mpq::GraphCollapse &collapse);
    const mpq::GraphCollapse &collapse() const { return m_collapse; }
    /// The nodes as drawn under the current collapse (the DOT's "v<i>" is index i).
    const mpq::VisibleGraph &visibleGraph() const { return m_visible; }
    /// The layout dot made for visibleGraph(): builds the scene.
    void setGraphLayout(const mpq::GraphLayout &layout);
    bool hasLayout() const { return m_hasLayout; }

    /// The figures behind the colours and tooltips; recolours without a new layout.
    void setFigures(std::shared_ptr<const mpq::Analysis> analysis,
                    std::shared_ptr<const mpq::Allocation> allocation);
    void setQuantity(GraphQuantity quantity);
    GraphQuantity quantity() const { return m_quantity; }
    /// The colour map's range for the current quantity (over the drawn nodes).
    double rangeMin() const { return m_min; }
    double rangeMax() const { return m_max; }
    /// The colour of value `v` under the current quantity and range.
    QColor colourOf(double v) const;

    /// Highlights the layers' nodes and centres the first one (a pending centre is kept until
    /// the layout arrives).
    void setSelectedLayers(const QList<int> &layers);
    void centreOnLayer(int layer);
    /// Centres the next node (after the last found) whose text contains `text`; false if none.
    bool findNext(const QString &text);
    void fitAll();
    /// The whole graph if its text stays readable, else its top at a readable zoom (what a new
    /// graph opens with).
    void fitReadable();
    void zoomBy(double factor);
    /// Collapses the module of visible node `index` (a single node: its innermost module), or
    /// expands it when it is collapsed; emits collapseChanged. False when there is no module.
    bool toggleCollapse(int index);

    /// Writes the graph and its colour bar to .svg, .png (twice the scene's size) or .pdf,
    /// atomically. Returns "" or "<path>: <reason>".
    QString exportGraph(const QString &path) const;

    // For tests and the page: the visible node holding `layer` (or -1), its fill and centre,
    // its tooltip and figures.
    int visibleIndexOfLayer(int layer) const;
    QBrush nodeBrush(int index) const;
    QPointF nodeCentre(int index) const;
    QString nodeToolTip(int index) const;
    QString nodeDetail(int index) const; ///< the second line as drawn
    GraphFigures nodeFigures(int index) const;
    int selectedNode() const { return m_selectedNode; }

signals:
    /// The user clicked a node with quantizable layers.
    void layersChosen(const QList<int> &layers);
    /// A double-click changed the collapse: the page lays the graph out again.
    void collapseChanged(const mpq::GraphCollapse &collapse);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    class NodeItem;
    void rebuild(const mpq::ModelGraph &graph);
    int nodeAt(const QPoint &pos) const;
    void recolour();
    void highlight(int index);
    QString toolTipFor(int index) const;

    mpq::ModelGraph m_graph;
    mpq::GraphCollapse m_collapse;
    mpq::VisibleGraph m_visible;
    bool m_hasLayout = false;
    bool m_fitPending = false;
    std::vector<NodeItem *> m_items; ///< by visible index (owned by the scene)
    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::shared_ptr<const mpq::Allocation> m_allocation;
    std::vector<GraphFigures> m_figures; ///< by visible index
    GraphQuantity m_quantity = GraphQuantity::Points;
    double m_min = 0.0, m_max = 1.0;
    int m_maxPoints = 1;
    QList<int> m_selectedLayers;
    int m_selectedNode = -1;
    int m_pendingCentre = -1;
    int m_lastFound = -1;
};

/// The colour bar beside the graph: the current quantity's colour map and range.
class GraphColourBar : public QWidget
{
    Q_OBJECT
public:
    explicit GraphColourBar(GraphView *view, QWidget *parent = nullptr);
    QSize sizeHint() const override;
    /// Paints the bar into `rect` (also used by the export).
    static void paint(QPainter &painter, const QRectF &rect, const GraphView *view,
                      const QPalette &palette, const QFont &font);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    GraphView *m_view;
};

/// The page: a tool bar (quantity, collapse depth, search, zoom, fit, export), the view and
/// its colour bar, or a message (dot missing, dot failed, nothing to draw).
class GraphPage : public QWidget
{
    Q_OBJECT
public:
    explicit GraphPage(QWidget *parent = nullptr);
    ~GraphPage() override;

    GraphView *view() const { return m_view; }
    /// The dot executable; empty (the default) looks for "dot" on the PATH.
    void setDotProgram(const QString &program);
    /// A new graph: laid out in the background (the previous layout request is dropped).
    void setGraph(const mpq::ModelGraph &graph);
    void clearGraph(const QString &message);
    void setFigures(std::shared_ptr<const mpq::Analysis> analysis,
                    std::shared_ptr<const mpq::Allocation> allocation);
    bool isLayingOut() const;
    /// The message shown instead of the graph, or "" while the graph is shown.
    QString message() const;
    /// Wall time of the last finished layout (dot, parsing, scene), in seconds.
    double lastLayoutSeconds() const { return m_lastLayoutSeconds; }

signals:
    void layersChosen(const QList<int> &layers);
    /// A layout finished: ok, or the message says why not.
    void layoutFinished(bool ok);

private:
    void startLayout();
    void showMessage(const QString &message);
    void onDotFinished();

    GraphView *m_view;
    GraphColourBar *m_bar;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QComboBox *m_quantity;
    QSpinBox *m_depth;
    QLineEdit *m_search;
    QString m_dotProgram;
    QPointer<QProcess> m_dot;
    QElapsedTimer m_layoutClock;
    double m_lastLayoutSeconds = 0.0;
    bool m_hasGraph = false;
};

} // namespace mpq::ui
