#include "evalcommand.h"

#include "modelsession.h"
#include "report.h"

#include "mpq/error.h"
#include "mpq/evaluation.h"
#include "mpq/images.h"
#include "mpq/methods.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"
#include "mpq/vocabulary.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

QString percent(double v)
{
    return QString::number(v * 100, 'f', 2) + " %";
}

QJsonValue number(double v)
{
    return v < 0 || !std::isfinite(v) ? QJsonValue() : QJsonValue(v);
}

QJsonArray detectionsJson(const std::vector<mpq::Detection> &dets,
                          const std::vector<std::string> &labels)
{
    QJsonArray out;
    for (const mpq::Detection &d : dets)
        out.append(QJsonObject{{"label", d.label >= 0 && d.label < int(labels.size())
                                             ? QString::fromStdString(labels[d.label])
                                             : QString::number(d.label)},
                               {"score", d.score},
                               {"box", QJsonArray{d.x1, d.y1, d.x2, d.y2}}});
    return out;
}

/// Prints one method's figures and metrics as `mpq eval` always has, and returns its JSON.
QJsonObject printEvaluation(const Session &session, const mpq::Quantization &q,
                            const mpq::MethodEvaluation &e, const mpq::ImageSet &images)
{
    const mpq::EvaluationResult &r = e.result;
    out() << QString("method %1%2 at %3 bits: %4 % memory overhead, effective bits %5\n")
                 .arg(mpq::toWord(e.method))
                 .arg(e.detail.empty() ? QString() : " (" + QString::fromStdString(e.detail) + ")")
                 .arg(session.analysis->settings.bits)
                 .arg(e.memoryOverhead * 100, 0, 'f', 1)
                 .arg(e.effectiveBits, 0, 'f', 2);
    if (!e.widerLayers.empty()) {
        // the names, comma-separated, wrapped at about 100 characters (continuations indented)
        QString line = QString("layers at %1 bits:").arg(session.analysis->settings.bits + 1);
        bool named = false; // a name on this line already
        for (std::size_t k = 0; k < e.widerLayers.size(); ++k) {
            const QString name = QString::fromStdString(e.widerLayers[k]) +
                                 (k + 1 < e.widerLayers.size() ? "," : "");
            if (named && line.size() + 1 + name.size() > 100) {
                out() << line << "\n";
                line = " ";
            }
            line += " " + name;
            named = true;
        }
        out() << line << "\n";
    }
    if (e.method == mpq::Method::Multipoint) {
        printTable(out(), *session.analysis, q.allocation, q.settings);
        out() << QString("allocation: %1, %2 % MAC overhead\n")
                     .arg(
                         q.settings.rule == mpq::AllocationRule::Threshold
                             ? QString("threshold rule, epsilon %1")
                                   .arg(q.settings.epsilon, 0, 'g', 3)
                             : QString("budget rule, %1 %").arg(q.settings.budget * 100, 0, 'f', 1))
                     .arg(q.allocation.macOverhead * 100, 0, 'f', 1);
    }
    QJsonObject metricsFloat, metricsQuant;
    QJsonArray predictions;
    out() << QString("%1\n%2  %3  %4\n")
                 .arg(evaluatedImagesText(r.images.size(), images))
                 .arg("", -22)
                 .arg("float", 10)
                 .arg("quantized", 18);
    if (r.task == mpq::Task::Classification) {
        const mpq::ClassificationMetrics &m = r.classification;
        if (m.labelled > 0) {
            out() << QString("%1  %2  %3 (%4)\n")
                         .arg(QString("top-1 (%1 labelled)").arg(m.labelled), -22)
                         .arg(percent(m.top1Float), 10)
                         .arg(percent(m.top1Quantized), 9)
                         .arg((m.top1Quantized - m.top1Float) * 100, 0, 'f', 2);
            out() << QString("%1  %2  %3 (%4)\n")
                         .arg("top-5", -22)
                         .arg(percent(m.top5Float), 10)
                         .arg(percent(m.top5Quantized), 9)
                         .arg((m.top5Quantized - m.top5Float) * 100, 0, 'f', 2);
            metricsFloat = {{"top1", m.top1Float}, {"top5", m.top5Float}};
            metricsQuant = {{"top1", m.top1Quantized}, {"top5", m.top5Quantized}};
        }
        out() << QString("%1  %2  %3\n")
                     .arg("agreement (top-1)", -22)
                     .arg("", 10)
                     .arg(percent(m.agreement), 9);
        out() << QString("%1  %2  %3\n")
                     .arg("mean KL (nats)", -22)
                     .arg("", 10)
                     .arg(m.meanKl, 9, 'g', 3);
        metricsQuant["agreement"] = m.agreement;
        metricsQuant["kl"] = m.meanKl;
        for (const mpq::ImagePrediction &ip : r.images) {
            auto top = [](const std::vector<float> &v) {
                return int(std::max_element(v.begin(), v.end()) - v.begin());
            };
            predictions.append(QJsonObject{{"file", QString::fromStdString(ip.file)},
                                           {"label", ip.label},
                                           {"float_top1", top(ip.floatProbabilities)},
                                           {"quantized_top1", top(ip.quantizedProbabilities)}});
        }
    } else {
        out() << QString("%1  %2  %3\n")
                     .arg("mAP@0.5 vs float", -22)
                     .arg("", 10)
                     .arg(r.map50VsFloat < 0 ? QString("n/a (no float detections)")
                                             : QString::number(r.map50VsFloat, 'f', 3),
                          9);
        metricsQuant["map50_vs_float"] = number(r.map50VsFloat);
        if (r.annotatedImages > 0) {
            out() << QString("%1  %2  %3\n")
                         .arg(QString("mAP@0.5 (%1 annotated)").arg(r.annotatedImages), -22)
                         .arg(r.map50Float, 10, 'f', 3)
                         .arg(r.map50Quantized, 9, 'f', 3);
            metricsFloat["map50"] = number(r.map50Float);
            metricsQuant["map50"] = number(r.map50Quantized);
        }
        for (const mpq::ImagePrediction &ip : r.images)
            predictions.append(QJsonObject{
                {"file", QString::fromStdString(ip.file)},
                {"float", detectionsJson(ip.floatDetections, session.profile().labels)},
                {"quantized", detectionsJson(ip.quantizedDetections, session.profile().labels)}});
    }
    QJsonObject json{{"model", QString::fromStdString(session.analysis->modelPath)},
                     {"method", mpq::toWord(e.method)},
                     {"bits", session.analysis->settings.bits},
                     {"cost", QJsonObject{{"memory_overhead", e.memoryOverhead},
                                          {"mac_overhead", number(e.macOverhead)},
                                          {"effective_bits", e.effectiveBits}}},
                     {"detail", QString::fromStdString(e.detail)},
                     {"metrics", QJsonObject{{"float", metricsFloat}, {"quantized", metricsQuant}}},
                     {"images", predictions},
                     {"images_found", int(images.found)}};
    if (e.method == mpq::Method::MixedPrecision)
        json["layers_at_next_bits"] = stringsJson(e.widerLayers);
    return json;
}

} // namespace

