// The Graph page's widgets (issue 15): a constructed graph laid out by the real dot, colours
// that follow the chosen quantity and the allocation, selection both ways, collapsed modules'
// aggregates, search, export, and the messages for a missing or failing dot.

#include "mpq/allocation.h"
#include "mpq/graph.h"
#include "mpqwidgets/graphview.h"
#include "mpqwidgets/palette.h"
#include "syntheticanalysis.h"

#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using mpq::GraphNodeKind;
using mpq::ui::GraphPage;
using mpq::ui::GraphQuantity;
using mpq::ui::GraphView;

namespace {

mpq::GraphNode node(int id, GraphNodeKind kind, const std::string &op, const std::string &name,
                    int layer, std::vector<std::string> scope)
{
    mpq::GraphNode n;
    n.id = id;
    n.kind = kind;
    n.op = op;
    n.label = op;
    n.name = name;
    n.layer = layer;
    n.scope = std::move(scope);
    return n;
}

// Input -> block.a (layer 0) -> ReLU (block) -> block.b (layer 1) -> Add(block.a, block.b) ->
// head (layer 2) -> Output; a chain long enough to scroll in a small view.
mpq::ModelGraph makeGraph()
{
    mpq::ModelGraph g;
    g.nodes = {node(0, GraphNodeKind::Input, "Input", "x", -1, {}),
               node(1, GraphNodeKind::Conv, "Conv 3×3 3→8", "block.a", 0, {"block"}),
               node(2, GraphNodeKind::Activation, "ReLU", "block", -1, {"block"}),
               node(3, GraphNodeKind::Conv, "Conv 3×3 8→16", "block.b", 1, {"block"}),
               node(4, GraphNodeKind::Add, "Add", "", -1, {}),
               node(5, GraphNodeKind::Conv, "Conv 3×3 16→4", "head", 2, {}),
               node(6, GraphNodeKind::Output, "Output", "", -1, {})};
    g.edges = {{0, 1}, {1, 2}, {2, 3}, {1, 4}, {3, 4}, {4, 5}, {5, 6}};
    return g;
}

struct Figures
{
    std::shared_ptr<const mpq::Analysis> analysis;
    std::shared_ptr<const mpq::Allocation> allocation;
};

// block.a pinned at 1 point, block.b at 4, head at 2.
Figures makeFigures(int pointsB = 4)
{
    Figures f;
    f.analysis = mpqtest::makeAnalysis({{"block.a", mpq::LayerKind::Conv2d, 8, 3, 3},
                                        {"block.b", mpq::LayerKind::Conv2d, 16, 8, 3},
                                        {"head", mpq::LayerKind::Conv2d, 4, 16, 3}},
                                       4, 4)
                     .analysis;
    mpq::AllocationSettings settings;
    settings.bits = 4;
    settings.overrides["block.a"] = {mpq::LayerOverride::Kind::Points, 1, 0};
    settings.overrides["block.b"] = {mpq::LayerOverride::Kind::Points, pointsB, 0};
    settings.overrides["head"] = {mpq::LayerOverride::Kind::Points, 2, 0};
    f.allocation =
        std::make_shared<const mpq::Allocation>(mpq::allocate(f.analysis->curves, settings));
    return f;
}

bool waitForLayout(GraphPage &page)
{
    QSignalSpy done(&page, &GraphPage::layoutFinished);
    return done.wait(30000) && done.first().first().toBool();
}

bool sameColour(const QColor &a, const QColor &b)
{
    return a.rgb() == b.rgb();
}

} // namespace

