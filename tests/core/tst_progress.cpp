// Issue 14 ("progress and time left right within 20 %") and issue 17 (two threads): the
// analysis' progress re-scaled by measured rates (calib/progress.h, also the steps within a
// batch) on a made-up clock, and the project's own parallel loops (util/parallelfor.h), which
// really run on two threads where at::parallel_for in this project's code ran on one.
#include "calib/progress.h"
#include "mpq/parallel.h"
#include "util/parallelfor.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace {

// A job on a made-up clock: stages of `units` units at `rate` seconds each, with `estimate`
// seconds told up front (0: none), reported every `step` units; records for every report the
// true fraction of the time and the fraction shown.
struct SimStage
{
    double units, rate, estimate;
};

struct Trace
{
    std::vector<double> truth, shown;
    double total = 0.0;
};

void simulate(Trace &trace, const std::vector<SimStage> &stages, double step,
              bool explicitStarts = true)
{
    double now = 0.0;
    std::vector<mpq::ProgressStage> told;
    for (const SimStage &s : stages) {
        trace.total += s.units * s.rate;
        told.push_back({s.units, s.estimate});
    }
    std::vector<double> reports;
    mpq::RescaledProgress p([&](double f) { reports.push_back(f); }, told, [&] { return now; });
    const auto report = [&](double done) {
        const std::size_t before = reports.size();
        p.at(done);
        trace.truth.push_back(now / trace.total);
        trace.shown.push_back(reports.size() > before ? reports.back() : p.last());
    };
    report(0.0);
    double begin = 0.0, beginTime = 0.0;
    for (std::size_t k = 0; k < stages.size(); ++k) {
        if (explicitStarts)
            p.startStage(k);
        for (double u = step; u <= stages[k].units + 1e-9; u += step) {
            now = beginTime + u * stages[k].rate;
            report(begin + u);
        }
        begin += stages[k].units;
        beginTime += stages[k].units * stages[k].rate;
    }
    p.finish();
    trace.truth.push_back(1.0);
    trace.shown.push_back(reports.back());
    QVERIFY(std::is_sorted(reports.begin(), reports.end()));
    QCOMPARE(reports.back(), 1.0);
    QVERIFY(std::count(reports.begin(), reports.end(), 1.0) == 1); // 1 only when finished
}

// The two stages of an analysis without the sensitivity stage: D decomposition units at rd
// seconds each (no estimate), then C calibration units at rc seconds each (estimate `prior`).
void simulate(Trace &trace, double D, double rd, double C, double rc, double prior, double step)
{
    simulate(trace, {{D, rd, 0.0}, {C, rc, prior}}, step);
}

} // namespace

