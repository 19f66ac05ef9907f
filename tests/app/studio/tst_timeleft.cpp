// Issue 14: "the fraction and the time left right within 20 %". The window's time left
// (app/studio/timeleft.h) on made-up report sequences with the patterns measured on the demo
// detector (docs/BENCHMARKS.md, "Time left"); nothing here depends on the machine's speed.
#include "timeleft.h"

#include <QtTest>

#include <cmath>
#include <functional>
#include <vector>

namespace {

/// The rule the window used before: the current stage's rate alone (timeleft.h until
/// 2026-12-03), to show that a scenario tells the two apart.
class StageRateOnly
{
public:
    void startStage(double seconds, double fraction)
    {
        m_stageAt = seconds;
        m_stageFraction = fraction;
    }
    double progress(double seconds, double f)
    {
        const double predicted =
            m_shown >= 0 ? std::max(0.0, m_shown - (seconds - m_shownAt)) : -1.0;
        if (seconds - m_stageAt < 1.0 || f - m_stageFraction < 0.02)
            return predicted < 0 ? -1.0 : record(seconds, predicted);
        const double raw = (seconds - m_stageAt) * (1.0 - f) / (f - m_stageFraction);
        if (predicted < 0)
            return record(seconds, raw);
        return record(seconds, predicted + (1.0 - std::exp(-(seconds - m_shownAt) / 2.0)) *
                                               (raw - predicted));
    }

private:
    double record(double seconds, double left)
    {
        m_shownAt = seconds;
        m_shown = left;
        return left;
    }
    double m_stageAt = 0, m_stageFraction = 0, m_shownAt = 0, m_shown = -1;
};

struct Job
{
    double end = 0;                         ///< seconds the job takes
    std::function<double(double)> fraction; ///< reported at t
    std::vector<double> stages;             ///< when each stage starts
};

/// Reports every 0.1 s as the JobRunner does (a stage starts at the fraction the core reported
/// last, throttled or not: the fraction just before the stage's time);
/// returns the largest relative error of the time left shown from 10 % done (below 98 %), and
/// calls `each` with (t, fraction, shown, actual).
template <class Estimator>
double worstError(Estimator &e, const Job &job,
                  const std::function<void(double, double, double, double)> &each = {})
{
    double worst = 0;
    std::size_t next = 0;
    for (int i = 1; i * 0.1 < job.end - 1e-9; ++i) {
        const double t = i * 0.1;
        while (next < job.stages.size() && job.stages[next] <= t + 1e-9) {
            e.startStage(job.stages[next], job.fraction(job.stages[next] - 1e-9));
            ++next;
        }
        const double f = job.fraction(t);
        const double left = e.progress(t, f);
        const double actual = job.end - t;
        if (each)
            each(t, f, left, actual);
        if (f >= 0.10 && f < 0.98 && left >= 0)
            worst = std::max(worst, std::abs(left - actual) / actual);
    }
    return worst;
}

/// The demo detector's analysis as the core reports it (core/src/calib/progress.h): 2 s
/// before the first unit of work (finding the images, the probe) at 0, the decomposition until
/// 5 s, then the calibration. The core's clock counts from the job's start, so its first
/// report jumps to the elapsed share; in the calibration's first batch its time left is
/// `overestimate` too high (the first layers of a batch are the slow ones) and converges with
/// a time constant of 4 s as the batch goes on.
Job detectorAnalysis(double overestimate)
{
    Job job;
    job.end = 35.0;
    job.stages = {0.0, 2.0, 5.0}; // finding images, decomposing, calibrating
    job.fraction = [overestimate, end = job.end](double t) {
        if (t < 2.0)
            return 0.0;
        const double e = t < 5.0 ? 0.0 : overestimate * std::exp(-(t - 5.0) / 4.0);
        return t / (t + (end - t) * (1.0 + e));
    };
    return job;
}

} // namespace

