// The staged pipeline of docs/architecture.md, the only place that strings the stages together:
// opening, analysis and allocation here; evaluation and sweep in evaluationstage.cpp, export in
// exportstage.cpp, the stages' estimated work in work.cpp.
#include "pipeline/stages.h"

#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/runner.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>

namespace mpq {

namespace fs = std::filesystem;

namespace pipe {

void checkCancelled(const JobControl &control)
{
    if (control.cancelled())
        throw Error(ErrorCode::Cancelled, "cancelled");
}

void stage(const JobControl &control, const std::string &name)
{
    if (control.stage)
        control.stage(name);
}

/// The folder as an absolute, normalized path without a trailing separator: "images",
/// "./images/" and "/work/images" name the same images, hence the same cache entry, and the
/// analysis records calibration files that stay valid from any working folder.
std::string absoluteFolder(const std::string &dir)
{
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec);
    if (ec)
        return dir;
    p = p.lexically_normal();
    if (!p.has_filename() && p.has_relative_path())
        p = p.parent_path();
    return p.string();
}

std::size_t layerIndex(const Analysis &analysis, const std::string &name)
{
    for (std::size_t i = 0; i < analysis.layers.size(); ++i)
        if (analysis.layers[i].name == name)
            return i;
    throw Error(ErrorCode::InvalidArgument,
                "overrides: the model has no layer named '" + name + "'");
}

/// (layer, bits) pairs the overrides need beyond the analysis' own bits.
std::map<int, std::vector<std::size_t>> neededAtBits(const Analysis &analysis,
                                                     const AllocationSettings &settings)
{
    std::map<int, std::vector<std::size_t>> byBits;
    for (const auto &[name, o] : settings.overrides) {
        const std::size_t index = layerIndex(analysis, name);
        if (o.kind == LayerOverride::Kind::Bits && o.bits != analysis.settings.bits)
            byBits[o.bits].push_back(index);
    }
    return byBits;
}

/// Evaluations of a layer per calibration call with these settings (as the analysis counts
/// them, core/src/calib/workplan.cpp evaluationsPerCall): the layer itself and the stacked
/// differences of every decomposition version.
int evaluationsPerCall(const AnalysisSettings &s)
{
    return 1 + (s.firstPoint == FirstPointRule::OutputBest ? 2 : 1) * s.maxPoints;
}

/// Shares of `work` (summed over the list) as [from, to) ranges of [0, 1]: even when the work
/// is 0 or unknown.
std::vector<std::pair<double, double>> shares(const std::vector<double> &work)
{
    double total = 0.0;
    for (double w : work)
        total += std::max(0.0, w);
    std::vector<std::pair<double, double>> out;
    double done = 0.0;
    for (std::size_t k = 0; k < work.size(); ++k) {
        const double w = total > 0.0 ? std::max(0.0, work[k]) : 1.0;
        const double sum = total > 0.0 ? total : double(work.size());
        out.push_back({done / sum, k + 1 == work.size() ? 1.0 : (done + w) / sum});
        done += w;
    }
    return out;
}
} // namespace pipe

using namespace pipe;

namespace {} // namespace

JobControl subControl(const JobControl &parent, double from, double to)
{
    JobControl c;
    c.isCancelled = parent.isCancelled;
    c.stage = parent.stage;
    if (parent.progress)
        c.progress = [progress = parent.progress, from, to](double f) {
            progress(from + (to - from) * f);
        };
    return c;
}

// ---- opening

const ModelProfile &OpenedModel::requireProfile() const
{
    if (!profileError.empty())
        throw Error(ErrorCode::BadProfile, profileError);
    if (!hasProfile)
        throw Error(ErrorCode::BadProfile,
                    profilePath +
                        ": no model profile; write one (see README, 'Model profile') or give "
                        "--profile FILE");
    return profile;
}

OpenedModel openModel(const std::string &path, const std::string &profilePath,
                      const std::string &device, const JobControl &control)
{
    stage(control, "loading model");
    OpenedModel opened;
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    opened.path = ec ? path : absolute.lexically_normal().string();
    opened.model = std::make_shared<const Model>(Model::load(path, device));
    checkCancelled(control);
    if (control.progress)
        control.progress(0.9);
    opened.profilePath = profilePath.empty() ? defaultProfilePath(opened.path) : profilePath;
    opened.hasProfile = fs::exists(opened.profilePath, ec);
    if (opened.hasProfile) {
        try {
            opened.profile = loadProfile(opened.profilePath);
        } catch (const Error &e) {
            opened.profileError = e.what();
        }
    }
    if (control.progress)
        control.progress(1.0);
    return opened;
}

std::vector<std::string> imageFiles(const std::string &dir)
{
    std::vector<std::string> files = findImages(dir);
    if (files.empty())
        throw Error(ErrorCode::BadImage,
                    dir + ": no png, jpg, jpeg, bmp or webp images in this folder");
    return files;
}

// ---- analysis

