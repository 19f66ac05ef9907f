#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/images.h"
#include "mpq/parallel.h"
#include "mpq/vocabulary.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <unistd.h>

mpq::JobControl terminalControl(const QString &command)
{
    mpq::JobControl control;
    control.isCancelled = [] { return interrupted(); };
    control.stage = [command](const std::string &name) {
        beginStage(command, QString::fromStdString(name));
    };
    if (isatty(STDERR_FILENO)) {
        auto stage = std::make_shared<QString>();
        auto last = std::make_shared<int>(-1);
        control.stage = [command, stage, last](const std::string &name) {
            beginStage(command, QString::fromStdString(name));
            *stage = QString::fromStdString(name);
            *last = -1;
        };
        control.progress = [stage, last](double f) {
            const int percent = static_cast<int>(f * 100);
            if (percent != *last) {
                *last = percent;
                err() << "\r" << *stage << " " << percent << " %   "
                      << (percent == 100 ? "\n" : "");
                err().flush();
            }
        };
    }
    return control;
}

void addSessionOptions(QCommandLineParser &p)
{
    p.addOptions({
        {"calib", "Folder of calibration images (searched recursively).", "DIR"},
        {"profile", "Model profile JSON (default: MODEL.profile.json beside the model).", "FILE"},
        {"analysis",
         "Use this saved analysis instead of computing one (must match model and settings).",
         "FILE"},
        {"bits", "Bits of each point, 2..8.", "B", "4"},
        {"max-points", "Most points per channel, 1..16.", "N", "8"},
        {"calib-count", "Calibration images used, at most.", "M", "64"},
        {"search", "Scale search: exact or grid.", "METHOD", "exact"},
        {"first-point", "First point: l2, max or output-best.", "RULE", "l2"},
        {"rounding",
         "Rounding of each point's codes: nearest, or output-aware (each rounding error fed "
         "back through the layer's input correlations, measured in one more pass over the "
         "calibration images; also for mixed precision; a layer with more than 8192 inputs per "
         "channel is rounded to nearest, with a warning; docs/multipoint.md section 10).",
         "RULE", "nearest"},
        {"extra-point-bits",
         "Bits of each point after a channel's first: 1 (sign points, codes -1 and +1) up to "
         "the bits; an extra point then costs that many bits per weight instead of B "
         "(docs/multipoint.md section 11). Default: the same as --bits (the paper).",
         "E"},
        {"half-step-pair",
         "With one-bit extra points: round each channel's first two points together as a "
         "(B+1)-bit grid less one level (a B-bit point at twice the step and a point of codes 0 "
         "and 1), keeping its best single point for channels given one point "
         "(docs/multipoint.md section 12): on or off.",
         "on|off", "off"},
        {"act-bits", "Fake-quantize layer inputs to B bits when the quantized model runs (0: off).",
         "B", "0"},
        {"batch-size", "Images per forward pass.", "N", "8"},
        {"seed", "Seed of the choice of calibration images.", "S", "0"},
        {"sensitivity",
         "Measure each channel's output sensitivity in the analysis and weight the allocation "
         "by it (docs/multipoint.md section 8): on or off.",
         "on|off", mpq::kSensitivityDefault ? "on" : "off"},
        {"threads", "Worker threads.", "N", "1"},
        {"device", "LibTorch device: cpu, cuda, cuda:1 ...", "D", "cpu"},
    });
}

