// Model profiles: the JSON sidecar that says how to feed a model and read its output.
// Parsing is strict (unknown keys, wrong types and inconsistent values are errors) because a
// silently ignored typo such as "colour" would give plausible but wrong calibration data.
#include "mpq/profile.h"
#include "mpq/profileguess.h"

#include "util/atomicfile.h"

#include "mpq/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace mpq {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kMaxInputSide = 8192;
// A profile is a few kilobytes; anything far larger is the wrong file, not worth reading.
constexpr std::uintmax_t kMaxTextFileBytes = 16u << 20;

const std::vector<std::pair<const char *, Task>> kTasks = {{"classification", Task::Classification},
                                                           {"detection", Task::Detection}};
const std::vector<std::pair<const char *, ColorOrder>> kColors = {
    {"rgb", ColorOrder::Rgb}, {"bgr", ColorOrder::Bgr}, {"gray", ColorOrder::Gray}};
const std::vector<std::pair<const char *, InputLayout>> kLayouts = {{"nchw", InputLayout::Nchw},
                                                                    {"nhwc", InputLayout::Nhwc}};
const std::vector<std::pair<const char *, ResizeMode>> kResizeModes = {
    {"stretch", ResizeMode::Stretch},
    {"letterbox", ResizeMode::Letterbox},
    {"center-crop", ResizeMode::CenterCrop}};
const std::vector<std::pair<const char *, DecoderKind>> kDecoders = {
    {"logits", DecoderKind::Logits},       {"probabilities", DecoderKind::Probabilities},
    {"centernet", DecoderKind::CenterNet}, {"boxes-scores", DecoderKind::BoxesScores},
    {"yolo", DecoderKind::Yolo},           {"torchvision", DecoderKind::Torchvision}};
const std::vector<std::pair<const char *, std::string>> kBoxFormats = {
    {"xyxy", "xyxy"}, {"yxyx", "yxyx"}, {"xywh", "xywh"}, {"cxcywh", "cxcywh"}};

template <typename T> std::string wordList(const std::vector<std::pair<const char *, T>> &words)
{
    std::string list;
    for (const auto &w : words)
        list += (list.empty() ? "" : ", ") + std::string(w.first);
    return list;
}

template <typename T>
const char *wordOf(const std::vector<std::pair<const char *, T>> &words, const T &value)
{
    for (const auto &w : words)
        if (w.second == value)
            return w.first;
    throw Error(ErrorCode::InvalidArgument, "profile value out of range, cannot write it");
}

bool isDetectionDecoder(DecoderKind d)
{
    return d != DecoderKind::Logits && d != DecoderKind::Probabilities;
}

const char *typeName(const json &j)
{
    if (j.is_number_integer())
        return "integer";
    if (j.is_number_float())
        return "number";
    return j.type_name(); // null, boolean, string, array, object
}

/// Reads a whole small file; returns false with a reason (strerror or our own words).
bool readTextFile(const std::string &path, std::string &text, std::string &reason)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        reason = "is a folder, not a file";
        return false;
    }
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) {
        reason = std::strerror(errno);
        return false;
    }
    text.clear();
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
        text.append(buffer, n);
        if (text.size() > kMaxTextFileBytes) {
            std::fclose(f);
            reason = "larger than 16 MiB";
            return false;
        }
    }
    const bool failed = std::ferror(f);
    const int err = errno;
    std::fclose(f);
    if (failed) {
        reason = std::strerror(err);
        return false;
    }
    return true;
}

/// Walks the JSON tree; every error names the source and the key path.
class Parser
{
public:
    Parser(std::string source, std::string baseDir)
        : m_source(std::move(source))
        , m_baseDir(std::move(baseDir))
    {}

    ModelProfile parse(const json &root) const
    {
        if (!root.is_object())
            throw Error(ErrorCode::BadProfile,
                        m_source + ": expected a JSON object, got " + typeName(root));
        checkKeys(root, "", {"task", "input", "output", "labels", "labels_file"});
        ModelProfile p;
        p.task = enumValue(required(root, "", "task"), "task", kTasks);
        parseInput(required(root, "", "input"), p.input);
        parseOutput(root, p);
        parseLabels(root, p);
        return p;
    }

private:
    [[noreturn]] void fail(const std::string &path, const std::string &problem) const
    {
        throw Error(ErrorCode::BadProfile, m_source + ": " + path + ": " + problem);
    }

    static std::string join(const std::string &prefix, const std::string &key)
    {
        return prefix.empty() ? key : prefix + "." + key;
    }

    void checkKeys(const json &obj, const std::string &prefix,
                   std::initializer_list<const char *> allowed) const
    {
        for (const auto &item : obj.items()) {
            const bool known = std::any_of(allowed.begin(), allowed.end(),
                                           [&](const char *k) { return item.key() == k; });
            if (!known) {
                std::string list;
                for (const char *k : allowed)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                fail(join(prefix, item.key()), "unknown key (expected one of " + list + ")");
            }
        }
    }

