#pragma once
// Shared by the core's hardening suites (tst_hardening_core, tst_hardening_files): file helpers,
// running a function in a forked child (a crash fails one row, and the child's peak memory is
// measured), and a fixture that counts the bad-input cases and checks each error's code, file and
// problem.
#include "../core/testmodels.h"

#include "mpq/error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hardening {

inline void writeBytes(const QString &path, const std::string &bytes)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
}

inline std::string readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

inline QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden, QDir::Name);
}

/// What a function did in a forked child: the mpq::Error it threw (code, message), or none.
struct ChildOutcome
{
    bool exited = false;   ///< false: the child died from a signal (a crash)
    int signal = 0;        ///< the signal that ended it, when !exited
    bool threw = false;    ///< it threw mpq::Error
    bool foreign = false;  ///< it threw something else (a contract violation)
    int code = -1;         ///< the ErrorCode when threw
    std::string message;   ///< what()
    long peakGrowthKb = 0; ///< child's peak resident set minus the parent's resident set
};

inline long residentKb()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/// Runs fn in a child process (with setup, e.g. setrlimit, before it) and reports the outcome.
inline ChildOutcome inChild(const std::function<void()> &fn,
                            const std::function<void()> &setup = {})
{
    ChildOutcome o;
    int fds[2];
    if (pipe(fds) != 0)
        return o;
    const long parentKb = residentKb();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (setup)
            setup();
        std::string report = "none\n";
        try {
            fn();
        } catch (const mpq::Error &e) {
            report = "error\n" + std::to_string(int(e.code())) + "\n" + e.what();
        } catch (const std::exception &e) {
            report = std::string("foreign\n-1\n") + e.what();
        }
        std::size_t done = 0;
        while (done < report.size()) {
            const ssize_t n = write(fds[1], report.data() + done, report.size() - done);
            if (n <= 0)
                break;
            done += std::size_t(n);
        }
        _exit(0);
    }
    close(fds[1]);
    std::string report;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
        report.append(buffer, std::size_t(n));
    close(fds[0]);
    int status = 0;
    struct rusage usage = {};
    wait4(pid, &status, 0, &usage);
    o.exited = WIFEXITED(status);
    o.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    o.peakGrowthKb = usage.ru_maxrss - parentKb;
    const std::size_t a = report.find('\n');
    const std::string kind = report.substr(0, a);
    o.threw = kind == "error";
    o.foreign = kind == "foreign";
    if (o.threw || o.foreign) {
        const std::size_t b = report.find('\n', a + 1);
        o.code = std::atoi(report.substr(a + 1, b - a - 1).c_str());
        o.message = report.substr(b + 1);
    }
    return o;
}

class HardeningFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    int m_cases = 0;
    std::string m_model; // a valid TorchScript file's bytes

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void expectError(const std::function<void()> &fn, mpq::ErrorCode code, const QString &file,
                     const QString &problem)
    {
        ++m_cases;
        try {
            fn();
        } catch (const mpq::Error &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(e.code() == code,
                     qPrintable(QString("code %1 for: %2").arg(int(e.code())).arg(what)));
            QVERIFY2(what.contains(file), qPrintable("does not name the file: " + what));
            QVERIFY2(what.contains(problem), qPrintable("does not say '" + problem + "': " + what));
            return;
        } catch (const std::exception &e) {
            QFAIL(qPrintable(QString("not an mpq::Error: ") + e.what()));
        }
        QFAIL("no error");
    }

    /// What initTestCase does: a valid TorchScript model (conv.pt, its bytes in m_model) and a
    /// folder named like a model.
    void setUpCase()
    {
        QVERIFY(m_dir.isValid());
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 3);
        m_model = readBytes(path("conv.pt"));
        QVERIFY(m_model.size() > 1000);
        QVERIFY(QDir().mkpath(path("folder.pt")));
    }
};

} // namespace hardening
