#include "exportcommand.h"

#include "modelsession.h"

#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/modelformat.h"
#include "mpq/pipeline.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <filesystem>

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
        "verified like fakequant, with the MACs it runs beside the allocation's prediction. "
        "onnx-fakequant and onnx-qdq (ONNX models only, docs/onnx.md): the original ONNX graph "
        "with the multipoint sums as weights, or the deployable QDQ graph (int8 weights with "
        "DequantizeLinear per row, one extra convolution per further point); both re-imported "
        "and verified like fakequant."));
    p.addHelpOption();
    p.addPositionalArgument("MODEL", "Model file: TorchScript (.pt) or ONNX (.onnx).");
    p.addOptions(
        {{"format", "fakequant, expanded, report, package, onnx-fakequant or onnx-qdq.", "FORMAT"},
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
    const QStringList formats = {"fakequant", "report",         "package",
                                 "expanded",  "onnx-fakequant", "onnx-qdq"};
    const int choice = parseChoice(p, command, "format", formats);
    if (choice < 0)
        return ExitUsage;
    const mpq::ExportFormat format = mpq::exportFormatFromWord(formats[choice].toStdString());
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
        // the ONNX exports rewrite the source ONNX graph: a TorchScript source is refused
        // before the model is analysed (docs/onnx.md section 5)
        if (format == mpq::ExportFormat::OnnxFakeQuant || format == mpq::ExportFormat::OnnxQdq) {
            const std::string model = p.positionalArguments().first().toStdString();
            mpq::requireOnnxSource(model, mpq::modelFileFormat(model));
        }
        const Session session = openSession(p.positionalArguments().first(), options, command);
        const mpq::Quantization q = quantizeSession(session, allocation, command);
        // what is exported: pins over the budget, overrides measured on fewer images
        for (const std::string &w : q.allocation.warnings)
            err() << "warning: " << QString::fromStdString(w) << Qt::endl;
        beginStage(command, QStringLiteral("exporting"));
        const bool verify = !p.isSet("no-verify") && format != mpq::ExportFormat::Report &&
                            format != mpq::ExportFormat::Package;
        const mpq::ExportOutcome e = mpq::exportQuantization(
            session.opened, q, format, output, verify,
            QCoreApplication::applicationVersion().toStdString(), terminalControl(command));
        written = e.files; // a package is a new folder: an existing one is refused
        if (cancelledWhileWriting())
            return ExitCancelled;
        switch (format) {
        case mpq::ExportFormat::Report:
            out() << "wrote " << QString::fromStdString(e.files.at(0)) << " and "
                  << QString::fromStdString(e.files.at(1)) << Qt::endl;
            return ExitOk;
        case mpq::ExportFormat::Package:
            out() << "wrote the integer package " << p.value("output") << " (" << e.bytes
                  << " bytes)" << Qt::endl;
            return ExitOk;
        case mpq::ExportFormat::Expanded: {
            std::int64_t rows = 0, rowsRun = 0;
            for (const mpq::ExpandedLayer &l : e.expandedExport.layers) {
                rows += l.extraRows;
                rowsRun += l.extraRowsRun;
            }
            out() << "wrote " << p.value("output") << " (" << e.bytes
                  << " bytes): " << e.expandedExport.layers.size() << " expanded layers, " << rows
                  << " extra rows (" << rowsRun << " run with group padding)" << Qt::endl
                  << QString("MAC overhead run %1 %, predicted by the allocation %2 %")
                         .arg(e.expandedExport.macOverheadRun * 100, 0, 'f', 2)
                         .arg(e.expandedExport.macOverheadPredicted * 100, 0, 'f', 2)
                  << Qt::endl;
            break;
        }
        case mpq::ExportFormat::OnnxQdq: {
            // the MACs the file runs against the float model's (docs/onnx.md section 5)
            const std::int64_t floatMacs = q.allocation.allMacs;
            const std::int64_t run = floatMacs + e.expandedExport.extraMacsRun;
            out() << "wrote " << p.value("output") << " (" << e.bytes
                  << " bytes): " << e.expandedExport.layers.size() << " quantized layers, "
                  << QString("%1 MACs per image against the float model's %2 (+%3 %, predicted "
                             "by the allocation %4 %)")
                         .arg(run)
                         .arg(floatMacs)
                         .arg(floatMacs > 0 ? 100.0 * double(run - floatMacs) / double(floatMacs)
                                            : 0.0,
                              0, 'f', 2)
                         .arg(e.expandedExport.macOverheadPredicted * 100, 0, 'f', 2)
                  << Qt::endl;
            break;
        }
        case mpq::ExportFormat::OnnxFakeQuant:
        case mpq::ExportFormat::FakeQuant:
            out() << "wrote " << p.value("output") << " (" << e.bytes << " bytes), "
                  << QString("%1 % memory overhead, effective bits %2")
                         .arg(q.allocation.memoryOverhead * 100, 0, 'f', 1)
                         .arg(q.allocation.effectiveBits, 0, 'f', 2)
                  << Qt::endl;
            break;
        }
        if (!e.verified)
            return ExitOk;
        const mpq::Verification &v = e.verification;
        out() << QString("verified on %1 images: largest difference from the in-app model %2 "
                         "(relative %3)")
                     .arg(v.images)
                     .arg(v.maxAbsoluteDifference, 0, 'g', 3)
                     .arg(v.maxRelativeDifference, 0, 'g', 3)
              << Qt::endl;
        if (v.maxRelativeDifference > mpq::kVerifyTolerance) {
            err() << command << ": the reloaded export differs from the in-app model by more than "
                  << mpq::kVerifyTolerance << " (relative)" << Qt::endl;
            return ExitVerifyFailed;
        }
    } catch (const mpq::Error &e) {
        const int exit = reportError(command, e);
        return cancelledWhileWriting() ? ExitCancelled : exit;
    }
    return ExitOk;
}
