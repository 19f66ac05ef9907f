#pragma once
// The progress of an analysis, re-scaled by the rates measured while it runs (issue 14: "so
// that the fraction and the time left are right within 20 %"; docs/pipeline-benchmark.md,
// "Progress against time").

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>

namespace mpq {

/// Turns work done, in the analysis' units (docs/multipoint.md section 3: weight-points of the
/// decomposition, layer MACs and output elements of the calibration), into the fraction of the
/// analysis' time done.
///
/// A fixed exchange rate between a unit of the decomposition and one of the calibration was off
/// by 0.75x to 2x between models (docs/pipeline-benchmark.md), so each stage is timed by itself:
/// - decomposition: its own rate so far (seconds per unit) for its rest; the calibration at
///   `calibrationSeconds`, an estimate made before the analysis (from a timed forward of one
///   image), or, if none, at the decomposition's rate per unit;
/// - calibration: its own rate so far, pooled with that estimate as if it were kPriorShare of
///   the calibration's work (a few layer calls say little about the rest);
/// - fraction = elapsed / (elapsed + seconds left), never decreasing, below 1 until finish().
/// Units are plain doubles; the clock is injectable (seconds since the job started) for tests.
/// Thread-safe: the decomposition reports from several threads.
class RescaledProgress
{
public:
    static constexpr double kPriorShare = 0.05;
    using Clock = std::function<double()>;

    RescaledProgress(std::function<void(double)> report, double decompositionUnits,
                     double calibrationUnits, double calibrationSeconds, Clock clock = {})
        : m_report(std::move(report))
        , m_decomposition(std::max(0.0, decompositionUnits))
        , m_calibration(std::max(0.0, calibrationUnits))
        , m_calibrationSeconds(calibrationSeconds)
        , m_clock(clock ? std::move(clock) : steadyClock())
    {}

    /// Work done: 0..decompositionUnits while decomposing, then up to the sum while calibrating
    /// (the first report past decompositionUnits, or startCalibration(), starts the calibration).
    void at(double done)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const double t = m_clock();
        if (done > m_decomposition && m_calibrationStart < 0)
            startCalibrationLocked(t);
        double left;
        if (m_calibrationStart < 0) {
            const double d = std::clamp(done, 0.0, m_decomposition);
            if (d <= 0.0 || t <= 0.0)
                return emit(0.0);
            const double rate = t / d;
            left = (m_decomposition - d) * rate + calibrationEstimate(rate);
        } else {
            const double c = std::clamp(done - m_decomposition, 0.0, m_calibration);
            const double tc = std::max(0.0, t - m_calibrationStart);
            const double prior = calibrationEstimate(m_decompositionRate);
            // the estimate as a pseudo-observation worth kPriorShare of the calibration
            const double rate =
                (tc + kPriorShare * prior) / std::max(1e-300, c + kPriorShare * m_calibration);
            left = (m_calibration - c) * rate;
        }
        emit(t + left > 0.0 ? t / (t + left) : 0.0);
    }

    /// The decomposition ended (all its units done); later reports are the calibration's.
    void startCalibration()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_calibrationStart < 0)
            startCalibrationLocked(m_clock());
    }

    /// The analysis ended: reports 1.
    void finish()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_last = 1.0;
        if (m_report)
            m_report(1.0);
    }

    double last() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return std::max(0.0, m_last);
    }

private:
    static Clock steadyClock()
    {
        const auto start = std::chrono::steady_clock::now();
        return [start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
    }

    // Seconds the whole calibration takes by the estimate made up front, or at `rate` seconds
    // per unit without one.
    double calibrationEstimate(double rate) const
    {
        return m_calibrationSeconds > 0.0 ? m_calibrationSeconds : m_calibration * rate;
    }

    void startCalibrationLocked(double t)
    {
        m_calibrationStart = t;
        m_decompositionRate = m_decomposition > 0.0 ? t / m_decomposition : 0.0;
    }

    void emit(double f)
    {
        // below 1 until finish(): the last units may still take a while
        f = std::clamp(f, 0.0, 0.999);
        if (f <= m_last)
            return;
        m_last = f;
        if (m_report)
            m_report(f);
    }

    std::function<void(double)> m_report;
    double m_decomposition;
    double m_calibration;
    double m_calibrationSeconds;
    Clock m_clock;
    mutable std::mutex m_mutex;
    double m_calibrationStart = -1.0;
    double m_decompositionRate = 0.0;
    double m_last = -1.0;
};

} // namespace mpq
