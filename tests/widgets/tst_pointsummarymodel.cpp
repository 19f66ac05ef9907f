#include "mpq/multipoint.h"
#include "mpq/synthetic.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/pointsummarymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestPointSummaryModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void showsTheCoreSummary()
    {
        mpq::ui::PointSummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(mpq::ui::PointSummaryModel::ColumnCount));

        const std::vector<float> w = mpq::laplaceMatrix(32, 100, 0.02, 3);
        mpq::DecomposeOptions o;
        o.bits = 3;
        o.maxPoints = 4;
        const auto summary = mpq::summarize(mpq::decompose(w.data(), 32, 100, o));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setSummary(summary);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        for (int n = 0; n < 4; ++n) {
            using M = mpq::ui::PointSummaryModel;
            QCOMPARE(model.index(n, M::Points).data().toString(), QString::number(n + 1));
            QCOMPARE(model.index(n, M::MeanRelativeResidual).data(M::RawValueRole).toDouble(),
                     summary[n].meanRelativeResidual);
            QCOMPARE(model.index(n, M::EffectiveBits).data().toString(),
                     mpq::ui::formatBits((3.0 * (n + 1) * 100 + 32.0 * (n + 1)) / 100));
            const double sqnr = model.index(n, M::Sqnr).data(M::RawValueRole).toDouble();
            QVERIFY(std::abs(sqnr + 10 * std::log10(summary[n].relativeError)) < 1e-9);
            if (n > 0) // error falls with points, so SQNR rises
                QVERIFY(sqnr > model.index(n - 1, M::Sqnr).data(M::RawValueRole).toDouble());
        }
        QCOMPARE(model.headerData(mpq::ui::PointSummaryModel::Sqnr, Qt::Horizontal).toString(),
                 QString("Weight SQNR"));
    }

    void formatsNumbers()
    {
        QCOMPARE(mpq::ui::formatPercent(0.048), QString("4.8 %"));
        QCOMPARE(mpq::ui::formatBits(4.2134), QString("4.21 b"));
        QCOMPARE(mpq::ui::formatSqnr(1e-3), QString("30.0 dB"));
        QCOMPARE(mpq::ui::formatSqnr(0.0), QString("inf dB"));
        QCOMPARE(mpq::ui::formatRelativeError(0.000123), QString("1.23e-04"));
    }
};

QTEST_MAIN(TestPointSummaryModel)
#include "tst_pointsummarymodel.moc"
