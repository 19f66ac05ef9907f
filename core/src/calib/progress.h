#pragma once
// The progress of an analysis, re-scaled by the rates measured while it runs (issue 14: "so
// that the fraction and the time left are right within 20 %"; docs/pipeline-benchmark.md,
// "Progress against time").

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

namespace mpq {

/// A stage of a job: its units of work, and its seconds if estimated before it runs (0: none).
struct ProgressStage
{
    double units = 0.0;
    double seconds = 0.0;
};

/// Turns work done, in the analysis' units (docs/multipoint.md section 3: weight-points of the
/// decomposition, layer MACs and output elements of the calibration, forwards of the
/// sensitivity stage), into the fraction of the analysis' time done.
///
/// A fixed exchange rate between a unit of the decomposition and one of the calibration was off
/// by 0.75x to 2x between models (docs/pipeline-benchmark.md), so each stage is timed by itself:
/// - the current stage's units left at its own rate so far; with an estimate of its seconds,
///   that rate is pooled with the estimate's as if the estimate were kPriorShare of the stage's
///   work (a few layer calls say little); a stage after the first without an estimate is
///   estimated at the rate per unit of the stage before it;
/// - every later stage at its estimate, or without one at the current stage's rate per unit;
/// - fraction = elapsed / (elapsed + seconds left), never decreasing, below 1 until finish().
/// Work is reported as a running total over the stages in order; the first stage starts at
/// construction, a later one when the units of the stages before it are all done (or at
/// startStage()). The clock is injectable (seconds since the job started, which may be before
/// the construction: that time is elapsed, but no stage's) for tests. Thread-safe: the
/// decomposition reports from several threads.
class RescaledProgress
{
public:
    static constexpr double kPriorShare = 0.05;
    using Clock = std::function<double()>;

    RescaledProgress(std::function<void(double)> report, std::vector<ProgressStage> stages,
                     Clock clock = {})
        : m_report(std::move(report))
        , m_stages(std::move(stages))
        , m_clock(clock ? std::move(clock) : steadyClock())
    {
        if (m_stages.empty())
            m_stages.push_back({});
        double end = 0.0;
        for (ProgressStage &stage : m_stages) {
            stage.units = std::max(0.0, stage.units);
            end += stage.units;
            m_end.push_back(end);
        }
        // the first stage starts now; the clock may have run before (what the job did before
        // its first unit of work counts in the elapsed time, not in the first stage's rate)
        m_start.assign(m_stages.size(), 0.0);
        m_start[0] = m_clock();
    }

    /// Two stages: the decomposition (no estimate) and the calibration.
    RescaledProgress(std::function<void(double)> report, double decompositionUnits,
                     double calibrationUnits, double calibrationSeconds, Clock clock = {})
        : RescaledProgress(std::move(report),
                           {{decompositionUnits, 0.0}, {calibrationUnits, calibrationSeconds}},
                           std::move(clock))
    {}

    /// Work done so far, summed over the stages in order.
    void at(double done)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const double t = m_clock();
        while (m_current + 1 < m_stages.size() && done >= m_end[m_current] * (1.0 - 1e-12) &&
               done > 0.0)
            startNext(t);
        const ProgressStage &stage = m_stages[m_current];
        const double begin = m_end[m_current] - stage.units;
        const double u = std::clamp(done - begin, 0.0, stage.units);
        const double estimate = estimatedSeconds(m_current);
        double rate = 0.0; // seconds per unit of the current stage
        if (estimate > 0.0)
            rate = (t - m_start[m_current] + kPriorShare * estimate) /
                   std::max(1e-300, u + kPriorShare * stage.units);
        else if (u > 0.0)
            rate = (t - m_start[m_current]) / u;
        else
            return emit(0.0);
        double left = (stage.units - u) * rate;
        for (std::size_t k = m_current + 1; k < m_stages.size(); ++k)
            left += m_stages[k].seconds > 0.0 ? m_stages[k].seconds : m_stages[k].units * rate;
        emit(t + left > 0.0 ? t / (t + left) : 0.0);
    }

    /// Stage k starts now (if it has not yet), and every stage before it has ended.
    void startStage(std::size_t k)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const double t = m_clock();
        while (m_current < k && m_current + 1 < m_stages.size())
            startNext(t);
    }
    void startCalibration() { startStage(1); }

    /// The job ended: reports 1.
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

    // Seconds stage k takes by its estimate, or for a stage after the first without one at the
    // rate per unit of the stage before it; 0: unknown.
    double estimatedSeconds(std::size_t k) const
    {
        if (m_stages[k].seconds > 0.0)
            return m_stages[k].seconds;
        return k > 0 ? m_stages[k].units * m_previousRate : 0.0;
    }

    void startNext(double t)
    {
        const double units = m_stages[m_current].units;
        if (units > 0.0)
            m_previousRate = (t - m_start[m_current]) / units;
        ++m_current;
        m_start[m_current] = t;
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
    std::vector<ProgressStage> m_stages;
    Clock m_clock;
    std::vector<double> m_end;   // running total of the units at the end of each stage
    std::vector<double> m_start; // when each stage started
    mutable std::mutex m_mutex;
    std::size_t m_current = 0;
    double m_previousRate = 0.0; // seconds per unit of the stage before the current one
    double m_last = -1.0;
};

/// Corrects the estimated units of a job's steps by the seconds they took (issue 14: within a
/// calibration batch the estimate was off by up to 2x per layer, docs/pipeline-benchmark.md,
/// "Progress against time"). Steps are grouped by key (a layer and a kind of step). Until the
/// first update() every step counts its estimate; after it, its estimate times its key's
/// seconds per estimated unit over all keys', from every step recorded so far. A step's seconds
/// are those since the previous step or restart(). Clock injectable (seconds) for tests; not
/// thread-safe (the calibration's steps run on the forward's thread).
class StepRates
{
public:
    using Clock = std::function<double()>;

    explicit StepRates(std::size_t keys, Clock clock = {})
        : m_seconds(keys, 0.0)
        , m_units(keys, 0.0)
        , m_clock(clock ? std::move(clock) : steadyClock())
        , m_last(m_clock())
    {}

    /// The time until the next step is not a step's (a batch's images being read).
    void restart() { m_last = m_clock(); }

    /// Step `key` of `units` estimated units ended now; returns its corrected units.
    double step(std::size_t key, double units)
    {
        const double t = m_clock();
        m_seconds[key] += t - m_last;
        m_units[key] += units;
        m_last = t;
        return m_factor.empty() ? units : units * m_factor[key];
    }

    /// The factors from every step so far (after each batch).
    void update()
    {
        double seconds = 0.0, units = 0.0;
        for (std::size_t key = 0; key < m_seconds.size(); ++key) {
            seconds += m_seconds[key];
            units += m_units[key];
        }
        m_factor.assign(m_seconds.size(), 1.0);
        if (seconds > 0.0 && units > 0.0)
            for (std::size_t key = 0; key < m_seconds.size(); ++key)
                if (m_units[key] > 0.0)
                    m_factor[key] = (m_seconds[key] / m_units[key]) / (seconds / units);
    }

private:
    static Clock steadyClock()
    {
        const auto start = std::chrono::steady_clock::now();
        return [start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
    }

    std::vector<double> m_seconds, m_units, m_factor;
    Clock m_clock;
    double m_last = 0.0;
};

} // namespace mpq
