#pragma once
// Writing the exports the Export dialog asks for, on a JobRunner worker.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/pipeline.h"
#include "mpq/profile.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace mpq::studio {

enum ExportFormat {
    FakeQuantFormat = 1,
    ExpandedFormat = 2,
    PackageFormat = 4,
    ReportFormat = 8,
    OnnxFakeQuantFormat = 16, ///< ONNX sources only (docs/onnx.md section 5)
    OnnxQdqFormat = 32,       ///< ONNX sources only
};

struct ExportRequest
{
    mpq::OpenedModel opened;                               ///< model and profile
    std::shared_ptr<const mpq::Quantization> quantization; ///< what is exported
    int formats = FakeQuantFormat;                         ///< ExportFormat flags
    QString folder;   ///< destination folder (created when missing)
    QString baseName; ///< e.g. "resnet-mpq": resnet-mpq.pt, resnet-mpq-expanded.pt...
    bool verify = true;
    QString toolVersion;
};

struct ExportedFile
{
    QString path;
    qint64 bytes = 0;
    QString note; ///< e.g. "verified on 12 images, largest relative difference 3e-07"
};

struct ExportSummary
{
    std::vector<ExportedFile> files;
    double maxRelativeDifference = 0.0; ///< over the verified TorchScript exports
    bool verified = false;
};

/// The paths the request would write, in order (the dialog shows them before it runs).
QStringList exportPaths(const ExportRequest &request);

/// Writes every requested format through mpq::exportQuantization (each atomically, see
/// mpq/export.h). Throws mpq::Error naming
/// the file on the first failure; what was written before it stays, nothing half-written does.
ExportSummary runExports(const ExportRequest &request, const mpq::JobControl &control);

} // namespace mpq::studio
