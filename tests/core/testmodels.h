#pragma once
// Small TorchScript models built in C++ for the model tests, and direct (full-batch, unstreamed)
// reference computations. Implemented in a torch-only translation unit: no torch types here.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mpqtest {

/// conv1(3->8, 3x3, no bias) + bn1 + relu; dw(8->8, groups 8) + bn2 + residual add; pw(8->6,
/// bias); grouped(6->6, groups 2, stride 2); mean over space; fc = linear(6->5).
void saveConvNet(const std::string &path, std::uint64_t seed);
/// conv(4->4) applied twice (one layer, two call sites); fc via addmm(bias, x, w.t()).
void saveSharedNet(const std::string &path, std::uint64_t seed);
/// scripted control flow: stem conv(3->4), then `for i in range(3): x = relu(body(x))`, then
/// `if x.mean() > 0: x = left(x) else: x = right(x)`; conv1d head over the flattened image.
void saveLoopNet(const std::string &path, std::uint64_t seed);
/// a grouped first layer: conv(3->6, groups 3, 3x3, pad 1) + relu + conv(6->2, 1x1).
void saveGroupedNet(const std::string &path, std::uint64_t seed);
/// what tracing produces: aten::_convolution (stride 2, padding 1, with bias) followed by
/// batch_norm with a constant training=False, then addmm(bias, x, t(w)) for the classifier.
void saveTracedStyleNet(const std::string &path, std::uint64_t seed);
/// two submodules holding the same weight tensor (an alias).
void saveTiedNet(const std::string &path, std::uint64_t seed);
/// stem conv(3->4, pad 1); one weight `shared_weight` (4->4, 3x3, bias `shared_bias`) called
/// twice with different arguments: stride 1 padding 1, then stride 2 padding 0; fc = linear(4->3).
void saveStrideSharedNet(const std::string &path, std::uint64_t seed);
/// unbatched layers: the forward takes a (B, 3, H, W) batch but runs on its first image only,
/// x[0] (3, H, W): conv1(3->6, 3x3, pad 1, bias) + relu, grouped(6->6, groups 3, pad 1, bias) +
/// relu, mean over space (6), fc = linear(6->4); output (1, 4).
void saveUnbatchedNet(const std::string &path, std::uint64_t seed);
/// fc2(relu(fc1(x.flatten(1)))): fc1 = linear(inputs->8), fc2 = linear(8->3), with biases.
void saveMlpNet(const std::string &path, std::uint64_t seed, std::int64_t inputs);
/// a forward without any conv or linear layer.
void saveNoLayerNet(const std::string &path);
/// conv net whose conv1 weight holds a NaN.
void saveNanNet(const std::string &path);

/// Full-batch reference of the curves of the first conv of a model whose forward starts with
/// `stem`/`conv1` applied to the input: s_c and e_c(n) for the given difference rows
/// (n-major, C_out x d each) on the whole image batch (N, C, H, W) at once, with the conv's
/// stride/padding/groups, and `repeat` applications chained as relu(conv(x)) for a layer in a
/// loop whose input is its own previous output.
struct DirectCurves
{
    std::vector<double> signal;
    std::vector<double> error; // [n][c]
};
DirectCurves directConvCurves(const std::vector<float> &images,
                              std::vector<std::int64_t> imageShape,
                              const std::vector<float> &foldedWeight,
                              const std::vector<std::int64_t> &weightShape,
                              const std::vector<std::vector<float>> &approximations,
                              std::int64_t padding, std::int64_t groups);

/// Full-batch reference for LoopNet's `body` layer: the chain x0 = stem(images),
/// x_{i+1} = relu(body(x_i)) for three iterations, accumulating s_c and e_c(n) of body over all
/// three inputs. Weights in stored shape; bodyBias is the body conv's bias.
DirectCurves directLoopBodyCurves(const std::vector<float> &images,
                                  std::vector<std::int64_t> imageShape,
                                  const std::vector<float> &stemWeight,
                                  const std::vector<float> &bodyWeight,
                                  const std::vector<float> &bodyBias,
                                  const std::vector<std::vector<float>> &approximations);

/// The parameter at a dotted path of a saved model, flattened.
std::vector<float> parameter(const std::string &modelPath, const std::string &name);

/// Full-batch references of the curves of every layer of ConvNet (saveConvNet), in its layer
/// order conv1, dw, pw, grouped, fc. The float forward is replayed here in double precision from
/// the saved parameters (BatchNorm in inference mode, eps 1e-5), each layer's input is taken from
/// that replay and its BatchNorm folded here, independently of the engine. approximations[l]
/// holds layer l's weight with n = 1, 2, ... points (stored shape, C_out x d each).
std::vector<DirectCurves>
directConvNetCurves(const std::vector<float> &images, std::vector<std::int64_t> imageShape,
                    const std::string &modelPath,
                    const std::vector<std::vector<std::vector<float>>> &approximations);

/// GroupedNet (saveGroupedNet) run in float with the given weights (stored shapes, conv1 then
/// conv2; conv2 keeps its saved bias), each layer's input first fake-quantized per tensor with
/// the documented rule (docs/multipoint.md section 3): the calibration range [min, max] widened
/// to include 0, scale = (hi - lo) / (2^bits - 1), zero point z = round(-lo / scale),
/// x' = (clamp(round(x / scale) + z, 0, 2^bits - 1) - z) * scale; an input whose widened range
/// is empty stays float. Written element by element (no fake-quantize operator), in float as
/// LibTorch evaluates it. ranges[l] = {min, max} of layer l. Returns the output, flattened.
std::vector<float> groupedNetWithQuantizedInputs(const std::vector<float> &images,
                                                 std::vector<std::int64_t> imageShape,
                                                 const std::string &modelPath,
                                                 const std::vector<std::vector<float>> &weights,
                                                 const std::vector<std::pair<float, float>> &ranges,
                                                 int bits);

} // namespace mpqtest
