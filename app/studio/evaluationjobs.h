#pragma once
// The Preview and Compare work (issue "preview, compare and export"): run on a JobRunner
// worker, take everything by value, return immutable results, throw mpq::Error (Cancelled too).

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/profile.h"
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/previewmodel.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace mpq::studio {

/// Sample images the Preview and Compare pages evaluate, at most this many (a seeded choice
/// beyond it, as mpq::chooseImages makes).
constexpr int kPreviewImageLimit = 500;

struct EvaluationRequest
{
    std::shared_ptr<const mpq::Model> model;
    mpq::ModelProfile profile;
    std::shared_ptr<const mpq::Analysis> analysis;
    std::shared_ptr<const mpq::Allocation> allocation;
    QString imagesDir;
    QString setting; ///< what the figures belong to, for the page's caption
    int thumbnailSide = 360;
};

/// The sample images of a folder as the Preview uses them (sorted; seeded subset above the
/// limit). Throws mpq::Error(BadImage) naming the folder when it holds none.
std::vector<std::string> previewImages(const QString &imagesDir);

/// Float and multipoint-quantized predictions on the sample images (mpq::evaluate with the
/// allocation, activation bits as analysed), plus the thumbnails, decoded here off the GUI thread.
mpq::ui::PreviewData runPreview(const EvaluationRequest &request, const mpq::JobControl &control);

struct CompareResult
{
    std::vector<mpq::ui::MethodFigures> figures;
    QString metricName;
    QString setting;
};

/// Every method (multipoint, RTN per channel, MSE per channel, OCS, mixed precision) at the
/// allocation's memory overhead, each evaluated on the same sample images; the metric is top-1
/// for labelled classifiers, top-1 agreement with float for unlabelled ones, and mAP@0.5 against
/// the float detections for detectors.
CompareResult runCompare(const EvaluationRequest &request, const mpq::JobControl &control);

} // namespace mpq::studio
