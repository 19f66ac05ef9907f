#include "evaluationjobs.h"

#include "mpq/error.h"
#include "mpq/evaluation.h"
#include "mpq/images.h"
#include "mpq/methods.h"
#include "mpq/runner.h"
#include "mpqwidgets/predictionrender.h"

#include <QCoreApplication>
#include <QDir>

#include <iterator>

namespace mpq::studio {

namespace {

constexpr int kBatch = 8;

mpq::JobControl scaled(const mpq::JobControl &control, double from, double to)
{
    mpq::JobControl c;
    c.isCancelled = control.isCancelled;
    c.stage = control.stage;
    if (control.progress)
        c.progress = [=](double f) { control.progress(from + (to - from) * f); };
    return c;
}

} // namespace

std::vector<std::string> previewImages(const QString &imagesDir)
{
    const std::vector<std::string> all =
        mpq::findImages(QDir(imagesDir).absolutePath().toStdString());
    if (all.empty())
        throw mpq::Error(mpq::ErrorCode::BadImage,
                         imagesDir.toStdString() + ": no image files in this folder");
    return mpq::chooseImages(all, kPreviewImageLimit);
}

mpq::ui::PreviewData runPreview(const EvaluationRequest &r, const mpq::JobControl &control)
{
    if (!r.model || !r.analysis || !r.allocation)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "the preview needs an analysis");
    if (control.stage)
        control.stage(
            QCoreApplication::translate("mpq::studio::EvaluationJobs", "evaluating").toStdString());
    const std::vector<std::string> files = previewImages(r.imagesDir);
    mpq::ModelRunner floatModel = mpq::floatRunner(*r.model);
    mpq::ModelRunner quantized = mpq::quantizedRunner(*r.model, *r.analysis, *r.allocation, {},
                                                      r.analysis->settings.activationBits);
    auto result = std::make_shared<mpq::EvaluationResult>(
        mpq::evaluate(r.profile, files, QDir(r.imagesDir).absolutePath().toStdString(), floatModel,
                      quantized, kBatch, scaled(control, 0.0, 0.85)));
    mpq::ui::PreviewData data;
    data.images.reserve(result->images.size());
    for (std::size_t i = 0; i < result->images.size(); ++i) {
        if (control.cancelled())
            throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
        double scale = 1.0;
        data.images.push_back(
            mpq::ui::loadScaledImage(result->images[i].file, r.thumbnailSide, &scale));
        data.scales.push_back(scale);
        if (control.progress)
            control.progress(0.85 + 0.15 * double(i + 1) / result->images.size());
    }
    data.result = std::move(result);
    data.profile = r.profile;
    data.setting = r.setting;
    data.memoryOverhead = r.allocation->memoryOverhead;
    data.macOverhead = r.allocation->macOverhead;
    data.effectiveBits = r.allocation->effectiveBits;
    return data;
}

CompareResult runCompare(const EvaluationRequest &r, const mpq::JobControl &control)
{
    if (!r.model || !r.analysis || !r.allocation)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "the comparison needs an analysis");
    const std::vector<std::string> files = previewImages(r.imagesDir);
    const std::string root = QDir(r.imagesDir).absolutePath().toStdString();
    const mpq::Method methods[] = {mpq::Method::Multipoint, mpq::Method::RoundToNearest,
                                   mpq::Method::MseChannel, mpq::Method::Ocs,
                                   mpq::Method::MixedPrecision};
    const int count = int(std::size(methods));
    CompareResult out;
    out.setting = r.setting;
    for (int k = 0; k < count; ++k) {
        if (control.stage)
            control.stage(
                QCoreApplication::translate("mpq::studio::EvaluationJobs", "evaluating %1")
                    .arg(mpq::methodName(methods[k]))
                    .toStdString());
        const mpq::MethodWeights w =
            mpq::methodWeights(*r.model, *r.analysis, *r.allocation, {}, methods[k],
                               methods[k] == mpq::Method::MixedPrecision
                                   ? mpq::mixedPrecisionInputs(*r.model, r.profile, *r.analysis,
                                                               {control.isCancelled, {}, {}})
                                   : std::vector<mpq::LayerAtBits>{});
        mpq::ModelRunner floatModel = mpq::floatRunner(*r.model);
        mpq::ModelRunner quantized = mpq::weightsRunner(
            *r.model, w.weights, &r.analysis->activations, r.analysis->settings.activationBits);
        const mpq::EvaluationResult e =
            mpq::evaluate(r.profile, files, root, floatModel, quantized, kBatch,
                          scaled(control, double(k) / count, double(k + 1) / count));
        mpq::ui::MethodFigures f;
        f.method = QString::fromLatin1(mpq::methodName(methods[k]));
        f.detail = QString::fromStdString(w.detail);
        f.effectiveBits = w.effectiveBits;
        f.memoryOverhead = w.memoryOverhead;
        if (e.task == mpq::Task::Detection) {
            f.metric = e.map50VsFloat;
            f.reference = 1.0;
            out.metricName =
                QCoreApplication::translate("mpq::studio::EvaluationJobs", "mAP@0.5 vs float");
        } else if (e.classification.labelled > 0) {
            f.metric = e.classification.top1Quantized;
            f.reference = e.classification.top1Float;
            out.metricName =
                QCoreApplication::translate("mpq::studio::EvaluationJobs", "Top-1 accuracy");
        } else {
            f.metric = e.classification.agreement;
            f.reference = 1.0;
            out.metricName = QCoreApplication::translate("mpq::studio::EvaluationJobs",
                                                         "Top-1 agreement with float");
        }
        out.figures.push_back(f);
    }
    return out;
}

} // namespace mpq::studio