class TestGraphView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("dot")).isEmpty())
            QFAIL("Graphviz's dot is missing: packaging/install-deps.sh installs graphviz");
    }

    void coloursFollowTheQuantity()
    {
        GraphPage page;
        page.resize(900, 700);
        page.setGraph(makeGraph());
        QVERIFY(waitForLayout(page));
        QVERIFY(page.message().isEmpty());
        GraphView *view = page.view();
        QCOMPARE(int(view->visibleGraph().nodes.size()), 7);
        const int a = view->visibleIndexOfLayer(0), b = view->visibleIndexOfLayer(1), relu = 2;
        const QColor neutral = view->nodeBrush(relu).color();
        // before any analysis a layer is drawn like any other node
        QVERIFY(sameColour(view->nodeBrush(a).color(), neutral));

        const Figures f = makeFigures();
        page.setFigures(f.analysis, f.allocation);
        QVERIFY(!page.isLayingOut()); // colours only, no new layout
        // points: block.b (4 of 4) has the dark end of the points ramp, block.a (1) the light one
        QCOMPARE(view->nodeFigures(b).meanPoints, 4.0);
        QVERIFY(sameColour(view->nodeBrush(b).color(), mpq::ui::pointsColor(4, 4)));
        QVERIFY(sameColour(view->nodeBrush(a).color(), mpq::ui::pointsColor(1, 4)));
        QVERIFY(sameColour(view->nodeBrush(relu).color(), neutral));

        // relative error: the colour of each layer's own error on the map
        view->setQuantity(GraphQuantity::RelativeError);
        const double errorA = f.allocation->layers[0].relativeError;
        const double errorB = f.allocation->layers[1].relativeError;
        QVERIFY(errorA > errorB); // one point against four
        QCOMPARE(view->rangeMax(),
                 std::max({errorA, errorB, f.allocation->layers[2].relativeError}));
        QVERIFY(sameColour(view->nodeBrush(a).color(), view->colourOf(errorA)));
        QVERIFY(sameColour(view->nodeBrush(b).color(), view->colourOf(errorB)));
        QVERIFY(!sameColour(view->nodeBrush(a).color(), view->nodeBrush(b).color()));

        // one-point error: the curves at n = 1, whatever the allocation
        view->setQuantity(GraphQuantity::OnePointError);
        QCOMPARE(view->nodeFigures(b).onePointError,
                 mpq::layerRelativeError(f.analysis->curves[1], 1));

        // a new allocation recolours: block.b at 1 point takes the light end
        view->setQuantity(GraphQuantity::Points);
        const Figures g = makeFigures(1);
        page.setFigures(g.analysis, g.allocation);
        QVERIFY(sameColour(view->nodeBrush(b).color(), mpq::ui::pointsColor(1, 4)));
        // the tooltip gives the figures
        const QString tip = view->nodeToolTip(a);
        QVERIFY(tip.contains(QStringLiteral("Points per channel")));
        QVERIFY(tip.contains(QStringLiteral("SQNR")));
        QVERIFY(tip.contains(QStringLiteral("One-point error")));
    }

    void selectionBothWays()
    {
        GraphPage page;
        page.resize(260, 160); // smaller than the graph: centring scrolls
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setGraph(makeGraph());
        QVERIFY(waitForLayout(page));
        const Figures f = makeFigures();
        page.setFigures(f.analysis, f.allocation);
        GraphView *view = page.view();
        view->resetTransform();

        // setSelectedLayers centres the first layer's node (the chain is taller than the view;
        // narrower, so only its vertical position can follow)
        const auto centred = [view](int index) {
            const QPointF centre = view->mapToScene(view->viewport()->rect().center());
            const QRect node =
                view->mapFromScene(QRectF(view->nodeCentre(index), QSizeF(1, 1))).boundingRect();
            return std::abs(centre.y() - view->nodeCentre(index).y()) < 3.0 &&
                   view->viewport()->rect().contains(node);
        };
        view->setSelectedLayers({2});
        const int head = view->visibleIndexOfLayer(2);
        QCOMPARE(view->selectedNode(), head);
        QVERIFY(centred(head));
        view->setSelectedLayers({0});
        const int a = view->visibleIndexOfLayer(0);
        QVERIFY(!centred(head));
        QVERIFY(centred(a));

        // a click on a node chooses its layer
        QSignalSpy chosen(&page, &GraphPage::layersChosen);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->mapFromScene(view->nodeCentre(a)));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().value<QList<int>>(), QList<int>{0});
        // a click on a node without layers chooses nothing
        view->centerOn(view->nodeCentre(2));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->mapFromScene(view->nodeCentre(2)));
        QCOMPARE(chosen.count(), 1);

        // search: Enter centres the next match
        QVERIFY(view->findNext(QStringLiteral("HEAD")));
        QCOMPARE(view->selectedNode(), head);
        QVERIFY(!view->findNext(QStringLiteral("no such layer")));
    }

    void collapsedModulesAggregate()
    {
        GraphPage page;
        page.setGraph(makeGraph());
        QVERIFY(waitForLayout(page));
        const Figures f = makeFigures();
        page.setFigures(f.analysis, f.allocation);
        GraphView *view = page.view();
        // double-clicking block.a collapses its module "block"
        QSignalSpy laidOut(&page, &GraphPage::layoutFinished);
        QVERIFY(view->toggleCollapse(view->visibleIndexOfLayer(0)));
        QVERIFY(laidOut.wait(30000));
        QCOMPARE(int(view->visibleGraph().nodes.size()), 5);
        const int block = view->visibleIndexOfLayer(0);
        QCOMPARE(view->visibleIndexOfLayer(1), block);
        const auto &a = f.allocation->layers[0], &b = f.allocation->layers[1];
        const mpq::ui::GraphFigures agg = view->nodeFigures(block);
        QCOMPARE(agg.layers, 2);
        QCOMPARE(agg.channels, std::int64_t(8 + 16));
        // mean points weighted by channels: (1 * 8 + 4 * 16) / 24 = 3
        QCOMPARE(agg.meanPoints, 3.0);
        QCOMPARE(agg.costBits, a.costBits + b.costBits);
        QCOMPARE(agg.extraMacs, a.extraMacs + b.extraMacs);
        QCOMPARE(agg.relativeError, a.relativeError + b.relativeError);
        QVERIFY(sameColour(view->nodeBrush(block).color(), view->colourOf(3.0)));
        QVERIFY(view->nodeToolTip(block).contains(QStringLiteral("2 quantizable layers")));
        QCOMPARE(view->nodeDetail(block), QStringLiteral("3 operations · 3.00 points"));
        // and double-clicking it again expands it
        QVERIFY(view->toggleCollapse(block));
        QVERIFY(laidOut.wait(30000));
        QCOMPARE(int(view->visibleGraph().nodes.size()), 7);
        // a node outside any module cannot collapse
        QVERIFY(!view->toggleCollapse(view->visibleIndexOfLayer(2)));
    }

    void exportFormats()
    {
        GraphPage page;
        page.setGraph(makeGraph());
        QVERIFY(waitForLayout(page));
        const Figures f = makeFigures();
        page.setFigures(f.analysis, f.allocation);
        QTemporaryDir dir;
        for (const char *suffix : {"svg", "png", "pdf"}) {
            const QString path = dir.filePath(QStringLiteral("graph.") + QLatin1String(suffix));
            QCOMPARE(page.view()->exportGraph(path), QString());
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray head = file.read(512);
            if (QLatin1String(suffix) == QLatin1String("svg"))
                QVERIFY(head.contains("<svg"));
            else if (QLatin1String(suffix) == QLatin1String("pdf"))
                QVERIFY(head.startsWith("%PDF"));
        }
        const QImage png(dir.filePath(QStringLiteral("graph.png")));
        QVERIFY(png.width() > 2 * page.view()->scene()->sceneRect().width());
        QVERIFY(page.view()
                    ->exportGraph(dir.filePath(QStringLiteral("graph.bmp")))
                    .contains(QStringLiteral(".png, .svg or .pdf")));
    }

    void missingDot()
    {
        GraphPage page;
        page.setDotProgram(QStringLiteral("/nonexistent/bin/dot"));
        QSignalSpy done(&page, &GraphPage::layoutFinished);
        page.setGraph(makeGraph());
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.first().first().toBool(), false);
        QVERIFY(page.message().contains(QStringLiteral("sudo apt install graphviz")));
        QVERIFY(!page.view()->hasLayout());
    }

    void failingDotShowsItsMessage()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("dot"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "#!/bin/sh\ncat > /dev/null\necho 'Error: syntax error in line 3' >&2\nexit 1\n");
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        GraphPage page;
        page.setDotProgram(script);
        page.setGraph(makeGraph());
        QSignalSpy done(&page, &GraphPage::layoutFinished);
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().first().toBool(), false);
        QVERIFY(page.message().contains(QStringLiteral("syntax error in line 3")));
    }
};

QTEST_MAIN(TestGraphView)
#include "tst_graphview.moc"
