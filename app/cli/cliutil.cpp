#include "cliutil.h"

#include <QCoreApplication>

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