int runEval(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq eval");
    QCommandLineParser p;
    p.setApplicationDescription(
        QCoreApplication::translate("mpq", "Run the float model and a quantized version side by "
                                           "side on sample images and compare them: "
                                           "top-1/top-5 against folder labels, agreement and KL "
                                           "divergence for classifiers; mAP@0.5 against "
                                           "the float detections (and against Pascal VOC "
                                           "annotations in DIR/Annotations) for detectors."));
    p.addHelpOption();
    p.addPositionalArgument("MODEL", "Model file: TorchScript (.pt) or ONNX (.onnx).");
    addEvaluationImageOptions(p);
    p.addOption(
        {"method",
         "One or several of multipoint, rtn, rtn-tensor, rtn-next, mse, mse-next, ocs, mixed, "
         "separated by commas "
         "(baselines at the multipoint memory overhead where that applies); the float model "
         "runs once for all of them.",
         "M[,M...]", "multipoint"});
    addSessionOptions(p);
    addAllocationOptions(p);
    p.addOption({"json",
                 "Write the metrics and per-image predictions as JSON to FILE (with several "
                 "methods: {\"methods\": [one such object per method]}).",
                 "FILE"});
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    if (p.positionalArguments().size() != 1 || !p.isSet("images")) {
        err() << command << ": give one MODEL and --images DIR (see --help)" << Qt::endl;
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
    try {
        const std::vector<mpq::Method> methods = parseMethods(p.value("method"));
        if (!p.isSet("calib") && !p.isSet("analysis"))
            out() << "calibration: up to " << options.settings.calibCount << " images drawn (seed "
                  << options.settings.seed << ") from " << p.value("images") << Qt::endl;
        const Session session = openSession(p.positionalArguments().first(), options, command);
        const mpq::Quantization q = quantizeSession(session, allocation, command);
        const mpq::JobControl control = terminalControl(command);
        const mpq::ImageSet images =
            mpq::evaluationImages(p.value("images").toStdString(), evalCount);
        const auto reference =
            mpq::floatPredictions(session.opened, images, options.settings.batchSize, control);
        const std::vector<mpq::MethodEvaluation> evaluations = mpq::evaluateMethods(
            session.opened, q, methods, *reference, options.settings.batchSize, nullptr, control);
        throwIfInterrupted();
        for (const std::string &w : reference->warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        for (const std::string &w : q.allocation.warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        for (const std::string &w : mpq::methodWarnings(evaluations))
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        QJsonArray docs;
        for (const mpq::MethodEvaluation &e : evaluations)
            docs.append(printEvaluation(session, q, e, images));
        out().flush();
        if (p.isSet("json")) {
            const QJsonObject doc =
                docs.size() == 1
                    ? docs.first().toObject()
                    : QJsonObject{{"model", QString::fromStdString(session.analysis->modelPath)},
                                  {"bits", session.analysis->settings.bits},
                                  {"methods", docs}};
            if (!writeOutputFile(command, p.value("json"), QJsonDocument(doc).toJson()))
                return ExitBadInput;
        }
    } catch (const mpq::Error &e) {
        return reportError(command, e);
    }
    return ExitOk;
}
