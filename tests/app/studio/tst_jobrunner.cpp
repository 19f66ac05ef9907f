// JobRunner: progress, cancellation, superseded jobs, errors, and the GUI-thread rule.

#include "jobrunner.h"

#include "mpq/error.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using mpq::studio::JobRunner;

namespace {

/// Work that runs until cancelled (or for `limitMs`), polling like the core does.
std::any untilCancelled(const mpq::JobControl &control, int limitMs, bool throwOnCancel)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < limitMs) {
        if (control.cancelled()) {
            if (throwOnCancel)
                throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
            break;
        }
        QThread::msleep(2);
    }
    return std::any(QStringLiteral("late"));
}

} // namespace

class TestJobRunner : public QObject
{
    Q_OBJECT

private slots:
    void progressArrivesThrottled()
    {
        JobRunner runner;
        runner.setProgressInterval(20);
        QSignalSpy progress(&runner, &JobRunner::progressChanged);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        QSignalSpy busy(&runner, &JobRunner::busyChanged);
        int result = 0;
        const int id = runner.start(
            QStringLiteral("counting"),
            [](const mpq::JobControl &control) {
                control.stage("counting");
                for (int i = 1; i <= 20000; ++i) {
                    control.progress(i / 20000.0);
                    if (i % 1000 == 0)
                        QThread::msleep(10);
                }
                return std::any(42);
            },
            [&result](std::any value) { result = std::any_cast<int>(value); });
        QVERIFY(id > 0);
        QVERIFY(runner.isBusy());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.front().at(0).toInt(), id);
        QCOMPARE(result, 42);
        QVERIFY(!runner.isBusy());
        QCOMPARE(busy.count(), 2); // true, then false
        QVERIFY(progress.count() >= 2);
        QVERIFY2(progress.count() < 200, "progress must be throttled");
        double last = -1;
        for (const auto &args : progress) {
            QCOMPARE(args.at(0).toInt(), id);
            QCOMPARE(args.at(1).toString(), QStringLiteral("counting"));
            const double f = args.at(2).toDouble();
            QVERIFY(f >= last && f <= 1.0);
            last = f;
        }
        QCOMPARE(last, 1.0); // the final fraction always arrives
    }

    void cancelKeepsPreviousResult()
    {
        JobRunner runner;
        QString shown;
        const auto show = [&shown](std::any v) { shown = std::any_cast<QString>(v); };
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        runner.start(
            QStringLiteral("first"),
            [](const mpq::JobControl &) { return std::any(QStringLiteral("first")); }, show);
        QVERIFY(finished.wait(5000));
        QCOMPARE(shown, QStringLiteral("first"));

        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        QSignalSpy dropped(&runner, &JobRunner::jobDropped);
        QSignalSpy busy(&runner, &JobRunner::busyChanged);
        const int id = runner.start(
            QStringLiteral("long"),
            [](const mpq::JobControl &c) { return untilCancelled(c, 60000, true); }, show);
        QTest::qWait(50);
        QVERIFY(runner.isBusy());
        runner.cancel();
        // At once: the job is detached; the window does not wait for the worker's next poll.
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(cancelled.front().at(0).toInt(), id);
        QVERIFY(!runner.isBusy());
        QCOMPARE(busy.last().at(0).toBool(), false);
        QCOMPARE(shown, QStringLiteral("first"));
        // The worker stops at its next poll (every 2 ms; 5 s only guards against a hang).
        QVERIFY(dropped.wait(5000));
        QCOMPARE(dropped.front().at(0).toInt(), id);
        QCOMPARE(shown, QStringLiteral("first"));
        QCOMPARE(finished.count(), 1);
    }

    void cancelAfterWorkReturnedNormallyStillDropsResult()
    {
        JobRunner runner;
        bool delivered = false;
        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        runner.start(
            QStringLiteral("ignores cancel"),
            [](const mpq::JobControl &c) { return untilCancelled(c, 60000, false); },
            [&delivered](std::any) { delivered = true; });
        QSignalSpy dropped(&runner, &JobRunner::jobDropped);
        QTest::qWait(20);
        runner.cancel();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(dropped.wait(5000)); // the work returned a value after all: thrown away
        QVERIFY(!delivered);
    }

    void supersededResultIsDropped()
    {
        JobRunner runner;
        QStringList delivered;
        const auto record = [&delivered](std::any v) { delivered << std::any_cast<QString>(v); };
        QSignalSpy dropped(&runner, &JobRunner::jobDropped);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        QSignalSpy busy(&runner, &JobRunner::busyChanged);
        // The old job does not throw when told to stop: it returns a result, which must still
        // be thrown away.
        const int old = runner.start(
            QStringLiteral("old"),
            [](const mpq::JobControl &c) { return untilCancelled(c, 3000, false); }, record);
        QTest::qWait(20);
        const int fresh = runner.start(
            QStringLiteral("new"),
            [](const mpq::JobControl &) {
                QThread::msleep(100);
                return std::any(QStringLiteral("new"));
            },
            record);
        QVERIFY(fresh > old);
        QCOMPARE(runner.currentJobId(), fresh);
        QVERIFY(finished.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(dropped.count(), 1, 5000);
        QCOMPARE(dropped.front().at(0).toInt(), old);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.front().at(0).toInt(), fresh);
        QCOMPARE(delivered, QStringList{QStringLiteral("new")});
        QCOMPARE(busy.count(), 2); // one busy period across both jobs
    }

    void failureReportsTheMessage()
    {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::jobFailed);
        bool delivered = false;
        runner.start(
            QStringLiteral("bad"),
            [](const mpq::JobControl &) -> std::any {
                throw mpq::Error(mpq::ErrorCode::BadModel, "/tmp/x.pt: not a TorchScript file");
            },
            [&delivered](std::any) { delivered = true; });
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.front().at(1).toInt(), static_cast<int>(mpq::ErrorCode::BadModel));
        QCOMPARE(failed.front().at(2).toString(),
                 QStringLiteral("/tmp/x.pt: not a TorchScript file"));
        QVERIFY(!delivered);
        QVERIFY(!runner.isBusy());
    }

    void workNeverRunsOnTheGuiThread()
    {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        std::atomic<QThread *> workThread{nullptr};
        QThread *doneThread = nullptr;
        runner.start(
            QStringLiteral("where"),
            [&workThread](const mpq::JobControl &c) {
                workThread = QThread::currentThread();
                c.progress(0.5);
                return std::any(1);
            },
            [&doneThread](std::any) { doneThread = QThread::currentThread(); });
        QVERIFY(finished.wait(5000));
        QVERIFY(workThread.load() != nullptr);
        QVERIFY(workThread.load() != QCoreApplication::instance()->thread());
        QCOMPARE(doneThread, QCoreApplication::instance()->thread());
        QCOMPARE(runner.guiThreadViolations(), 0);
    }

    void destructorStopsRunningWork()
    {
        // Set by the work itself: it started, it saw the cancel request, and it has ended (a
        // guard's destructor runs however the work leaves: by returning or by throwing). Shared,
        // so that a runner that fails to wait cannot make the work write to a dead stack frame.
        struct State
        {
            std::atomic<bool> started{false}, sawCancel{false}, ended{false}, returned{false};
        };
        const auto state = std::make_shared<State>();
        {
            JobRunner runner;
            runner.start(QStringLiteral("long"),
                         [state](const mpq::JobControl &c) {
                             struct EndMark
                             {
                                 State &s;
                                 ~EndMark()
                                 {
                                     // Linger after the cancel: a destructor that returns
                                     // without waiting for the work finds `ended` still false.
                                     QThread::msleep(200);
                                     s.ended = true;
                                 }
                             } mark{*state};
                             state->started = true;
                             try {
                                 auto r = untilCancelled(c, 60000, true);
                                 state->returned = true;
                                 return r;
                             } catch (const mpq::Error &) {
                                 state->sawCancel = c.cancelled();
                                 throw;
                             }
                         },
                         {});
            QTRY_VERIFY_WITH_TIMEOUT(state->started.load(), 10000);
            QVERIFY(!state->ended.load());
            // ~JobRunner runs here: it must cancel the work and wait until it has ended
        }
        QVERIFY2(state->ended.load(), "~JobRunner returned while its work was still running");
        QVERIFY(state->sawCancel.load()); // stopped by the cancel request...
        QVERIFY(!state->returned.load()); // ...not by running to its 60 s limit
    }
};

QTEST_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
