#include "exportjobs.h"

#include "mpq/error.h"
#include "mpq/export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace mpq::studio {

namespace {

QString file(const ExportRequest &r, const QString &suffix)
{
    return QDir(r.folder).filePath(r.baseName + suffix);
}

QString verificationNote(const mpq::Verification &v)
{
    return QCoreApplication::translate("mpq::studio::ExportJobs",
                                       "verified on %1 images: largest relative difference %2")
        .arg(v.images)
        .arg(v.maxRelativeDifference, 0, 'g', 2);
}

} // namespace

QStringList exportPaths(const ExportRequest &r)
{
    QStringList out;
    if (r.formats & FakeQuantFormat)
        out << file(r, QStringLiteral(".pt"));
    if (r.formats & ExpandedFormat)
        out << file(r, QStringLiteral("-expanded.pt"));
    if (r.formats & PackageFormat)
        out << file(r, QStringLiteral("-package"));
    if (r.formats & ReportFormat)
        out << file(r, QStringLiteral("-report.json")) << file(r, QStringLiteral("-report.csv"));
    if (r.formats & OnnxFakeQuantFormat)
        out << file(r, QStringLiteral("-fakequant.onnx"));
    if (r.formats & OnnxQdqFormat)
        out << file(r, QStringLiteral("-qdq.onnx"));
    return out;
}

ExportSummary runExports(const ExportRequest &r, const mpq::JobControl &control)
{
    if (!r.opened.model || !r.quantization)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "nothing to export: no analysis");
    if (r.formats == 0)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "no export format chosen");
    const QFileInfo folder(r.folder);
    if (folder.exists() && !folder.isDir())
        throw mpq::Error(mpq::ErrorCode::Io, r.folder.toStdString() + ": is a file, not a folder");
    if (!folder.exists() && !QDir().mkpath(r.folder))
        throw mpq::Error(mpq::ErrorCode::Io, r.folder.toStdString() + ": cannot create the folder");
    struct Step
    {
        int flag;
        mpq::ExportFormat format;
        const char *suffix;
        const char *stage;
    };
    const Step steps[] = {
        {FakeQuantFormat, mpq::ExportFormat::FakeQuant, ".pt",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the fake-quant TorchScript")},
        {ExpandedFormat, mpq::ExportFormat::Expanded, "-expanded.pt",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the expanded TorchScript")},
        {PackageFormat, mpq::ExportFormat::Package, "-package",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the integer package")},
        {ReportFormat, mpq::ExportFormat::Report, "-report.json",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the report")},
        {OnnxFakeQuantFormat, mpq::ExportFormat::OnnxFakeQuant, "-fakequant.onnx",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the fake-quant ONNX model")},
        {OnnxQdqFormat, mpq::ExportFormat::OnnxQdq, "-qdq.onnx",
         QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the QDQ ONNX model")},
    };
    const int count = __builtin_popcount(unsigned(r.formats));
    int done = 0;
    ExportSummary s;
    for (const Step &step : steps) {
        if (!(r.formats & step.flag))
            continue;
        if (control.cancelled())
            throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
        if (control.stage)
            control.stage(
                QCoreApplication::translate("mpq::studio::ExportJobs", step.stage).toStdString());
        const QString path = file(r, QString::fromLatin1(step.suffix));
        const bool verified =
            step.format != mpq::ExportFormat::Package && step.format != mpq::ExportFormat::Report;
        const bool verify = r.verify && verified;
        const mpq::ExportOutcome e = mpq::exportQuantization(
            r.opened, *r.quantization, step.format, path.toStdString(), verify,
            r.toolVersion.toStdString(),
            mpq::subControl(control, double(done) / count, double(done + 1) / count));
        ++done;
        QString note;
        if (e.verified) {
            s.verified = true;
            s.maxRelativeDifference =
                std::max(s.maxRelativeDifference, e.verification.maxRelativeDifference);
            note = verificationNote(e.verification);
        } else if (verified) {
            note = QCoreApplication::translate("mpq::studio::ExportJobs", "not verified");
        }
        switch (step.format) {
        case mpq::ExportFormat::FakeQuant:
        case mpq::ExportFormat::OnnxFakeQuant:
            s.files.push_back({path, qint64(e.bytes), note});
            break;
        case mpq::ExportFormat::OnnxQdq: {
            const double floatMacs = double(r.quantization->allocation.allMacs);
            s.files.push_back(
                {path, qint64(e.bytes),
                 note + QCoreApplication::translate("mpq::studio::ExportJobs",
                                                    "; runs %1 % more MACs than the float model")
                            .arg(floatMacs > 0
                                     ? 100.0 * double(e.expandedExport.extraMacsRun) / floatMacs
                                     : 0.0,
                                 0, 'f', 1)});
            break;
        }
        case mpq::ExportFormat::Expanded:
            s.files.push_back(
                {path, qint64(e.bytes),
                 note + QCoreApplication::translate("mpq::studio::ExportJobs",
                                                    "; extra MACs run %1 %, predicted %2 %")
                            .arg(e.expandedExport.macOverheadRun * 100, 0, 'f', 1)
                            .arg(e.expandedExport.macOverheadPredicted * 100, 0, 'f', 1)});
            break;
        case mpq::ExportFormat::Package:
            s.files.push_back({path, qint64(e.bytes),
                               QCoreApplication::translate("mpq::studio::ExportJobs",
                                                           "folder, see docs/integer-package.md")});
            break;
        case mpq::ExportFormat::Report: {
            const QString json = QString::fromStdString(e.files.at(0));
            const QString csv = QString::fromStdString(e.files.at(1));
            s.files.push_back({json, QFileInfo(json).size(),
                               QCoreApplication::translate("mpq::studio::ExportJobs",
                                                           "per-layer table and totals")});
            s.files.push_back(
                {csv, QFileInfo(csv).size(),
                 QCoreApplication::translate("mpq::studio::ExportJobs", "the same as CSV")});
            break;
        }
        }
    }
    if (control.progress)
        control.progress(1.0);
    return s;
}

} // namespace mpq::studio