class TestProgress : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { mpq::setThreadCount(1); }

    // with the calibration's time known up front, the fraction is the fraction of the time
    // (but 1, which waits for finish(): the last report of work stops at 0.999)
    void exactEstimateFollowsTime()
    {
        Trace t;
        simulate(t, 100, 0.03, 1000, 0.002, 1000 * 0.002, 5);
        for (std::size_t i = 1; i + 2 < t.truth.size(); ++i)
            QVERIFY2(std::abs(t.shown[i] - t.truth[i]) < 1e-9,
                     qPrintable(QString("report %1: shown %2, time %3")
                                    .arg(i)
                                    .arg(t.shown[i])
                                    .arg(t.truth[i])));
        QCOMPARE(t.shown[t.shown.size() - 2], 0.999);
    }

    // without an estimate the calibration is priced at the decomposition's rate per unit, so
    // the fraction is the plain share of the units until the calibration has a rate of its own
    void noEstimateIsTheUnitShare()
    {
        Trace t;
        simulate(t, 100, 0.03, 1000, 0.03, 0.0, 5);
        for (std::size_t i = 1; i + 2 < t.truth.size(); ++i)
            QVERIFY(std::abs(t.shown[i] - t.truth[i]) < 1e-9);
        // the units' share while decomposing although the calibration is 2x faster per unit
        Trace fast;
        simulate(fast, 100, 0.03, 1000, 0.015, 0.0, 5);
        QVERIFY(std::abs(fast.shown[20] - 100.0 / 1100.0) < 1e-9);
        // ... and within 0.05 of the time once the calibration has run a quarter
        for (std::size_t i = 21 + 50; i + 1 < fast.truth.size(); ++i)
            QVERIFY2(std::abs(fast.shown[i] - fast.truth[i]) < 0.05,
                     qPrintable(QString("report %1: shown %2, time %3")
                                    .arg(i)
                                    .arg(fast.shown[i])
                                    .arg(fast.truth[i])));
    }

    // an estimate wrong by 2x either way: the calibration's own rate takes over, the fraction
    // never decreases, and from a third of the calibration on it is within 0.05 of the time
    void wrongEstimateIsCorrected_data()
    {
        QTest::addColumn<double>("factor");
        QTest::newRow("estimate half the time") << 0.5;
        QTest::newRow("estimate twice the time") << 2.0;
    }
    void wrongEstimateIsCorrected()
    {
        QFETCH(double, factor);
        Trace t;
        simulate(t, 100, 0.03, 1000, 0.002, factor * 1000 * 0.002, 5);
        // reports 0..20 decompose, 21..220 calibrate
        double worst = 0.0;
        for (std::size_t i = 21 + 67; i + 1 < t.truth.size(); ++i)
            worst = std::max(worst, std::abs(t.shown[i] - t.truth[i]));
        QVERIFY2(worst < 0.05, qPrintable(QString("off by %1").arg(worst)));
        // the time left that the shown fraction implies at half the calibration
        const std::size_t half = 21 + 100;
        const double now = t.truth[half] * t.total;
        const double left = now * (1 - t.shown[half]) / t.shown[half];
        const double actual = t.total - now;
        QVERIFY2(std::abs(left - actual) / actual < 0.2,
                 qPrintable(QString("time left %1, actual %2").arg(left).arg(actual)));
    }

    // a third stage (the output sensitivity) dearer per unit than the calibration and estimated
    // at twice its time: it runs at its own rate, not the calibration's, from a third of it on
    // the fraction is within 0.05 of the time; stages also start without startStage(), when
    // the units before them are done; with exact estimates the fraction is the time's share
    void threeStages_data()
    {
        QTest::addColumn<bool>("explicitStarts");
        QTest::newRow("startStage") << true;
        QTest::newRow("started by the units") << false;
    }
    void threeStages()
    {
        QFETCH(bool, explicitStarts);
        Trace exact;
        simulate(exact, {{100, 0.03, 0.0}, {1000, 0.002, 2.0}, {200, 0.01, 2.0}}, 5,
                 explicitStarts);
        for (std::size_t i = 1; i + 2 < exact.truth.size(); ++i)
            QVERIFY2(std::abs(exact.shown[i] - exact.truth[i]) < 1e-9,
                     qPrintable(QString("report %1: shown %2, time %3")
                                    .arg(i)
                                    .arg(exact.shown[i])
                                    .arg(exact.truth[i])));
        Trace wrong;
        simulate(wrong, {{100, 0.03, 0.0}, {1000, 0.002, 2.0}, {200, 0.01, 4.0}}, 5,
                 explicitStarts);
        // reports 0..20 decompose, 21..220 calibrate, 221..260 measure the sensitivity
        double worst = 0.0;
        for (std::size_t i = 221 + 13; i + 2 < wrong.truth.size(); ++i)
            worst = std::max(worst, std::abs(wrong.shown[i] - wrong.truth[i]));
        QVERIFY2(worst < 0.05, qPrintable(QString("off by %1").arg(worst)));
    }

    // The analysis' clock starts with the job, before the probe (analysis.cpp, WorkProgress):
    // those seconds are elapsed time, part of what the fraction is a share of, but not the
    // first stage's: its rate is its own time over its units. With exact estimates the
    // fraction is the time's share from the first unit on (before: the decomposition's rate
    // counted the 3 s before it, so its 2 s looked like 5 and the fraction lagged)
    void timeBeforeTheFirstUnitIsElapsed()
    {
        double now = 3.0; // the instrumented copy and the probe's forwards
        std::vector<double> reports;
        mpq::RescaledProgress p([&](double f) { reports.push_back(f); }, {{100, 0.0}, {1000, 30.0}},
                                [&] { return now; });
        const double total = 3.0 + 100 * 0.02 + 30.0;
        double worst = 0.0;
        for (int u = 5; u <= 100; u += 5) {
            now = 3.0 + u * 0.02;
            p.at(u);
            worst = std::max(worst, std::abs(p.last() - now / total));
        }
        for (int u = 50; u <= 1000; u += 50) {
            now = 5.0 + u * 0.03;
            p.at(100 + u);
            if (u < 1000)
                worst = std::max(worst, std::abs(p.last() - now / total));
        }
        QVERIFY2(worst < 1e-9, qPrintable(QString("off by %1").arg(worst)));
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));
    }

    // Within a batch: two kinds of step, the first 3x slower per estimated unit than its
    // estimate says relative to the second. Before update() the estimate counts; after it each
    // step's corrected units are proportional to its seconds, and time between batches
    // (restart) is no step's.
    void stepRatesFollowTheMeasuredSeconds()
    {
        double now = 0.0;
        mpq::StepRates steps(2, [&] { return now; });
        const auto batch = [&](double images) {
            now += 5.0; // reading the images
            steps.restart();
            double corrected[2] = {0.0, 0.0};
            for (int layer = 0; layer < 4; ++layer) {
                now += 3.0 * images; // key 0: 10 units per image, 3 s per image
                corrected[0] += steps.step(0, 10.0 * images);
                now += 1.0 * images; // key 1: 10 units per image, 1 s per image
                corrected[1] += steps.step(1, 10.0 * images);
            }
            return std::make_pair(corrected[0], corrected[1]);
        };
        const auto first = batch(1.0);
        QCOMPARE(first.first, first.second); // the estimate: 40 units each
        steps.update();
        const auto second = batch(8.0);
        // 640 units in all, divided 3:1 as the seconds were; the total is kept
        QCOMPARE(second.first, 480.0);
        QCOMPARE(second.second, 160.0);
        steps.update(); // from both batches: the same rates
        const auto third = batch(3.0);
        QCOMPARE(third.first, 180.0);
        QCOMPARE(third.second, 60.0);
    }

    void reportsFromManyThreadsStayMonotone()
    {
        std::vector<double> reports;
        std::mutex mutex;
        std::atomic<int> ticks{0};
        mpq::RescaledProgress p(
            [&](double f) {
                // called under the progress' own lock: no second lock needed, but keep it honest
                std::lock_guard<std::mutex> lock(mutex);
                reports.push_back(f);
            },
            4000, 4000, 0.0, [&] { return 0.001 * ++ticks; });
        std::vector<std::thread> threads;
        std::atomic<int> done{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 1000; ++i)
                    p.at(++done);
            });
        for (std::thread &t : threads)
            t.join();
        QVERIFY(!reports.empty());
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));
        QVERIFY(reports.back() < 1.0);
    }

    void parallelForCoversEachIndexOnce_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("grain");
        QTest::newRow("1 thread") << 1 << 1000 << 1;
        QTest::newRow("2 threads") << 2 << 1000 << 7;
        QTest::newRow("3 threads, uneven") << 3 << 1001 << 10;
        QTest::newRow("2 threads, one chunk") << 2 << 5 << 100;
        QTest::newRow("empty") << 2 << 0 << 1;
    }
    void parallelForCoversEachIndexOnce()
    {
        QFETCH(int, threads);
        QFETCH(int, n);
        QFETCH(int, grain);
        mpq::setThreadCount(threads);
        std::vector<std::atomic<int>> hits(n);
        std::mutex mutex;
        std::set<std::thread::id> ids;
        mpq::parallelFor(0, n, grain, [&](std::int64_t b, std::int64_t e) {
            QVERIFY(e - b >= std::min<std::int64_t>(grain, n) || e == n);
            {
                std::lock_guard<std::mutex> lock(mutex);
                ids.insert(std::this_thread::get_id());
            }
            for (std::int64_t i = b; i < e; ++i)
                ++hits[i];
        });
        for (int i = 0; i < n; ++i)
            QCOMPARE(hits[i].load(), 1);
        // as many threads as there are chunks of `grain`, up to the thread count
        const int expected = n == 0 ? 0 : std::min(threads, (n + grain - 1) / grain);
        QCOMPARE(int(ids.size()), expected);
    }

    void parallelTasksRunEachOnceAndRethrow()
    {
        mpq::setThreadCount(2);
        std::vector<std::atomic<int>> hits(50);
        std::mutex mutex;
        std::set<std::thread::id> ids;
        mpq::parallelTasks(hits.size(), [&](std::size_t i) {
            ++hits[i];
            std::lock_guard<std::mutex> lock(mutex);
            ids.insert(std::this_thread::get_id());
            // long enough that the second thread takes some tasks
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        for (auto &h : hits)
            QCOMPARE(h.load(), 1);
        QCOMPARE(int(ids.size()), 2);

        std::atomic<int> started{0};
        bool thrown = false;
        try {
            mpq::parallelTasks(1000, [&](std::size_t i) {
                ++started;
                if (i == 3)
                    throw std::runtime_error("task 3 failed");
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            });
        } catch (const std::runtime_error &e) {
            thrown = QString(e.what()) == "task 3 failed";
        }
        QVERIFY(thrown);
        QVERIFY2(started < 100,
                 qPrintable(QString("%1 tasks started after a failure").arg(started.load())));
    }
};

QTEST_GUILESS_MAIN(TestProgress)
#include "tst_progress.moc"
