#include "democommand.h"

#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

namespace {

struct DemoModel
{
    QString title;
    QString model;  ///< relative to the samples folder
    QString images; ///< relative to the samples folder
    int calibCount;
};

/// The samples folder: --samples, else the installed copy beside the executable, else the
/// source tree this binary was built from.
QString samplesFolder(const QString &option)
{
    if (!option.isEmpty())
        return option;
    const QString installed =
        QCoreApplication::applicationDirPath() + "/../share/mpq-studio/samples";
    if (QFileInfo::exists(installed))
        return QDir(installed).canonicalPath();
    return QStringLiteral(MPQ_SOURCE_SAMPLES_DIR);
}

struct Row
{
    QString name;
    mpq::MethodEvaluation evaluation;
};

void printRows(const std::vector<Row> &rows, mpq::Task task)
{
    if (task == mpq::Task::Classification)
        out() << QString("  %1  %2  %3  %4  %5  %6  %7\n")
                     .arg("method", -30)
                     .arg("memory", 7)
                     .arg("MACs", 7)
                     .arg("eff. bits", 9)
                     .arg("top-1 float", 11)
                     .arg("top-1 quant.", 20)
                     .arg("agreement", 9);
    else
        out() << QString("  %1  %2  %3  %4  %5\n")
                     .arg("method", -30)
                     .arg("memory", 7)
                     .arg("MACs", 7)
                     .arg("eff. bits", 9)
                     .arg("mAP@0.5 vs float", 16);
    for (const Row &r : rows) {
        const QString cost =
            QString("  %1  %2  %3  %4")
                .arg(r.name, -30)
                .arg(QString::number(r.evaluation.memoryOverhead * 100, 'f', 1) + " %", 7)
                .arg(r.evaluation.macOverhead < 0
                         ? QString("-")
                         : QString::number(r.evaluation.macOverhead * 100, 'f', 1) + " %",
                     7)
                .arg(r.evaluation.effectiveBits, 9, 'f', 2);
        if (task == mpq::Task::Classification) {
            const mpq::ClassificationMetrics &m = r.evaluation.result.classification;
            out() << cost
                  << QString("  %1  %2  %3\n")
                         .arg(QString::number(m.top1Float * 100, 'f', 2) + " %", 11)
                         .arg(QString("%1 % (%2)")
                                  .arg(m.top1Quantized * 100, 0, 'f', 2)
                                  .arg((m.top1Quantized - m.top1Float) * 100, 0, 'f', 2),
                              20)
                         .arg(QString::number(m.agreement * 100, 'f', 2) + " %", 9);
        } else {
            out() << cost << QString("  %1\n").arg(r.evaluation.result.map50VsFloat, 16, 'f', 3);
        }
    }
}

} // namespace

