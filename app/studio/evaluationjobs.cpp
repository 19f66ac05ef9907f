#include "evaluationjobs.h"

#include "mpq/error.h"
#include "mpq/evaluation.h"
#include "mpq/methods.h"
#include "mpq/vocabulary.h"
#include "mpq/work.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/predictionrender.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>

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

/// The method's detail in the interface's language (what core's MethodWeights::detail says in
/// English for the command line); `bits`: the analysis' bits.
QString detailOf(const mpq::MethodEvaluation &e, int bits)
{
    switch (e.method) {
    case mpq::Method::MixedPrecision:
        return QCoreApplication::translate("mpq::studio::EvaluationJobs", "%n layers at %1 bits",
                                           nullptr, int(e.widerLayers.size()))
            .arg(bits + 1);
    case mpq::Method::Ocs:
        return e.expandRatio < 0.0
                   ? QString()
                   : QCoreApplication::translate("mpq::studio::EvaluationJobs", "expand ratio %1")
                         .arg(mpq::ui::formatPercent(e.expandRatio));
    case mpq::Method::RoundToNearestNext:
    case mpq::Method::MseChannelNext:
        return QCoreApplication::translate("mpq::studio::EvaluationJobs", "all layers at %1 bits")
            .arg(bits + 1);
    default:
        return QString::fromStdString(e.detail);
    }
}

/// A method evaluation as the Compare page shows it.
mpq::ui::MethodFigures figuresOf(const mpq::MethodEvaluation &e, double budget, int bits)
{
    mpq::ui::MethodFigures f;
    f.method = QString::fromLatin1(mpq::toWord(e.method));
    f.detail = detailOf(e, bits);
    for (const std::string &name : e.widerLayers)
        f.widerLayers << QString::fromStdString(name);
    f.effectiveBits = e.effectiveBits;
    f.memoryOverhead = e.memoryOverhead;
    f.macOverhead = e.macOverhead;
    f.metric = e.metric.value;
    f.reference = e.metric.reference;
    f.budget = budget;
    return f;
}

QString metricNameOf(const mpq::EvaluationResult &result)
{
    if (result.task == mpq::Task::Detection)
        return QCoreApplication::translate("mpq::studio::EvaluationJobs", "mAP@0.5 vs float");
    if (result.classification.labelled > 0)
        return QCoreApplication::translate("mpq::studio::EvaluationJobs", "Top-1 accuracy");
    return QCoreApplication::translate("mpq::studio::EvaluationJobs", "Top-1 agreement with float");
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
    std::vector<mpq::Method> methods = {mpq::Method::Multipoint, mpq::Method::RoundToNearest,
                                        mpq::Method::MseChannel, mpq::Method::Ocs};
    if (r.quantization->analysis->settings.bits < 8) // b+1 bits exist
        methods.insert(methods.end(), {mpq::Method::MixedPrecision, mpq::Method::RoundToNearestNext,
                                       mpq::Method::MseChannelNext});
    // progress in units of work (mpq/work.h, issue 14): the float run's forwards, then the
    // methods' (mixed precision's measurement included)
    const double work =
        mpq::evaluateMethodsWork(*r.quantization->analysis, methods, images.files.size(),
                                 r.quantization->allocation.biasCorrection);
    const double floats = double(images.files.size());
    const double share = r.reference || floats + work <= 0.0 ? 0.0 : floats / (floats + work);
    CompareResult out;
    out.reference = reference(r, images, control, share);
    out.setting = r.setting;
    out.warnings = out.reference->warnings;
    const std::vector<mpq::MethodEvaluation> evaluations =
        mpq::evaluateMethods(r.opened, *r.quantization, methods, *out.reference, kBatch, nullptr,
                             mpq::subControl(control, share, 1.0));
    mpq::addWarningsOnce(out.warnings, mpq::methodWarnings(evaluations));
    for (const mpq::MethodEvaluation &e : evaluations) {
        // every method's MAC overhead beside its memory (issue 14, honest cost)
        out.figures.push_back(figuresOf(e, -1.0, r.quantization->analysis->settings.bits));
        out.metricName = metricNameOf(e.result);
    }
    return out;
}

std::vector<double> defaultSweepBudgets()
{
    return {0.0, 0.025, 0.05, 0.10, 0.20, 0.50};
}

SweepResult runSweep(const EvaluationRequest &r, const std::vector<double> &budgets,
                     const mpq::JobControl &control)
{
    require(r, "the sweep");
    if (budgets.empty())
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "the sweep needs at least one budget");
    const mpq::ImageSet images =
        mpq::evaluationImages(QDir(r.imagesDir).absolutePath().toStdString());
    const bool next = r.quantization->analysis->settings.bits < 8; // b+1 bits exist
    // the methods whose weights follow the budget run at every budget (mpq::sweep); the others
    // give the same weights at any budget and run once
    std::vector<mpq::Method> swept = {mpq::Method::Multipoint};
    if (next)
        swept.push_back(mpq::Method::MixedPrecision);
    swept.push_back(mpq::Method::Ocs);
    std::vector<mpq::Method> once = {mpq::Method::RoundToNearest, mpq::Method::MseChannel};
    if (next)
        once.insert(once.end(), {mpq::Method::RoundToNearestNext, mpq::Method::MseChannelNext});
    mpq::AllocationSettings base = r.quantization->settings; // its overrides; a memory budget
    base.rule = mpq::AllocationRule::Budget;
    base.cost = mpq::BudgetCost::Memory;
    std::vector<double> ascending = budgets;
    std::sort(ascending.begin(), ascending.end());
    ascending.erase(std::unique(ascending.begin(), ascending.end()), ascending.end());
    // progress in units of work (mpq/work.h, issue 14): the float run's forwards, the sweep's
    // (mixed precision's single-point measurement: two calibrations, several evaluations'
    // worth), then the methods run once
    const mpq::Analysis &analysis = *r.quantization->analysis;
    const std::size_t count = images.files.size();
    const double floats = r.reference ? 0.0 : double(count);
    const double sweeping = mpq::sweepWork(analysis, base, ascending, swept, 0, count);
    const double rest =
        mpq::evaluateMethodsWork(analysis, once, count, r.quantization->allocation.biasCorrection);
    const double total = floats + sweeping + rest;
    const double share = total > 0.0 ? floats / total : 0.0;
    const double split = total > 0.0 ? (floats + sweeping) / total : 1.0;

    SweepResult out;
    out.reference = reference(r, images, control, share);
    out.warnings = out.reference->warnings;
    const std::vector<mpq::SweepPoint> points =
        mpq::sweep(r.opened, r.quantization->analysis, base, ascending, swept, *out.reference,
                   kBatch, mpq::subControl(control, share, split));
    for (const mpq::SweepPoint &p : points) {
        out.metricName = metricNameOf(p.evaluation.result);
        out.points.push_back(figuresOf(p.evaluation, p.budget, analysis.settings.bits));
    }
    const std::vector<mpq::MethodEvaluation> evaluations =
        mpq::evaluateMethods(r.opened, *r.quantization, once, *out.reference, kBatch, nullptr,
                             mpq::subControl(control, split, 1.0));
    for (const mpq::MethodEvaluation &e : evaluations)
        out.points.push_back(figuresOf(e, -1.0, analysis.settings.bits));
    // what measuring the methods' inputs warned of (images gone since the analysis), each once
    mpq::addWarningsOnce(out.warnings, mpq::methodWarnings(points));
    mpq::addWarningsOnce(out.warnings, mpq::methodWarnings(evaluations));
    return out;
}

} // namespace mpq::studio
