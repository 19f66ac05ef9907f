// The plots and controls of the Layers and Channels pages: the allocation bars and trade-off
// curve, the channel view and its statistics, the threshold control (the sensitivity plot is
// in tst_sensitivityplot).
#include "mpq/allocation.h"
#include "mpqwidgets/allocationplot.h"
#include "mpqwidgets/channelstats.h"
#include "mpqwidgets/channelview.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/thresholdcontrol.h"
#include "plothelpers.h"
#include "syntheticanalysis.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace mpq::ui;
using namespace plottest;

class TestPlots : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_data = mpqtest::makeSmallAnalysis();
    }

    void allocationBarsCountChannels()
    {
        std::map<std::string, mpq::LayerOverride> overrides;
        overrides["fc"].kind = mpq::LayerOverride::Kind::Float;
        mpq::AllocationSettings s;
        s.epsilon = 1e-4;
        s.overrides = overrides;
        auto allocation = std::make_shared<mpq::Allocation>(allocateAt(*m_data.analysis, s));
        AllocationPlot plot;
        QVERIFY(plot.isShowingEmptyState());
        plot.setAnalysis(m_data.analysis);
        QVERIFY(!plot.isShowingEmptyState());
        plot.setAllocation(allocation, s);
        const int maxPoints = m_data.analysis->settings.maxPoints;
        QVERIFY(plot.pointsBars(maxPoints));
        QVERIFY(!plot.pointsBars(maxPoints + 1));
        for (std::size_t l = 0; l < m_data.analysis->curves.size(); ++l) {
            const mpq::LayerAllocation &a = allocation->layers[l];
            double total = plot.floatBars()->data()->at(int(l))->value;
            for (int n = 1; n <= maxPoints; ++n) {
                const double bar = plot.pointsBars(n)->data()->at(int(l))->value;
                QCOMPARE(bar, double(std::count(a.points.begin(), a.points.end(), n)));
                total += bar;
            }
            QCOMPARE(total, double(m_data.analysis->curves[l].channels));
            if (a.isFloat) {
                QCOMPARE(plot.floatBars()->data()->at(int(l))->value, 10.0);
                QVERIFY(std::isnan(plot.overheadGraph()->data()->at(int(l))->value));
            } else {
                QVERIFY(close(plot.overheadGraph()->data()->at(int(l))->value, a.overhead * 100));
            }
        }
        // Stacked: each points series sits on the one below.
        QCOMPARE(plot.pointsBars(2)->barBelow(), plot.pointsBars(1));
        QCOMPARE(plot.floatBars()->barBelow(), plot.pointsBars(maxPoints));
    }

    void allocationTradeOffCurveAndMarker()
    {
        AllocationPlot plot;
        plot.setAnalysis(m_data.analysis);
        QCOMPARE(plot.tradeOffComputations(), 1);
        // computed on a worker thread: nothing of another analysis is shown meanwhile
        QVERIFY(plot.isComputingTradeOff());
        QCOMPARE(plot.thresholdCurve()->data()->size(), 0);
        plot.waitForTradeOff();
        QVERIFY(!plot.isComputingTradeOff());
        QCOMPARE(plot.thresholdCurve()->data()->size(), AllocationPlot::tradeOffSamples());
        QVERIFY(plot.budgetCurve()->data()->size() > 0);
        QCOMPARE(plot.currentMarker()->data()->size(), 0);
        QVERIFY(!plot.budgetLine()->visible());
        QVERIFY(plot.tradeOffPlot()->xAxis->scaleType() == QCPAxis::stLogarithmic);

        // The curve passes through the allocation of one of its grid's epsilons (k = 13).
        mpq::AllocationSettings s;
        s.epsilon = std::pow(10.0, -6.0 + 6.0 * 13 / (AllocationPlot::tradeOffSamples() - 1));
        const mpq::Allocation onGrid = allocateAt(*m_data.analysis, s);
        bool found = false;
        for (const QCPGraphData &d : *plot.thresholdCurve()->data())
            found |= close(d.key, onGrid.totalError) && close(d.value, onGrid.memoryOverhead * 100);
        QVERIFY(found);

        // Moving epsilon moves only the marker: no recomputation of the curve.
        for (double eps : {1e-2, 1e-3, 1e-5}) {
            s.epsilon = eps;
            auto allocation = std::make_shared<mpq::Allocation>(allocateAt(*m_data.analysis, s));
            plot.setAllocation(allocation, s);
            QCOMPARE(plot.currentMarker()->data()->size(), 1);
            QVERIFY(close(plot.currentMarker()->data()->at(0)->key, allocation->totalError));
            QVERIFY(close(plot.currentMarker()->data()->at(0)->value,
                          allocation->memoryOverhead * 100.0));
        }
        QCOMPARE(plot.tradeOffComputations(), 1);

        // A budget allocation moves the marker too, within its budget, still without recomputing.
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 0.5;
        auto budget = std::make_shared<mpq::Allocation>(allocateAt(*m_data.analysis, s));
        plot.setAllocation(budget, s);
        QVERIFY(plot.currentMarker()->data()->at(0)->value <= 50.0 + 1e-9);
        QVERIFY(plot.budgetLine()->visible());
        QCOMPARE(plot.budgetLine()->point1->coords().y(), 50.0);
        QCOMPARE(plot.tradeOffComputations(), 1);

        // New overrides change the curve.
        s.overrides["conv1"].kind = mpq::LayerOverride::Kind::Points;
        s.overrides["conv1"].points = 4;
        plot.setAllocation(std::make_shared<mpq::Allocation>(allocateAt(*m_data.analysis, s)), s);
        QCOMPARE(plot.tradeOffComputations(), 2);
        plot.waitForTradeOff();
        // With conv1 pinned at 4 points, even the loosest epsilon has overhead.
        double minOverhead = 1e9;
        for (const QCPGraphData &d : *plot.thresholdCurve()->data())
            minOverhead = std::min(minOverhead, d.value);
        QVERIFY(minOverhead > 0.0);

        // A Bits override without curves: the curve is empty, nothing throws.
        s.overrides["fc"].kind = mpq::LayerOverride::Kind::Bits;
        s.overrides["fc"].bits = 6;
        plot.setAllocation(nullptr, s);
        plot.waitForTradeOff();
        QCOMPARE(plot.thresholdCurve()->data()->size(), 0);
        QCOMPARE(plot.currentMarker()->data()->size(), 0);

        // Two requests in a row: only the newer one's curve is shown.
        s.overrides.clear();
        plot.setAllocation(nullptr, s);
        s.overrides["conv1"].kind = mpq::LayerOverride::Kind::Float;
        plot.setAllocation(nullptr, s);
        plot.waitForTradeOff();
        QCOMPARE(plot.thresholdCurve()->data()->size(), AllocationPlot::tradeOffSamples());
        for (const QCPGraphData &d : *plot.thresholdCurve()->data())
            QVERIFY(d.value > 0.0); // conv1 float costs memory at every epsilon
    }

    void channelViewShowsTheSelectedChannel()
    {
        ChannelView view;
        QVERIFY(view.isShowingEmptyState());
        mpq::AllocationSettings s;
        s.epsilon = 1e-4;
        auto allocation = std::make_shared<mpq::Allocation>(allocateAt(*m_data.analysis, s));
        const int layer = 1;
        view.setLayer(m_data.analysis, allocation, layer, m_data.weights[layer]);
        QVERIFY(!view.isShowingEmptyState());
        QCOMPARE(view.channel(), 0);
        view.setChannel(5);
        QCOMPARE(view.channel(), 5);

        const mpq::LayerCurves &c = m_data.analysis->curves[layer];
        const mpq::MatrixDecomposition &dec = m_data.analysis->decompositions[layer];
        // The histogram holds every weight of the channel once.
        double count = 0.0;
        for (const QCPBarsData &b : *view.histogramBars()->data())
            count += b.value;
        QCOMPARE(count, double(c.d));
        // The grid levels are a_1 * q for q = -7..7 at 4 bits.
        const QVector<double> levels = view.gridLevels();
        QCOMPARE(levels.size(), 15);
        for (int q = -7; q <= 7; ++q)
            QCOMPARE(levels[q + 7], double(dec.scale(5, 0)) * q);
        // Errors by point: weight residual from the decomposition, output error from the curves.
        for (int n = 1; n <= c.maxPoints; ++n) {
            const double r = dec.residualNorm(5, n) / dec.residualNorm(5, 0);
            QVERIFY(close(view.weightErrorGraph()->data()->at(n - 1)->value, r * r));
            QVERIFY(close(view.outputErrorGraph()->data()->at(n - 1)->value,
                          c.errorAt(5, n) / c.signal[5]));
        }
        // The strips colour channel c by its points and its error at those points.
        const mpq::LayerAllocation &a = allocation->layers[layer];
        for (int ch = 0; ch < int(c.channels); ++ch) {
            QCOMPARE(view.pointsMap()->data()->cell(ch, 0), double(a.points[std::size_t(ch)]));
            QVERIFY(close(view.errorMap()->data()->cell(ch, 0),
                          c.errorAt(ch, a.points[std::size_t(ch)]) / c.signal[std::size_t(ch)]));
        }

        // Clicking the strip selects a channel and says so.
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.stripPlot()->replot();
        QSignalSpy clicked(&view, &ChannelView::channelClicked);
        QCPAxisRect *strip = view.pointsMap()->keyAxis()->axisRect();
        const QPointF at(view.pointsMap()->keyAxis()->coordToPixel(11), strip->center().y());
        sendMouse(view.stripPlot(), QEvent::MouseButtonPress, at, Qt::LeftButton);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 11);
        QCOMPARE(view.channel(), 11);

        // Same layer again keeps the channel; no layer shows the empty state.
        view.setLayer(m_data.analysis, nullptr, layer, {});
        QCOMPARE(view.channel(), 11);
        QCOMPARE(view.histogramBars()->data()->size(), 0);
        view.setLayer(nullptr, nullptr, -1, {});
        QVERIFY(view.isShowingEmptyState());
    }

    void channelStatsHelpers()
    {
        // Histogram: every value in one bin, the maximum in the last.
        const std::vector<float> values = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.0f};
        const Histogram h = histogram(values.data(), 6, 4);
        QCOMPARE(h.counts, QVector<double>({1, 1, 1, 3}));
        QCOMPARE(h.binWidth, 0.25);
        QCOMPARE(h.centres.front(), 0.125);
        // Grid levels at 8 bits: only the codes the row uses.
        const std::vector<float> w = mpq::laplaceMatrix(2, 40, 0.1, 5);
        mpq::DecomposeOptions o;
        o.bits = 8;
        o.maxPoints = 2;
        const mpq::MatrixDecomposition dec = mpq::decompose(w.data(), 2, 40, o);
        const std::int8_t *code = dec.code(1, 0);
        std::set<int> used(code, code + 40);
        const QVector<double> levels = firstPointLevels(dec, 1);
        QCOMPARE(levels.size(), int(used.size()));
        QVERIFY(std::is_sorted(levels.begin(), levels.end()));
        QCOMPARE(levels.front(), double(dec.scale(1, 0)) * *used.begin());
        // A half-step pair (docs/multipoint.md section 12): one point shows the solo point's
        // grid, two the pair's, s * m for m in -2L..2L+1
        o.bits = 2;
        o.extraBits = 1;
        o.halfStepPair = true;
        const mpq::MatrixDecomposition pair = mpq::decompose(w.data(), 2, 40, o);
        QVERIFY(pair.hasSolo());
        QCOMPARE(firstPointLevels(pair, 0, 1),
                 QVector<double>({-double(pair.soloScale(0)), 0.0, double(pair.soloScale(0))}));
        const double s = pair.scale(0, 1);
        QCOMPARE(firstPointLevels(pair, 0, 2), QVector<double>({-2 * s, -s, 0.0, s, 2 * s, 3 * s}));
        // and the scale the Channels page prints beside them
        QCOMPARE(firstPointScale(pair, 0, 1), double(pair.soloScale(0)));
        QCOMPARE(firstPointScale(pair, 0, 2), s);
        QCOMPARE(firstPointScale(dec, 1, 2), double(dec.scale(1, 0)));
        // A silent channel is measured against the layer's mean signal.
        mpq::LayerCurves c;
        c.channels = 3;
        c.signal = {2.0, 0.0, 4.0};
        QCOMPARE(guardedSignal(c, 0), 2.0);
        QCOMPARE(guardedSignal(c, 1), 2.0);
    }

    void thresholdControlRoundTrips()
    {
        ThresholdControl control;
        QSignalSpy changed(&control, &ThresholdControl::settingsChanged);
        mpq::AllocationSettings in;
        in.rule = mpq::AllocationRule::Budget;
        in.epsilon = 3.7e-4;
        in.budget = 0.125;
        in.cost = mpq::BudgetCost::Macs;
        in.bits = 3; // not the control's business: comes back as the default
        control.setSettings(in);
        QCOMPARE(changed.count(), 0);
        mpq::AllocationSettings out = control.settings();
        QVERIFY(out.rule == mpq::AllocationRule::Budget);
        QCOMPARE(out.epsilon, 3.7e-4);
        QCOMPARE(out.budget, 0.125);
        QVERIFY(out.cost == mpq::BudgetCost::Macs);
        QCOMPARE(out.bits, mpq::AllocationSettings().bits);
        QVERIFY(control.budgetButton()->isChecked());
        QCOMPARE(control.epsilonSlider()->value(), ThresholdControl::sliderValue(3.7e-4));
        QCOMPARE(control.epsilonField()->text(), QString("3.70e-04"));
        QCOMPARE(control.budgetSpin()->value(), 12.5);
        QCOMPARE(control.budgetSlider()->value(), 125);

        // User actions emit at once; the slider moves in hundredths of a decade.
        control.thresholdButton()->click();
        QCOMPARE(changed.count(), 1);
        QVERIFY(control.settings().rule == mpq::AllocationRule::Threshold);
        control.setEpsilon(1e-3);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(control.epsilonSlider()->value(), -300);
        control.epsilonSlider()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        QCOMPARE(changed.count(), 2);
        QVERIFY(std::abs(control.settings().epsilon / std::pow(10.0, -2.99) - 1.0) < 1e-12);
        QCOMPARE(control.epsilonField()->text(), QString("1.02e-03"));
        control.epsilonSlider()->setValue(ThresholdControl::sliderValue(1e-6) - 50); // clamped
        QCOMPARE(control.settings().epsilon, 1e-6);

        control.epsilonField()->setText("2.5e-2");
        emit control.epsilonField()->editingFinished();
        QCOMPARE(control.settings().epsilon, 2.5e-2);
        QCOMPARE(control.epsilonSlider()->value(), ThresholdControl::sliderValue(2.5e-2));
        const int afterField = changed.count();
        control.epsilonField()->setText("nonsense");
        emit control.epsilonField()->editingFinished();
        QCOMPARE(changed.count(), afterField);
        QCOMPARE(control.epsilonField()->text(), QString("2.50e-02"));

        control.budgetButton()->click();
        control.budgetSlider()->triggerAction(QAbstractSlider::SliderPageStepAdd);
        QCOMPARE(changed.count(), afterField + 2);
        QCOMPARE(control.settings().budget, 0.225);
        QCOMPARE(control.budgetSpin()->value(), 22.5);
        control.budgetSpin()->setValue(7.3);
        QCOMPARE(control.budgetSlider()->value(), 73);
        QCOMPARE(control.settings().budget, 0.073);
        control.costCombo()->setCurrentIndex(0);
        QVERIFY(control.settings().cost == mpq::BudgetCost::Memory);
        QCOMPARE(changed.count(), afterField + 4);
    }

private:
    mpqtest::SyntheticAnalysis m_data;
};

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"