bool readSessionOptions(const QCommandLineParser &p, const QString &command, SessionOptions &o,
                        const QString &defaultCalib)
{
    int seed = 0;
    if (!parseInt(p, command, "bits", 2, 8, o.settings.bits) ||
        !parseInt(p, command, "max-points", 1, 16, o.settings.maxPoints) ||
        !parseInt(p, command, "calib-count", 1, 1000000, o.settings.calibCount) ||
        !parseInt(p, command, "batch-size", 1, 4096, o.settings.batchSize) ||
        !parseInt(p, command, "seed", 0, 1 << 30, seed) ||
        !parseInt(p, command, "threads", 1, 256, o.threads))
        return false;
    o.settings.seed = static_cast<std::uint64_t>(seed);
    if (p.isSet("extra-point-bits") &&
        !parseInt(p, command, "extra-point-bits", 1, o.settings.bits, o.settings.extraPointBits))
        return false;
    if (!parseInt(p, command, "act-bits", 0, 16, o.settings.activationBits))
        return false;
    if (o.settings.activationBits == 1) {
        err() << command << ": --act-bits must be 0 (off) or 2..16" << Qt::endl;
        return false;
    }
    if (!parseWord(p, command, "search", o.settings.search) ||
        !parseWord(p, command, "first-point", o.settings.firstPoint) ||
        !parseWord(p, command, "rounding", o.settings.rounding))
        return false;
    // docs/multipoint.md section 8
    const int sensitivity = parseChoice(p, command, "sensitivity", {"off", "on"});
    if (sensitivity < 0)
        return false;
    o.settings.sensitivity = sensitivity == 1;
    // docs/multipoint.md section 12
    const int halfStep = parseChoice(p, command, "half-step-pair", {"off", "on"});
    if (halfStep < 0)
        return false;
    o.settings.halfStepPair = halfStep == 1;
    if (o.settings.halfStepPair &&
        mpq::extraPointBits(o.settings.bits, o.settings.extraPointBits) != 1) {
        err() << command << ": --half-step-pair on needs --extra-point-bits 1" << Qt::endl;
        return false;
    }
    o.calibDir = p.isSet("calib") ? p.value("calib") : defaultCalib;
    o.profilePath = p.value("profile");
    o.analysisPath = p.value("analysis");
    o.device = p.value("device");
    if (o.calibDir.isEmpty() && o.analysisPath.isEmpty()) {
        err() << command << ": give --calib DIR (or a saved --analysis FILE)" << Qt::endl;
        return false;
    }
    return true;
}

void addEvaluationImageOptions(QCommandLineParser &p)
{
    p.addOptions({
        {"images", "Folder of sample images (one folder per class for classifiers).", "DIR"},
        {"eval-count",
         "Sample images evaluated, at most: a fixed, seeded choice of N when the folder holds "
         "more; 0 evaluates every image.",
         "N", QString::number(mpq::kEvaluationImageLimit)},
    });
}

bool readEvaluationCount(const QCommandLineParser &p, const QString &command, int &limit)
{
    return parseInt(p, command, "eval-count", 0, 100000000, limit);
}

QString evaluatedImagesText(std::size_t evaluated, const mpq::ImageSet &images)
{
    if (evaluated == images.found)
        return QString("%1 images").arg(evaluated);
    QString why;
    if (images.files.size() < images.found)
        why =
            QString("a seeded choice of %1; --eval-count 0 evaluates all").arg(images.files.size());
    if (evaluated < images.files.size())
        why += QString(why.isEmpty() ? "%1 unreadable" : ", %1 unreadable")
                   .arg(images.files.size() - evaluated);
    return QString("%1 of the %2 images in %3 (%4)")
        .arg(evaluated)
        .arg(images.found)
        .arg(QString::fromStdString(images.root), why);
}

void addAllocationOptions(QCommandLineParser &p)
{
    p.addOptions({
        {"epsilon",
         "Threshold rule: the relative output error each channel must reach (default 1e-3).", "E"},
        {"budget", "Budget rule: total overhead as a fraction (0.05 = 5 %).", "B"},
        {"budget-cost", "What the budget limits: memory or macs.", "COST", "memory"},
        {"mac-cap",
         "With a memory budget: at most PCT % extra MACs as well (20 = 20 %; default: no cap).",
         "PCT"},
        {"bias-correction",
         "Bias correction for every method (Nagel et al. 2019): on or off (default off).", "on|off",
         "off"},
        {"overrides",
         "JSON file pinning layers: {\"name\": \"float\" | {\"points\": N} | {\"bits\": B}}.",
         "FILE"},
    });
}

