// The Graph page in the window (issue 15), offscreen: its empty state, the tab and Ctrl+6, a
// layout when the page is shown for a new model, colours from the document's allocation, and
// selection both ways through WorkspaceTabs.
#include "mainwindow.h"
#include "modeldocument.h"
#include "workspacetabs.h"

#include "emptystatestack.h"
#include "mpq/model.h"
#include "mpqwidgets/graphview.h"
#include "syntheticanalysis.h"

#include <QAction>
#include <QSignalSpy>
#include <QtTest>

using mpq::studio::ModelDocument;
using mpq::studio::WorkspaceTabs;

class TestGraphPage : public QObject
{
    Q_OBJECT
private slots:
    void tabAndShortcut()
    {
        mpq::studio::MainWindow window;
        WorkspaceTabs *tabs = window.workspace();
        QCOMPARE(tabs->count(), int(WorkspaceTabs::PageCount));
        QCOMPARE(tabs->tabText(WorkspaceTabs::Graph), QStringLiteral("Graph"));
        QVERIFY(tabs->tabToolTip(WorkspaceTabs::Graph).contains(QStringLiteral("Ctrl+6")));
        QAction *action = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_6)))
                action = a;
        QVERIFY(action);
        action->trigger();
        QCOMPARE(tabs->currentIndex(), int(WorkspaceTabs::Graph));
        // no model: the page says what to do
        QVERIFY(!tabs->graphPageStack()->isShowingContent());
        QVERIFY(tabs->graphPageStack()->emptyMessage().contains(QStringLiteral("Open a model")));
    }

    void layoutColoursAndSelection()
    {
        ModelDocument document;
        WorkspaceTabs tabs(&document);
        tabs.resize(900, 600);
        auto model = std::make_shared<const mpq::Model>(
            mpq::Model::load(MPQ_TEST_DATA_DIR "/onnx/residual.pt"));
        mpq::ui::GraphPage *page = tabs.graphPage();
        QSignalSpy laidOut(page, &mpq::ui::GraphPage::layoutFinished);
        document.setModel(model, {}, QStringLiteral("residual.pt"), 1);
        // hidden: no layout yet
        QCOMPARE(laidOut.count(), 0);
        QVERIFY(!page->isLayingOut());
        tabs.setCurrentIndex(WorkspaceTabs::Graph);
        QVERIFY(tabs.graphPageStack()->isShowingContent());
        QVERIFY(laidOut.wait(30000));
        QCOMPARE(laidOut.first().first().toBool(), true);
        mpq::ui::GraphView *view = page->view();
        QCOMPARE(int(view->visibleGraph().nodes.size()), 16);

        // an analysis of its five layers: the layer nodes take colours, without a new layout
        std::vector<mpqtest::SyntheticLayer> layers;
        for (const mpq::LayerInfo &l : model->layers())
            layers.push_back({l.name, l.kind, l.outChannels, l.weightShape[1], l.weightShape[2]});
        document.setAnalysis(mpqtest::makeAnalysis(layers, 4, 4).analysis);
        QVERIFY(document.allocation());
        QCOMPARE(laidOut.count(), 1);
        QVERIFY(!page->isLayingOut());
        const int stem = view->visibleIndexOfLayer(0);
        const double points = view->nodeFigures(stem).meanPoints;
        QVERIFY(points >= 1.0);
        QCOMPARE(view->nodeBrush(stem).color().rgb(), view->colourOf(points).rgb());

        // selecting in the table centres the node; clicking a node chooses its layer
        tabs.setSelectedLayers({4});
        QCOMPARE(view->selectedNode(), view->visibleIndexOfLayer(4));
        QSignalSpy chosen(&tabs, &WorkspaceTabs::layersChosen);
        const int down = view->visibleIndexOfLayer(3);
        view->centerOn(view->nodeCentre(down));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->mapFromScene(view->nodeCentre(down)));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().value<QList<int>>(), QList<int>{3});
    }
};

QTEST_MAIN(TestGraphPage)
#include "tst_graphpage.moc"
