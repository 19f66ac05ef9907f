// mpq: the command-line front end of MPQ Studio. Qt Core only; every figure comes from core.
#include "analyzecommand.h"
#include "cliutil.h"
#include "decomposecommand.h"
#include "democommand.h"
#include "evalcommand.h"
#include "exportcommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

QString usage()
{
    return QCoreApplication::translate(
        "mpq",
        "Usage: mpq COMMAND [OPTIONS]\n"
        "\n"
        "Post-training multipoint quantization of neural networks.\n"
        "\n"
        "Commands:\n"
        "  analyze     Analyse a TorchScript model on calibration images and allocate points.\n"
        "  decompose   Decompose a synthetic weight matrix and show error against points.\n"
        "\n"
        "Options:\n"
        "  -h, --help      Show this help; 'mpq COMMAND --help' shows a command's options.\n"
        "  -v, --version   Show the version.\n"
        "\n"
        "Exit codes: 0 success, 1 usage error, 2 bad input, 3 cancelled, 4 export verification "
        "failed.\n");
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
    if (command == "analyze")
        return runAnalyze(args);
    if (command == "decompose")
        return runDecompose(args);
    if (command == "eval")
        return runEval(args);
    if (command == "demo")
        return runDemo(args);
    if (command == "export")
        return runExport(args);
    err << QCoreApplication::translate("mpq", "mpq: unknown command '%1'\n\n").arg(command)
        << usage();
    return ExitUsage;
}
