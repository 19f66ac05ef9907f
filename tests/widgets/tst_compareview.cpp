// The Compare page's widgets (issue 14): the sweep's table model, one curve per method in its
// colour and marker kept in budget order on either axis, the single comparison against memory or
// MAC overhead, and each mode's own caption, stale marking, progress and buttons.
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/numberformat.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <qcustomplot.h>

using mpq::ui::CompareView;
using mpq::ui::MethodFigures;

namespace {

MethodFigures point(const char *method, double budget, double memory, double macs, double metric)
{
    MethodFigures f;
    f.method = method;
    f.budget = budget;
    f.memoryOverhead = memory;
    f.macOverhead = macs;
    f.effectiveBits = 3.0 + memory * 3.0;
    f.metric = metric;
    f.reference = 0.9;
    return f;
}

/// Two budgets of multipoint (its MACs fall from the first to the second, as they can), one of
/// OCS, RTN once.
std::vector<MethodFigures> sweepPoints()
{
    return {point("multipoint", 0.05, 0.049, 0.30, 0.80), point("ocs", 0.05, 0.05, 0.02, 0.70),
            point("multipoint", 0.20, 0.198, 0.10, 0.88), point("ocs", 0.20, 0.20, 0.08, 0.75),
            point("rtn", -1.0, 0.0, 0.0, 0.60)};
}

QCPCurve *curveNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto *c = qobject_cast<QCPCurve *>(plot->plottable(i)); c && c->name() == name)
            return c;
    return nullptr;
}

} // namespace

