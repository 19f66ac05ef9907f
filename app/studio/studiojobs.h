#pragma once
// The core work the window runs as jobs (JobRunner). Each function runs on a worker thread,
// takes everything it needs by value (settings are copied when the job starts), returns
// immutable results behind shared pointers and throws mpq::Error (Cancelled included).

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/analysiscache.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <QString>

#include <memory>
#include <vector>

namespace mpq::studio {

struct OpenedModel
{
    QString path;
    std::shared_ptr<const mpq::Model> model;
    qint64 fileSize = 0;
    bool hasProfile = false; ///< a profile file exists beside the model
    mpq::ModelProfile profile;
    QString profileError; ///< what() of a profile that exists but cannot be read
    /// A cached analysis for the images and settings given to openModel, if any.
    std::shared_ptr<const mpq::Analysis> cachedAnalysis;
};

/// Loads the model and its profile (MODEL.profile.json) through the pipeline (mpq::openModel)
/// and looks for a cached analysis for imagesDir with these settings. Throws mpq::Error(BadModel)
/// naming the file.
OpenedModel openModel(const QString &path, const QString &imagesDir,
                      const mpq::AnalysisSettings &settings, const mpq::AnalysisCache &cache,
                      const mpq::JobControl &control);

struct AnalysisRequest
{
    std::shared_ptr<const mpq::Model> model;
    mpq::ModelProfile profile;
    QString imagesDir;
    mpq::AnalysisSettings settings;
    mpq::AnalysisCache cache;
};

struct AnalysisResult
{
    std::shared_ptr<const mpq::Analysis> analysis;
    bool fromCache = false;
    bool cached = false; ///< stored in the cache now
};

/// mpq::analyzeModel: the cached analysis if one matches, else computed (then cached). Throws
/// mpq::Error(BadImage) naming the folder (and the first unreadable image's reason).
AnalysisResult runAnalysis(const AnalysisRequest &request, const mpq::JobControl &control);

/// One layer decomposed and measured at other bits, for a Bits override (mpq::layersAtBits):
/// what the quantized model then runs for that layer.
std::vector<mpq::LayerAtBits> runLayerAtBits(const std::shared_ptr<const mpq::Model> &model,
                                             const mpq::ModelProfile &profile,
                                             const std::shared_ptr<const mpq::Analysis> &analysis,
                                             std::size_t layer, int bits,
                                             const mpq::JobControl &control);

} // namespace mpq::studio