int runDemo(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq demo");
    QCommandLineParser p;
    p.setApplicationDescription(
        QCoreApplication::translate("mpq", "Run the built-in demo end to end: analyse the demo "
                                           "detector (CenterNet, COCO) and the demo "
                                           "classifier (Fashion-MNIST), the classifier also from "
                                           "its ONNX file, on their sample images at 4 "
                                           "bits, and compare round-to-nearest with "
                                           "multipoint under the threshold rule and under a 5 % "
                                           "memory budget, float beside quantized."));
    p.addHelpOption();
    p.addOptions(
        {{"samples", "The samples folder (default: the installed or source-tree samples).", "DIR"},
         {"bits", "Bits of each point, 2..8.", "B", "4"},
         {"threads", "Worker threads.", "N", "1"},
         {"bias-correction",
          "Bias correction for every method (Nagel et al. 2019): on or off (default off).",
          "on|off", "off"},
         {"sensitivity",
          "Measure the output sensitivity and weight the allocation by it (docs/multipoint.md "
          "section 8): on or off.",
          "on|off", mpq::kSensitivityDefault ? "on" : "off"},
         {"mac-cap", "The budget rule's extra MACs at most PCT % (20 = 20 %; default: no cap).",
          "PCT"},
         {"no-cache", "Analyse again even when the analysis cache holds the analysis."}});
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    int bits = 4, threads = 1;
    if (!parseInt(p, command, "bits", 2, 8, bits) ||
        !parseInt(p, command, "threads", 1, 256, threads))
        return ExitUsage;
    const int biasCorrection = parseChoice(p, command, "bias-correction", {"off", "on"});
    if (biasCorrection < 0)
        return ExitUsage;
    const int sensitivity = parseChoice(p, command, "sensitivity", {"off", "on"});
    double macCapPercent = -100.0;
    if (sensitivity < 0 ||
        (p.isSet("mac-cap") && !parseDouble(p, command, "mac-cap", 0.0, 1e6, macCapPercent)))
        return ExitUsage;
    const QString samples = samplesFolder(p.value("samples"));
    const std::vector<DemoModel> demos = {
        {"CenterNet-MobileNetV3, COCO detector", "centernet/centernet_mbv3.pt", "images", 64},
        {"Fashion-MNIST residual classifier", "fashion/fashion_resnet.pt", "fashion/test", 64},
        // the same classifier read from its ONNX twin (torch.onnx.export of the same module;
        // docs/onnx.md, "Demo models"): the same analysis and results as the TorchScript file
        {"Fashion-MNIST residual classifier, from its ONNX file", "fashion/fashion_resnet.onnx",
         "fashion/test", 64},
    };
    try {
        mpq::setThreadCount(threads);
        const mpq::AnalysisCache cache;
        int ran = 0;
        for (const DemoModel &demo : demos) {
            const QString modelPath = samples + "/" + demo.model,
                          imageDir = samples + "/" + demo.images;
            if (!QFileInfo::exists(modelPath)) {
                err() << command << ": " << modelPath << " is missing, skipped" << Qt::endl;
                continue;
            }
            QElapsedTimer timer;
            timer.start();
            const mpq::JobControl control = terminalControl(command);
            const mpq::OpenedModel opened =
                mpq::openModel(modelPath.toStdString(), {}, "cpu", control);
            const mpq::ImageSet images = mpq::evaluationImages(imageDir.toStdString());
            mpq::AnalysisSettings settings;
            settings.bits = bits;
            settings.maxPoints = 4;
            settings.calibCount = demo.calibCount;
            settings.batchSize = 4;
            settings.sensitivity = sensitivity == 1; // docs/multipoint.md section 8
            out() << demo.title << ": " << modelPath
                  << (opened.model->format() == mpq::ModelFormat::Onnx
                          ? " (ONNX, imported into the engine)"
                          : "")
                  << "\n  " << opened.model->layers().size() << " quantizable layers, "
                  << images.files.size() << " sample images in " << imageDir
                  << "; calibrating on up to " << settings.calibCount << " of them at " << bits
                  << " bits, up to 4 points per channel" << Qt::endl;
            const mpq::AnalysisOutcome analysis =
                mpq::analyzeModel(opened, imageDir.toStdString(), settings,
                                  p.isSet("no-cache") ? nullptr : &cache, control);
            if (analysis.fromCache)
                out() << "  analysis loaded from the cache in "
                      << QString::fromStdString(cache.directory()) << " (--no-cache analyses again)"
                      << Qt::endl;
            throwIfInterrupted();
            mpq::AllocationSettings threshold;
            threshold.bits = bits;
            threshold.biasCorrection = biasCorrection == 1; // docs/multipoint.md section 9
            threshold.sensitivityWeighted = sensitivity == 1;
            mpq::AllocationSettings budget = threshold;
            budget.rule = mpq::AllocationRule::Budget;
            budget.budget = 0.05;
            budget.macCap = macCapPercent / 100.0;
            const mpq::Quantization byThreshold =
                mpq::quantize(opened, analysis.analysis, threshold, {}, control);
            const mpq::Quantization byBudget =
                mpq::quantize(opened, analysis.analysis, budget, {}, control);
            const auto reference = mpq::floatPredictions(opened, images, 8, control);
            std::vector<mpq::MethodEvaluation> atBudget = mpq::evaluateMethods(
                opened, byBudget, {mpq::Method::RoundToNearest, mpq::Method::Multipoint},
                *reference, 8, nullptr, control);
            std::vector<mpq::MethodEvaluation> atThreshold = mpq::evaluateMethods(
                opened, byThreshold, {mpq::Method::Multipoint}, *reference, 8, nullptr, control);
            throwIfInterrupted();
            std::vector<Row> rows;
            rows.push_back({"round-to-nearest per channel", std::move(atBudget[0])});
            rows.push_back({QString("multipoint, epsilon %1").arg(threshold.epsilon, 0, 'g', 3),
                            std::move(atThreshold[0])});
            rows.push_back({"multipoint, 5 % memory budget", std::move(atBudget[1])});
            printRows(rows, opened.profile.task);
            out() << QString("  (%1 images evaluated; analysis %2 s%3, all %4 s)\n\n")
                         .arg(rows.front().evaluation.result.images.size())
                         .arg(analysis.analysis->seconds, 0, 'f', 1)
                         .arg(analysis.fromCache ? QString(", cached") : QString())
                         .arg(timer.elapsed() / 1000.0, 0, 'f', 1);
            out().flush();
            ++ran;
        }
        if (ran == 0) {
            err() << command << ": no demo model found under " << samples << " (give --samples DIR)"
                  << Qt::endl;
            return ExitBadInput;
        }
    } catch (const mpq::Error &e) {
        return reportError(command, e);
    }
    return ExitOk;
}
