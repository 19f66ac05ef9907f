#pragma once

#include <string>
#include <vector>

namespace mpq {

/// How to feed a model and read its output: the JSON sidecar MODEL.profile.json.
/// Pixel transform per channel: pixel' = (pixel * scale - mean[c]) / std[c], pixel in 0..255,
/// channels in the order given by `color`.
enum class Task { Classification, Detection };
enum class ColorOrder { Rgb, Bgr, Gray };
enum class ResizeMode {
    Stretch,    ///< resize to width x height, ignoring the aspect ratio
    Letterbox,  ///< keep the aspect ratio, centred, zero padding (boxes map back)
    CenterCrop, ///< scale the short side to fit, crop the centre
};
/// How the batch tensor the model takes is laid out: (B, C, H, W) or (B, H, W, C) (as tf2onnx
/// writes ONNX models; docs/onnx.md).
enum class InputLayout { Nchw, Nhwc };
enum class DecoderKind { Logits, Probabilities, CenterNet, BoxesScores, Yolo, Torchvision };

struct InputSpec
{
    int width = 224;
    int height = 224;
    int channels = 3; ///< 3 for rgb/bgr, 1 for gray
    ColorOrder color = ColorOrder::Rgb;
    double scale = 1.0 / 255.0;
    std::vector<double> mean = {0.0, 0.0, 0.0}; ///< one per channel
    std::vector<double> std = {1.0, 1.0, 1.0};  ///< one per channel, all > 0
    ResizeMode resize = ResizeMode::Stretch;
    InputLayout layout = InputLayout::Nchw; ///< JSON "layout": "nchw" (default) or "nhwc"
};

struct OutputSpec
{
    DecoderKind decoder = DecoderKind::Logits;
    std::string boxFormat = "xyxy"; ///< xyxy | yxyx | xywh | cxcywh (box decoders)
    bool normalized = false;        ///< box coordinates in 0..1 of the input size
    double scoreThreshold = 0.3;
    double nmsIou = 0.45;
    int topK = 100;
};

struct ModelProfile
{
    Task task = Task::Classification;
    InputSpec input;
    OutputSpec output;
    std::vector<std::string> labels; ///< from "labels", or read from "labels_file"
    std::string labelsFile;          ///< as written in the JSON (relative to the profile)
};

/// Parses profile JSON. sourceName (a path) prefixes every error message. Unknown keys, wrong
/// types, missing required fields ("task", "input.width", "input.height") and inconsistent
/// values (mean/std length != channels, std <= 0, width or height < 1, unknown enum words)
/// throw Error(BadProfile, "<sourceName>: <key path>: <problem>"). A relative labels_file is
/// read relative to baseDir (one label per line, blank lines skipped).
ModelProfile parseProfile(const std::string &jsonText, const std::string &sourceName,
                          const std::string &baseDir = ".");
/// Reads and parses a file; Error(BadProfile) also for a missing or unreadable file.
ModelProfile loadProfile(const std::string &path);
/// JSON text of a profile (labels inline unless labelsFile is set); parseProfile reads it back.
std::string profileToJson(const ModelProfile &profile);
/// Writes atomically (temp file in the same folder, then rename); Error(Io) on failure, and
/// nothing is left behind.
void saveProfile(const ModelProfile &profile, const std::string &path);
/// "dir/model.pt" -> "dir/model.profile.json".
std::string defaultProfilePath(const std::string &modelPath);

} // namespace mpq
