#pragma once
// The time left of a job, from its progress reports (issue 14: "so that the fraction and the
// time left are right within 20 %"). Plain C++, no Qt: the JobRunner feeds it with the worker's
// own timestamps, tests feed it with made-up ones.

#include <algorithm>
#include <cmath>

namespace mpq::studio {

/// Estimates the seconds left of a job from the rate of its current stage.
///
/// The core reports progress in units of work (docs/pipeline-benchmark.md), but a unit of one
/// stage does not take as long as a unit of another (on the demo detector a unit of the
/// decomposition takes 0.8 of a unit of the calibration, and the ratio moves with the load), so
/// the rate since the job started is off for the whole stage after a fast one. Here:
/// - the rate is the current stage's own (its work done over its time so far), so the slower
///   calibration is judged by itself once it has run for a while;
/// - nothing is shown until the stage has run for kMinStageSeconds and done kMinStageWork of
///   the whole job (a few reports say little), except that an earlier estimate keeps counting
///   down through the start of the next stage;
/// - the shown figure follows the raw one with a time constant of kSmoothingSeconds, and
///   counts down by the elapsed time between reports, so it neither jumps nor stalls.
class TimeLeftEstimator
{
public:
    static constexpr double kMinStageSeconds = 1.0;
    static constexpr double kMinStageWork = 0.02;
    static constexpr double kSmoothingSeconds = 2.0;

    /// A new stage starts `seconds` after the job did, with `fraction` of the work done.
    void startStage(double seconds, double fraction)
    {
        m_stageAt = seconds;
        m_stageFraction = std::clamp(fraction, 0.0, 1.0);
    }

    /// A progress report; returns the seconds left to show, or -1 while unknown.
    double progress(double seconds, double fraction)
    {
        const double f = std::clamp(fraction, 0.0, 1.0);
        if (f >= 1.0)
            return record(seconds, 0.0);
        const double stageSeconds = seconds - m_stageAt;
        const double stageWork = f - m_stageFraction;
        const double predicted =
            m_shown >= 0 ? std::max(0.0, m_shown - (seconds - m_shownAt)) : -1.0;
        if (stageSeconds < kMinStageSeconds || stageWork < kMinStageWork)
            return predicted < 0 ? -1.0 : record(seconds, predicted);
        const double raw = stageSeconds * (1.0 - f) / stageWork;
        if (predicted < 0)
            return record(seconds, raw);
        const double alpha =
            1.0 - std::exp(-std::max(0.0, seconds - m_shownAt) / kSmoothingSeconds);
        return record(seconds, predicted + alpha * (raw - predicted));
    }

private:
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
};

} // namespace mpq::studio
