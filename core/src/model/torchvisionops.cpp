// CPU implementations of torchvision::nms and torchvision::roi_align (forward only), registered
// under torchvision 0.14's schemas. Scripted torchvision detection models (SSD, SSDlite,
// RetinaNet, FCOS: nms; Faster/Mask/Keypoint R-CNN: nms and roi_align) call exactly these two
// operators from the torchvision namespace; nothing else (not _cuda_version) appears in their
// serialized code. The arithmetic follows torchvision's CPU kernels step for step (same
// expressions, same order, same precision) so that results agree bit for bit on float and
// double, which keeps detections identical to what the model produces under Python.
//
// Device-agnostic: tensors on any device are computed on the CPU and the result is returned on
// the input's device. Registered as CompositeExplicitAutograd: one kernel for every backend, and
// autograd falls through (outputs carry no gradient; these are inference-only kernels).
//
// Caveat: if torchvision's own C++ library is loaded into the same process as well, the second
// definition of these schemas aborts its registration; the application never loads it.
#include "model/torchvisionops.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/library.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace mpq {

void ensureTorchvisionOps() {}

namespace {

/// Kept indices, int64, ordered by decreasing score (ties by index). `dets` (N, 4) as x1, y1, x2,
/// y2 and `scores` (N) of the same floating type T, both contiguous on the CPU. Greedy: the best
/// remaining box is kept and suppresses every later box whose IoU with it is > threshold. Areas
/// have no "+1"; a pair of zero-area boxes gives 0/0 = NaN, which suppresses nothing (as in
/// torchvision).
template <typename T>
at::Tensor nmsCpu(const at::Tensor &dets, const at::Tensor &scores, double threshold)
{
    const std::int64_t n = dets.size(0);
    const T *box = dets.data_ptr<T>();
    std::vector<T> area(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        area[i] = (box[4 * i + 2] - box[4 * i]) * (box[4 * i + 3] - box[4 * i + 1]);

    // A stable sort, as torchvision's: equal scores keep their input order (lower index first).
    const at::Tensor orderTensor =
        std::get<1>(scores.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
    const std::int64_t *order = orderTensor.data_ptr<std::int64_t>();

    std::vector<char> suppressed(static_cast<std::size_t>(n), 0);
    std::vector<std::int64_t> keep;
    for (std::int64_t a = 0; a < n; ++a) {
        const std::int64_t i = order[a];
        if (suppressed[i])
            continue;
        keep.push_back(i);
        const T *bi = box + 4 * i;
        for (std::int64_t b = a + 1; b < n; ++b) {
            const std::int64_t j = order[b];
            if (suppressed[j])
                continue;
            const T *bj = box + 4 * j;
            // std::max(0, NaN) is 0, as in torchvision: keep the argument order
            const T w =
                std::max(static_cast<T>(0), std::min(bi[2], bj[2]) - std::max(bi[0], bj[0]));
            const T h =
                std::max(static_cast<T>(0), std::min(bi[3], bj[3]) - std::max(bi[1], bj[1]));
            const T inter = w * h;
            const T iou = inter / (area[i] + area[j] - inter);
            if (iou > threshold)
                suppressed[j] = 1;
        }
    }
    return at::tensor(keep, at::TensorOptions().dtype(at::kLong));
}

at::Tensor nms(const at::Tensor &dets, const at::Tensor &scores, double iouThreshold)
{
    TORCH_CHECK(dets.dim() == 2 && dets.size(1) == 4, "torchvision::nms: dets must be (N, 4), got ",
                dets.sizes());
    TORCH_CHECK(scores.dim() == 1, "torchvision::nms: scores must be 1-D, got ", scores.sizes());
    TORCH_CHECK(dets.size(0) == scores.size(0), "torchvision::nms: ", dets.size(0), " boxes but ",
                scores.size(0), " scores");
    TORCH_CHECK(dets.scalar_type() == scores.scalar_type(),
                "torchvision::nms: dets and scores must have the same type");
    TORCH_CHECK(at::isFloatingType(dets.scalar_type()),
                "torchvision::nms: boxes must be floating point, got ", dets.scalar_type());
    const at::Device device = dets.device();
    if (dets.numel() == 0)
        return at::empty({0}, dets.options().dtype(at::kLong));

    at::Tensor d = dets.to(at::kCPU).contiguous(), s = scores.to(at::kCPU).contiguous();
    at::Tensor keep;
    if (d.scalar_type() == at::kDouble) {
        keep = nmsCpu<double>(d, s, iouThreshold);
    } else {
        // float natively; half and bfloat16 (which torchvision's CPU kernel rejects) in float
        keep = nmsCpu<float>(d.to(at::kFloat), s.to(at::kFloat), iouThreshold);
    }
    return keep.to(device);
}

/// One bilinear sample: four pixel offsets within a channel plane and their weights. Samples
/// outside the image carry zero weights (and offset 0), contributing nothing but still counted.
template <typename T> struct Sample
{
    std::int64_t p1 = 0, p2 = 0, p3 = 0, p4 = 0;
    T w1 = 0, w2 = 0, w3 = 0, w4 = 0;
};

/// torchvision's boundary rules at (y, x): outside [-1, height] x [-1, width] (or NaN) gives a
/// zero sample; otherwise coordinates below 0 clamp to 0 and those at or past the last pixel
/// clamp to it, then the four neighbours are interpolated.
template <typename T> Sample<T> bilinearSample(std::int64_t height, std::int64_t width, T y, T x)
{
    Sample<T> s;
    if (!(y >= -1.0 && y <= height && x >= -1.0 && x <= width))
        return s;
    if (y <= 0)
        y = 0;
    if (x <= 0)
        x = 0;
    std::int64_t yLow = static_cast<std::int64_t>(y), xLow = static_cast<std::int64_t>(x);
    std::int64_t yHigh = yLow + 1, xHigh = xLow + 1;
    if (yLow >= height - 1) {
        yLow = yHigh = height - 1;
        y = static_cast<T>(yLow);
    }
    if (xLow >= width - 1) {
        xLow = xHigh = width - 1;
        x = static_cast<T>(xLow);
    }
    const T ly = y - yLow, lx = x - xLow;
    const T hy = 1. - ly, hx = 1. - lx;
    s.p1 = yLow * width + xLow;
    s.p2 = yLow * width + xHigh;
    s.p3 = yHigh * width + xLow;
    s.p4 = yHigh * width + xHigh;
    s.w1 = hy * hx;
    s.w2 = hy * lx;
    s.w3 = ly * hx;
    s.w4 = ly * lx;
    return s;
}

/// Samples per bin along one axis: the given ratio, or ceil(roi size / bins) when it is <= 0.
/// A degenerate (zero, negative or NaN) adaptive size gives 0 samples: the bin is then 0.
template <typename T>
std::int64_t gridSize(std::int64_t samplingRatio, T roiSize, std::int64_t bins)
{
    if (samplingRatio > 0)
        return samplingRatio;
    const T g = std::ceil(roiSize / bins);
    return g >= 1 ? static_cast<std::int64_t>(g) : 0;
}

struct RoiAlignShape
{
    std::int64_t channels, height, width, pooledHeight, pooledWidth, samplingRatio;
    bool aligned;
};

/// Output rows [begin, end) of roi_align: for each roi and bin, the mean of a regular grid of
/// bilinear samples. Contiguous CPU data: input (N, C, H, W), rois (K, 5), output (K, C, PH, PW).
template <typename T>
void roiAlignRange(const T *input, const T *rois, T *output, T spatialScale,
                   const RoiAlignShape &sh, std::int64_t begin, std::int64_t end)
{
    const std::int64_t plane = sh.height * sh.width, bins = sh.pooledHeight * sh.pooledWidth;
    std::vector<Sample<T>> samples;
    for (std::int64_t k = begin; k < end; ++k) {
        const T *roi = rois + 5 * k;
        const auto batch = static_cast<std::int64_t>(roi[0]);
        // aligned: pixel centres sit at +0.5, so shift the box by half a pixel
        const T offset = sh.aligned ? static_cast<T>(0.5) : static_cast<T>(0);
        const T startX = roi[1] * spatialScale - offset, startY = roi[2] * spatialScale - offset;
        const T endX = roi[3] * spatialScale - offset, endY = roi[4] * spatialScale - offset;
        T roiWidth = endX - startX, roiHeight = endY - startY;
        if (!sh.aligned) {
            // legacy behaviour: malformed boxes become at least 1x1
            roiWidth = std::max(roiWidth, static_cast<T>(1));
            roiHeight = std::max(roiHeight, static_cast<T>(1));
        }
        const T binH = roiHeight / static_cast<T>(sh.pooledHeight);
        const T binW = roiWidth / static_cast<T>(sh.pooledWidth);
        const std::int64_t gridH = gridSize(sh.samplingRatio, roiHeight, sh.pooledHeight);
        const std::int64_t gridW = gridSize(sh.samplingRatio, roiWidth, sh.pooledWidth);
        const T count = static_cast<T>(std::max<std::int64_t>(gridH * gridW, 1));

        // the sample positions and weights are shared by all channels
        samples.clear();
        for (std::int64_t ph = 0; ph < sh.pooledHeight; ++ph)
            for (std::int64_t pw = 0; pw < sh.pooledWidth; ++pw)
                for (std::int64_t iy = 0; iy < gridH; ++iy) {
                    const T y = startY + ph * binH + static_cast<T>(iy + .5f) * binH / gridH;
                    for (std::int64_t ix = 0; ix < gridW; ++ix) {
                        const T x = startX + pw * binW + static_cast<T>(ix + .5f) * binW / gridW;
                        samples.push_back(bilinearSample<T>(sh.height, sh.width, y, x));
                    }
                }

        const std::int64_t perBin = gridH * gridW;
        for (std::int64_t c = 0; c < sh.channels; ++c) {
            const T *in = input + (batch * sh.channels + c) * plane;
            T *out = output + (k * sh.channels + c) * bins;
            for (std::int64_t b = 0; b < bins; ++b) {
                T sum = 0;
                for (std::int64_t i = b * perBin; i < (b + 1) * perBin; ++i) {
                    const Sample<T> &s = samples[i];
                    sum += s.w1 * in[s.p1] + s.w2 * in[s.p2] + s.w3 * in[s.p3] + s.w4 * in[s.p4];
                }
                out[b] = sum / count;
            }
        }
    }
}

template <typename T>
at::Tensor roiAlignCpu(const at::Tensor &input, const at::Tensor &rois, double spatialScale,
                       const RoiAlignShape &sh)
{
    const std::int64_t numRois = rois.size(0);
    at::Tensor output =
        at::zeros({numRois, sh.channels, sh.pooledHeight, sh.pooledWidth}, input.options());
    if (output.numel() == 0)
        return output;
    TORCH_CHECK(sh.height > 0 && sh.width > 0, "torchvision::roi_align: empty feature map ",
                input.sizes());
    const T *roiData = rois.data_ptr<T>();
    for (std::int64_t k = 0; k < numRois; ++k) {
        const T b = roiData[5 * k];
        // the index is truncated toward zero, so (-1, N) selects an image
        TORCH_CHECK(b > -1 && b < input.size(0), "torchvision::roi_align: roi ", k,
                    " has batch index ", b, " for a batch of ", input.size(0));
    }
    // rois are independent and each writes its own output rows: deterministic for any thread count
    at::parallel_for(0, numRois, 1, [&](std::int64_t begin, std::int64_t end) {
        roiAlignRange<T>(input.data_ptr<T>(), roiData, output.data_ptr<T>(),
                         static_cast<T>(spatialScale), sh, begin, end);
    });
    return output;
}

at::Tensor roiAlign(const at::Tensor &input, const at::Tensor &rois, double spatialScale,
                    std::int64_t pooledHeight, std::int64_t pooledWidth, std::int64_t samplingRatio,
                    bool aligned)
{
    TORCH_CHECK(input.dim() == 4, "torchvision::roi_align: input must be (N, C, H, W), got ",
                input.sizes());
    TORCH_CHECK(rois.dim() == 2 && rois.size(1) == 5,
                "torchvision::roi_align: rois must be (K, 5), got ", rois.sizes());
    TORCH_CHECK(input.scalar_type() == rois.scalar_type(),
                "torchvision::roi_align: input and rois must have the same type");
    TORCH_CHECK(at::isFloatingType(input.scalar_type()),
                "torchvision::roi_align: input must be floating point, got ", input.scalar_type());
    TORCH_CHECK(pooledHeight >= 0 && pooledWidth >= 0,
                "torchvision::roi_align: negative output size ", pooledHeight, "x", pooledWidth);
    const RoiAlignShape sh{input.size(1), input.size(2), input.size(3), pooledHeight,
                           pooledWidth,   samplingRatio, aligned};
    const at::Device device = input.device();
    const at::ScalarType type = input.scalar_type();
    const at::Tensor in = input.to(at::kCPU).contiguous(), r = rois.to(at::kCPU).contiguous();
    if (type == at::kDouble)
        return roiAlignCpu<double>(in, r, spatialScale, sh).to(device);
    if (type == at::kFloat)
        return roiAlignCpu<float>(in, r, spatialScale, sh).to(device);
    // half and bfloat16: computed in float, returned in the input's type. torchvision's CPU
    // kernel does the arithmetic in half (coordinates included, off by up to ~2 on unit-variance
    // features); this equals its float result rounded, i.e. what its autocast path returns.
    return roiAlignCpu<float>(in.to(at::kFloat), r.to(at::kFloat), spatialScale, sh)
        .to(device, type);
}

} // namespace

} // namespace mpq

// torchvision 0.14's schemas, verbatim: in 0.14 roi_align takes `int` output sizes (SymInt came
// in later releases). Serialized models carry only the operator name; the arguments are matched
// against this schema when the model is loaded.
TORCH_LIBRARY_FRAGMENT(torchvision, m)
{
    m.def("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor");
    m.def("roi_align(Tensor input, Tensor rois, float spatial_scale, int pooled_height, "
          "int pooled_width, int sampling_ratio, bool aligned) -> Tensor");
    m.impl("nms", torch::dispatch(c10::DispatchKey::CompositeExplicitAutograd, TORCH_FN(mpq::nms)));
    m.impl("roi_align",
           torch::dispatch(c10::DispatchKey::CompositeExplicitAutograd, TORCH_FN(mpq::roiAlign)));
}
