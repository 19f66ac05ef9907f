#pragma once
// The one place where the GUI runs core work off its thread (docs/architecture.md, "Long work off
// the GUI thread"). Qt-only header: no torch, no core types beyond the plain JobControl.

#include "mpq/jobcontrol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <any>
#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

template <typename T> class QFutureWatcher;

namespace mpq::studio {

/// Whether F is a std::function (JobRunner::start: a done that may be empty).
template <class F> struct isStdFunction : std::false_type
{
};
template <class S> struct isStdFunction<std::function<S>> : std::true_type
{
};

/// What a job's worker hands back to the GUI thread.
struct JobOutcome
{
    enum class Status { Finished, Failed, Cancelled };
    Status status = Status::Finished;
    std::any value;     ///< the work's result (Finished)
    int errorCode = -1; ///< an mpq::ErrorCode as int (Failed); -1 for a foreign exception
    QString message;    ///< mpq::Error::what() or std::exception::what() (Failed)
};

/// Runs one job at a time for the window: QtConcurrent::run with a QPromise on a private thread
/// pool, watched by a QFutureWatcher on the GUI thread.
///
/// Contracts:
/// - Every job gets an increasing id. Starting a job supersedes the running one: that one is
///   told to cancel and its result, whenever it arrives, is dropped (jobDropped).
/// - The work gets a JobControl: isCancelled() turns true on cancel() or when superseded; the
///   core then throws mpq::Error(Cancelled) at its next poll. cancel() does not wait for that:
///   the job ends as jobCancelled at once, leaving whatever the window showed untouched. Progress
///   and stage are throttled (at most one update per progressInterval) and delivered on the GUI
///   thread with an estimate of the time left from the current stage's rate (timeleft.h).
/// - The work never runs on the GUI thread: the worker checks it, refuses to run the work if
///   it were, and counts the violation (guiThreadViolations(), for tests).
/// - Results are delivered on the GUI thread through `done`, only for the current job.
/// - The destructor cancels every job and waits for the workers.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    /// The type-erased form the runner keeps internally (see start()).
    using Work = std::function<std::any(const mpq::JobControl &control)>;
    using Done = std::function<void(std::any result)>;

    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;

    /// Starts a job; returns its id. `title` is what the status bar says until a stage arrives.
    /// Typed (docs/architecture.md, jobs): `work(const mpq::JobControl &)` runs on a pool thread,
    /// may throw (mpq::Error(Cancelled) counts as a cancellation) and returns a value of some
    /// type T; `done(T)` runs on the GUI thread with it. No caller handles std::any.
    /// `done` may be empty ({}): the result is then dropped.
    template <class WorkFn,
              class T = std::decay_t<std::invoke_result_t<WorkFn &, const mpq::JobControl &>>,
              class DoneFn = std::function<void(T)>>
    int start(const QString &title, WorkFn work, DoneFn done)
    {
        static_assert(std::is_invocable_v<DoneFn &, T>, "done must take the work's result");
        if constexpr (std::is_same_v<T, std::any>) {
            return startErased(title, Work(std::move(work)), Done(std::move(done)));
        } else {
            Done erased;
            // only a std::function or a function pointer can be empty (a lambda converts to
            // bool through its function pointer, which is never null)
            if constexpr (isStdFunction<DoneFn>::value || std::is_pointer_v<DoneFn>) {
                if (!done)
                    erased = nullptr;
                else
                    erased = typedDone<T>(std::move(done));
            } else {
                erased = typedDone<T>(std::move(done));
            }
            return startErased(
                title,
                [work = std::move(work)](const mpq::JobControl &control) mutable {
                    return std::any(work(control));
                },
                std::move(erased));
        }
    }
    /// Stops the current job: it is told to cancel and detached at once (jobCancelled, then
    /// busyChanged(false)); its result is never delivered, and its worker's return is reported
    /// later with jobDropped.
    void cancel();

    bool isBusy() const { return m_current != nullptr; }
    int currentJobId() const;
    /// Jobs whose work was asked to run on the GUI thread (must stay 0).
    int guiThreadViolations() const { return m_violations->load(); }
    /// Core threads each worker uses (mpq::setThreadCount inside the worker).
    void setThreadCount(int threads) { m_threads = threads; }
    void setProgressInterval(int milliseconds) { m_progressIntervalMs = milliseconds; }
    /// Blocks until every worker, superseded and cancelled ones included, has returned.
    void waitForWorkers();

signals:
    void jobStarted(int id, const QString &title);
    /// fraction in [0, 1]; secondsLeft < 0 while unknown.
    void progressChanged(int id, const QString &stage, double fraction, double secondsLeft);
    void jobFinished(int id);
    void jobFailed(int id, int errorCode, const QString &message);
    void jobCancelled(int id);
    /// The worker of a superseded or cancelled job returned; its result was thrown away.
    void jobDropped(int id);
    void busyChanged(bool busy);

private:
    template <class T, class DoneFn> static Done typedDone(DoneFn done)
    {
        return [done = std::move(done)](std::any result) mutable {
            done(std::any_cast<T>(std::move(result)));
        };
    }
    int startErased(const QString &title, Work work, Done done);
    struct Job;
    void onWorkerDone(Job *job);
    void onProgress(int id, double fraction, double seconds);
    void onStage(int id, const QString &stage, double seconds, double fraction);

    QThreadPool m_pool;
    int m_nextId = 1;
    int m_threads = 1;
    int m_progressIntervalMs = 100;
    Job *m_current = nullptr;
    std::vector<std::unique_ptr<Job>> m_jobs; ///< current and superseded, until their worker ends
    std::shared_ptr<std::atomic<int>> m_violations;
};

} // namespace mpq::studio
