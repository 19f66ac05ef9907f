#include "mpq/allocation.h"
#include "mpqwidgets/layerfilterproxy.h"
#include "mpqwidgets/layertablemodel.h"
#include "mpqwidgets/numberformat.h"
#include "syntheticanalysis.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

using mpq::ui::LayerFilterProxy;
using mpq::ui::LayerTableModel;

namespace {

std::shared_ptr<const mpq::Allocation> allocateAt(const mpq::Analysis &analysis, double epsilon,
                                                  std::map<std::string, mpq::LayerOverride> o = {})
{
    mpq::AllocationSettings s;
    s.bits = analysis.settings.bits;
    s.epsilon = epsilon;
    s.overrides = std::move(o);
    return std::make_shared<mpq::Allocation>(mpq::allocate(analysis.curves, s));
}

QVariant cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role);
}

} // namespace

class TestLayerTableModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_data = mpqtest::makeSmallAnalysis();
    }

    void showsLayersBeforeAnalysis()
    {
        LayerTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(LayerTableModel::ColumnCount));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setLayers(m_data.analysis->layers);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 0, LayerTableModel::Name).toString(), QString("conv1"));
        QCOMPARE(cell(model, 0, LayerTableModel::Kind).toString(), QString("conv2d"));
        QCOMPARE(cell(model, 2, LayerTableModel::Kind).toString(), QString("linear"));
        QCOMPARE(cell(model, 1, LayerTableModel::Shape).toString(),
                 QString::fromUtf8("16 \u00d7 8 \u00d7 3 \u00d7 3"));
        QCOMPARE(cell(model, 1, LayerTableModel::Shape, LayerTableModel::RawValueRole).toLongLong(),
                 16LL * 8 * 3 * 3);
        QCOMPARE(cell(model, 2, LayerTableModel::Channels).toString(), QString("10"));
        // No allocation yet: the allocation columns are empty, with a hint in the tooltip.
        for (int c = LayerTableModel::MeanPoints; c <= LayerTableModel::EffectiveBits; ++c) {
            QVERIFY(!cell(model, 0, c).isValid());
            QVERIFY(!cell(model, 0, c, LayerTableModel::RawValueRole).isValid());
            QVERIFY(cell(model, 0, c, Qt::ToolTipRole).toString().contains("analysis"));
        }
        QCOMPARE(model.layerIndex(3), 3);
        QCOMPARE(model.layerIndex(4), -1);
        QCOMPARE(model.rowOfLayer("fc"), 2);
    }

    void allocationUpdatesColumnsWithoutReset()
    {
        LayerTableModel model;
        LayerFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLayers(m_data.analysis->layers);
        QItemSelectionModel selection(&proxy);
        selection.select(proxy.index(2, 0),
                         QItemSelectionModel::Select | QItemSelectionModel::Rows);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const auto coarse = allocateAt(*m_data.analysis, 1e-1);
        const auto fine = allocateAt(*m_data.analysis, 1e-5);
        model.setAllocation(coarse);
        const double coarseMean =
            cell(model, 1, LayerTableModel::MeanPoints, LayerTableModel::RawValueRole).toDouble();
        model.setAllocation(fine);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.rowCount(), 4);
        QVERIFY(selection.isRowSelected(2, {}));
        QCOMPARE(proxy.layerIndex(selection.selectedRows().value(0).row()), 2);

        for (int row = 0; row < 4; ++row) {
            const mpq::LayerAllocation &a = fine->layers[std::size_t(row)];
            QCOMPARE(cell(model, row, LayerTableModel::MeanPoints, LayerTableModel::RawValueRole)
                         .toDouble(),
                     a.meanPoints);
            QCOMPARE(cell(model, row, LayerTableModel::MaxPoints).toString(),
                     QString::number(a.maxPoints));
            QCOMPARE(cell(model, row, LayerTableModel::Overhead).toString(),
                     mpq::ui::formatPercent(a.overhead));
            QCOMPARE(cell(model, row, LayerTableModel::RelativeError).toString(),
                     mpq::ui::formatRelativeError(a.relativeError));
            QCOMPARE(
                cell(model, row, LayerTableModel::Sqnr, LayerTableModel::RawValueRole).toDouble(),
                a.sqnrDb);
            QCOMPARE(cell(model, row, LayerTableModel::EffectiveBits).toString(),
                     mpq::ui::formatBits(a.effectiveBits));
            QVERIFY(cell(model, row, LayerTableModel::RelativeError, Qt::ToolTipRole)
                        .toString()
                        .contains(QLocale().toString(a.relativeError, 'e', 6)));
        }
        // A ten-thousand times smaller threshold needs more points.
        QVERIFY(
            cell(model, 1, LayerTableModel::MeanPoints, LayerTableModel::RawValueRole).toDouble() >
            coarseMean);

        model.setAllocation(nullptr);
        QCOMPARE(reset.count(), 0);
        QVERIFY(!cell(model, 1, LayerTableModel::MeanPoints).isValid());
        QCOMPARE(model.rowCount(), 4);
    }

    void floatLayersAndOverrides()
    {
        LayerTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLayers(m_data.analysis->layers);
        std::map<std::string, mpq::LayerOverride> overrides;
        overrides["fc"].kind = mpq::LayerOverride::Kind::Float;
        overrides["conv1"].kind = mpq::LayerOverride::Kind::Points;
        overrides["conv1"].points = 3;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setOverrides(overrides);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(model, 2, LayerTableModel::Override).toString(), QString("float"));
        // The plural comes from the (English numerus) translation when one is installed.
        QCOMPARE(
            cell(model, 0, LayerTableModel::Override).toString(),
            QCoreApplication::translate("mpq::ui::LayerTableModel", "%n point(s)", nullptr, 3));
        QVERIFY(cell(model, 0, LayerTableModel::Override).toString().startsWith("3 point"));
        QCOMPARE(cell(model, 1, LayerTableModel::Override).toString(), QString());

        model.setAllocation(allocateAt(*m_data.analysis, 1e-3, overrides));
        QCOMPARE(cell(model, 2, LayerTableModel::MeanPoints).toString(), QString("float"));
        QCOMPARE(cell(model, 2, LayerTableModel::MaxPoints).toString(), QString("float"));
        QVERIFY(qIsInf(
            cell(model, 2, LayerTableModel::MeanPoints, LayerTableModel::RawValueRole).toDouble()));
        QCOMPARE(cell(model, 0, LayerTableModel::MeanPoints).toString(), QString("3.00"));
        QCOMPARE(cell(model, 0, LayerTableModel::MaxPoints).toString(), QString("3"));
        // No unexplained colour swatch: "float" is said in words.
        QVERIFY(!cell(model, 2, LayerTableModel::Name, Qt::DecorationRole).isValid());
        // A float layer's cost is shown, not a dash: 32-bit weights cost 32/4 - 1 = 700 % of
        // themselves at 4 bits, 32 bits per weight, no extra MACs; its error stays a dash.
        QCOMPARE(
            cell(model, 2, LayerTableModel::Overhead, LayerTableModel::RawValueRole).toDouble(),
            7.0);
        QVERIFY(cell(model, 2, LayerTableModel::Overhead).toString().startsWith("700"));
        QVERIFY(cell(model, 2, LayerTableModel::EffectiveBits).toString().startsWith("32"));
        QVERIFY(cell(model, 2, LayerTableModel::MacOverhead).toString().startsWith("0"));
        QCOMPARE(cell(model, 2, LayerTableModel::RelativeError).toString(), QString("\u2014"));
        // The quantized layer with 3 points: its MAC overhead is its extra MACs over its MACs.
        const auto *conv1 = model.layerAllocation(0);
        QVERIFY(conv1 && conv1->macOverhead > 0.0);
        QCOMPARE(
            cell(model, 0, LayerTableModel::MacOverhead, LayerTableModel::RawValueRole).toDouble(),
            conv1->macOverhead);
    }

    void proxySortsByRawValue()
    {
        LayerTableModel model;
        LayerFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLayers(m_data.analysis->layers);
        model.setAllocation(allocateAt(*m_data.analysis, 1e-3));

        proxy.sort(LayerTableModel::Channels, Qt::DescendingOrder);
        QStringList names;
        for (int r = 0; r < proxy.rowCount(); ++r)
            names << proxy.index(r, LayerTableModel::Name).data().toString();
        QCOMPARE(names, QStringList({"layer2.conv", "layer10.conv", "fc", "conv1"}));

        // Natural order: layer2 before layer10.
        proxy.sort(LayerTableModel::Name, Qt::AscendingOrder);
        names.clear();
        for (int r = 0; r < proxy.rowCount(); ++r)
            names << proxy.index(r, LayerTableModel::Name).data().toString();
        QCOMPARE(names, QStringList({"conv1", "fc", "layer2.conv", "layer10.conv"}));

        // Numeric sort of the allocation column, not text order of "1.25" vs "10.0".
        proxy.sort(LayerTableModel::RelativeError, Qt::AscendingOrder);
        double last = -1.0;
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const double v = proxy.index(r, LayerTableModel::RelativeError)
                                 .data(LayerTableModel::RawValueRole)
                                 .toDouble();
            QVERIFY(v >= last);
            last = v;
        }
        // The sort follows a new allocation live (dynamic sort).
        proxy.sort(LayerTableModel::MeanPoints, Qt::DescendingOrder);
        model.setAllocation(allocateAt(*m_data.analysis, 1e-6));
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, LayerTableModel::MeanPoints)
                        .data(LayerTableModel::RawValueRole)
                        .toDouble() >= proxy.index(r, LayerTableModel::MeanPoints)
                                           .data(LayerTableModel::RawValueRole)
                                           .toDouble());
    }

    void proxyFiltersOnName_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("empty") << QString()
                               << QStringList({"conv1", "layer2.conv", "fc", "layer10.conv"});
        QTest::newRow("substring")
            << "conv" << QStringList({"conv1", "layer2.conv", "layer10.conv"});
        QTest::newRow("case") << "LAYER" << QStringList({"layer2.conv", "layer10.conv"});
        QTest::newRow("glob") << "layer1*conv" << QStringList({"layer10.conv"});
        QTest::newRow("single char") << "layer?.conv" << QStringList({"layer2.conv"});
        QTest::newRow("kind not matched") << "linear" << QStringList();
    }

    void proxyFiltersOnName()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expected);
        LayerTableModel model;
        LayerFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLayers(m_data.analysis->layers);
        proxy.setFilterText(filter);
        QStringList names;
        for (int r = 0; r < proxy.rowCount(); ++r) {
            names << proxy.index(r, LayerTableModel::Name).data().toString();
            QCOMPARE(proxy.layerIndex(r), model.rowOfLayer(names.back()));
        }
        QCOMPARE(names, expected);
    }

private:
    mpqtest::SyntheticAnalysis m_data;
};

QTEST_MAIN(TestLayerTableModel)
#include "tst_layertablemodel.moc"