AnalysisOutcome analyzeModel(const OpenedModel &opened, const std::string &imagesDir,
                             const AnalysisSettings &settings, const AnalysisCache *cache,
                             const JobControl &control)
{
    const ModelProfile &profile = opened.requireProfile();
    stage(control, "finding images");
    const std::vector<std::string> files = imageFiles(absoluteFolder(imagesDir));
    AnalysisOutcome out;
    std::string cacheFile;
    if (cache) {
        cacheFile = cache->fileFor(*opened.model, settings, files);
        out.analysis = cache->load(cacheFile, *opened.model, settings);
        if (out.analysis) {
            out.fromCache = true;
            return out;
        }
    }
    try {
        out.analysis = std::make_shared<const Analysis>(
            analyze(*opened.model, profile, files, settings, control));
    } catch (const Error &e) {
        if (e.code() != ErrorCode::BadImage)
            throw;
        // "none of the N images could be read" names neither the folder nor a reason: add
        // both, the reason from the first chosen file that fails again.
        std::string reason;
        for (const std::string &file : chooseImages(files, settings.calibCount, settings.seed)) {
            try {
                prepareImage(file, profile.input);
            } catch (const Error &first) {
                reason = std::string(" (the first: ") + first.what() + ")";
                break;
            }
        }
        throw Error(ErrorCode::BadImage, imagesDir + ": " + e.what() + reason);
    }
    if (cache)
        out.cached = cache->store(cacheFile, *out.analysis);
    return out;
}

std::shared_ptr<const Analysis> cachedAnalysis(const OpenedModel &opened,
                                               const std::string &imagesDir,
                                               const AnalysisSettings &settings,
                                               const AnalysisCache &cache)
{
    std::error_code ec;
    if (!opened.hasProfile || !opened.profileError.empty() || imagesDir.empty() ||
        !fs::is_directory(imagesDir, ec))
        return nullptr;
    try {
        const std::vector<std::string> files = findImages(absoluteFolder(imagesDir));
        return cache.load(cache.fileFor(*opened.model, settings, files), *opened.model, settings);
    } catch (const Error &) {
        return nullptr;
    }
}

std::shared_ptr<const Analysis> loadAnalysisFor(const std::string &path, const OpenedModel &opened,
                                                const AnalysisSettings &settings)
{
    Analysis analysis = loadAnalysis(path).analysis;
    try {
        checkAnalysisMatches(analysis, *opened.model, settings);
    } catch (const Error &e) {
        throw Error(ErrorCode::BadAnalysis, path + ": " + e.what());
    }
    analysis.settings.activationBits = settings.activationBits;
    return std::make_shared<const Analysis>(std::move(analysis));
}

// ---- allocation

std::vector<LayerAtBits> overrideLayers(const OpenedModel &opened, const Analysis &analysis,
                                        const AllocationSettings &settings,
                                        const std::vector<LayerAtBits> &known,
                                        const JobControl &control)
{
    std::vector<LayerAtBits> out;
    std::map<int, std::vector<std::size_t>> missing;
    for (const auto &[bits, layers] : neededAtBits(analysis, settings))
        for (std::size_t layer : layers) {
            if (const LayerAtBits *k =
                    findLayerAtBits(known, layer, bits, analysis.settings.maxPoints))
                out.push_back(*k);
            else
                missing[bits].push_back(layer);
        }
    int done = 0;
    for (const auto &[bits, layers] : missing) {
        stage(control, "layers at " + std::to_string(bits) + " bits");
        std::vector<LayerAtBits> made = layersAtBits(
            *opened.model, opened.requireProfile(), analysis, layers, bits,
            subControl(control, double(done) / missing.size(), double(done + 1) / missing.size()));
        out.insert(out.end(), std::make_move_iterator(made.begin()),
                   std::make_move_iterator(made.end()));
        ++done;
    }
    checkCancelled(control);
    return out;
}

std::vector<LayerCurves> allocationCurves(const Analysis &analysis,
                                          const std::vector<LayerAtBits> &atBits)
{
    std::vector<LayerCurves> curves = analysis.curves;
    for (const LayerAtBits &l : atBits)
        curves.push_back(l.curves);
    return curves;
}

Quantization quantize(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                      const AllocationSettings &settings, const std::vector<LayerAtBits> &known,
                      const JobControl &control)
{
    if (!analysis)
        throw Error(ErrorCode::InvalidArgument, "no analysis to allocate from");
    auto atBits = std::make_shared<const std::vector<LayerAtBits>>(
        overrideLayers(opened, *analysis, settings, known, control));
    return reallocate(std::move(analysis), std::move(atBits), settings);
}

Quantization reallocate(std::shared_ptr<const Analysis> analysis,
                        std::shared_ptr<const std::vector<LayerAtBits>> atBits,
                        const AllocationSettings &settings)
{
    if (!analysis)
        throw Error(ErrorCode::InvalidArgument, "no analysis to allocate from");
    if (!atBits)
        atBits = std::make_shared<const std::vector<LayerAtBits>>();
    // the overrides' measurements warn too (calibration images gone since the analysis)
    std::vector<const LayerAtBits *> used;
    for (const auto &[bits, layers] : neededAtBits(*analysis, settings))
        for (std::size_t layer : layers) {
            const LayerAtBits *a =
                findLayerAtBits(*atBits, layer, bits, analysis->settings.maxPoints);
            if (!a)
                throw Error(ErrorCode::InvalidArgument,
                            "overrides: layer '" + analysis->layers[layer].name + "' at " +
                                std::to_string(bits) + " bits has not been measured yet");
            used.push_back(a);
        }
    Quantization q;
    q.analysis = std::move(analysis);
    q.settings = settings;
    q.settings.bits = q.analysis->settings.bits;
    q.allocation = allocate(allocationCurves(*q.analysis, *atBits), q.settings);
    for (std::string &w : measurementWarnings(used, *q.analysis, "Bits overrides: "))
        q.allocation.warnings.push_back(std::move(w));
    q.atBits = std::move(atBits);
    return q;
}

} // namespace mpq
