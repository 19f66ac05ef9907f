#include "analyzecommand.h"

#include "modelsession.h"
#include "report.h"

#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/profile.h"
#include "mpq/report.h"

#include <QCoreApplication>
#include <QFileInfo>

int runAnalyze(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq analyze");
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "mpq", "Analyse a TorchScript or ONNX model on calibration images: "
               "decompose every conv/linear weight into "
               "multipoint sums, measure each channel's output error "
               "against the number of points, allocate "
               "points by an error threshold or a total budget, and "
               "print the per-layer table and totals."));
    p.addHelpOption();
    p.addPositionalArgument("MODEL", "Model file: TorchScript (.pt) or ONNX (.onnx).");
    addSessionOptions(p);
    addAllocationOptions(p);
    p.addOptions({
        {"json", "Write the figures as JSON to FILE.", "FILE"},
        {"save",
         "Save the analysis (and the allocation settings) to FILE, to reuse with --analysis.",
         "FILE"},
    });
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    if (p.positionalArguments().size() != 1) {
        err() << command << ": give exactly one MODEL (see --help)" << Qt::endl;
        return ExitUsage;
    }
    SessionOptions options;
    mpq::AllocationSettings allocation;
    if (const int exit = readModelOptions(p, command, options, allocation); exit >= 0)
        return exit;

    try {
        const Session session = openSession(p.positionalArguments().first(), options, command);
        const mpq::Quantization q = quantizeSession(session, allocation, command);
        printTable(out(), *session.analysis, q.allocation, q.settings);
        for (const std::string &w : session.analysis->warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        for (const std::string &w : q.allocation.warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        throwIfInterrupted(); // nothing is written after Ctrl-C
        if (p.isSet("json")) {
            if (!writeOutputFile(command, p.value("json"),
                                 QByteArray::fromStdString(
                                     mpq::reportJson(*session.analysis, q.allocation, q.settings))))
                return ExitBadInput;
        }
        if (p.isSet("save"))
            mpq::saveAnalysis(*session.analysis, &q.settings, p.value("save").toStdString());
    } catch (const mpq::Error &e) {
        return reportError(command, e);
    }
    return ExitOk;
}
