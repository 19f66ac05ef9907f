#pragma once
// The time left of a job, from its progress reports (issue 14: "so that the fraction and the
// time left are right within 20 %"). Plain C++, no Qt: the JobRunner feeds it with the worker's
// own timestamps, tests feed it with made-up ones.

#include <algorithm>
#include <cmath>

namespace mpq::studio {

/// Estimates the seconds left of a job from its progress reports.
///
/// Two estimates, each right for some jobs and wrong for others:
/// - the current stage's own rate (its work done over its time so far): right when the units
///   of one stage do not take as long as those of another and the fraction is their plain
///   share (a fast first stage misleads the whole job's rate for long into the next);
/// - the whole job's rate, elapsed * (1 - f) / f: right when the fraction already is the
///   share of the time, as the analysis' is (the core re-scales its units by measured rates,
///   core/src/calib/progress.h), and when stages change every few seconds (a sweep's methods);
///   there the stage's rate extrapolates the uneven start of its stage (on the demo detector
///   it showed +56 % at 10 % done, the whole job's rate -14 %; docs/BENCHMARKS.md, "Time
///   left").
/// Each estimate's predicted finish (now + its time left) is tracked: a right estimate
/// predicts the same finish report after report, a wrong one drifts. Its drift is the sum of
/// its moves relative to its time left (each at most 1), fading with kDriftSeconds. The
/// stage's estimate is shown when it drifted less than the whole job's and has been tracked for
/// kProveSeconds; a new stage's starts with the drift of the one it follows or the whole
/// job's, whichever is larger (the analysis' fraction jumps when its first unit of work is
/// done, the seconds before it being elapsed time: the stage's rate looks fast for a while,
/// docs/BENCHMARKS.md, "Time left"). Besides:
/// - nothing is shown until the stage has run for kMinStageSeconds and done kMinStageWork of
///   the whole job (a few reports say little); once something was, a stage that has not yet
///   (a sweep's methods each report twice in their 4-9 s) follows the whole job's rate;
/// - the shown figure follows the chosen one with a time constant of kSmoothingSeconds, and
///   counts down by the elapsed time between reports, so it neither jumps nor stalls.
class TimeLeftEstimator
{
public:
    static constexpr double kMinStageSeconds = 1.0;
    static constexpr double kMinStageWork = 0.02;
    static constexpr double kSmoothingSeconds = 2.0;
    static constexpr double kDriftSeconds = 5.0;
    static constexpr double kProveSeconds = 2.0;

    /// A new stage starts `seconds` after the job did, with `fraction` of the work done.
    void startStage(double seconds, double fraction)
    {
        m_stageAt = seconds;
        m_stageFraction = std::clamp(fraction, 0.0, 1.0);
        // its estimate starts afresh: no move yet, and no less suspect than what it follows
        m_stage.drift = std::max(m_stage.fadedAt(seconds), m_whole.fadedAt(seconds));
        m_stage.at = seconds;
        m_stage.finish = -1.0;
    }

    /// A progress report; returns the seconds left to show, or -1 while unknown.
    double progress(double seconds, double fraction)
    {
        const double f = std::clamp(fraction, 0.0, 1.0);
        if (f >= 1.0)
            return record(seconds, 0.0);
        if (f > 0.0 && seconds > 0.0)
            m_whole.track(seconds, seconds * (1.0 - f) / f);
        const double stageSeconds = seconds - m_stageAt;
        const double stageWork = f - m_stageFraction;
        const double predicted =
            m_shown >= 0 ? std::max(0.0, m_shown - (seconds - m_shownAt)) : -1.0;
        const bool stageKnown = stageSeconds >= kMinStageSeconds && stageWork >= kMinStageWork;
        if (!stageKnown && (predicted < 0 || f <= 0.0))
            return predicted < 0 ? -1.0 : record(seconds, predicted);
        double raw = seconds * (1.0 - f) / f;
        m_stageChosen = false;
        if (stageKnown) {
            const double stageLeft = stageSeconds * (1.0 - f) / stageWork;
            if (m_stage.finish < 0)
                m_stageTrackedSince = seconds;
            m_stage.track(seconds, stageLeft);
            m_stageChosen =
                m_stage.drift < m_whole.drift && seconds - m_stageTrackedSince >= kProveSeconds;
            if (m_stageChosen)
                raw = stageLeft;
        }
        if (predicted < 0)
            return record(seconds, raw);
        const double alpha =
            1.0 - std::exp(-std::max(0.0, seconds - m_shownAt) / kSmoothingSeconds);
        return record(seconds, predicted + alpha * (raw - predicted));
    }

    /// Whether the last figure followed the current stage's rate (else the whole job's).
    bool followsStage() const { return m_stageChosen; }

private:
    // An estimate's predicted finish and how far it has moved lately.
    struct Track
    {
        double finish = -1.0; // predicted finish, seconds since the job started; -1: none yet
        double at = 0.0;      // when it was predicted
        double drift = 0.0;   // its moves relative to its time left, fading with kDriftSeconds
        double fadedAt(double seconds) const
        {
            return drift * std::exp(-std::max(0.0, seconds - at) / kDriftSeconds);
        }
        void track(double seconds, double left)
        {
            const double next = seconds + left;
            drift = fadedAt(seconds);
            if (finish >= 0.0)
                drift += std::min(1.0, std::abs(next - finish) / std::max(1.0, left));
            finish = next;
            at = seconds;
        }
    };

    double record(double seconds, double left)
    {
        m_shownAt = seconds;
        m_shown = left;
        return left;
    }

    double m_stageAt = 0.0;
    double m_stageFraction = 0.0;
    double m_shownAt = 0.0;
    double m_shown = -1.0;
    double m_stageTrackedSince = 0.0;
    Track m_whole, m_stage;
    bool m_stageChosen = false;
};

} // namespace mpq::studio
