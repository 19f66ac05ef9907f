#pragma once
// Calls of the project's torchvision operators (core/src/model/torchvisionops.cpp) through the
// torch dispatcher, by their registered names, as a loaded model would call them, plus a
// TorchScript module that uses them. Implemented in a torch-only translation unit so that the
// Qt test never includes torch headers: only standard types here. Every function that reaches
// an operator lets its error (a std::exception) propagate.

#include <cstdint>
#include <string>
#include <vector>

namespace mpqtest {

/// The element type the tensors are built with. Values are passed as doubles and rounded to it.
enum class Precision { Float16, Float32, Float64 };

/// An operator's result, flattened, with its dtype name ("Long", "Float", ...) and shape.
struct OpResult
{
    std::vector<double> values;
    std::vector<std::int64_t> shape;
    std::string dtype;
};

/// The registered schema of an operator ("torchvision::nms"), as torch prints it; "" if absent.
std::string schemaOf(const std::string &qualifiedName);

/// Intra-op threads for the operators (the tests pin 1; roi_align splits rois over threads).
void setThreads(int threads);

/// torchvision::nms on `boxes` (N x 4, row-major x1 y1 x2 y2) and `scores` (N). `strided` passes
/// both as non-contiguous views (a transposed (4, N) tensor, a stride-2 slice).
OpResult nms(const std::vector<double> &boxes, const std::vector<double> &scores,
             double iouThreshold, Precision precision = Precision::Float32, bool strided = false);

struct RoiAlignCall
{
    std::vector<double> input;       // (N, C, H, W) row-major
    std::vector<std::int64_t> shape; // N, C, H, W
    std::vector<double> rois;        // K x 5: batch index, x1, y1, x2, y2
    double spatialScale = 1.0;
    std::int64_t pooledHeight = 1;
    std::int64_t pooledWidth = 1;
    std::int64_t samplingRatio = -1;
    bool aligned = false;
};

/// torchvision::roi_align; the result has shape (K, C, pooledHeight, pooledWidth). `strided`
/// passes the input as a permuted (N, H, W, C) tensor and the rois as a transposed (5, K) one.
OpResult roiAlign(const RoiAlignCall &call, Precision precision = Precision::Float32,
                  bool strided = false);

/// The message of the error a malformed call raises, "" if it raised none. Cases:
/// "nms-3cols" (N x 3 boxes), "nms-count" (5 boxes, 4 scores), "nms-types" (float boxes, double
/// scores), "nms-int" (int64 boxes and scores), "roi-4cols" (K x 4 rois), "roi-3d" (3-D input),
/// "roi-types" (float input, double rois).
std::string badCallError(const std::string &which);

/// Torch-free references, plain loops written from the definitions:
/// greedy NMS in the given precision (Float32 or Float64): boxes in decreasing score order (ties
/// by index), each kept unless a kept box overlaps it with IoU > threshold;
std::vector<std::int64_t> referenceNms(const std::vector<double> &boxes,
                                       const std::vector<double> &scores, double threshold,
                                       Precision precision);
/// roi_align in double, one sample at a time: torchvision's sampling grid, boundary rules and
/// mean per bin.
std::vector<double> referenceRoiAlign(const RoiAlignCall &call);

/// An (N, C, H, W) input whose channel c of image n is f(y, x) = a x + b y + off with a = 1 + c,
/// b = 10 - 3 c, off = 100 n - 2 c (linear: bilinear interpolation reproduces it exactly).
std::vector<double> rampInput(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w);

/// A TorchScript module built here whose forward calls torchvision::nms and roi_align, saved to
/// `path`, loaded back with torch::jit::load and run on random inputs (from `seed`); the same
/// inputs also go to direct dispatcher calls.
struct ScriptedRun
{
    std::vector<std::string> graphOps; // "torchvision::..." node kinds in the loaded forward
    OpResult keepScripted, keepDirect;
    OpResult pooledScripted, pooledDirect;
    std::int64_t numBoxes = 0;
};
ScriptedRun runScriptedModule(const std::string &path, std::uint64_t seed);

} // namespace mpqtest
