#include "mpq/error.h"
#include "mpq/grid.h"

#include <QtTest>

class TestGrid : public QObject
{
    Q_OBJECT
private slots:
    void levels_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("levels");
        const int expected[] = {1, 3, 7, 15, 31, 63, 127};
        for (int b = 2; b <= 8; ++b)
            QTest::addRow("%d bits", b) << b << expected[b - 2];
    }
    void levels()
    {
        QFETCH(int, bits);
        QFETCH(int, levels);
        QCOMPARE(mpq::gridLevels(bits), levels);
        // the grid {-L..L} has 2L+1 = 2^b - 1 values: it fits b signed bits
        QCOMPARE(2 * levels + 1, (1 << bits) - 1);
    }

    void bitsOutOfRange_data()
    {
        QTest::addColumn<int>("bits");
        QTest::newRow("1") << 1;
        QTest::newRow("0") << 0;
        QTest::newRow("-4") << -4;
        QTest::newRow("9") << 9;
        QTest::newRow("32") << 32;
    }
    void bitsOutOfRange()
    {
        QFETCH(int, bits);
        try {
            mpq::gridLevels(bits);
            QFAIL("no error for bits out of range");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
            QVERIFY2(QString(e.what()).contains(QString::number(bits)), e.what());
        }
    }

    void quantizeRoundsAndClips_data()
    {
        QTest::addColumn<int>("bits");
        for (int b = 2; b <= 8; ++b)
            QTest::addRow("%d bits", b) << b;
    }
    void quantizeRoundsAndClips()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        const double scale = 0.25;
        for (int k = -L; k <= L; ++k) {
            QCOMPARE(int(mpq::quantizeToGrid(k * scale, 1 / scale, L)), k);
            QCOMPARE(int(mpq::quantizeToGrid((k + 0.49) * scale, 1 / scale, L)), k);
        }
        // half rounds away from zero
        QCOMPARE(int(mpq::quantizeToGrid(0.5 * scale, 1 / scale, L)), 1);
        QCOMPARE(int(mpq::quantizeToGrid(-0.5 * scale, 1 / scale, L)), -1);
        // beyond the grid: clipped, also for ratios that would overflow an integer
        QCOMPARE(int(mpq::quantizeToGrid((L + 3) * scale, 1 / scale, L)), L);
        QCOMPARE(int(mpq::quantizeToGrid(-1e30, 1 / scale, L)), -L);
        QCOMPARE(int(mpq::quantizeToGrid(1e30, 1 / scale, L)), L);
    }
};

QTEST_APPLESS_MAIN(TestGrid)
#include "tst_grid.moc"
