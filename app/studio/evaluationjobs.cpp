#include "evaluationjobs.h"

#include "mpq/error.h"
#include "mpq/evaluation.h"
#include "mpq/methods.h"
#include "mpq/vocabulary.h"
#include "mpqwidgets/predictionrender.h"

#include <QCoreApplication>
#include <QDir>

namespace mpq::studio {

namespace {

constexpr int kBatch = 8;

/// The float predictions of the request: reused when given, else computed into [0, share].
std::shared_ptr<const mpq::FloatPredictions> reference(const EvaluationRequest &r,
                                                       const mpq::ImageSet &images,
                                                       const mpq::JobControl &control, double share)
{
    if (r.reference)
        return r.reference;
    return mpq::floatPredictions(r.opened, images, kBatch, mpq::subControl(control, 0.0, share));
}

void require(const EvaluationRequest &r, const char *what)
{
    if (!r.opened.model || !r.quantization)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument,
                         std::string(what) + " needs an analysis of the open model");
}

} // namespace

std::vector<std::string> previewImages(const QString &imagesDir)
{
    return mpq::evaluationImages(QDir(imagesDir).absolutePath().toStdString()).files;
}

mpq::ui::PreviewData runPreview(const EvaluationRequest &r, const mpq::JobControl &control,
                                std::shared_ptr<const mpq::FloatPredictions> *used)
{
    require(r, "the preview");
    const mpq::ImageSet images =
        mpq::evaluationImages(QDir(r.imagesDir).absolutePath().toStdString());
    const auto floats = reference(r, images, control, r.reference ? 0.0 : 0.45);
    const double from = r.reference ? 0.0 : 0.45;
    if (control.stage)
        control.stage(
            QCoreApplication::translate("mpq::studio::EvaluationJobs", "evaluating").toStdString());
    std::vector<mpq::MethodEvaluation> e =
        mpq::evaluateMethods(r.opened, *r.quantization, {mpq::Method::Multipoint}, *floats, kBatch,
                             nullptr, mpq::subControl(control, from, 0.85));
    auto result = std::make_shared<mpq::EvaluationResult>(std::move(e.front().result));
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
    data.profile = r.opened.profile;
    data.setting = r.setting;
    const mpq::Allocation &a = r.quantization->allocation;
    data.memoryOverhead = a.memoryOverhead;
    data.macOverhead = a.macOverhead;
    data.effectiveBits = a.effectiveBits;
    if (used)
        *used = floats;
    return data;
}

CompareResult runCompare(const EvaluationRequest &r, const mpq::JobControl &control)
{
    require(r, "the comparison");
    const mpq::ImageSet images =
        mpq::evaluationImages(QDir(r.imagesDir).absolutePath().toStdString());
    const double share = r.reference ? 0.0 : 1.0 / 6.0;
    CompareResult out;
    out.reference = reference(r, images, control, share);
    out.setting = r.setting;
    out.warnings = out.reference->warnings;
    std::vector<mpq::Method> methods = {mpq::Method::Multipoint, mpq::Method::RoundToNearest,
                                        mpq::Method::MseChannel, mpq::Method::Ocs};
    if (r.quantization->analysis->settings.bits < 8) // b+1 bits exist
        methods.insert(methods.end(), {mpq::Method::MixedPrecision, mpq::Method::RoundToNearestNext,
                                       mpq::Method::MseChannelNext});
    const std::vector<mpq::MethodEvaluation> evaluations =
        mpq::evaluateMethods(r.opened, *r.quantization, methods, *out.reference, kBatch, nullptr,
                             mpq::subControl(control, share, 1.0));
    for (const mpq::MethodEvaluation &e : evaluations) {
        mpq::ui::MethodFigures f;
        f.method = QString::fromLatin1(mpq::toWord(e.method));
        f.detail = QString::fromStdString(e.detail);
        f.effectiveBits = e.effectiveBits;
        f.memoryOverhead = e.memoryOverhead;
        // every method's MAC overhead beside its memory (issue 14, honest cost)
        f.macOverhead = e.macOverhead >= 0.0
                            ? e.macOverhead
                            : mpq::methodMacOverhead(*r.opened.model, *r.quantization->analysis,
                                                     r.quantization->allocation, e.method);
        f.metric = e.metric.value;
        f.reference = e.metric.reference;
        if (e.result.task == mpq::Task::Detection)
            out.metricName =
                QCoreApplication::translate("mpq::studio::EvaluationJobs", "mAP@0.5 vs float");
        else if (e.result.classification.labelled > 0)
            out.metricName =
                QCoreApplication::translate("mpq::studio::EvaluationJobs", "Top-1 accuracy");
        else
            out.metricName = QCoreApplication::translate("mpq::studio::EvaluationJobs",
                                                         "Top-1 agreement with float");
        out.figures.push_back(f);
    }
    return out;
}

} // namespace mpq::studio
