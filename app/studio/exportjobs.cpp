#include "exportjobs.h"

#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/report.h"
#include "mpq/runner.h"

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
    return out;
}

ExportSummary runExports(const ExportRequest &r, const mpq::JobControl &control)
{
    if (!r.model || !r.analysis || !r.allocation)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "nothing to export: no analysis");
    if (r.formats == 0)
        throw mpq::Error(mpq::ErrorCode::InvalidArgument, "no export format chosen");
    const QFileInfo folder(r.folder);
    if (folder.exists() && !folder.isDir())
        throw mpq::Error(mpq::ErrorCode::Io, r.folder.toStdString() + ": is a file, not a folder");
    if (!folder.exists() && !QDir().mkpath(r.folder))
        throw mpq::Error(mpq::ErrorCode::Io, r.folder.toStdString() + ": cannot create the folder");
    const std::string version = r.toolVersion.toStdString();
    const std::vector<std::string> verifyImages =
        r.verify ? r.analysis->calibrationFiles : std::vector<std::string>{};
    const int steps = __builtin_popcount(unsigned(r.formats));
    int done = 0;
    const auto step = [&](const char *stage) {
        if (control.cancelled())
            throw mpq::Error(mpq::ErrorCode::Cancelled, "cancelled");
        if (control.stage)
            control.stage(
                QCoreApplication::translate("mpq::studio::ExportJobs", stage).toStdString());
        if (control.progress)
            control.progress(double(done++) / steps);
    };
    ExportSummary s;
    const auto note = [&](const mpq::Verification &v) {
        if (!r.verify)
            return QCoreApplication::translate("mpq::studio::ExportJobs", "not verified");
        s.verified = true;
        s.maxRelativeDifference = std::max(s.maxRelativeDifference, v.maxRelativeDifference);
        return verificationNote(v);
    };
    if (r.formats & FakeQuantFormat) {
        step(QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the fake-quant TorchScript"));
        const QString path = file(r, QStringLiteral(".pt"));
        mpq::ModelRunner quantized = mpq::quantizedRunner(*r.model, *r.analysis, *r.allocation, {},
                                                          r.analysis->settings.activationBits);
        const mpq::Verification v = mpq::exportFakeQuant(
            quantized, path.toStdString(),
            mpq::exportManifest(*r.analysis, *r.allocation, r.settings, version, "fakequant"),
            r.profile, verifyImages);
        s.files.push_back({path, QFileInfo(path).size(), note(v)});
    }
    if (r.formats & ExpandedFormat) {
        step(QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the expanded TorchScript"));
        const QString path = file(r, QStringLiteral("-expanded.pt"));
        const mpq::ExpandedExport e = mpq::exportExpanded(
            *r.model, *r.analysis, *r.allocation, {}, path.toStdString(),
            mpq::exportManifest(*r.analysis, *r.allocation, r.settings, version, "expanded"),
            r.profile, verifyImages);
        s.files.push_back({path, qint64(e.bytes),
                           note(e.verification) +
                               QCoreApplication::translate("mpq::studio::ExportJobs",
                                                           "; extra MACs run %1 %, predicted %2 %")
                                   .arg(e.macOverheadRun * 100, 0, 'f', 1)
                                   .arg(e.macOverheadPredicted * 100, 0, 'f', 1)});
    }
    if (r.formats & PackageFormat) {
        step(QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the integer package"));
        const QString path = file(r, QStringLiteral("-package"));
        const std::uint64_t bytes = mpq::exportIntegerPackage(
            *r.model, *r.analysis, *r.allocation, {},
            mpq::exportManifest(*r.analysis, *r.allocation, r.settings, version, "package"),
            path.toStdString());
        s.files.push_back({path, qint64(bytes),
                           QCoreApplication::translate("mpq::studio::ExportJobs",
                                                       "folder, see docs/integer-package.md")});
    }
    if (r.formats & ReportFormat) {
        step(QT_TRANSLATE_NOOP("mpq::studio::ExportJobs", "writing the report"));
        const QString json = file(r, QStringLiteral("-report.json"));
        const QString csv = file(r, QStringLiteral("-report.csv"));
        mpq::writeTextFile(json.toStdString(),
                           mpq::reportJson(*r.analysis, *r.allocation, r.settings));
        mpq::writeTextFile(csv.toStdString(), mpq::reportCsv(*r.analysis, *r.allocation));
        s.files.push_back(
            {json, QFileInfo(json).size(),
             QCoreApplication::translate("mpq::studio::ExportJobs", "per-layer table and totals")});
        s.files.push_back(
            {csv, QFileInfo(csv).size(),
             QCoreApplication::translate("mpq::studio::ExportJobs", "the same as CSV")});
    }
    if (control.progress)
        control.progress(1.0);
    return s;
}

} // namespace mpq::studio
