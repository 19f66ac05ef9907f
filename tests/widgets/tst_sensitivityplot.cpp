// The Layers page's sensitivity plot: empty states, one line per layer (its summed relative error
// against points), a single layer's channel spread, the default and clicked layers, the legend
// and axis, and the threshold line (hidden in budget mode, dragged to set epsilon).
#include "mpq/allocation.h"
#include "mpqwidgets/sensitivityplot.h"
#include "plothelpers.h"
#include "syntheticanalysis.h"

#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using namespace mpq::ui;
using namespace plottest;

class TestSensitivityPlot : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_data = mpqtest::makeSmallAnalysis();
    }

    void sensitivityShowsEmptyStates()
    {
        SensitivityPlot plot;
        QVERIFY(plot.isShowingEmptyState());
        QVERIFY(plot.emptyStateText().contains("Run the analysis"));
        plot.setAnalysis(m_data.analysis);
        // Nothing selected: the most sensitive layers, said so in the title (not an empty page,
        // not every layer without a legend).
        QVERIFY(!plot.isShowingEmptyState());
        QVERIFY(plot.isShowingDefaultLayers());
        plot.setSelectedLayers({7}); // out of range: as if nothing were selected
        QVERIFY(plot.isShowingDefaultLayers());
        plot.setSelectedLayers({1});
        QVERIFY(!plot.isShowingDefaultLayers());
        QVERIFY(!plot.isShowingEmptyState());
        plot.setAnalysis(nullptr);
        QVERIFY(plot.isShowingEmptyState());
        QVERIFY(plot.emptyStateText().contains("Run the analysis"));
    }

    void sensitivityLinesAreLayerErrors()
    {
        SensitivityPlot plot;
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({0, 2, 3});
        QVERIFY(plot.plot()->yAxis->scaleType() == QCPAxis::stLogarithmic);
        QCOMPARE(plot.plot()->graphCount(), 3);
        QVERIFY(plot.plot()->legend->visible());
        QVERIFY(!plot.spreadGraph(SensitivityPlot::Median));
        QVERIFY(!plot.layerGraph(1));
        for (int layer : {0, 2, 3}) {
            const mpq::LayerCurves &c = m_data.analysis->curves[std::size_t(layer)];
            QCPGraph *g = plot.layerGraph(layer);
            QVERIFY(g);
            QCOMPARE(g->name(), QString::fromStdString(c.name));
            QCOMPARE(g->data()->size(), c.maxPoints);
            for (int n = 1; n <= c.maxPoints; ++n) {
                const QCPGraphData &d = *g->data()->at(n - 1);
                QCOMPARE(d.key, double(n));
                QVERIFY2(close(d.value, layerError(c, n)), qPrintable(QString::number(n)));
            }
            // The error falls with more points, and the axis shows all of it down to its floor.
            QVERIFY(g->data()->at(c.maxPoints - 1)->value < g->data()->at(0)->value);
            QVERIFY(plot.plot()->yAxis->range().contains(g->data()->at(0)->value));
            for (int n = 1; n <= c.maxPoints; ++n)
                QVERIFY(g->data()->at(n - 1)->value < plot.yFloor() ||
                        plot.plot()->yAxis->range().contains(g->data()->at(n - 1)->value));
        }
        // The right axis is the same scale in dB.
        const QCPRange y = plot.plot()->yAxis->range();
        QVERIFY(close(plot.plot()->yAxis2->range().lower, -10.0 * std::log10(y.upper)));
    }

    void sensitivitySingleLayerShowsChannelSpread()
    {
        SensitivityPlot plot;
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({1});
        const mpq::LayerCurves &c = m_data.analysis->curves[1];
        QVERIFY(plot.layerGraph(1));
        for (int n = 1; n <= c.maxPoints; ++n) {
            std::vector<double> rho;
            for (std::int64_t ch = 0; ch < c.channels; ++ch)
                rho.push_back(c.errorAt(ch, n) / c.signal[std::size_t(ch)]);
            std::sort(rho.begin(), rho.end());
            auto at = [&](SensitivityPlot::Spread s) {
                return plot.spreadGraph(s)->data()->at(n - 1)->value;
            };
            QVERIFY(close(at(SensitivityPlot::Min), rho.front()));
            QVERIFY(close(at(SensitivityPlot::Max), rho.back()));
            // 16 channels: the median lies halfway between the 8th and 9th values.
            QVERIFY(close(at(SensitivityPlot::Median), 0.5 * (rho[7] + rho[8])));
            QVERIFY(at(SensitivityPlot::P10) <= at(SensitivityPlot::Median));
            QVERIFY(at(SensitivityPlot::Median) <= at(SensitivityPlot::P90));
            QVERIFY(close(plot.layerGraph(1)->data()->at(n - 1)->value, layerError(c, n)));
        }
        QCOMPARE(SensitivityPlot::percentile({1.0, 2.0, 3.0, 4.0, 5.0}, 0.1), 1.4);
        QVERIFY(plot.plot()->legend->visible());
        QVERIFY(plot.plot()->legend->itemCount() > 1);
    }

    void sensitivityDefaultLayersAreTheMostSensitive()
    {
        // eight layers: the default view draws the six with the largest one-point error, in
        // that order, and its title says why
        std::vector<mpqtest::SyntheticLayer> layers;
        for (int i = 0; i < 8; ++i)
            layers.push_back({"block" + std::to_string(i) + ".conv", mpq::LayerKind::Conv2d,
                              4 + 2 * i, 2 + i, 3});
        const auto data = mpqtest::makeAnalysis(layers, 4, 4, 7);
        std::vector<std::pair<double, int>> ranked;
        for (int i = 0; i < 8; ++i)
            ranked.push_back({-layerError(data.analysis->curves[std::size_t(i)], 1), i});
        std::sort(ranked.begin(), ranked.end());
        QList<int> expected;
        for (int i = 0; i < SensitivityPlot::kDefaultLayers; ++i)
            expected << ranked[std::size_t(i)].second;
        SensitivityPlot plot;
        plot.setAnalysis(data.analysis);
        QCOMPARE(plot.drawnLayers(), expected);
        QCOMPARE(SensitivityPlot::mostSensitiveLayers(*data.analysis, 6), expected);
        QCOMPARE(plot.plot()->graphCount(), SensitivityPlot::kDefaultLayers);
        const auto *title =
            qobject_cast<QCPTextElement *>(plot.plot()->plotLayout()->element(0, 0));
        QVERIFY(title);
        QVERIFY2(title->text().contains("largest error at 1 point"), qPrintable(title->text()));
        QVERIFY(title->text().contains("of 8"));
        // the legend names every line and sits outside the data
        QVERIFY(plot.plot()->legend->visible());
        QCOMPARE(plot.plot()->legend->itemCount(), SensitivityPlot::kDefaultLayers);
    }

    void sensitivityLegendIsNotOverTheData()
    {
        SensitivityPlot plot;
        plot.resize(640, 480);
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({0, 1, 2, 3});
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.plot()->replot();
        QVERIFY(plot.plot()->legend->visible());
        const QRect legend = plot.plot()->legend->outerRect();
        const QRect data = plot.plot()->axisRect()->rect();
        QVERIFY(legend.isValid() && data.isValid());
        QVERIFY2(!legend.intersects(data), "the legend covers the curves");
    }

    void sensitivityAxisKeepsTheUsefulRange()
    {
        // one layer whose error collapses to 1e-18 at many points (exactly representable
        // channels): the axis must not run down there and squash the useful decades
        auto analysis = std::make_shared<mpq::Analysis>(*m_data.analysis);
        mpq::LayerCurves &c = analysis->curves[1];
        for (std::int64_t ch = 0; ch < c.channels; ++ch)
            for (int n = 3; n <= c.maxPoints; ++n)
                c.error[std::size_t(ch * c.maxPoints + n - 1)] = 1e-18 * c.signal[std::size_t(ch)];
        SensitivityPlot plot;
        plot.setAnalysis(analysis);
        plot.setSelectedLayers({0, 1, 2});
        plot.setEpsilon(1e-3);
        double hi = 0.0, lowestOnePoint = 1.0;
        for (int layer : {0, 1, 2}) {
            const double r = layerError(analysis->curves[std::size_t(layer)], 1);
            hi = std::max(hi, r);
            lowestOnePoint = std::min(lowestOnePoint, r);
        }
        const double floor = std::min(1e-3, lowestOnePoint) * 1e-3;
        QVERIFY(std::abs(plot.yFloor() - floor) <= 1e-12 * floor);
        const QCPRange y = plot.plot()->yAxis->range();
        QVERIFY(y.upper >= hi);
        QVERIFY(y.contains(1e-3)); // epsilon stays in view
        QVERIFY2(y.lower >= floor / 2.01, qPrintable(QString::number(y.lower)));
        QVERIFY(y.upper / y.lower < 1e9); // not 1e-18: fewer than nine decades in all
        // the second point of layer 1 (above the collapse) is within the range
        QVERIFY(y.contains(layerError(analysis->curves[1], 2)) ||
                layerError(analysis->curves[1], 2) < floor);
        // in budget mode epsilon no longer holds the range open
        plot.setEpsilon(1e-9);
        plot.setEpsilonVisible(false);
        QVERIFY(!plot.plot()->yAxis->range().contains(1e-9));
    }

    void sensitivityCurveClickSelectsLayer()
    {
        SensitivityPlot plot;
        plot.resize(640, 480);
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({0, 3});
        plot.setEpsilon(1e-6); // keep the line away from the curves
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.plot()->replot();
        QSignalSpy clicked(&plot, &SensitivityPlot::layerClicked);
        QCustomPlot *p = plot.plot();
        const mpq::LayerCurves &c = m_data.analysis->curves[3];
        const QPointF at(p->xAxis->coordToPixel(1.0), p->yAxis->coordToPixel(layerError(c, 1)));
        sendMouse(p, QEvent::MouseButtonPress, at, Qt::LeftButton);
        sendMouse(p, QEvent::MouseButtonRelease, at, Qt::LeftButton);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 3);
        // a click far from every curve selects nothing
        const QPointF empty(p->xAxis->coordToPixel(1.0), p->axisRect()->bottom() - 2);
        sendMouse(p, QEvent::MouseButtonPress, empty, Qt::LeftButton);
        QCOMPARE(clicked.count(), 1);
    }

    void sensitivityThresholdLineHiddenInBudgetMode()
    {
        SensitivityPlot plot;
        plot.resize(640, 480);
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({0});
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setEpsilon(1e-3);
        QVERIFY(plot.epsilonLine()->visible());
        plot.setEpsilonVisible(false);
        QVERIFY(!plot.epsilonLine()->visible());
        // and it cannot be grabbed where it would be
        QSignalSpy dragged(&plot, &SensitivityPlot::epsilonDragged);
        QCustomPlot *p = plot.plot();
        const QPointF at(p->axisRect()->center().x(), p->yAxis->coordToPixel(1e-3));
        sendMouse(p, QEvent::MouseButtonPress, at, Qt::LeftButton);
        sendMouse(p, QEvent::MouseMove, at - QPointF(0, 20), Qt::LeftButton);
        sendMouse(p, QEvent::MouseButtonRelease, at - QPointF(0, 20), Qt::LeftButton);
        QCOMPARE(dragged.count(), 0);
        plot.setEpsilonVisible(true);
        QVERIFY(plot.epsilonLine()->visible());
    }

    void sensitivityEpsilonLineDrags()
    {
        SensitivityPlot plot;
        plot.resize(640, 420);
        plot.setAnalysis(m_data.analysis);
        plot.setSelectedLayers({0, 1});
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setEpsilon(1e-3);
        plot.plot()->replot();
        QCOMPARE(plot.epsilonLine()->point1->coords().y(), 1e-3);
        QCOMPARE(plot.epsilonLine()->point2->coords().y(), 1e-3);

        QSignalSpy dragged(&plot, &SensitivityPlot::epsilonDragged);
        QCustomPlot *p = plot.plot();
        const double x = p->axisRect()->center().x();
        const double y0 = p->yAxis->coordToPixel(1e-3);
        // A press away from the line does not grab it.
        sendMouse(p, QEvent::MouseButtonPress, QPointF(x, y0 - 40), Qt::LeftButton);
        sendMouse(p, QEvent::MouseMove, QPointF(x, y0 - 60), Qt::LeftButton);
        sendMouse(p, QEvent::MouseButtonRelease, QPointF(x, y0 - 60), Qt::LeftButton);
        QCOMPARE(dragged.count(), 0);

        sendMouse(p, QEvent::MouseButtonPress, QPointF(x, y0 + 1), Qt::LeftButton);
        sendMouse(p, QEvent::MouseMove, QPointF(x, y0 - 20), Qt::LeftButton);
        sendMouse(p, QEvent::MouseMove, QPointF(x, y0 - 30), Qt::LeftButton);
        sendMouse(p, QEvent::MouseButtonRelease, QPointF(x, y0 - 30), Qt::LeftButton);
        QCOMPARE(dragged.count(), 2);
        const double expected = p->yAxis->pixelToCoord(y0 - 30);
        QVERIFY(expected > 1e-3); // up the log axis: a larger epsilon
        QVERIFY(close(dragged.last().at(0).toDouble(), expected));
        QVERIFY(close(plot.epsilon(), expected));
        QVERIFY(close(plot.epsilonLine()->point1->coords().y(), expected));
        // setEpsilon moves the line without a signal.
        plot.setEpsilon(2e-4);
        QCOMPARE(dragged.count(), 2);
        QCOMPARE(plot.epsilonLine()->point1->coords().y(), 2e-4);
    }

private:
    mpqtest::SyntheticAnalysis m_data;
};

QTEST_MAIN(TestSensitivityPlot)
#include "tst_sensitivityplot.moc"
