// The saved analysis: one file, "MPQANL01", a JSON header, then the binary arrays.
// Layout: 8-byte magic | uint64 header length (little endian) | JSON header | for each layer:
// scales (float32 rows*points) codes (int8 rows*points*cols) residual norms (float64
// rows*(points+1)) signal (float64 C) errors (float64 C*N) maxFirst (uint8 C), and where the
// layer's header has "shifts": true, shifts (float64 C*N) corrected errors (float64 C*N) (bias
// correction, docs/multipoint.md section 9; files without them load with no correction).
#include "mpq/analysis.h"

#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/vocabulary.h"
#include "util/atomicfile.h"
#include "util/layerjson.h"
#include "util/settingsjson.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

namespace mpq {

namespace {

using json = nlohmann::json;

constexpr char kMagic[9] = "MPQANL01";
// Header version 2: layer facts, settings and overrides in the shared codecs (util/layerjson.h,
// util/settingsjson.h); version 1 (keys "shape", "out_channels", overrides {"kind", "points",
// "bits"}) is still read.
constexpr int kVersion = 2;
constexpr int kSensitivityLoss = 2;

template <typename T> void putArray(std::string &out, const std::vector<T> &v)
{
    out.append(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

template <typename T>
std::vector<T> takeArray(const std::string &in, std::size_t &pos, std::size_t count,
                         const std::string &path)
{
    if (count > (in.size() - pos) / sizeof(T))
        throw Error(ErrorCode::BadAnalysis, path + ": the file is truncated");
    std::vector<T> v(count);
    std::memcpy(v.data(), in.data() + pos, count * sizeof(T));
    pos += count * sizeof(T);
    return v;
}

} // namespace

void saveAnalysis(const Analysis &a, const AllocationSettings *allocation, const std::string &path)
{
    json header;
    header["format"] = "mpq-analysis";
    header["version"] = kVersion;
    header["model"] = {{"path", a.modelPath}, {"sha256", a.modelSha256}};
    header["settings"] = analysisSettingsJson(a.settings);
    header["calibration_files"] = a.calibrationFiles;
    header["warnings"] = a.warnings;
    header["seconds"] = a.seconds;
    // the output loss the sensitivity was measured with: 2, each output's squared error relative
    // to its own scale (docs/multipoint.md section 8); files without it used the plain one
    if (a.settings.sensitivity)
        header["sensitivity_loss"] = kSensitivityLoss;
    json layers = json::array();
    std::string blobs;
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        const MatrixDecomposition &d = a.decompositions[i];
        const LayerCurves &c = a.curves[i];
        json l = layerFactsJson(a.layers[i]);
        l["output_positions"] = c.outputPositions;
        l["calls_per_forward"] = a.callsPerForward[i];
        l["activation"] = {a.activations[i].min, a.activations[i].max};
        l["decomposition"] = {{"bits", d.bits()},
                              {"extra_bits", d.extraBits()},
                              {"points", d.points()},
                              {"rows", d.rows()},
                              {"cols", d.cols()}};
        // w_c in the header (docs/multipoint.md section 8): absent when not measured, so files
        // without it keep the binary layout above
        if (!c.sensitivity.empty())
            l["sensitivity"] = c.sensitivity;
        if (!c.meanSensitivity.empty())
            l["mean_sensitivity"] = c.meanSensitivity;
        const bool shifts =
            c.shift.size() == c.error.size() && c.correctedError.size() == c.error.size();
        if (shifts)
            l["shifts"] = true;
        // a half-step pair's solo points (docs/multipoint.md section 12), after the rest
        if (d.hasSolo())
            l["solo_points"] = true;
        layers.push_back(l);
        putArray(blobs, d.scales());
        putArray(blobs, d.codes());
        putArray(blobs, d.residualNorms());
        putArray(blobs, c.signal);
        putArray(blobs, c.error);
        putArray(blobs, a.maxFirst[i]);
        if (shifts) {
            putArray(blobs, c.shift);
            putArray(blobs, c.correctedError);
        }
        if (d.hasSolo()) {
            putArray(blobs, d.soloScales());
            putArray(blobs, d.soloCodes());
        }
    }
    header["layers"] = layers;
    if (allocation)
        header["allocation"] = allocationSettingsJson(*allocation);
    const std::string text = header.dump();
    std::string bytes(kMagic, 8);
    const std::uint64_t length = text.size();
    for (int k = 0; k < 8; ++k)
        bytes.push_back(static_cast<char>((length >> (8 * k)) & 0xff));
    bytes += text;
    bytes += blobs;
    writeFileAtomically(path, bytes);
}

SavedAnalysis loadAnalysis(const std::string &path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error(ErrorCode::BadAnalysis, path + ": cannot open the file");
    std::ostringstream content;
    content << file.rdbuf();
    const std::string in = content.str();
    if (in.size() < 16 || in.compare(0, 8, kMagic, 8) != 0)
        throw Error(ErrorCode::BadAnalysis, path + ": not an MPQ Studio analysis file");
    std::uint64_t length = 0;
    for (int k = 0; k < 8; ++k)
        length |= std::uint64_t(static_cast<unsigned char>(in[8 + k])) << (8 * k);
    if (length > in.size() - 16)
        throw Error(ErrorCode::BadAnalysis, path + ": the file is truncated");
    SavedAnalysis out;
    Analysis &a = out.analysis;
    try {
        const json header = json::parse(in.substr(16, length));
        const int version = header.at("version").get<int>();
        if (version > kVersion)
            throw Error(ErrorCode::BadAnalysis,
                        path + ": written by a newer version of MPQ Studio");
        a.modelPath = header.at("model").at("path").get<std::string>();
        a.modelSha256 = header.at("model").at("sha256").get<std::string>();
        a.settings = analysisSettingsFrom(header.at("settings"), "settings");
        // files from before the sensitivity stage (docs/multipoint.md section 8) measured none
        if (!header.at("settings").contains("sensitivity"))
            a.settings.sensitivity = false;
        a.calibrationFiles = header.at("calibration_files").get<std::vector<std::string>>();
        a.warnings = header.at("warnings").get<std::vector<std::string>>();
        a.seconds = header.at("seconds").get<double>();
        std::size_t pos = 16 + length;
        for (const json &l : header.at("layers")) {
            LayerInfo info = layerFactsFrom(l);
            const json &d = l.at("decomposition");
            const int bits = d.at("bits").get<int>(), points = d.at("points").get<int>();
            // files from before extra-point bits (docs/multipoint.md section 11): all at `bits`
            const int extraBits = d.value("extra_bits", 0);
            const std::int64_t rows = d.at("rows").get<std::int64_t>(),
                               cols = d.at("cols").get<std::int64_t>();
            if (rows != info.outChannels || cols != info.d || points < 1 || points > 16)
                throw Error(ErrorCode::BadAnalysis,
                            path + ": layer " + info.name + " is inconsistent");
            auto scales = takeArray<float>(in, pos, rows * points, path);
            auto codes = takeArray<std::int8_t>(in, pos, rows * points * cols, path);
            auto norms = takeArray<double>(in, pos, rows * (points + 1), path);
            LayerCurves c;
            c.name = info.name;
            c.bits = bits;
            c.extraBits = extraBits;
            c.maxPoints = points;
            c.channels = rows;
            c.d = cols;
            c.outputPositions = l.at("output_positions").get<std::int64_t>();
            c.signal = takeArray<double>(in, pos, rows, path);
            c.error = takeArray<double>(in, pos, rows * points, path);
            if (l.contains("sensitivity")) {
                c.sensitivity = l.at("sensitivity").get<std::vector<double>>();
                if (std::int64_t(c.sensitivity.size()) != rows)
                    throw Error(ErrorCode::BadAnalysis,
                                path + ": layer " + info.name + " has a damaged sensitivity");
            }
            if (l.contains("mean_sensitivity")) {
                c.meanSensitivity = l.at("mean_sensitivity").get<std::vector<double>>();
                if (std::int64_t(c.meanSensitivity.size()) != rows)
                    throw Error(ErrorCode::BadAnalysis,
                                path + ": layer " + info.name + " has a damaged sensitivity");
            }
            a.maxFirst.push_back(takeArray<std::uint8_t>(in, pos, rows, path));
            if (l.value("shifts", false)) {
                c.shift = takeArray<double>(in, pos, rows * points, path);
                c.correctedError = takeArray<double>(in, pos, rows * points, path);
            }
            std::vector<float> soloScales;
            std::vector<std::int8_t> soloCodes;
            if (l.value("solo_points", false)) {
                soloScales = takeArray<float>(in, pos, rows, path);
                soloCodes = takeArray<std::int8_t>(in, pos, rows * cols, path);
            }
            a.decompositions.push_back(MatrixDecomposition::fromArrays(
                bits, points, rows, cols, std::move(scales), std::move(codes), std::move(norms),
                extraBits, std::move(soloScales), std::move(soloCodes)));
            c.extraBits = a.decompositions.back().extraBits();
            a.curves.push_back(std::move(c));
            a.callsPerForward.push_back(l.at("calls_per_forward").get<double>());
            a.activations.push_back(
                {l.at("activation").at(0).get<float>(), l.at("activation").at(1).get<float>()});
            a.layers.push_back(std::move(info));
        }
        if (pos != in.size())
            throw Error(ErrorCode::BadAnalysis, path + ": unexpected data after the last layer");
        // a sensitivity measured with the plain squared error, which a model with several
        // outputs (a detector's scores and box sizes) weighed by their units: left out, so that
        // no weighted rule uses it and asking for it means a new analysis
        if (a.settings.sensitivity && header.value("sensitivity_loss", 1) < kSensitivityLoss) {
            a.settings.sensitivity = false;
            for (LayerCurves &c : a.curves) {
                c.sensitivity.clear();
                c.meanSensitivity.clear();
            }
            a.warnings.push_back(path +
                                 ": its output sensitivity was measured before each output "
                                 "counted relative to its own scale (docs/multipoint.md section "
                                 "8) and is left out: analyse again to weight by it");
        }
        if (header.contains("allocation")) {
            out.hasAllocation = true;
            out.allocation = allocationSettingsFrom(header.at("allocation"), "allocation");
        }
    } catch (const json::exception &e) {
        throw Error(ErrorCode::BadAnalysis, path + ": damaged header (" + e.what() + ")");
    } catch (const Error &e) {
        if (e.code() == ErrorCode::BadAnalysis)
            throw;
        throw Error(ErrorCode::BadAnalysis, path + ": " + e.what());
    }
    return out;
}

void checkAnalysisMatches(const Analysis &a, const Model &model, const AnalysisSettings &s)
{
    if (a.modelSha256 != model.sha256())
        throw Error(ErrorCode::BadAnalysis,
                    "the analysis was made for another model file (" + a.modelPath + ", SHA-256 " +
                        a.modelSha256.substr(0, 12) + "...), not " + model.path() + " (" +
                        model.sha256().substr(0, 12) + "...)");
    const AnalysisSettings &t = a.settings;
    std::string diff;
    auto check = [&](bool same, const std::string &what) {
        if (!same)
            diff += (diff.empty() ? "" : ", ") + what;
    };
    check(t.bits == s.bits, "bits " + std::to_string(t.bits) + " vs " + std::to_string(s.bits));
    check(t.maxPoints == s.maxPoints,
          "max points " + std::to_string(t.maxPoints) + " vs " + std::to_string(s.maxPoints));
    check(t.search == s.search,
          std::string("search ") + toWord(t.search) + " vs " + toWord(s.search));
    check(t.firstPoint == s.firstPoint,
          std::string("first point ") + toWord(t.firstPoint) + " vs " + toWord(s.firstPoint));
    check(t.calibCount == s.calibCount, "calibration count " + std::to_string(t.calibCount) +
                                            " vs " + std::to_string(s.calibCount));
    check(t.seed == s.seed, "seed " + std::to_string(t.seed) + " vs " + std::to_string(s.seed));
    check(t.rounding == s.rounding,
          std::string("rounding ") + toWord(t.rounding) + " vs " + toWord(s.rounding));
    check(extraPointBits(t.bits, t.extraPointBits) == extraPointBits(s.bits, s.extraPointBits),
          "extra-point bits " + std::to_string(extraPointBits(t.bits, t.extraPointBits)) + " vs " +
              std::to_string(extraPointBits(s.bits, s.extraPointBits)));
    check(t.halfStepPair == s.halfStepPair, std::string("half-step pair ") +
                                                (t.halfStepPair ? "on" : "off") + " vs " +
                                                (s.halfStepPair ? "on" : "off"));
    check(t.sensitivity == s.sensitivity, std::string("sensitivity ") +
                                              (t.sensitivity ? "on" : "off") + " vs " +
                                              (s.sensitivity ? "on" : "off"));
    if (!diff.empty())
        throw Error(ErrorCode::BadAnalysis, "the analysis was made with other settings: " + diff);
    if (a.layers.size() != model.layers().size())
        throw Error(ErrorCode::BadAnalysis, "the analysis does not match the model's layers");
}

} // namespace mpq
