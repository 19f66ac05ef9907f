// The pipeline's export stage (docs/architecture.md): every format, checked by reloading.
#include "export/onnxexport.h"
#include "mpq/error.h"
#include "mpq/report.h"
#include "mpq/runner.h"
#include "mpq/vocabulary.h"
#include "pipeline/stages.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mpq {

namespace fs = std::filesystem;
using namespace pipe;

const char *toWord(ExportFormat format)
{
    switch (format) {
    case ExportFormat::FakeQuant:
        return "fakequant";
    case ExportFormat::Expanded:
        return "expanded";
    case ExportFormat::Package:
        return "package";
    case ExportFormat::Report:
        return "report";
    case ExportFormat::OnnxFakeQuant:
        return "onnx-fakequant";
    case ExportFormat::OnnxQdq:
        return "onnx-qdq";
    }
    return "?";
}

ExportFormat exportFormatFromWord(const std::string &word)
{
    for (ExportFormat f :
         {ExportFormat::FakeQuant, ExportFormat::Expanded, ExportFormat::Package,
          ExportFormat::Report, ExportFormat::OnnxFakeQuant, ExportFormat::OnnxQdq})
        if (word == toWord(f))
            return f;
    throw Error(ErrorCode::InvalidArgument,
                "unknown export format '" + word +
                    "': use fakequant, expanded, package, report, onnx-fakequant or onnx-qdq");
}

ExportOutcome exportQuantization(const OpenedModel &opened, const Quantization &q,
                                 ExportFormat format, const std::string &path, bool verify,
                                 const std::string &toolVersion, const JobControl &control)
{
    checkCancelled(control);
    const Analysis &analysis = *q.analysis;
    const std::string manifest =
        exportManifest(analysis, q.allocation, q.settings, toolVersion, toWord(format));
    const std::vector<std::string> samples =
        verify ? analysis.calibrationFiles : std::vector<std::string>{};
    ExportOutcome out;
    std::error_code ec;
    switch (format) {
    case ExportFormat::Report: {
        const std::string csv = fs::path(path).extension() == ".json"
                                    ? path.substr(0, path.size() - 5) + ".csv"
                                    : path + ".csv";
        // Two files, each written atomically; when the CSV fails, the JSON goes back to what it
        // was (absent, or the previous report), so that no half export stays.
        std::optional<std::string> previous;
        if (fs::is_regular_file(path, ec)) {
            std::ifstream in(path, std::ios::binary);
            previous = std::string(std::istreambuf_iterator<char>(in), {});
        }
        writeTextFile(path, reportJson(analysis, q.allocation, q.settings));
        out.files.push_back(path);
        try {
            writeTextFile(csv, reportCsv(analysis, q.allocation));
        } catch (const Error &) {
            if (previous) {
                try {
                    writeTextFile(path, *previous);
                } catch (const Error &) {
                }
            } else {
                fs::remove(path, ec);
            }
            throw;
        }
        out.files.push_back(csv);
        for (const std::string &f : out.files)
            out.bytes += fs::file_size(f, ec);
        return out;
    }
    case ExportFormat::Package:
        out.bytes =
            exportIntegerPackage(*opened.model, analysis, q.allocation, *q.atBits, manifest, path);
        out.files.push_back(path);
        return out;
    case ExportFormat::Expanded:
        out.expandedExport = exportExpanded(*opened.model, analysis, q.allocation, *q.atBits, path,
                                            manifest, opened.requireProfile(), samples);
        out.expanded = true;
        out.verification = out.expandedExport.verification;
        out.bytes = out.expandedExport.bytes;
        break;
    case ExportFormat::OnnxFakeQuant:
    case ExportFormat::OnnxQdq: {
        // docs/onnx.md section 5
        const bool qdq = format == ExportFormat::OnnxQdq;
        OnnxExportResult r = exportOnnx(*opened.model, analysis, q.allocation, *q.atBits, qdq, path,
                                        manifest, opened.requireProfile(), samples);
        out.verification = r.verification;
        out.bytes = r.bytes;
        if (qdq) {
            out.expandedExport = std::move(r.figures);
            out.expanded = true;
        }
        break;
    }
    case ExportFormat::FakeQuant: {
        ModelRunner quantized = quantizedRunner(*opened.model, analysis, q.allocation, *q.atBits,
                                                analysis.settings.activationBits);
        out.verification =
            exportFakeQuant(quantized, path, manifest, opened.requireProfile(), samples);
        out.bytes = fs::file_size(path, ec);
        break;
    }
    }
    out.files.push_back(path);
    // verified only when an image actually ran beside it (the calibration files of an analysis
    // made elsewhere, or deleted since, are skipped: 0 images compared is no verification)
    out.verified = out.verification.images > 0;
    return out;
}

} // namespace mpq
