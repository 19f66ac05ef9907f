#include "studiojobs.h"

#include "mpq/error.h"
#include "mpq/images.h"

#include <QFileInfo>

namespace mpq::studio {

OpenedModel openModel(const QString &path, const QString &imagesDir,
                      const mpq::AnalysisSettings &settings, const AnalysisCache &cache,
                      const mpq::JobControl &control)
{
    if (control.stage)
        control.stage("loading model");
    OpenedModel opened;
    opened.path = QFileInfo(path).absoluteFilePath();
    opened.fileSize = QFileInfo(path).size();
    opened.model = std::make_shared<const mpq::Model>(mpq::Model::load(path.toStdString()));
    if (control.cancelled())
        throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
    if (control.progress)
        control.progress(0.8);
    const std::string profilePath = mpq::defaultProfilePath(opened.path.toStdString());
    opened.hasProfile = QFileInfo::exists(QString::fromStdString(profilePath));
    if (opened.hasProfile) {
        try {
            opened.profile = mpq::loadProfile(profilePath);
        } catch (const mpq::Error &e) {
            opened.profileError = QString::fromStdString(e.what());
        }
    }
    if (opened.hasProfile && opened.profileError.isEmpty() && !imagesDir.isEmpty() &&
        QFileInfo(imagesDir).isDir()) {
        try {
            const auto files = mpq::findImages(imagesDir.toStdString());
            opened.cachedAnalysis =
                cache.load(cache.fileFor(*opened.model, settings, files), *opened.model, settings);
        } catch (const mpq::Error &) {
            // an unreadable image folder only means there is nothing cached to show
        }
    }
    if (control.progress)
        control.progress(1.0);
    return opened;
}

AnalysisResult runAnalysis(const AnalysisRequest &r, const mpq::JobControl &control)
{
    if (control.stage)
        control.stage("finding images");
    const std::vector<std::string> files = mpq::findImages(r.imagesDir.toStdString());
    if (files.empty())
        throw mpq::Error(mpq::ErrorCode::BadImage,
                         r.imagesDir.toStdString() +
                             ": no png, jpg, jpeg, bmp or webp images in this folder");
    AnalysisResult result;
    const QString cacheFile = r.cache.fileFor(*r.model, r.settings, files);
    result.analysis = r.cache.load(cacheFile, *r.model, r.settings);
    if (result.analysis) {
        result.fromCache = true;
        return result;
    }
    result.analysis = std::make_shared<const mpq::Analysis>(
        mpq::analyze(*r.model, r.profile, files, r.settings, control));
    result.cached = r.cache.store(cacheFile, *result.analysis);
    return result;
}

std::shared_ptr<const std::vector<mpq::LayerCurves>>
runCurvesAtBits(const std::shared_ptr<const mpq::Model> &model, const mpq::ModelProfile &profile,
                const std::shared_ptr<const mpq::Analysis> &analysis, std::size_t layer, int bits,
                const mpq::JobControl &control)
{
    if (control.stage)
        control.stage("curves at " + std::to_string(bits) + " bits");
    return std::make_shared<const std::vector<mpq::LayerCurves>>(
        mpq::curvesAtBits(*model, profile, *analysis, {layer}, bits, control));
}

} // namespace mpq::studio
