#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/parallel.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <unistd.h>

namespace {

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

} // namespace

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
        {"act-bits", "Fake-quantize layer inputs to B bits when the quantized model runs (0: off).",
         "B", "0"},
        {"batch-size", "Images per forward pass.", "N", "8"},
        {"seed", "Seed of the choice of calibration images.", "S", "0"},
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
    if (!parseInt(p, command, "act-bits", 0, 16, o.settings.activationBits))
        return false;
    if (o.settings.activationBits == 1) {
        err() << command << ": --act-bits must be 0 (off) or 2..16" << Qt::endl;
        return false;
    }
    const int search = parseChoice(p, command, "search", {"exact", "grid"});
    const int first = parseChoice(p, command, "first-point", {"l2", "max", "output-best"});
    if (search < 0 || first < 0)
        return false;
    o.settings.search = search == 0 ? mpq::SearchMethod::Exact : mpq::SearchMethod::Grid;
    o.settings.firstPoint = first == 0   ? mpq::FirstPointRule::L2
                            : first == 1 ? mpq::FirstPointRule::Max
                                         : mpq::FirstPointRule::OutputBest;
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

void addAllocationOptions(QCommandLineParser &p)
{
    p.addOptions({
        {"epsilon",
         "Threshold rule: the relative output error each channel must reach (default 1e-3).", "E"},
        {"budget", "Budget rule: total overhead as a fraction (0.05 = 5 %).", "B"},
        {"budget-cost", "What the budget limits: memory or macs.", "COST", "memory"},
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
    const int cost = parseChoice(p, command, "budget-cost", {"memory", "macs"});
    if (cost < 0)
        return false;
    a.cost = cost == 0 ? mpq::BudgetCost::Memory : mpq::BudgetCost::Macs;
    if (!p.isSet("overrides"))
        return true;
    const QString path = p.value("overrides");
    QFile file(path);
    badInput = true;
    if (!file.open(QIODevice::ReadOnly)) {
        err() << command << ": " << path << ": " << file.errorString() << Qt::endl;
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        err() << command << ": " << path << ": not a JSON object"
              << (parseError.error ? " (" + parseError.errorString() + ")" : QString()) << Qt::endl;
        return false;
    }
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        mpq::LayerOverride o;
        const QString where = path + ": " + it.key() + ": ";
        if (it.value().toString() == "float") {
            o.kind = mpq::LayerOverride::Kind::Float;
        } else if (it.value().isObject() && it.value().toObject().size() == 1 &&
                   it.value().toObject().contains("points") &&
                   it.value().toObject()["points"].isDouble()) {
            o.kind = mpq::LayerOverride::Kind::Points;
            o.points = it.value().toObject()["points"].toInt();
            if (o.points < 1 || o.points > 16) {
                err() << command << ": " << where << "points must be 1..16" << Qt::endl;
                return false;
            }
        } else if (it.value().isObject() && it.value().toObject().size() == 1 &&
                   it.value().toObject().contains("bits") &&
                   it.value().toObject()["bits"].isDouble()) {
            o.kind = mpq::LayerOverride::Kind::Bits;
            o.bits = it.value().toObject()["bits"].toInt();
            if (o.bits < 2 || o.bits > 8) {
                err() << command << ": " << where << "bits must be 2..8" << Qt::endl;
                return false;
            }
        } else {
            err() << command << ": " << where
                  << "expected \"float\", {\"points\": N} or {\"bits\": B}" << Qt::endl;
            return false;
        }
        a.overrides[it.key().toStdString()] = o;
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
    return -1;
}

Session openSession(const QString &modelPath, const SessionOptions &options, const QString &command)
{
    mpq::setThreadCount(options.threads);
    // Loading cannot poll for Ctrl-C; it is checked as soon as the model is in memory.
    beginStage(command, QStringLiteral("loading model"));
    Session s{mpq::Model::load(modelPath.toStdString(), options.device.toStdString()), {}, {}};
    throwIfInterrupted();
    const QString profilePath =
        options.profilePath.isEmpty()
            ? QString::fromStdString(mpq::defaultProfilePath(modelPath.toStdString()))
            : options.profilePath;
    if (!QFileInfo::exists(profilePath))
        throw mpq::Error(mpq::ErrorCode::BadProfile,
                         profilePath.toStdString() +
                             ": no model profile; write one (see README, 'Model profile') "
                             "or give --profile FILE");
    s.profile = mpq::loadProfile(profilePath.toStdString());
    if (!options.analysisPath.isEmpty()) {
        s.analysis = mpq::loadAnalysis(options.analysisPath.toStdString()).analysis;
        try {
            mpq::checkAnalysisMatches(s.analysis, s.model, options.settings);
        } catch (const mpq::Error &e) {
            throw mpq::Error(mpq::ErrorCode::BadAnalysis,
                             options.analysisPath.toStdString() + ": " + e.what());
        }
        s.analysis.settings.activationBits = options.settings.activationBits;
        throwIfInterrupted();
        return s;
    }
    const std::vector<std::string> images = mpq::findImages(options.calibDir.toStdString());
    if (images.empty())
        throw mpq::Error(mpq::ErrorCode::BadImage,
                         options.calibDir.toStdString() +
                             ": no png, jpg, jpeg, bmp or webp images in this folder");
    try {
        s.analysis =
            mpq::analyze(s.model, s.profile, images, options.settings, terminalControl(command));
    } catch (const mpq::Error &e) {
        if (e.code() != mpq::ErrorCode::BadImage)
            throw;
        // "none of the N images could be read" names neither the folder nor a reason: add both,
        // the reason from the first chosen file that fails again.
        std::string reason;
        for (const std::string &file :
             mpq::chooseImages(images, options.settings.calibCount, options.settings.seed)) {
            try {
                mpq::prepareImage(file, s.profile.input);
            } catch (const mpq::Error &first) {
                reason = std::string(" (the first: ") + first.what() + ")";
                break;
            }
        }
        throw mpq::Error(mpq::ErrorCode::BadImage,
                         options.calibDir.toStdString() + ": " + e.what() + reason);
    }
    throwIfInterrupted(); // a signal after the last poll
    return s;
}

std::vector<mpq::LayerCurves> curvesForAllocation(const Session &s,
                                                  const mpq::AllocationSettings &allocation,
                                                  const QString &command)
{
    std::vector<mpq::LayerCurves> curves = s.analysis.curves;
    std::map<int, std::vector<std::size_t>> byBits;
    for (const auto &[name, o] : allocation.overrides) {
        std::size_t index = s.analysis.layers.size();
        for (std::size_t i = 0; i < s.analysis.layers.size(); ++i)
            if (s.analysis.layers[i].name == name)
                index = i;
        if (index == s.analysis.layers.size())
            throw mpq::Error(mpq::ErrorCode::InvalidArgument,
                             "overrides: the model has no layer named '" + name + "'");
        if (o.kind == mpq::LayerOverride::Kind::Bits && o.bits != s.analysis.settings.bits)
            byBits[o.bits].push_back(index);
    }
    for (const auto &[bits, layers] : byBits) {
        const std::vector<mpq::LayerCurves> extra = mpq::curvesAtBits(
            s.model, s.profile, s.analysis, layers, bits, terminalControl(command));
        curves.insert(curves.end(), extra.begin(), extra.end());
    }
    throwIfInterrupted();
    return curves;
}
