#include "cliutil.h"

#include "mpq/error.h"
#include "mpq/report.h"

#include <QCoreApplication>
#include <QString>

#include <atomic>
#include <csignal>
#include <cstdlib>

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onInterrupt(int signal)
{
    g_interrupted = true;
    // A second Ctrl-C while a long step that cannot poll (model loading) runs ends the process.
    if (signal == SIGINT)
        std::signal(SIGINT, SIG_DFL);
}

} // namespace

void installSignalHandlers()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
#ifdef SIGXFSZ
    std::signal(SIGXFSZ, SIG_IGN);
#endif
}

bool interrupted()
{
    return g_interrupted.load();
}

void throwIfInterrupted()
{
    if (interrupted())
        throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
}

bool writeOutputFile(const QString &command, const QString &path, const QByteArray &bytes)
{
    try {
        mpq::writeTextFile(path.toStdString(), bytes.toStdString());
    } catch (const mpq::Error &e) {
        // what() is "<path>: <reason>"
        QString reason = QString::fromStdString(e.what());
        if (reason.startsWith(path + ": "))
            reason = reason.mid(path.size() + 2);
        err() << command << ": cannot write " << path << ": " << reason << Qt::endl;
        return false;
    }
    return true;
}

void beginStage(const QString &command, const QString &stage)
{
    err() << command << ": " << stage << Qt::endl;
    static const QByteArray interruptAt = qgetenv("MPQ_TEST_INTERRUPT_AT");
    if (!interruptAt.isEmpty() && stage == QString::fromUtf8(interruptAt))
        std::raise(SIGINT);
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

bool parseInt(const QCommandLineParser &p, const QString &command, const QString &name, int low,
              int high, int &value)
{
    bool ok = false;
    value = p.value(name).toInt(&ok);
    if (!ok || value < low || value > high) {
        err() << QCoreApplication::translate("mpq",
                                             "%1: --%2 must be an integer from %3 to %4, got '%5'")
                     .arg(command, name)
                     .arg(low)
                     .arg(high)
                     .arg(p.value(name))
              << Qt::endl;
        return false;
    }
    return true;
}

bool parseDouble(const QCommandLineParser &p, const QString &command, const QString &name,
                 double low, double high, double &value)
{
    bool ok = false;
    value = p.value(name).toDouble(&ok);
    if (!ok || !(value >= low && value <= high)) {
        err() << QCoreApplication::translate("mpq",
                                             "%1: --%2 must be a number from %3 to %4, got '%5'")
                     .arg(command, name)
                     .arg(low)
                     .arg(high)
                     .arg(p.value(name))
              << Qt::endl;
        return false;
    }
    return true;
}

int parseChoice(const QCommandLineParser &p, const QString &command, const QString &name,
                const QStringList &words)
{
    const int index = words.indexOf(p.value(name));
    if (index < 0)
        err() << QCoreApplication::translate("mpq", "%1: --%2 must be one of %3, got '%4'")
                     .arg(command, name, words.join(", "), p.value(name))
              << Qt::endl;
    return index;
}

int parseCommandLine(QCommandLineParser &p, const QString &command, const QStringList &arguments)
{
    QStringList args = arguments;
    args.prepend(command);
    if (!p.parse(args)) {
        err() << command << ": " << p.errorText() << Qt::endl;
        return ExitUsage;
    }
    if (p.isSet("help")) {
        out() << p.helpText();
        return ExitOk;
    }
    return -1;
}

QJsonArray stringsJson(const std::vector<std::string> &strings)
{
    QJsonArray out;
    for (const std::string &s : strings)
        out.append(QString::fromStdString(s));
    return out;
}