bool readAllocationOptions(const QCommandLineParser &p, const QString &command, int bits,
                           mpq::AllocationSettings &a, bool &badInput)
{
    badInput = false;
    a.bits = bits;
    if (p.isSet("epsilon") && p.isSet("budget")) {
        err() << command << ": give --epsilon or --budget, not both" << Qt::endl;
        return false;
    }
    if (p.isSet("budget")) {
        a.rule = mpq::AllocationRule::Budget;
        if (!parseDouble(p, command, "budget", 0.0, 100.0, a.budget))
            return false;
    } else if (p.isSet("epsilon")) {
        if (!parseDouble(p, command, "epsilon", 1e-12, 1e6, a.epsilon))
            return false;
    }
    if (!parseWord(p, command, "budget-cost", a.cost))
        return false;
    if (p.isSet("mac-cap")) { // docs/multipoint.md section 8
        double percent = 0.0;
        if (!parseDouble(p, command, "mac-cap", 0.0, 1e6, percent))
            return false;
        a.macCap = percent / 100.0;
    }
    // docs/multipoint.md section 9
    const int correction = parseChoice(p, command, "bias-correction", {"off", "on"});
    if (correction < 0)
        return false;
    a.biasCorrection = correction == 1;
    if (!p.isSet("overrides"))
        return true;
    const QString path = p.value("overrides");
    QFile file(path);
    badInput = true;
    if (!file.open(QIODevice::ReadOnly)) {
        err() << command << ": " << path << ": " << file.errorString() << Qt::endl;
        return false;
    }
    try {
        a.overrides = mpq::overridesFromJson(file.readAll().toStdString(), path.toStdString());
    } catch (const mpq::Error &e) {
        err() << command << ": " << e.what() << Qt::endl;
        return false;
    }
    badInput = false;
    return true;
}

int readModelOptions(const QCommandLineParser &p, const QString &command, SessionOptions &options,
                     mpq::AllocationSettings &allocation, const QString &defaultCalib)
{
    bool badInput = false;
    if (!readSessionOptions(p, command, options, defaultCalib))
        return ExitUsage;
    if (!readAllocationOptions(p, command, options.settings.bits, allocation, badInput))
        return badInput ? ExitBadInput : ExitUsage;
    // the weighting needs the analysis' sensitivity: one switch for both (section 8)
    allocation.sensitivityWeighted = options.settings.sensitivity;
    return -1;
}

std::vector<mpq::Method> parseMethods(const QString &value)
{
    std::vector<mpq::Method> methods;
    for (const QString &word : value.split(',', Qt::SkipEmptyParts))
        methods.push_back(mpq::fromWord<mpq::Method>(word.trimmed().toStdString()));
    if (methods.empty())
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "--method names no method");
    return methods;
}

int reportError(const QString &command, const mpq::Error &e)
{
    err() << command << ": " << e.what() << Qt::endl;
    return e.code() == mpq::ErrorCode::Cancelled ? ExitCancelled : ExitBadInput;
}

Session openSession(const QString &modelPath, const SessionOptions &options, const QString &command,
                    const mpq::AnalysisCache *cache)
{
    mpq::setThreadCount(options.threads);
    const mpq::JobControl control = terminalControl(command);
    // Loading cannot poll for Ctrl-C; it is checked as soon as the model is in memory.
    Session s;
    s.opened = mpq::openModel(modelPath.toStdString(), options.profilePath.toStdString(),
                              options.device.toStdString(), control);
    s.opened.requireProfile();
    if (!options.analysisPath.isEmpty()) {
        s.analysis =
            mpq::loadAnalysisFor(options.analysisPath.toStdString(), s.opened, options.settings);
    } else {
        const mpq::AnalysisOutcome outcome = mpq::analyzeModel(
            s.opened, options.calibDir.toStdString(), options.settings, cache, control);
        s.analysis = outcome.analysis;
        s.fromCache = outcome.fromCache;
    }
    throwIfInterrupted(); // a signal after the last poll
    return s;
}

mpq::Quantization quantizeSession(const Session &s, const mpq::AllocationSettings &allocation,
                                  const QString &command)
{
    mpq::Quantization q =
        mpq::quantize(s.opened, s.analysis, allocation, {}, terminalControl(command));
    throwIfInterrupted();
    return q;
}
