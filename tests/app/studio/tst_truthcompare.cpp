// Issue 14, "true at every moment", on the Compare page (offscreen): Compare and the export
// summary show the allocation's honest cost with a float layer, every method with its MAC
// overhead, RTN and MSE at b+1 bits, distinct colours and markers; a failing comparison or sweep
// shows its reason and no "Comparing..." stays; the sweep mode equals separate evaluations, one
// curve per method, on a memory or MAC axis, with progress, cancel and stale marking.
#include "truthfixture.h"

using namespace truthtest;

class TestTruthCompare : public TruthFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpCase("tst_truthcompare"); }
    void init() { setUpTest(); }

    void compareShowsHonestCostsAndMatchedMethods()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        // a float layer: counted at 32 bits in memory and effective bits, its MACs apart
        mpq::LayerOverride f;
        f.kind = mpq::LayerOverride::Kind::Float;
        w.requestOverride("fc", f);
        const auto a = w.document()->allocation();
        QVERIFY(a->floatWeights > 0);
        compare(w);
        if (QTest::currentTestFailed())
            return;
        mpq::ui::CompareView *view = w.workspace()->compareView();
        const auto &figures = view->model()->figures();
        QCOMPARE(figures.size(), std::size_t(7));
        const mpq::ui::MethodFigures &mp = figures.front();
        QCOMPARE(mp.method, QString("multipoint"));
        QCOMPARE(mp.memoryOverhead, a->memoryOverhead);
        QCOMPARE(mp.macOverhead, a->macOverhead);
        QCOMPARE(mp.effectiveBits, a->effectiveBits);
        // the table says what the status bar says
        const mpq::ui::CompareModel *m = view->model();
        const QString memory =
            m->data(m->index(0, mpq::ui::CompareModel::MemoryOverhead)).toString();
        const QString macs = m->data(m->index(0, mpq::ui::CompareModel::MacOverhead)).toString();
        QCOMPARE(memory, mpq::ui::formatPercent(a->memoryOverhead));
        QVERIFY2(w.memoryText().contains(memory), qPrintable(w.memoryText()));
        QVERIFY2(w.macText().contains(macs), qPrintable(w.macText()));
        QCOMPARE(m->headerData(mpq::ui::CompareModel::MacOverhead, Qt::Horizontal).toString(),
                 QString("MAC overhead"));
        // RTN and MSE at b+1 = 4 bits, one bit per quantized weight above their 3-bit selves
        std::map<QString, mpq::ui::MethodFigures> by;
        for (const auto &fig : figures)
            by[fig.method] = fig;
        QVERIFY(by.count("rtn-next") && by.count("mse-next"));
        const double oneBit = double(a->quantizedWeights) / double(a->allWeights);
        QVERIFY(std::abs(by["rtn-next"].effectiveBits - by["rtn"].effectiveBits - oneBit) < 1e-9);
        QVERIFY(std::abs(by["mse-next"].effectiveBits - by["mse"].effectiveBits - oneBit) < 1e-9);
        QCOMPARE(by["rtn"].macOverhead, 0.0);
        QVERIFY(by["ocs"].macOverhead >= 0.0);
        // distinct colours and markers (multipoint and mixed precision were both orange)
        std::set<QRgb> colours;
        std::set<int> shapes;
        for (const auto &fig : figures) {
            colours.insert(mpq::ui::methodColor(fig.method).rgb());
            shapes.insert(mpq::ui::methodShape(fig.method));
        }
        QCOMPARE(colours.size(), figures.size());
        QCOMPARE(shapes.size(), figures.size());
        QVERIFY(view->caption().contains("on the calibration images"));

        // the export summary: the same figures, and the float layer named
        mpq::studio::ExportRequest r;
        r.opened = w.document()->opened();
        r.quantization = w.document()->quantization();
        r.folder = path("export");
        r.baseName = "conv-mpq";
        mpq::studio::ExportDialog dialog(r);
        dialog.setFormats(mpq::studio::ReportFormat);
        dialog.setVerify(false);
        QSignalSpy finished(&dialog, &mpq::studio::ExportDialog::finished);
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        const QString summary = dialog.resultText();
        QVERIFY2(summary.contains(mpq::ui::formatPercent(a->memoryOverhead)), qPrintable(summary));
        QVERIFY2(summary.contains(mpq::ui::formatPercent(a->macOverhead)), qPrintable(summary));
        QVERIFY2(summary.contains(mpq::ui::formatBits(a->effectiveBits)), qPrintable(summary));
        QVERIFY2(summary.contains("kept float"), qPrintable(summary));
    }

    void failingComparisonShowsItsReason()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        w.settingsPanel()->setTestImagesDir(path("broken"));
        emit w.settingsPanel()->testImagesDirChanged(path("broken"));
        QSignalSpy failed(controller(w), &mpq::studio::PreviewController::failed);
        controller(w)->runCompare();
        QVERIFY(failed.wait(60000));
        mpq::ui::CompareView *view = w.workspace()->compareView();
        QVERIFY2(view->emptyText().contains("bad.png"), qPrintable(view->emptyText()));
        QVERIFY(!view->caption().contains("Comparing"));
        // superseded: a newer evaluation interrupts it, and the page says so
        w.settingsPanel()->setTestImagesDir(path("test"));
        emit w.settingsPanel()->testImagesDirChanged(path("test"));
        controller(w)->runCompare();
        QVERIFY(view->caption().contains("Comparing"));
        controller(w)->runner()->start(
            "newer", [](const mpq::JobControl &) { return 1; }, [](int) {});
        QVERIFY(!view->caption().contains("Comparing"));
        QVERIFY2(view->emptyText().contains("interrupted"), qPrintable(view->emptyText()));
        controller(w)->runner()->waitForWorkers();
    }

    void sweepEqualsSeparateEvaluations()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        mpq::ui::CompareView *view = w.workspace()->compareView();
        constexpr auto kSweep = mpq::ui::CompareView::Sweep;
        // cancelled: the page says so, nothing runs on
        view->modeBox()->setCurrentIndex(kSweep);
        QCOMPARE(view->mode(), kSweep);
        view->runButton()->click();
        QVERIFY(view->isRunning(kSweep));
        QVERIFY(view->cancelButton()->isVisibleTo(view));
        QVERIFY(view->progressBar()->isVisibleTo(view));
        QVERIFY(!view->runButton()->isEnabled());
        view->cancelButton()->click();
        QVERIFY(!view->isRunning(kSweep));
        QVERIFY(!view->progressBar()->isVisibleTo(view));
        QVERIFY2(view->emptyText(kSweep).contains("cancelled"),
                 qPrintable(view->emptyText(kSweep)));
        controller(w)->runner()->waitForWorkers();

        sweep(w);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(view->isShowingFigures(kSweep));
        QVERIFY2(view->caption(kSweep).contains("on the calibration images"),
                 qPrintable(view->caption(kSweep)));
        QCOMPARE(view->table()->model(), view->sweepModel());
        const std::vector<double> budgets = mpq::studio::defaultSweepBudgets();
        QCOMPARE(budgets, (std::vector<double>{0.0, 0.025, 0.05, 0.10, 0.20, 0.50}));
        const std::vector<mpq::ui::MethodFigures> &points = view->sweepModel()->points();
        // 3 bits: multipoint, mixed and OCS per budget; RTN, MSE and both at 4 bits once
        QCOMPARE(points.size(), budgets.size() * 3 + 4);

        // the same figures as separate evaluations: mpq::quantize + evaluateMethods per budget
        const mpq::OpenedModel opened = w.document()->opened();
        const mpq::ImageSet images =
            mpq::evaluationImages(QDir(path("images")).absolutePath().toStdString());
        const auto reference = mpq::floatPredictions(opened, images, 8);
        const std::vector<mpq::Method> swept = {mpq::Method::Multipoint,
                                                mpq::Method::MixedPrecision, mpq::Method::Ocs};
        std::size_t row = 0;
        for (double budget : budgets) {
            mpq::AllocationSettings s = w.document()->allocationSettings();
            s.rule = mpq::AllocationRule::Budget;
            s.budget = budget;
            const mpq::Quantization q = mpq::quantize(opened, w.document()->analysis(), s);
            const std::vector<mpq::MethodEvaluation> direct =
                mpq::evaluateMethods(opened, q, swept, *reference, 8);
            for (const mpq::MethodEvaluation &e : direct) {
                const mpq::ui::MethodFigures &p = points[row++];
                QCOMPARE(p.method, QString(mpq::toWord(e.method)));
                QCOMPARE(p.budget, budget);
                QCOMPARE(p.metric, e.metric.value);
                QCOMPARE(p.reference, e.metric.reference);
                QCOMPARE(p.memoryOverhead, e.memoryOverhead);
                QCOMPARE(p.macOverhead, e.macOverhead);
                QCOMPARE(p.effectiveBits, e.effectiveBits);
            }
            QVERIFY(points[row - 3].memoryOverhead <= budget + 1e-12); // multipoint within it
        }
        const std::vector<mpq::MethodEvaluation> once =
            mpq::evaluateMethods(opened, *w.document()->quantization(),
                                 {mpq::Method::RoundToNearest, mpq::Method::MseChannel,
                                  mpq::Method::RoundToNearestNext, mpq::Method::MseChannelNext},
                                 *reference, 8);
        for (const mpq::MethodEvaluation &e : once) {
            const mpq::ui::MethodFigures &p = points[row++];
            QCOMPARE(p.method, QString(mpq::toWord(e.method)));
            QCOMPARE(p.budget, -1.0);
            QCOMPARE(p.metric, e.metric.value);
            QCOMPARE(p.memoryOverhead, e.memoryOverhead);
        }

        // one curve per method in its colour and marker, and the float line
        QCustomPlot *plot = view->sweepPlot();
        QCOMPARE(view->sweepModel()->methods().size(), 7);
        QCOMPARE(plot->plottableCount(), 7 + 1);
        for (const QString &method : view->sweepModel()->methods()) {
            QCPCurve *c = curveOf(plot, method);
            QVERIFY2(c, qPrintable(method));
            QCOMPARE(c->pen().color(), mpq::ui::methodColor(method));
            QCOMPARE(int(c->scatterStyle().shape()), mpq::ui::methodShape(method));
            const bool perBudget = method == "multipoint" || method == "mixed" || method == "ocs";
            QCOMPARE(c->data()->size(), perBudget ? int(budgets.size()) : 1);
        }
        // x: memory overhead in %, in budget order; the float reference line
        QCPCurve *mp = curveOf(plot, "multipoint");
        for (int i = 0; i < mp->data()->size(); ++i) {
            QCOMPARE(mp->data()->at(i)->key, points[std::size_t(i) * 3].memoryOverhead * 100);
            QCOMPARE(mp->data()->at(i)->value, points[std::size_t(i) * 3].metric * 100);
        }
        QCOMPARE(plot->xAxis->label(), QString("Memory overhead (%)"));
        QCPGraph *floatLine = plot->graph(0);
        QVERIFY(floatLine->name().startsWith("float"));
        QCOMPARE(floatLine->data()->at(0)->value, points.front().reference * 100);
        // the table: a row per point, its budget first
        const mpq::ui::SweepModel *m = view->sweepModel();
        QCOMPARE(m->rowCount(), int(points.size()));
        QCOMPARE(m->data(m->index(0, mpq::ui::SweepModel::Budget)).toString(),
                 mpq::ui::formatPercent(0.0));
        QCOMPARE(m->data(m->index(int(points.size()) - 1, mpq::ui::SweepModel::Budget)).toString(),
                 QString("any"));
        QCOMPARE(m->data(m->index(2, mpq::ui::SweepModel::MacOverhead)).toString(),
                 mpq::ui::formatPercent(points[2].macOverhead));

        // the axis switch: MACs on x, on both plots
        view->axisBox()->setCurrentIndex(mpq::ui::CompareView::MacAxis);
        QCOMPARE(view->axis(), mpq::ui::CompareView::MacAxis);
        QCOMPARE(plot->xAxis->label(), QString("MAC overhead (%)"));
        mp = curveOf(plot, "multipoint");
        for (int i = 0; i < mp->data()->size(); ++i)
            QCOMPARE(mp->data()->at(i)->t, double(i)); // still in budget order
        for (int i = 0; i < mp->data()->size(); ++i) {
            const auto &p = points[std::size_t(i) * 3];
            bool found = false;
            for (auto it = mp->data()->constBegin(); it != mp->data()->constEnd(); ++it)
                found = found || (it->key == p.macOverhead * 100 && it->value == p.metric * 100);
            QVERIFY(found);
        }
        QCOMPARE(view->plot()->xAxis->label(), QString("MAC overhead (%)"));

        // the rule's budget does not change a sweep; other images do
        w.settingsPanel()->thresholdControl()->budgetSpin()->setValue(20.0);
        QVERIFY(!view->isStale(kSweep));
        w.settingsPanel()->setTestImagesDir(path("test"));
        emit w.settingsPanel()->testImagesDirChanged(path("test"));
        QVERIFY(view->isStale(kSweep));
        QVERIFY2(view->caption(kSweep).contains("Out of date") &&
                     view->caption(kSweep).contains("Run sweep"),
                 qPrintable(view->caption(kSweep)));
        QVERIFY(view->isShowingFigures(kSweep));
        // back to the folder it ran on: current again
        w.settingsPanel()->setTestImagesDir({});
        emit w.settingsPanel()->testImagesDirChanged({});
        QVERIFY(!view->isStale(kSweep));
        // another model: gone
        open(w, "other.pt");
        QVERIFY(!view->isShowingFigures(kSweep));
        QCOMPARE(view->sweepModel()->rowCount(), 0);
    }

    void singleComparisonAgainstMemoryOrMacs()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        compare(w);
        if (QTest::currentTestFailed())
            return;
        mpq::ui::CompareView *view = w.workspace()->compareView();
        const auto &figures = view->model()->figures();
        QCustomPlot *plot = view->plot();
        // matched cost, not effective bits, on x: a point per method, then the float line
        QCOMPARE(plot->graphCount(), int(figures.size()) + 1);
        QCOMPARE(plot->xAxis->label(), QString("Memory overhead (%)"));
        for (std::size_t i = 0; i < figures.size(); ++i)
            QCOMPARE(plot->graph(int(i))->data()->at(0)->key, figures[i].memoryOverhead * 100);
        view->axisBox()->setCurrentIndex(mpq::ui::CompareView::MacAxis);
        QCOMPARE(plot->xAxis->label(), QString("MAC overhead (%)"));
        for (std::size_t i = 0; i < figures.size(); ++i) {
            QCOMPARE(plot->graph(int(i))->data()->at(0)->key, figures[i].macOverhead * 100);
            QCOMPARE(plot->graph(int(i))->data()->at(0)->value, figures[i].metric * 100);
        }
        QVERIFY(figures.front().macOverhead > 0.0); // multipoint's extra MACs are shown apart
        // the two modes keep their own pages
        view->modeBox()->setCurrentIndex(mpq::ui::CompareView::Sweep);
        QVERIFY(!view->isShowingFigures(mpq::ui::CompareView::Sweep));
        QCOMPARE(view->table()->model(), view->sweepModel());
        view->modeBox()->setCurrentIndex(mpq::ui::CompareView::AtAllocation);
        QVERIFY(view->isShowingFigures());
        QCOMPARE(view->table()->model(), view->model());
        QCOMPARE(view->runButton()->text(), QString("Run comparison"));
    }

    void failingSweepShowsItsReason()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        w.settingsPanel()->setTestImagesDir(path("broken"));
        emit w.settingsPanel()->testImagesDirChanged(path("broken"));
        QSignalSpy failed(controller(w), &mpq::studio::PreviewController::failed);
        controller(w)->runSweep();
        QVERIFY(failed.wait(60000));
        mpq::ui::CompareView *view = w.workspace()->compareView();
        const QString text = view->emptyText(mpq::ui::CompareView::Sweep);
        QVERIFY2(text.contains("bad.png") && text.contains("sweep failed"), qPrintable(text));
        QVERIFY(!view->isRunning(mpq::ui::CompareView::Sweep));
        QVERIFY(!view->caption(mpq::ui::CompareView::Sweep).contains("Sweeping"));
    }
};

QTEST_MAIN(TestTruthCompare)
#include "tst_truthcompare.moc"