    const json &required(const json &obj, const std::string &prefix, const char *key) const
    {
        const auto it = obj.find(key);
        if (it == obj.end())
            fail(join(prefix, key), "missing required field");
        return *it;
    }

    const json &object(const json &j, const std::string &path) const
    {
        if (!j.is_object())
            fail(path, std::string("expected an object, got ") + typeName(j));
        return j;
    }

    long long integer(const json &j, const std::string &path, long long lo, long long hi) const
    {
        if (!j.is_number_integer())
            fail(path, std::string("expected an integer, got ") + typeName(j));
        // An unsigned above the signed range is out of every range we accept.
        const bool tooBig =
            j.is_number_unsigned() &&
            j.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<long long>::max());
        const long long v = tooBig ? std::numeric_limits<long long>::max() : j.get<long long>();
        if (v < lo || v > hi)
            fail(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                           ", got " + j.dump());
        return v;
    }

    double number(const json &j, const std::string &path) const
    {
        if (!j.is_number())
            fail(path, std::string("expected a number, got ") + typeName(j));
        const double v = j.get<double>();
        if (!std::isfinite(v))
            fail(path, "must be finite");
        return v;
    }

    std::string string(const json &j, const std::string &path) const
    {
        if (!j.is_string())
            fail(path, std::string("expected a string, got ") + typeName(j));
        return j.get<std::string>();
    }

    template <typename T>
    T enumValue(const json &j, const std::string &path,
                const std::vector<std::pair<const char *, T>> &words) const
    {
        const std::string word = string(j, path);
        for (const auto &w : words)
            if (word == w.first)
                return w.second;
        fail(path, "unknown value \"" + word + "\" (expected one of " + wordList(words) + ")");
    }

    std::vector<double> numbers(const json &j, const std::string &path, std::size_t count) const
    {
        if (!j.is_array())
            fail(path, std::string("expected an array of numbers, got ") + typeName(j));
        if (j.size() != count)
            fail(path, "expected " + std::to_string(count) + (count == 1 ? " value" : " values") +
                           " (one per channel), got " + std::to_string(j.size()));
        std::vector<double> values;
        for (std::size_t i = 0; i < j.size(); ++i)
            values.push_back(number(j[i], path + "[" + std::to_string(i) + "]"));
        return values;
    }

    void parseInput(const json &input, InputSpec &spec) const
    {
        object(input, "input");
        checkKeys(
            input, "input",
            {"width", "height", "channels", "color", "scale", "mean", "std", "resize", "layout"});
        spec.width =
            int(integer(required(input, "input", "width"), "input.width", 1, kMaxInputSide));
        spec.height =
            int(integer(required(input, "input", "height"), "input.height", 1, kMaxInputSide));
        if (input.contains("color"))
            spec.color = enumValue(input["color"], "input.color", kColors);
        const int channels = spec.color == ColorOrder::Gray ? 1 : 3;
        spec.channels = channels;
        if (input.contains("channels")) {
            const long long c = integer(input["channels"], "input.channels", 1, 4);
            if (c != channels)
                fail("input.channels", std::to_string(c) + " does not match color \"" +
                                           wordOf(kColors, spec.color) + "\", which has " +
                                           std::to_string(channels) +
                                           (channels == 1 ? " channel" : " channels"));
        }
        if (input.contains("scale")) {
            spec.scale = number(input["scale"], "input.scale");
            if (spec.scale <= 0)
                fail("input.scale", "must be greater than 0, got " + input["scale"].dump());
        }
        spec.mean.assign(channels, 0.0);
        spec.std.assign(channels, 1.0);
        if (input.contains("mean"))
            spec.mean = numbers(input["mean"], "input.mean", channels);
        if (input.contains("std")) {
            spec.std = numbers(input["std"], "input.std", channels);
            for (int c = 0; c < channels; ++c)
                if (spec.std[c] <= 0)
                    fail("input.std[" + std::to_string(c) + "]",
                         "must be greater than 0, got " + input["std"][c].dump());
        }
        if (input.contains("resize"))
            spec.resize = enumValue(input["resize"], "input.resize", kResizeModes);
        if (input.contains("layout"))
            spec.layout = enumValue(input["layout"], "input.layout", kLayouts);
    }

    void parseOutput(const json &root, ModelProfile &p) const
    {
        OutputSpec &out = p.output;
        const auto it = root.find("output");
        if (it != root.end()) {
            const json &o = object(*it, "output");
            checkKeys(
                o, "output",
                {"decoder", "box_format", "normalized", "score_threshold", "nms_iou", "top_k"});
            if (o.contains("decoder"))
                out.decoder = enumValue(o["decoder"], "output.decoder", kDecoders);
            if (o.contains("box_format"))
                out.boxFormat = enumValue(o["box_format"], "output.box_format", kBoxFormats);
            if (o.contains("normalized")) {
                if (!o["normalized"].is_boolean())
                    fail("output.normalized",
                         std::string("expected a boolean, got ") + typeName(o["normalized"]));
                out.normalized = o["normalized"].get<bool>();
            }
            for (const auto &[key, target] :
                 {std::make_pair("score_threshold", &out.scoreThreshold),
                  std::make_pair("nms_iou", &out.nmsIou)}) {
                if (!o.contains(key))
                    continue;
                const std::string path = std::string("output.") + key;
                *target = number(o[key], path);
                if (*target < 0 || *target > 1)
                    fail(path, "must be between 0 and 1, got " + o[key].dump());
            }
            if (o.contains("top_k"))
                out.topK =
                    int(integer(o["top_k"], "output.top_k", 1, std::numeric_limits<int>::max()));
        }
        // The default decoder (logits) only makes sense for classification, so a detection
        // profile must name its decoder, and a decoder must fit the task.
        const bool hasDecoder = it != root.end() && it->contains("decoder");
        if (p.task == Task::Detection && !hasDecoder)
            fail("output.decoder", "missing; a detection profile must name its decoder (" +
                                       wordList(kDecoders) + ")");
        if ((p.task == Task::Detection) != isDetectionDecoder(out.decoder))
            fail("output.decoder", std::string("\"") + wordOf(kDecoders, out.decoder) +
                                       "\" does not fit task \"" + wordOf(kTasks, p.task) + "\"");
    }

    void parseLabels(const json &root, ModelProfile &p) const
    {
        if (root.contains("labels") && root.contains("labels_file"))
            fail("labels_file", "give either labels or labels_file, not both");
        if (root.contains("labels")) {
            const json &labels = root["labels"];
            if (!labels.is_array())
                fail("labels",
                     std::string("expected an array of strings, got ") + typeName(labels));
            for (std::size_t i = 0; i < labels.size(); ++i)
                p.labels.push_back(string(labels[i], "labels[" + std::to_string(i) + "]"));
        }
        if (root.contains("labels_file")) {
            p.labelsFile = string(root["labels_file"], "labels_file");
            if (p.labelsFile.empty())
                fail("labels_file", "must not be empty");
            fs::path file(p.labelsFile);
            if (file.is_relative())
                file = fs::path(m_baseDir.empty() ? "." : m_baseDir) / file;
            std::string text, reason;
            if (!readTextFile(file.string(), text, reason))
                fail("labels_file", "cannot read \"" + file.string() + "\": " + reason);
            p.labels = splitLines(text);
        }
    }

    /// One label per line; surrounding blanks, CR of CRLF files and a UTF-8 BOM are dropped,
    /// blank lines skipped.
    static std::vector<std::string> splitLines(const std::string &text)
    {
        std::vector<std::string> lines;
        std::size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos)
                end = text.size();
            const char *blanks = " \t\r\f\v";
            const std::size_t first = text.find_first_not_of(blanks, start);
            if (first != std::string::npos && first < end) {
                const std::size_t last = text.find_last_not_of(blanks, end - 1);
                lines.push_back(text.substr(first, last + 1 - first));
            }
            start = end + 1;
        }
        return lines;
    }

    std::string m_source;
    std::string m_baseDir;
};

} // namespace

