#include "jobrunner.h"

#include "timeleft.h"

#include "mpq/error.h"
#include "mpq/parallel.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QPromise>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace mpq::studio {

struct JobRunner::Job
{
    int id = 0;
    QString title;
    QString stage;
    Done done;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<JobOutcome> *watcher = nullptr; ///< owned; deleted later when the job ends
    TimeLeftEstimator timeLeft; ///< fed with the worker's timestamps (seconds since the start)
};

namespace {

/// The body every job runs on a pool thread. Catches everything: nothing throws through Qt.
void runWork(QPromise<JobOutcome> &promise, const JobRunner::Work &work,
             const mpq::JobControl &control, QThread *guiThread,
             const std::shared_ptr<std::atomic<int>> &violations, int threads)
{
    JobOutcome outcome;
    if (QThread::currentThread() == guiThread) {
        // Never expected (the pool's threads are not the GUI thread); refuse rather than freeze.
        violations->fetch_add(1);
        qCritical("mpq-studio: a job was about to run on the GUI thread; refused");
        outcome.status = JobOutcome::Status::Failed;
        outcome.message = QStringLiteral("internal error: job on the GUI thread");
        promise.addResult(std::move(outcome));
        return;
    }
    try {
        // OpenMP keeps the thread count per calling thread: set it where the work runs.
        mpq::setThreadCount(std::max(1, threads));
        outcome.value = work(control);
        if (control.cancelled())
            outcome.status = JobOutcome::Status::Cancelled;
    } catch (const mpq::Error &e) {
        outcome.status = e.code() == mpq::ErrorCode::Cancelled ? JobOutcome::Status::Cancelled
                                                               : JobOutcome::Status::Failed;
        outcome.errorCode = static_cast<int>(e.code());
        outcome.message = QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        outcome.status = JobOutcome::Status::Failed;
        outcome.message = QString::fromLocal8Bit(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

JobRunner::JobRunner(QObject *parent)
    : QObject(parent)
    , m_violations(std::make_shared<std::atomic<int>>(0))
{
    // The current job plus a few superseded or cancelled ones still winding down.
    m_pool.setMaxThreadCount(4);
}

JobRunner::~JobRunner()
{
    for (const auto &job : m_jobs)
        job->cancel->store(true);
    m_pool.waitForDone();
    for (const auto &job : m_jobs) {
        job->watcher->disconnect(this);
        delete job->watcher;
    }
}

int JobRunner::currentJobId() const
{
    return m_current ? m_current->id : 0;
}

int JobRunner::startErased(const QString &title, Work work, Done done)
{
    const bool wasBusy = isBusy();
    if (m_current)
        m_current->cancel->store(true); // superseded: its result will be dropped
    auto job = std::make_unique<Job>();
    Job *j = job.get();
    j->id = m_nextId++;
    j->title = title;
    j->done = std::move(done);

    mpq::JobControl control;
    const auto cancel = j->cancel;
    control.isCancelled = [cancel] { return cancel->load(std::memory_order_relaxed); };
    // Throttled progress: the core may report from several threads, thousands of times. Each
    // report and stage carries the worker's own time, so a busy GUI thread does not skew the
    // time left; a stage starts at the last fraction reported, throttled or not.
    const auto last = std::make_shared<std::atomic<qint64>>(-1);
    const auto latest = std::make_shared<std::atomic<double>>(0.0);
    const auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    const int id = j->id;
    const qint64 interval = m_progressIntervalMs;
    control.progress = [this, id, last, latest, clock, interval](double fraction) {
        latest->store(fraction, std::memory_order_relaxed);
        const qint64 now = clock->elapsed();
        qint64 previous = last->load();
        if (fraction < 1.0 && previous >= 0 && now - previous < interval)
            return;
        if (!last->compare_exchange_strong(previous, now))
            return;
        QMetaObject::invokeMethod(
            this, [this, id, fraction, now] { onProgress(id, fraction, now / 1000.0); },
            Qt::QueuedConnection);
    };
    control.stage = [this, id, last, latest, clock](const std::string &name) {
        last->store(-1); // the next progress of a new stage always shows
        const QString stage = QString::fromStdString(name);
        const double at = clock->elapsed() / 1000.0;
        const double fraction = latest->load(std::memory_order_relaxed);
        QMetaObject::invokeMethod(
            this, [this, id, stage, at, fraction] { onStage(id, stage, at, fraction); },
            Qt::QueuedConnection);
    };

    j->watcher = new QFutureWatcher<JobOutcome>;
    connect(j->watcher, &QFutureWatcherBase::finished, this, [this, j] { onWorkerDone(j); });
    m_current = j;
    m_jobs.push_back(std::move(job));

    QThread *gui = QCoreApplication::instance() ? QCoreApplication::instance()->thread() : nullptr;
    const auto violations = m_violations;
    const int threads = m_threads;
    j->watcher->setFuture(
        QtConcurrent::run(&m_pool, [work = std::move(work), control, gui, violations,
                                    threads](QPromise<JobOutcome> &promise) {
            runWork(promise, work, control, gui, violations, threads);
        }));
    emit jobStarted(id, title);
    if (!wasBusy)
        emit busyChanged(true);
    return id;
}

void JobRunner::cancel()
{
    if (!m_current)
        return;
    // The core notices at its next poll, which may be a whole calibration batch away (seconds
    // on a detector). The window does not wait for that: the job is detached now, so the
    // window is idle at once and the worker's eventual return is only reported (jobDropped).
    Job *job = m_current;
    job->cancel->store(true);
    m_current = nullptr;
    emit jobCancelled(job->id);
    emit busyChanged(false);
}

void JobRunner::waitForWorkers()
{
    m_pool.waitForDone();
}

void JobRunner::onProgress(int id, double fraction, double seconds)
{
    if (!m_current || m_current->id != id || m_current->cancel->load())
        return;
    // the rate of the current stage, smoothed, once enough of it has run (timeleft.h)
    const double left = m_current->timeLeft.progress(seconds, fraction);
    emit progressChanged(id, m_current->stage.isEmpty() ? m_current->title : m_current->stage,
                         std::clamp(fraction, 0.0, 1.0), left);
}

void JobRunner::onStage(int id, const QString &stage, double seconds, double fraction)
{
    if (m_current && m_current->id == id) {
        m_current->stage = stage;
        m_current->timeLeft.startStage(seconds, fraction);
    }
}

void JobRunner::onWorkerDone(Job *job)
{
    JobOutcome outcome;
    if (job->watcher->future().resultCount() > 0)
        outcome = job->watcher->future().result();
    else
        outcome.status = JobOutcome::Status::Cancelled;
    job->watcher->deleteLater();
    const int id = job->id;
    const bool current = job == m_current;
    const bool cancelled = job->cancel->load();
    Done done = std::move(job->done);
    m_jobs.erase(std::find_if(m_jobs.begin(), m_jobs.end(),
                              [job](const auto &j) { return j.get() == job; }));
    if (!current) {
        emit jobDropped(id);
        return;
    }
    m_current = nullptr;
    if (cancelled || outcome.status == JobOutcome::Status::Cancelled) {
        emit jobCancelled(id);
    } else if (outcome.status == JobOutcome::Status::Failed) {
        emit jobFailed(id, outcome.errorCode, outcome.message);
    } else {
        if (done)
            done(std::move(outcome.value)); // may start the next job
        emit jobFinished(id);
    }
    if (!isBusy())
        emit busyChanged(false);
}

} // namespace mpq::studio