class TestTimeLeft : public QObject
{
    Q_OBJECT

private slots:
    // The analysis' fraction is already the share of the time (re-scaled by measured rates in
    // the core), but it moves unevenly within a stage: it jumps when the first unit of work is
    // done and catches up as the calibration's first batch goes on. The stage's own rate
    // extrapolates that (off by more than 60 % here, as +56 % and +99 % in the bench); the
    // whole job's rate is what the core's fraction says, within 20 % from 10 % done.
    void analysisFollowsTheWholeJob_data()
    {
        QTest::addColumn<double>("overestimate");
        QTest::newRow("the core right") << 0.0;
        QTest::newRow("the core's first batch 20 % slow") << 0.2;
    }
    void analysisFollowsTheWholeJob()
    {
        QFETCH(double, overestimate);
        const Job job = detectorAnalysis(overestimate);
        StageRateOnly before;
        const double old = worstError(before, job);
        QVERIFY2(old > 0.2, qPrintable(QString("the previous rule: %1").arg(old)));
        mpq::studio::TimeLeftEstimator estimator;
        int shown = 0;
        const double now = worstError(estimator, job, [&](double t, double f, double left, double) {
            if (left >= 0)
                ++shown;
            if (t < 2.0) // nothing done yet: nothing to extrapolate
                QCOMPARE(left, -1.0);
            Q_UNUSED(f);
        });
        QVERIFY2(now <= 0.2,
                 qPrintable(QString("largest error %1 (previous rule %2)").arg(now).arg(old)));
        QVERIFY(shown > 300);
        QVERIFY(!estimator.followsStage());
    }

    // A plain share of units whose first stage is four times faster per unit than the second
    // (tst_truth's case): the whole job's rate is off by a quarter long into the second stage,
    // the stage's rate is right, and the estimator follows it once it has proved steadier.
    void fastFirstStageFollowsTheStage()
    {
        Job job;
        job.end = 36.0;
        job.stages = {2.0, 4.0};
        job.fraction = [](double t) {
            return t < 2 ? 0.0 : t < 4 ? 0.1 * (t - 2) : std::min(1.0, 0.2 + 0.025 * (t - 4));
        };
        mpq::studio::TimeLeftEstimator estimator;
        double fromForty = 0, wholeAtForty = -1;
        worstError(estimator, job, [&](double t, double f, double left, double actual) {
            if (f < 0.4)
                return;
            fromForty = std::max(fromForty, std::abs(left - actual) / actual);
            if (wholeAtForty < 0)
                wholeAtForty = std::abs(t * (1 - f) / f - actual) / actual;
        });
        QVERIFY2(fromForty < 0.05, qPrintable(QString::number(fromForty)));
        QVERIFY2(wholeAtForty > 0.2, qPrintable(QString::number(wholeAtForty)));
        QVERIFY(estimator.followsStage());
    }

    // A sweep's methods each report twice in their few seconds (at their start, and after
    // their first batch of images, 1.5 % of the work), too little for a rate of their own: after a
    // first stage twice as fast per unit, the figure it showed must not just count down to zero
    // (the previous rule: 0 s left shown with 40 s to go); it follows the whole job's rate.
    void sparseStagesFollowTheWholeJob()
    {
        const double end = 90.0;
        const auto fraction = [](double t) { return t < 10 ? 0.02 * t : 0.2 + 0.01 * (t - 10); };
        mpq::studio::TimeLeftEstimator estimator;
        StageRateOnly before;
        double worstLate = 0, worstBefore = 0;
        const auto report = [&](double t, double f) {
            const double left = estimator.progress(t, f);
            const double old = before.progress(t, f);
            if (t >= 60) {
                worstLate = std::max(worstLate, std::abs(left - (end - t)) / (end - t));
                worstBefore = std::max(worstBefore, std::abs(old - (end - t)) / (end - t));
            }
        };
        for (int i = 1; i <= 100; ++i) // the first stage reports every 0.1 s
            report(i * 0.1, fraction(i * 0.1));
        for (double start = 10; start + 8 <= end; start += 8) {
            estimator.startStage(start, fraction(start));
            before.startStage(start, fraction(start));
            report(start + 0.1, fraction(start));
            report(start + 1.5, fraction(start + 1.5)); // 1.5 % of the work: not enough
        }
        QVERIFY2(worstBefore > 0.5, qPrintable(QString::number(worstBefore)));
        QVERIFY2(worstLate < 0.2, qPrintable(QString::number(worstLate)));
        QVERIFY(!estimator.followsStage());
    }

    // A job at a constant rate without stages: the time left is exact once shown.
    void steadyJobIsExact()
    {
        Job job;
        job.end = 20.0;
        job.fraction = [](double t) { return t / 20.0; };
        mpq::studio::TimeLeftEstimator estimator;
        QVERIFY(worstError(estimator, job) < 1e-9);
        QCOMPARE(estimator.progress(20.0, 1.0), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestTimeLeft)
#include "tst_timeleft.moc"
