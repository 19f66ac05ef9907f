#pragma once
// The Preview and Compare work (issue "preview, compare and export"): run on a JobRunner
// worker, take everything by value, return immutable results, throw mpq::Error (Cancelled too).

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/pipeline.h"
#include "mpq/profile.h"
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/previewmodel.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace mpq::studio {

struct EvaluationRequest
{
    mpq::OpenedModel opened;                               ///< model and profile
    std::shared_ptr<const mpq::Quantization> quantization; ///< what runs
    QString imagesDir;
    bool testImages = false; ///< imagesDir is the test images folder, not the calibration one
    QString setting;         ///< what the figures belong to, for the page's caption
    int thumbnailSide = 360;
    /// The float predictions on imagesDir when already computed for this model (reused: the
    /// float model runs once per model and image set); null: computed by the job.
    std::shared_ptr<const mpq::FloatPredictions> reference;
};

/// The sample images of a folder as the Preview uses them (mpq::evaluationImages: sorted;
/// seeded subset above the limit). Throws mpq::Error(BadImage) naming the folder when it holds
/// none.
std::vector<std::string> previewImages(const QString &imagesDir);

/// Float and multipoint-quantized predictions on the sample images (mpq::evaluateMethods with
/// the quantization, activation bits as analysed), plus the thumbnails, decoded here off the GUI
/// thread. `reference` is set to the float predictions used.
mpq::ui::PreviewData runPreview(const EvaluationRequest &request, const mpq::JobControl &control,
                                std::shared_ptr<const mpq::FloatPredictions> *reference = nullptr);

struct CompareResult
{
    std::vector<mpq::ui::MethodFigures> figures;
    QString metricName;
    QString setting;
    std::vector<std::string> warnings; ///< skipped images and annotations, and calibration images
                                       ///< the methods could not read (mpq::methodWarnings)
    std::shared_ptr<const mpq::FloatPredictions> reference; ///< the float predictions used
};

/// Every method (multipoint, RTN per channel, MSE per channel, OCS, mixed precision) at the
/// allocation's memory overhead, and RTN and MSE at b+1 bits (below 8 bits), through
/// mpq::evaluateMethods, each evaluated on the same sample images against float predictions
/// computed once, with its memory and MAC overhead; the metric is mpq::taskMetric's. Progress
/// in units of work (mpq/work.h), the float run's included.
CompareResult runCompare(const EvaluationRequest &request, const mpq::JobControl &control);

/// The memory budgets a sweep runs by default: 0, 2.5, 5, 10, 20 and 50 %.
std::vector<double> defaultSweepBudgets();

struct SweepResult
{
    /// Per budget (ascending), multipoint, mixed precision (below 8 bits) and OCS at that
    /// budget, `budget` set; then round-to-nearest and MSE at b bits and (below 8 bits) at b+1
    /// bits once each, budget -1: their weights do not depend on the budget.
    std::vector<mpq::ui::MethodFigures> points;
    QString metricName;
    std::vector<std::string> warnings; ///< skipped images and annotations, and calibration images
                                       ///< the methods could not read (mpq::methodWarnings)
    std::shared_ptr<const mpq::FloatPredictions> reference; ///< the float predictions used
};

/// The task metric of every method over memory budgets (issue 14, Compare's sweep mode):
/// mpq::sweep of the budget-dependent methods with the request's overrides (the rule's epsilon
/// or budget does not matter), and mpq::evaluateMethods of the others at the request's
/// quantization, all against the same float predictions. Progress in units of work
/// (mpq/work.h): the float run (when not given), the sweep (mixed precision's single-point
/// measurement at its calibrations' cost), the methods run once.
SweepResult runSweep(const EvaluationRequest &request, const std::vector<double> &budgets,
                     const mpq::JobControl &control);

} // namespace mpq::studio
