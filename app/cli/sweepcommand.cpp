#include "sweepcommand.h"

#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

QJsonValue optionalNumber(double v)
{
    return std::isfinite(v) && v >= 0 ? QJsonValue(v) : QJsonValue();
}

} // namespace

int runSweep(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq sweep");
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "mpq", "Sweep memory (or MAC) budgets: for each budget, allocate points by the budget "
               "rule and evaluate every method at that cost on sample images (the float model "
               "runs once for all of them), then print the task metric of each method against "
               "its memory overhead, MAC overhead and effective bits."));
    p.addHelpOption();
    p.addPositionalArgument("MODEL", "Model file: TorchScript (.pt) or ONNX (.onnx).");
    addEvaluationImageOptions(p);
    p.addOption({"budgets", "Budgets as fractions, separated by commas.", "B[,B...]",
                 "0,0.025,0.05,0.1,0.2,0.5"});
    p.addOption({"method",
                 "Methods, separated by commas: multipoint, rtn, rtn-tensor, rtn-next, mse, "
                 "mse-next, ocs, mixed.",
                 "M[,M...]", "multipoint,mixed,ocs,rtn,mse"});
    addSessionOptions(p);
    addAllocationOptions(p);
    p.addOption({"json", "Write the table as JSON to FILE.", "FILE"});
    p.addOption({"out", "Write the table to FILE: CSV for a .csv name, else JSON.", "FILE"});
    // docs/multipoint.md section 8: the rules of task-aware allocation as their own series
    p.addOption({"rules",
                 "Also evaluate multipoint's allocation rules as series of their own: "
                 "unweighted (the paper's), weighted by output sensitivity (with a sensitivity "
                 "analysis) and weighted with each cap of --mac-caps."});
    p.addOption({"mac-caps", "With --rules: MAC caps in percent, separated by commas.",
                 "PCT[,PCT...]", "20"});
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    if (p.positionalArguments().size() != 1 || !p.isSet("images")) {
        err() << command << ": give one MODEL and --images DIR (see --help)" << Qt::endl;
        return ExitUsage;
    }
    if (p.isSet("epsilon") || p.isSet("budget")) {
        err() << command << ": a sweep uses the budget rule over --budgets; give neither "
              << "--epsilon nor --budget" << Qt::endl;
        return ExitUsage;
    }
    SessionOptions options;
    mpq::AllocationSettings allocation;
    if (const int exit = readModelOptions(p, command, options, allocation, p.value("images"));
        exit >= 0)
        return exit;
    int evalCount = 0;
    if (!readEvaluationCount(p, command, evalCount))
        return ExitUsage;
    std::vector<double> budgets;
    for (const QString &text : p.value("budgets").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double b = text.trimmed().toDouble(&ok);
        if (!ok || !(b >= 0) || b > 100) {
            err() << command << ": --budgets: '" << text << "' is not a budget from 0 to 100"
                  << Qt::endl;
            return ExitUsage;
        }
        budgets.push_back(b);
    }
    if (budgets.empty()) {
        err() << command << ": --budgets names no budget" << Qt::endl;
        return ExitUsage;
    }
    std::vector<double> macCaps;
    for (const QString &text : p.value("mac-caps").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double cap = text.trimmed().toDouble(&ok);
        if (!ok || !(cap >= 0)) {
            err() << command << ": --mac-caps: '" << text << "' is not a percentage" << Qt::endl;
            return ExitUsage;
        }
        macCaps.push_back(cap / 100.0);
    }
    try {
        const std::vector<mpq::Method> methods = parseMethods(p.value("method"));
        const Session session = openSession(p.positionalArguments().first(), options, command);
        const mpq::JobControl control = terminalControl(command);
        const mpq::ImageSet images =
            mpq::evaluationImages(p.value("images").toStdString(), evalCount);
        const auto reference =
            mpq::floatPredictions(session.opened, images, options.settings.batchSize, control);
        const std::vector<mpq::SweepVariant> variants =
            p.isSet("rules") ? mpq::sweepVariants(*session.analysis, macCaps)
                             : std::vector<mpq::SweepVariant>{};
        const std::vector<mpq::SweepPoint> points =
            mpq::sweep(session.opened, session.analysis, allocation, budgets, methods, variants,
                       *reference, options.settings.batchSize, control);
        throwIfInterrupted();
        for (const std::string &w : reference->warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        for (const std::string &w : mpq::methodWarnings(points))
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        const QString metric = points.empty()
                                   ? QString()
                                   : QString::fromStdString(points.front().evaluation.metric.name);
        out() << QString("%1, %2 bits, %3 budget\n")
                     .arg(evaluatedImagesText(reference->images.size(), images))
                     .arg(session.analysis->settings.bits)
                     .arg(mpq::toWord(allocation.cost));
        out() << QString("%1  %2  %3  %4  %5  %6\n")
                     .arg("budget", 7)
                     .arg("method", -22)
                     .arg("memory", 8)
                     .arg("MACs", 8)
                     .arg("eff. bits", 9)
                     .arg(metric, 16);
        QJsonArray rows;
        QString csv = QStringLiteral(
            "budget,series,method,memory_overhead,mac_overhead,effective_bits,metric,float_metric,"
            "detail\n");
        for (const mpq::SweepPoint &pt : points) {
            const mpq::MethodEvaluation &e = pt.evaluation;
            const QString series = QString::fromStdString(pt.series);
            out() << QString("%1  %2  %3  %4  %5  %6%7\n")
                         .arg(QString::number(pt.budget * 100, 'f', 1) + " %", 7)
                         .arg(series, -22)
                         .arg(QString::number(e.memoryOverhead * 100, 'f', 1) + " %", 8)
                         .arg(e.macOverhead < 0
                                  ? QString("-")
                                  : QString::number(e.macOverhead * 100, 'f', 1) + " %",
                              8)
                         .arg(e.effectiveBits, 9, 'f', 2)
                         .arg(e.metric.value, 16, 'f', 4)
                         .arg(e.detail.empty() ? QString()
                                               : "  (" + QString::fromStdString(e.detail) + ")");
            QString detail = QString::fromStdString(e.detail);
            detail.replace('"', QStringLiteral("\"\""));
            csv += QString("%1,%2,%3,%4,%5,%6,%7,%8,\"%9\"\n")
                       .arg(pt.budget)
                       .arg(series, mpq::toWord(e.method))
                       .arg(e.memoryOverhead)
                       .arg(std::isfinite(e.macOverhead) && e.macOverhead >= 0
                                ? QString::number(e.macOverhead)
                                : QString())
                       .arg(e.effectiveBits)
                       .arg(e.metric.value)
                       .arg(e.metric.reference)
                       .arg(detail);
            QJsonObject row{{"budget", pt.budget},
                            {"series", series},
                            {"method", mpq::toWord(e.method)},
                            {"memory_overhead", e.memoryOverhead},
                            {"mac_overhead", optionalNumber(e.macOverhead)},
                            {"effective_bits", e.effectiveBits},
                            {"metric", e.metric.value},
                            {"float_metric", e.metric.reference},
                            {"detail", QString::fromStdString(e.detail)}};
            if (e.method == mpq::Method::MixedPrecision)
                row["layers_at_next_bits"] = stringsJson(e.widerLayers);
            rows.append(row);
        }
        out().flush();
        const QJsonObject doc{{"model", QString::fromStdString(session.analysis->modelPath)},
                              {"bits", session.analysis->settings.bits},
                              {"cost", mpq::toWord(allocation.cost)},
                              {"metric", metric},
                              {"images", int(reference->images.size())},
                              {"images_found", int(images.found)},
                              {"points", rows}};
        if (p.isSet("json") &&
            !writeOutputFile(command, p.value("json"), QJsonDocument(doc).toJson()))
            return ExitBadInput;
        if (p.isSet("out")) {
            const QString path = p.value("out");
            const QByteArray bytes = path.endsWith(".csv", Qt::CaseInsensitive)
                                         ? csv.toUtf8()
                                         : QJsonDocument(doc).toJson();
            if (!writeOutputFile(command, path, bytes))
                return ExitBadInput;
        }
    } catch (const mpq::Error &e) {
        return reportError(command, e);
    }
    return ExitOk;
}