ModelProfile parseProfile(const std::string &jsonText, const std::string &sourceName,
                          const std::string &baseDir)
{
    json root;
    try {
        root = json::parse(jsonText);
    } catch (const json::parse_error &e) {
        // what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
        std::string detail = e.what();
        const std::size_t cut = detail.find("] ");
        if (cut != std::string::npos)
            detail = detail.substr(cut + 2);
        throw Error(ErrorCode::BadProfile, sourceName + ": invalid JSON at byte " +
                                               std::to_string(e.byte) + ": " + detail);
    } catch (const json::exception &e) { // e.g. a number too large for a double
        throw Error(ErrorCode::BadProfile, sourceName + ": invalid JSON: " + e.what());
    }
    return Parser(sourceName, baseDir).parse(root);
}

ModelProfile loadProfile(const std::string &path)
{
    std::string text, reason;
    if (!readTextFile(path, text, reason))
        throw Error(ErrorCode::BadProfile, path + ": cannot read: " + reason);
    const std::string dir = fs::path(path).parent_path().string();
    return parseProfile(text, path, dir.empty() ? "." : dir);
}

std::string profileToJson(const ModelProfile &p)
{
    // ordered_json keeps the keys in the order a person expects to read them.
    nlohmann::ordered_json input = {
        {"width", p.input.width},       {"height", p.input.height},
        {"channels", p.input.channels}, {"color", wordOf(kColors, p.input.color)},
        {"scale", p.input.scale},       {"mean", p.input.mean},
        {"std", p.input.std},           {"resize", wordOf(kResizeModes, p.input.resize)}};
    // "layout" is written only when it is not the default, so existing profiles read and
    // write back unchanged (docs/onnx.md, NHWC inputs)
    if (p.input.layout != InputLayout::Nchw)
        input["layout"] = wordOf(kLayouts, p.input.layout);
    nlohmann::ordered_json output = {{"decoder", wordOf(kDecoders, p.output.decoder)},
                                     {"box_format", p.output.boxFormat},
                                     {"normalized", p.output.normalized},
                                     {"score_threshold", p.output.scoreThreshold},
                                     {"nms_iou", p.output.nmsIou},
                                     {"top_k", p.output.topK}};
    nlohmann::ordered_json root = {
        {"task", wordOf(kTasks, p.task)}, {"input", input}, {"output", output}};
    if (!p.labelsFile.empty())
        root["labels_file"] = p.labelsFile;
    else
        root["labels"] = p.labels;
    // Labels set by a caller may not be valid UTF-8; replace bad bytes rather than throw.
    return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void saveProfile(const ModelProfile &profile, const std::string &path)
{
    writeFileAtomically(path, profileToJson(profile));
}

std::string defaultProfilePath(const std::string &modelPath)
{
    return fs::path(modelPath).replace_extension(".profile.json").string();
}

ModelProfile guessProfile(const std::string &modelPath, const std::vector<LayerInfo> &layers,
                          const std::vector<TensorDecl> &inputs,
                          const std::vector<TensorDecl> &outputs)
{
    ModelProfile p;
    std::string name = fs::path(modelPath).stem().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    const auto has = [](const std::string &text, const char *word) {
        return text.find(word) != std::string::npos;
    };
    int channels = 0, width = 0, height = 0;
    if (!layers.empty() && layers.front().weightShape.size() >= 2) {
        const LayerInfo &first = layers.front();
        channels = int(first.weightShape[1] * std::max<std::int64_t>(1, first.groups));
    }
    // An ONNX input declares its layout and size (docs/onnx.md, "Profiles for ONNX models").
    if (!inputs.empty() && inputs.front().shape.size() == 4) {
        const std::vector<std::int64_t> &s = inputs.front().shape;
        std::string inputName = inputs.front().name;
        std::transform(inputName.begin(), inputName.end(), inputName.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        const auto isChannels = [](std::int64_t d) { return d == 1 || d == 3; };
        const bool nhwc = has(inputName, "nhwc") ||
                          (!has(inputName, "nchw") && isChannels(s[3]) && !isChannels(s[1]));
        p.input.layout = nhwc ? InputLayout::Nhwc : InputLayout::Nchw;
        const std::int64_t c = nhwc ? s[3] : s[1], h = nhwc ? s[1] : s[2], w = nhwc ? s[2] : s[3];
        if (isChannels(c))
            channels = int(c);
        if (h > 0 && h <= 8192)
            height = int(h);
        if (w > 0 && w <= 8192)
            width = int(w);
    }
    p.input.channels = channels == 1 ? 1 : 3;
    if (p.input.channels == 1) {
        p.input.color = ColorOrder::Gray;
        p.input.mean = {0.5};
        p.input.std = {0.5};
        p.input.width = p.input.height = 28;
    } else {
        // ImageNet statistics: what most 3-channel models were trained with.
        p.input.mean = {0.485, 0.456, 0.406};
        p.input.std = {0.229, 0.224, 0.225};
    }
    const bool detector = has(name, "det") || has(name, "yolo") || has(name, "centernet") ||
                          has(name, "ssd") || has(name, "rcnn") || has(name, "retina");
    // classes: one declared 2-D output (batch, C), else a final linear layer's outputs
    std::int64_t classes = 0;
    if (outputs.size() == 1 && outputs.front().shape.size() == 2 && outputs.front().shape[1] > 0)
        classes = outputs.front().shape[1];
    else if (outputs.empty() && !layers.empty() && layers.back().kind == LayerKind::Linear)
        classes = layers.back().outChannels;
    if (detector) {
        p.task = Task::Detection;
        p.input.width = p.input.height = 512;
        p.output.decoder = has(name, "yolo")        ? DecoderKind::Yolo
                           : has(name, "centernet") ? DecoderKind::CenterNet
                                                    : DecoderKind::Torchvision;
    } else {
        for (std::int64_t i = 0; i < classes && classes <= 1000; ++i)
            p.labels.push_back("class " + std::to_string(i));
    }
    if (width > 0 && height > 0) {
        p.input.width = width;
        p.input.height = height;
    }
    return p;
}

} // namespace mpq
