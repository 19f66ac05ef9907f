#include "studiojobs.h"

#include "mpq/error.h"
#include "mpq/pipeline.h"

#include <QFileInfo>

namespace mpq::studio {

OpenedModel openModel(const QString &path, const QString &imagesDir,
                      const mpq::AnalysisSettings &settings, const mpq::AnalysisCache &cache,
                      const mpq::JobControl &control)
{
    const mpq::OpenedModel core = mpq::openModel(path.toStdString(), {}, "cpu", control);
    OpenedModel opened;
    opened.path = QString::fromStdString(core.path);
    opened.fileSize = QFileInfo(path).size();
    opened.model = core.model;
    opened.hasProfile = core.hasProfile;
    opened.profile = core.profile;
    opened.profileError = QString::fromStdString(core.profileError);
    opened.cachedAnalysis = mpq::cachedAnalysis(core, imagesDir.toStdString(), settings, cache);
    return opened;
}

AnalysisResult runAnalysis(const AnalysisRequest &r, const mpq::JobControl &control)
{
    mpq::OpenedModel opened;
    opened.model = r.model;
    opened.hasProfile = true;
    opened.profile = r.profile;
    const mpq::AnalysisOutcome outcome =
        mpq::analyzeModel(opened, r.imagesDir.toStdString(), r.settings, &r.cache, control);
    AnalysisResult result;
    result.analysis = outcome.analysis;
    result.fromCache = outcome.fromCache;
    result.cached = outcome.cached;
    return result;
}

std::vector<mpq::LayerAtBits> runLayerAtBits(const std::shared_ptr<const mpq::Model> &model,
                                             const mpq::ModelProfile &profile,
                                             const std::shared_ptr<const mpq::Analysis> &analysis,
                                             std::size_t layer, int bits,
                                             const mpq::JobControl &control)
{
    // the pipeline measures what a Bits override on this layer needs (nothing at the analysis'
    // own bits)
    mpq::OpenedModel opened;
    opened.model = model;
    opened.hasProfile = true;
    opened.profile = profile;
    mpq::AllocationSettings settings;
    mpq::LayerOverride o;
    o.kind = mpq::LayerOverride::Kind::Bits;
    o.bits = bits;
    settings.overrides[analysis->layers.at(layer).name] = o;
    return mpq::overrideLayers(opened, *analysis, settings, {}, control);
}

} // namespace mpq::studio
