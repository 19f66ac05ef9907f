// mpq: the command-line front end of MPQ Studio. Qt Core only; every figure comes from core.
#include "analyzecommand.h"
#include "cliutil.h"
#include "decomposecommand.h"
#include "democommand.h"
#include "diffcommand.h"
#include "evalcommand.h"
#include "exportcommand.h"
#include "sweepcommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

/// One entry per command: `mpq --help` lists them all from here, and main() dispatches from
/// here, so a command cannot exist without its line in the help (tests/app/tst_cli.cpp checks).
struct Command
{
    const char *name;
    const char *summary; ///< one line, translated in context "mpq"
    int (*run)(const QStringList &arguments);
};

const Command kCommands[] = {
    {"analyze",
     QT_TRANSLATE_NOOP("mpq", "Analyse a model on calibration images and allocate points."),
     runAnalyze},
    {"eval", QT_TRANSLATE_NOOP("mpq", "Compare the float and a quantized model on sample images."),
     runEval},
    {"sweep",
     QT_TRANSLATE_NOOP("mpq", "Evaluate every method over a range of memory or MAC budgets."),
     runSweep},
    {"export",
     QT_TRANSLATE_NOOP("mpq", "Write the quantized model: fakequant, expanded, package, report, "
                              "onnx-fakequant or onnx-qdq."),
     runExport},
    {"diff",
     QT_TRANSLATE_NOOP("mpq", "Compare two runs (snapshots or reports): totals, layers, "
                              "predictions."),
     runDiff},
    {"demo",
     QT_TRANSLATE_NOOP("mpq", "Run the built-in demo models end to end and print the results."),
     runDemo},
    {"decompose",
     QT_TRANSLATE_NOOP("mpq", "Decompose a synthetic weight matrix and show error against points."),
     runDecompose},
};

QString usage()
{
    QString commands;
    for (const Command &c : kCommands)
        commands += QStringLiteral("  %1  %2\n")
                        .arg(QString::fromLatin1(c.name), -10)
                        .arg(QCoreApplication::translate("mpq", c.summary));
    return QCoreApplication::translate("mpq", "Usage: mpq COMMAND [OPTIONS]\n"
                                              "\n"
                                              "Post-training multipoint quantization of neural "
                                              "networks.\n"
                                              "\n"
                                              "Commands:\n") +
           commands +
           QCoreApplication::translate(
               "mpq",
               "\n"
               "Options:\n"
               "  -h, --help      Show this help; 'mpq COMMAND --help' shows a command's options.\n"
               "  -v, --version   Show the version.\n"
               "\n"
               "Exit codes: 0 success, 1 usage error, 2 bad input, 3 cancelled, 4 export "
               "verification failed.\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    installSignalHandlers();
    QCoreApplication::setApplicationName(QStringLiteral("mpq"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MPQ_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty()) {
        err << usage();
        return ExitUsage;
    }
    const QString command = args.takeFirst();
    if (command == "-h" || command == "--help" || command == "help") {
        out << usage();
        return ExitOk;
    }
    if (command == "-v" || command == "--version") {
        out << "mpq " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    for (const Command &c : kCommands)
        if (command == QLatin1String(c.name))
            return c.run(args);
    err << QCoreApplication::translate("mpq", "mpq: unknown command '%1'\n\n").arg(command)
        << usage();
    return ExitUsage;
}