class TestCompareView : public QObject
{
    Q_OBJECT
private slots:
    void sweepModel()
    {
        mpq::ui::SweepModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPoints(sweepPoints(), "Top-1 accuracy");
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.methods(), (QStringList{"multipoint", "ocs", "rtn"}));
        QCOMPARE(model.headerData(mpq::ui::SweepModel::Budget, Qt::Horizontal).toString(),
                 QString("Memory budget"));
        QCOMPARE(model.headerData(mpq::ui::SweepModel::Metric, Qt::Horizontal).toString(),
                 QString("Top-1 accuracy"));
        QCOMPARE(model.headerData(mpq::ui::SweepModel::MacOverhead, Qt::Horizontal).toString(),
                 QString("MAC overhead"));
        QCOMPARE(model.data(model.index(2, mpq::ui::SweepModel::Budget)).toString(),
                 mpq::ui::formatPercent(0.20));
        QCOMPARE(model.data(model.index(4, mpq::ui::SweepModel::Budget)).toString(),
                 QString("any"));
        QCOMPARE(model
                     .data(model.index(4, mpq::ui::SweepModel::Budget),
                           mpq::ui::SweepModel::RawValueRole)
                     .toDouble(),
                 -1.0);
        // every other cell as the single comparison writes it
        mpq::ui::CompareModel single;
        single.setFigures({sweepPoints()[2]}, "Top-1 accuracy");
        const std::pair<int, int> columns[] = {
            {mpq::ui::SweepModel::Method, mpq::ui::CompareModel::Method},
            {mpq::ui::SweepModel::MemoryOverhead, mpq::ui::CompareModel::MemoryOverhead},
            {mpq::ui::SweepModel::MacOverhead, mpq::ui::CompareModel::MacOverhead},
            {mpq::ui::SweepModel::Metric, mpq::ui::CompareModel::Metric},
            {mpq::ui::SweepModel::Change, mpq::ui::CompareModel::Change}};
        for (const auto &[sweepColumn, singleColumn] : columns)
            QCOMPARE(model.data(model.index(2, sweepColumn)),
                     single.data(single.index(0, singleColumn)));
        QCOMPARE(model.data(model.index(2, mpq::ui::SweepModel::Change)).toString(),
                 QString("-2.00"));
        // mixed precision's detail names its wider layers in the tooltip; other rows have none
        MethodFigures mixed = point("mixed", 0.05, 0.045, 0.0, 0.85);
        mixed.detail = "2 layers at 4 bits";
        mixed.widerLayers = {"conv1", "fc"};
        single.setFigures({mixed, sweepPoints()[1]}, "Top-1 accuracy");
        QCOMPARE(single.data(single.index(0, mpq::ui::CompareModel::Detail)).toString(),
                 QString("2 layers at 4 bits"));
        QCOMPARE(
            single.data(single.index(0, mpq::ui::CompareModel::Detail), Qt::ToolTipRole).toString(),
            QString("Layers stored with one more bit: conv1, fc"));
        QVERIFY(!single.data(single.index(1, mpq::ui::CompareModel::Detail), Qt::ToolTipRole)
                     .isValid());
    }

    void curvesPerMethodInBudgetOrder()
    {
        CompareView view;
        view.setSweep(sweepPoints(), "Top-1 accuracy", "memory budgets 5 %, 20 %");
        QVERIFY(view.isShowingFigures(CompareView::Sweep));
        QVERIFY(!view.isShowingFigures(CompareView::AtAllocation));
        QCustomPlot *plot = view.sweepPlot();
        QCOMPARE(plot->plottableCount(), 3 + 1); // three methods and the float line
        QCPCurve *mp = curveNamed(plot, mpq::ui::methodTitle("multipoint"));
        QVERIFY(mp);
        QCOMPARE(mp->pen().color(), mpq::ui::methodColor("multipoint"));
        QCOMPARE(int(mp->scatterStyle().shape()), mpq::ui::methodShape("multipoint"));
        QCOMPARE(mp->data()->size(), 2);
        QCOMPARE(mp->data()->at(0)->key, 4.9);
        QCOMPARE(mp->data()->at(1)->key, 19.8);
        QCPCurve *rtn = curveNamed(plot, mpq::ui::methodTitle("rtn") + " (any budget)");
        QVERIFY(rtn);
        QCOMPARE(rtn->lineStyle(), QCPCurve::lsNone);
        QCOMPARE(plot->graph(0)->data()->at(0)->value, 90.0); // the float line
        // MACs on x: multipoint's line still joins 5 % to 20 %, though its MACs fall
        view.setAxis(CompareView::MacAxis);
        QCOMPARE(view.axisBox()->currentIndex(), int(CompareView::MacAxis));
        mp = curveNamed(plot, mpq::ui::methodTitle("multipoint"));
        QCOMPARE(mp->data()->size(), 2);
        QCOMPARE(mp->data()->at(0)->key, 30.0);
        QCOMPARE(mp->data()->at(0)->value, 80.0);
        QCOMPARE(mp->data()->at(1)->key, 10.0);
        QCOMPARE(mp->data()->at(1)->value, 88.0);
        QVERIFY(plot->xAxis->range().contains(0.0) && plot->xAxis->range().contains(30.0));
    }

    void singleComparisonAtMatchedCost()
    {
        CompareView view;
        view.setFigures({point("multipoint", -1, 0.05, 0.29, 0.8), point("rtn", -1, 0, 0, 0.6),
                         point("rtn-next", -1, 0.33, 0, 0.85)},
                        "mAP@0.5 vs float", "a 5 % memory budget at 4 bits");
        QCustomPlot *plot = view.plot();
        QCOMPARE(plot->graphCount(), 4);
        QCOMPARE(plot->xAxis->label(), QString("Memory overhead (%)"));
        QCOMPARE(plot->graph(0)->data()->at(0)->key, 5.0);
        QCOMPARE(plot->graph(2)->data()->at(0)->key, 33.0);
        view.axisBox()->setCurrentIndex(CompareView::MacAxis);
        QCOMPARE(plot->xAxis->label(), QString("MAC overhead (%)"));
        QCOMPARE(plot->graph(0)->data()->at(0)->key, 29.0);
        QCOMPARE(plot->graph(2)->data()->at(0)->key, 0.0);
        QVERIFY(plot->xAxis->range().contains(0.0) && plot->xAxis->range().contains(29.0));
    }

    void legendEntriesAreNeverCut()
    {
        // The Compare page at the width it gets in the default window (1400x860): nine long
        // "method: value" entries were cut to "Multipoint: 96.49 %" -> "Multipoint: 96.49 " in
        // a fixed 4-column legend. Every entry must get at least the width it needs.
        CompareView view;
        std::vector<MethodFigures> figures;
        for (const char *m : {"multipoint", "rtn", "mse", "ocs", "mixed", "rtn-next", "mse-next"})
            figures.push_back(point(m, -1, 0.05, 0.29, 0.9649));
        view.setFigures(figures, "mAP@0.5 vs float", "a 5 % memory budget at 4 bits");
        view.resize(690, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCustomPlot *plot = view.plot();
        for (int width : {690, 420, 1200}) {
            view.resize(width, 700);
            plot->replot();
            QCPLegend *legend = plot->legend;
            QCOMPARE(legend->itemCount(), 8); // seven methods and the float line
            QVERIFY2(legend->wrap() < 8 || width > 1000, qPrintable(QString::number(width)));
            for (int i = 0; i < legend->itemCount(); ++i) {
                QCPAbstractLegendItem *item = legend->item(i);
                QVERIFY2(item->outerRect().width() >= item->minimumOuterSizeHint().width(),
                         qPrintable(QStringLiteral("%1 px: entry %2 is %3 px of %4")
                                        .arg(width)
                                        .arg(i)
                                        .arg(item->outerRect().width())
                                        .arg(item->minimumOuterSizeHint().width())));
                QVERIFY(plot->viewport().contains(item->outerRect()));
            }
        }
    }

    void modesKeepTheirOwnPages()
    {
        CompareView view;
        QSignalSpy run(&view, &CompareView::runRequested);
        QSignalSpy sweep(&view, &CompareView::sweepRequested);
        QSignalSpy cancel(&view, &CompareView::cancelRequested);
        view.setRunEnabled(true);
        view.setFigures({point("multipoint", -1, 0.05, 0.29, 0.8)}, "Top-1", "epsilon 0.01");
        view.runButton()->click();
        QCOMPARE(run.count(), 1);
        view.modeBox()->setCurrentIndex(CompareView::Sweep);
        QCOMPARE(view.mode(), CompareView::Sweep);
        QCOMPARE(view.runButton()->text(), QString("Run sweep"));
        QCOMPARE(view.table()->model(), view.sweepModel());
        view.runButton()->click();
        QCOMPARE(sweep.count(), 1);
        QCOMPARE(run.count(), 1);
        // running: progress and Cancel on its page only
        view.setRunning(true, "Sweeping...", CompareView::Sweep);
        QVERIFY(!view.runButton()->isEnabled());
        QVERIFY(view.cancelButton()->isVisibleTo(&view));
        view.setProgress(0.25, "evaluating ocs", CompareView::Sweep);
        QCOMPARE(view.progressBar()->value(), 250);
        QVERIFY(view.progressBar()->isVisibleTo(&view));
        QVERIFY(view.progressBar()->format().contains("evaluating ocs"));
        view.cancelButton()->click();
        QCOMPARE(cancel.count(), 1);
        view.setMode(CompareView::AtAllocation);
        QVERIFY(!view.progressBar()->isVisibleTo(&view));
        QVERIFY(view.runButton()->isEnabled());
        QCOMPARE(view.caption(), QString("Figures for epsilon 0.01"));
        // stale on one page leaves the other
        view.setStale("Out of date", CompareView::Sweep);
        QVERIFY(view.isStale(CompareView::Sweep));
        QVERIFY(!view.isStale());
        view.setCurrent("Sweep for x", CompareView::Sweep);
        QVERIFY(!view.isStale(CompareView::Sweep));
        QCOMPARE(view.caption(CompareView::Sweep), QString("Sweep for x"));
        view.setEmptyState("gone");
        QVERIFY(!view.isShowingFigures());
        QCOMPARE(view.model()->rowCount(), 0);
        QCOMPARE(view.emptyText(), QString("gone"));
        QVERIFY(view.emptyText(CompareView::Sweep) != QString("gone"));
    }
};

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
