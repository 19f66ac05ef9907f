// The integer package: what a deployment toolchain needs to run the multipoint model with
// integer kernels, without this code (format in docs/integer-package.md).
#include "mpq/export.h"

#include "model/activationquant.h"
#include "mpq/error.h"
#include "mpq/runner.h"
#include "util/layerjson.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace mpq {

namespace {

namespace fs = std::filesystem;

// Writes one array of the package under construction; the error names the destination
// folder and the file inside it, with the system's reason (a full disk, ...).
template <typename T>
std::uint64_t writeArray(const fs::path &file, const std::vector<T> &values,
                         const std::string &destination)
{
    errno = 0;
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char *>(values.data()),
              static_cast<std::streamsize>(values.size() * sizeof(T)));
    out.close();
    if (!out)
        throw Error(ErrorCode::Io, destination + ": cannot write " +
                                       file.parent_path().filename().string() + "/" +
                                       file.filename().string() + " (" +
                                       (errno ? std::strerror(errno) : "write failed") + ")");
    return values.size() * sizeof(T);
}

} // namespace

std::uint64_t exportIntegerPackage(const Model &model, const Analysis &analysis,
                                   const Allocation &allocation,
                                   const std::vector<LayerAtBits> &atBits,
                                   const std::string &manifest, const std::string &path)
{
    const std::vector<LayerInfo> &layers = model.layers();
    if (allocation.layers.size() != layers.size() || analysis.modelSha256 != model.sha256())
        throw Error(ErrorCode::InvalidArgument,
                    "the allocation and analysis do not belong to this model");
    if (fs::exists(path))
        throw Error(ErrorCode::Io, path + ": already exists; choose a new folder");
    std::random_device entropy;
    const fs::path temp = path + ".tmp-" + std::to_string(entropy() % 100000000);
    std::error_code ec;
    if (!fs::create_directories(temp / "layers", ec) || ec)
        throw Error(ErrorCode::Io, path + ": cannot create the folder (" + ec.message() + ")");
    std::uint64_t bytes = 0;
    try {
        nlohmann::json doc = nlohmann::json::parse(manifest);
        doc["package_version"] = 1;
        doc["byte_order"] = "little";
        nlohmann::json entries = nlohmann::json::array();
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const LayerInfo &l = layers[i];
            const LayerAllocation &la = allocation.layers[i];
            char stem[32];
            std::snprintf(stem, sizeof stem, "layers/%03zu", i);
            // the layer facts in the saved analysis' keys (util/layerjson.h)
            nlohmann::json e = layerFactsJson(l);
            e["float"] = la.isFloat;
            // with bias correction, the allocated n_c's shift added (docs/multipoint.md
            // section 9), as quantizedRunner runs it
            std::vector<float> bias = model.foldedBias(i);
            if (!la.isFloat) {
                const std::vector<float> shift =
                    allocatedBiasCorrection(model, analysis, allocation, atBits, i);
                for (std::size_t c = 0; c < shift.size() && c < bias.size(); ++c)
                    bias[c] += shift[c];
            }
            bytes += writeArray(temp / (std::string(stem) + ".bias.f32"), bias, path);
            e["bias"] = std::string(stem) + ".bias.f32";
            if (la.isFloat) {
                bytes += writeArray(temp / (std::string(stem) + ".weight.f32"),
                                    model.foldedWeight(i), path);
                e["weight"] = std::string(stem) + ".weight.f32";
                entries.push_back(e);
                continue;
            }
            const MatrixDecomposition d = storedDecomposition(model, analysis, atBits, la, i);
            std::vector<std::int8_t> codes;
            std::vector<float> scales;
            std::vector<std::int32_t> channelOfRow;
            auto addRow = [&](std::int64_t c, int point) {
                const std::int8_t *q = d.code(c, point);
                codes.insert(codes.end(), q, q + l.d);
                scales.push_back(d.scale(c, point));
                channelOfRow.push_back(static_cast<std::int32_t>(c));
            };
            for (std::int64_t c = 0; c < l.outChannels; ++c)
                addRow(c, 0);
            for (std::int64_t c = 0; c < l.outChannels; ++c)
                for (int n = 1; n < la.points.at(c); ++n)
                    addRow(c, n);
            bytes += writeArray(temp / (std::string(stem) + ".codes.i8"), codes, path);
            bytes += writeArray(temp / (std::string(stem) + ".scales.f32"), scales, path);
            bytes += writeArray(temp / (std::string(stem) + ".rows.i32"), channelOfRow, path);
            e["bits"] = la.bits;
            // the rows of points 2..n hold codes of extra_bits bits (docs/multipoint.md
            // section 11; 1: signs -1 and +1)
            e["extra_bits"] = la.extraBits;
            e["rows"] = scales.size();
            e["codes"] = std::string(stem) + ".codes.i8";
            e["scales"] = std::string(stem) + ".scales.f32";
            e["channel_of_row"] = std::string(stem) + ".rows.i32";
            e["points"] = la.points;
            // The input quantization the evaluated (fake-quant) model applies before this layer,
            // with the runner's own numbers (docs/integer-package.md, "Activation quantization").
            if (analysis.settings.activationBits > 0 && i < analysis.activations.size()) {
                const ActivationQuantization aq = activationQuantization(
                    analysis.activations[i], analysis.settings.activationBits);
                if (aq.active)
                    e["activation"] = {
                        {"bits", analysis.settings.activationBits},
                        {"scale", aq.scale},
                        {"zero_point", aq.zeroPoint},
                        {"quant_min", aq.quantMin},
                        {"quant_max", aq.quantMax},
                        {"range", {analysis.activations[i].min, analysis.activations[i].max}}};
            }
            entries.push_back(e);
        }
        doc["layers"] = entries;
        const std::string text = doc.dump(2) + "\n";
        errno = 0;
        std::ofstream out(temp / "manifest.json", std::ios::binary);
        out << text;
        out.close();
        if (!out)
            throw Error(ErrorCode::Io, path + ": cannot write manifest.json (" +
                                           (errno ? std::strerror(errno) : "write failed") + ")");
        bytes += text.size();
        fs::rename(temp, path, ec);
        if (ec)
            throw Error(ErrorCode::Io,
                        path + ": cannot move the package into place (" + ec.message() + ")");
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(temp, ignored);
        throw;
    }
    return bytes;
}

} // namespace mpq
