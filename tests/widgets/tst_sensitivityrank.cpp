// The ranked sensitivity view: order by the one-point error, the points and cost to reach
// epsilon from the threshold rule, the cumulative cost, sorting through the proxy, selection.
#include "mpq/allocation.h"
#include "mpqwidgets/sensitivityrankmodel.h"
#include "mpqwidgets/sensitivityrankview.h"
#include "syntheticanalysis.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

#include <algorithm>

using namespace mpq::ui;

class TestSensitivityRank : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        std::vector<mpqtest::SyntheticLayer> layers;
        for (int i = 0; i < 7; ++i)
            layers.push_back({"backbone.stage" + std::to_string(i) + ".block.0.conv",
                              mpq::LayerKind::Conv2d, 4 + 3 * i, 3 + i, 3});
        m_data = mpqtest::makeAnalysis(layers, 4, 5, 11);
    }

    void ranksByOnePointError()
    {
        SensitivityRankModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setAnalysis(m_data.analysis);
        const auto &curves = m_data.analysis->curves;
        QCOMPARE(model.rowCount(), int(curves.size()));
        // the order is that of R_l(1), largest first, computed here independently
        std::vector<std::pair<double, int>> expected;
        for (int l = 0; l < int(curves.size()); ++l) {
            const mpq::LayerCurves &c = curves[std::size_t(l)];
            double e = 0.0, s = 0.0;
            for (std::int64_t ch = 0; ch < c.channels; ++ch) {
                e += c.errorAt(ch, 1);
                s += c.signal[std::size_t(ch)];
            }
            expected.push_back({-e / s, l});
        }
        std::sort(expected.begin(), expected.end());
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.layerIndex(r), expected[std::size_t(r)].second);
            QCOMPARE(model.rowOfLayer(expected[std::size_t(r)].second), r);
            const double onePoint = model
                                        .data(model.index(r, SensitivityRankModel::OnePointError),
                                              SensitivityRankModel::RawValueRole)
                                        .toDouble();
            QVERIFY(std::abs(onePoint + expected[std::size_t(r)].first) <=
                    1e-12 * std::abs(onePoint));
            QCOMPARE(model.data(model.index(r, SensitivityRankModel::Rank)).toInt(), r + 1);
            QCOMPARE(model.data(model.index(r, SensitivityRankModel::Name)).toString(),
                     QString::fromStdString(curves[std::size_t(model.layerIndex(r))].name));
        }
        // the order is not the graph order (else this test could not tell them apart)
        bool reordered = false;
        for (int r = 0; r < model.rowCount(); ++r)
            reordered = reordered || model.layerIndex(r) != r;
        QVERIFY(reordered);
        QCOMPARE(model.layerIndex(model.rowCount()), -1);
    }

    void pointsAndCostReachEpsilon()
    {
        SensitivityRankModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAnalysis(m_data.analysis);
        for (double epsilon : {1e-2, 1e-3, 1e-4}) {
            QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
            QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
            model.setEpsilon(epsilon);
            QCOMPARE(reset.count(), 0); // rows and selection survive a slider drag
            QVERIFY(epsilon == 1e-3 || changed.count() == 1);
            mpq::AllocationSettings s;
            s.bits = 4;
            s.epsilon = epsilon;
            const mpq::Allocation a = mpq::allocate(m_data.analysis->curves, s);
            const double denominator = 4.0 * double(a.allWeights);
            double cumulative = 0.0, total = 0.0;
            for (int r = 0; r < model.rowCount(); ++r) {
                const mpq::LayerAllocation &la = a.layers[std::size_t(model.layerIndex(r))];
                auto raw = [&](int column) {
                    return model.data(model.index(r, column), SensitivityRankModel::RawValueRole)
                        .toDouble();
                };
                QCOMPARE(raw(SensitivityRankModel::Points), la.meanPoints);
                QCOMPARE(raw(SensitivityRankModel::ErrorAtPoints), la.relativeError);
                const double cost = double(la.extraWeights) * 4.0 / denominator;
                QVERIFY(std::abs(raw(SensitivityRankModel::MemoryCost) - cost) <= 1e-12);
                QVERIFY(std::abs(raw(SensitivityRankModel::MacCost) -
                                 double(la.extraMacs) / double(a.allMacs)) <= 1e-12);
                cumulative += cost;
                QVERIFY(std::abs(raw(SensitivityRankModel::CumulativeMemoryCost) - cumulative) <=
                        1e-12);
                total += cost;
            }
            // the costs sum to the model's memory overhead under that threshold
            QVERIFY(std::abs(total - a.memoryOverhead) <= 1e-12);
        }
        // a smaller epsilon never costs less
        model.setEpsilon(1e-2);
        const double loose =
            model
                .data(model.index(model.rowCount() - 1, SensitivityRankModel::CumulativeMemoryCost),
                      SensitivityRankModel::RawValueRole)
                .toDouble();
        model.setEpsilon(1e-5);
        const double tight =
            model
                .data(model.index(model.rowCount() - 1, SensitivityRankModel::CumulativeMemoryCost),
                      SensitivityRankModel::RawValueRole)
                .toDouble();
        QVERIFY(tight > loose);
    }

    void proxySortsAndViewSelects()
    {
        SensitivityRankView view;
        QAbstractItemModelTester tester(view.proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setAnalysis(m_data.analysis);
        view.setEpsilon(1e-3);
        SensitivityRankModel *model = view.model();
        // rank order until the user sorts
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(view.proxy()->mapToSource(view.proxy()->index(r, 0)).row(), r);
        // sorted by name, ascending
        view.view()->sortByColumn(SensitivityRankModel::Name, Qt::AscendingOrder);
        QStringList names;
        for (int r = 0; r < view.proxy()->rowCount(); ++r)
            names << view.proxy()->index(r, SensitivityRankModel::Name).data().toString();
        QStringList sorted = names;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(names, sorted);
        // by cost, descending: numbers, not text
        view.view()->sortByColumn(SensitivityRankModel::MemoryCost, Qt::DescendingOrder);
        for (int r = 1; r < view.proxy()->rowCount(); ++r)
            QVERIFY(view.proxy()
                        ->index(r - 1, SensitivityRankModel::MemoryCost)
                        .data(SensitivityRankModel::RawValueRole)
                        .toDouble() >= view.proxy()
                                           ->index(r, SensitivityRankModel::MemoryCost)
                                           .data(SensitivityRankModel::RawValueRole)
                                           .toDouble());

        // the user clicks a row: its layer is chosen
        QSignalSpy chosen(&view, &SensitivityRankView::layersChosen);
        view.resize(700, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QModelIndex row2 = view.proxy()->index(2, SensitivityRankModel::Name);
        const int layer2 = model->layerIndex(view.proxy()->mapToSource(row2).row());
        QTest::mouseClick(view.view()->viewport(), Qt::LeftButton, {},
                          view.view()->visualRect(row2).center());
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.last().at(0).value<QList<int>>(), QList<int>{layer2});
        // the window's selection is mirrored without a signal
        view.setSelectedLayers({0, 4});
        QCOMPARE(chosen.count(), 1);
        QList<int> selected = view.selectedLayers();
        std::sort(selected.begin(), selected.end());
        QCOMPARE(selected, (QList<int>{0, 4}));
        // the caption states the epsilon
        QVERIFY(view.caption()->text().contains("1.00e-03"));
    }

private:
    mpqtest::SyntheticAnalysis m_data;
};

QTEST_MAIN(TestSensitivityRank)
#include "tst_sensitivityrank.moc"
