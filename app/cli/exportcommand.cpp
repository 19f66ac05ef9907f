#include "exportcommand.h"

#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/methods.h"
#include "mpq/report.h"
#include "mpq/runner.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <filesystem>

namespace {

// Relative difference above which a verified export fails (exit 4).
constexpr double kVerifyTolerance = 1e-4;

} // namespace

int runExport(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq export");
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "mpq",
        "Export the quantized model. fakequant: TorchScript with the original architecture and "
        "each "
        "quantized layer's weight replaced by its multipoint sum (folded BatchNorms become "
        "identity plus "
        "shift), reloaded and checked against the in-app model unless --no-verify (exit 4 when the "
        "largest relative difference exceeds 1e-4). report: the per-layer table and model totals "
        "as "
        "OUT (JSON) and OUT with .csv. package: a folder OUT with the int8 point rows, scales, "
        "row-to-channel maps and biases of every layer and a manifest (docs/integer-package.md). "
        "expanded: TorchScript in the common-operands form (a base convolution over the first "
        "points' codes plus an extra one over the further points, scaled per row and added back), "
        "verified like fakequant, with the MACs it runs beside the allocation's prediction."));
    p.addHelpOption();
    p.addPositionalArgument("MODEL", "TorchScript model file (.pt).");
    p.addOptions({{"format", "fakequant, expanded, report or package.", "FORMAT"},
                  {{"o", "output"}, "The file to write.", "OUT"},
                  {"no-verify", "Do not reload and check the exported model."}});
    addSessionOptions(p);
    addAllocationOptions(p);
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    if (p.positionalArguments().size() != 1 || !p.isSet("format") || !p.isSet("output")) {
        err() << command << ": give one MODEL, --format and -o OUT (see --help)" << Qt::endl;
        return ExitUsage;
    }
    const int format =
        parseChoice(p, command, "format", {"fakequant", "report", "package", "expanded"});
    if (format < 0)
        return ExitUsage;
    SessionOptions options;
    mpq::AllocationSettings allocation;
    if (const int exit = readModelOptions(p, command, options, allocation); exit >= 0)
        return exit;
    const std::string output = p.value("output").toStdString();
    // What this run wrote, removed again when Ctrl-C arrives while it writes or verifies:
    // a cancelled command leaves no output behind.
    std::vector<std::string> written;
    const auto cancelledWhileWriting = [&] {
        if (!interrupted())
            return false;
        if (written.empty())
            return true;
        for (const std::string &path : written) {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
        err() << command << ": cancelled; removed " << p.value("output") << Qt::endl;
        return true;
    };
    try {
        Session session = openSession(p.positionalArguments().first(), options, command);
        const mpq::Allocation alloc =
            mpq::allocate(curvesForAllocation(session, allocation, command), allocation);
        beginStage(command, QStringLiteral("exporting"));
        if (format == 1) {
            std::string csv = QFileInfo(p.value("output")).suffix() == "json"
                                  ? output.substr(0, output.size() - 5) + ".csv"
                                  : output + ".csv";
            mpq::writeTextFile(output, mpq::reportJson(session.analysis, alloc, allocation));
            written.push_back(output);
            mpq::writeTextFile(csv, mpq::reportCsv(session.analysis, alloc));
            written.push_back(csv);
            if (cancelledWhileWriting())
                return ExitCancelled;
            out() << "wrote " << QString::fromStdString(output) << " and "
                  << QString::fromStdString(csv) << Qt::endl;
            return ExitOk;
        }
        if (format == 2) {
            const std::string manifest = mpq::exportManifest(
                session.analysis, alloc, allocation,
                QCoreApplication::applicationVersion().toStdString(), "package");
            const std::uint64_t bytes = mpq::exportIntegerPackage(session.model, session.analysis,
                                                                  alloc, {}, manifest, output);
            written.push_back(output); // a new folder: an existing one is refused
            if (cancelledWhileWriting())
                return ExitCancelled;
            out() << "wrote the integer package " << p.value("output") << " (" << bytes << " bytes)"
                  << Qt::endl;
            return ExitOk;
        }
        const std::string manifest =
            mpq::exportManifest(session.analysis, alloc, allocation,
                                QCoreApplication::applicationVersion().toStdString(),
                                format == 3 ? "expanded" : "fakequant");
        const std::vector<std::string> samples =
            p.isSet("no-verify") ? std::vector<std::string>{} : session.analysis.calibrationFiles;
        mpq::Verification v;
        if (format == 3) {
            const mpq::ExpandedExport e =
                mpq::exportExpanded(session.model, session.analysis, alloc, {}, output, manifest,
                                    session.profile, samples);
            v = e.verification;
            written.push_back(output);
            if (cancelledWhileWriting())
                return ExitCancelled;
            std::int64_t rows = 0, rowsRun = 0;
            for (const mpq::ExpandedLayer &l : e.layers) {
                rows += l.extraRows;
                rowsRun += l.extraRowsRun;
            }
            out() << "wrote " << p.value("output") << " (" << e.bytes
                  << " bytes): " << e.layers.size() << " expanded layers, " << rows
                  << " extra rows (" << rowsRun << " run with group padding)" << Qt::endl
                  << QString("MAC overhead run %1 %, predicted by the allocation %2 %")
                         .arg(e.macOverheadRun * 100, 0, 'f', 2)
                         .arg(e.macOverheadPredicted * 100, 0, 'f', 2)
                  << Qt::endl;
        } else {
            const mpq::MethodWeights weights = mpq::methodWeights(
                session.model, session.analysis, alloc, {}, mpq::Method::Multipoint);
            mpq::ModelRunner quantized =
                mpq::weightsRunner(session.model, weights.weights, &session.analysis.activations,
                                   session.analysis.settings.activationBits);
            v = mpq::exportFakeQuant(quantized, output, manifest, session.profile, samples);
            written.push_back(output);
            if (cancelledWhileWriting())
                return ExitCancelled;
            out() << "wrote " << p.value("output") << " (" << QFileInfo(p.value("output")).size()
                  << " bytes), "
                  << QString("%1 % memory overhead, effective bits %2")
                         .arg(alloc.memoryOverhead * 100, 0, 'f', 1)
                         .arg(alloc.effectiveBits, 0, 'f', 2)
                  << Qt::endl;
        }
        if (samples.empty())
            return ExitOk;
        out() << QString("verified on %1 images: largest difference from the in-app model %2 "
                         "(relative %3)")
                     .arg(v.images)
                     .arg(v.maxAbsoluteDifference, 0, 'g', 3)
                     .arg(v.maxRelativeDifference, 0, 'g', 3)
              << Qt::endl;
        if (v.maxRelativeDifference > kVerifyTolerance) {
            err() << command << ": the reloaded export differs from the in-app model by more than "
                  << kVerifyTolerance << " (relative)" << Qt::endl;
            return ExitVerifyFailed;
        }
    } catch (const mpq::Error &e) {
        err() << command << ": " << e.what() << Qt::endl;
        if (cancelledWhileWriting())
            return ExitCancelled;
        return e.code() == mpq::ErrorCode::Cancelled ? ExitCancelled : ExitBadInput;
    }
    return ExitOk;
}
