#include "torchvisionfixtures.h"

#include "model/torchvisionops.h"

#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>
#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace mpqtest {

namespace {

at::ScalarType scalarType(Precision p)
{
    switch (p) {
    case Precision::Float16:
        return at::kHalf;
    case Precision::Float32:
        return at::kFloat;
    case Precision::Float64:
        return at::kDouble;
    }
    return at::kFloat;
}

/// A (rows x cols) tensor from row-major values; `transposed` builds it as the transpose of a
/// contiguous (cols x rows) tensor, i.e. a non-contiguous view with the same values.
at::Tensor matrix(const std::vector<double> &values, std::int64_t cols, at::ScalarType type,
                  bool transposed)
{
    if (cols <= 0 || values.size() % static_cast<std::size_t>(cols) != 0)
        throw std::invalid_argument("matrix: size is not a multiple of the column count");
    const auto rows = static_cast<std::int64_t>(values.size()) / cols;
    at::Tensor t = at::tensor(values, at::kDouble).reshape({rows, cols}).to(type);
    if (transposed)
        t = t.t().contiguous().t();
    return t;
}

OpResult result(const at::Tensor &t)
{
    OpResult r;
    r.dtype = c10::toString(t.scalar_type());
    r.shape = t.sizes().vec();
    const at::Tensor d = t.to(at::kDouble).contiguous();
    r.values.assign(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
    return r;
}

// The operators as a loaded model reaches them: by name, through the dispatcher.
at::Tensor callNms(const at::Tensor &dets, const at::Tensor &scores, double threshold)
{
    mpq::ensureTorchvisionOps();
    static const auto op = c10::Dispatcher::singleton()
                               .findSchemaOrThrow("torchvision::nms", "")
                               .typed<at::Tensor(const at::Tensor &, const at::Tensor &, double)>();
    return op.call(dets, scores, threshold);
}

at::Tensor callRoiAlign(const at::Tensor &input, const at::Tensor &rois, double scale,
                        std::int64_t ph, std::int64_t pw, std::int64_t ratio, bool aligned)
{
    mpq::ensureTorchvisionOps();
    static const auto op = c10::Dispatcher::singleton()
                               .findSchemaOrThrow("torchvision::roi_align", "")
                               .typed<at::Tensor(const at::Tensor &, const at::Tensor &, double,
                                                 std::int64_t, std::int64_t, std::int64_t, bool)>();
    return op.call(input, rois, scale, ph, pw, ratio, aligned);
}

/// `ops.<namespace>.<op>`: the spelling of operator calls in saved TorchScript code, which the
/// loader resolves but Module::define's default resolver does not (it knows only `torch.`).
struct OpsNamespaces : torch::jit::SugaredValue
{
    std::string kind() const override { return "ops namespaces"; }
    std::shared_ptr<torch::jit::SugaredValue> attr(const torch::jit::SourceRange &,
                                                   torch::jit::GraphFunction &,
                                                   const std::string &field) override
    {
        return std::make_shared<torch::jit::BuiltinModule>(field);
    }
};

struct OpsResolver : torch::jit::Resolver
{
    std::shared_ptr<torch::jit::SugaredValue>
    resolveValue(const std::string &name, torch::jit::GraphFunction &m,
                 const torch::jit::SourceRange &loc) override
    {
        if (name == "ops")
            return std::make_shared<OpsNamespaces>();
        return torch::jit::nativeResolver()->resolveValue(name, m, loc);
    }
};

// Written from the definition, without torch, independently of the operator's loops.
template <typename T>
std::vector<std::int64_t> greedyNms(const std::vector<T> &boxes, const std::vector<T> &scores,
                                    double threshold)
{
    std::vector<std::int64_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::int64_t a, std::int64_t b) { return scores[a] > scores[b]; });
    const auto area = [&](std::int64_t i) {
        return (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
    };
    std::vector<std::int64_t> keep;
    for (std::int64_t j : order) {
        bool suppressed = false;
        for (std::int64_t i : keep) {
            const T w = std::max<T>(0, std::min(boxes[4 * i + 2], boxes[4 * j + 2]) -
                                           std::max(boxes[4 * i], boxes[4 * j]));
            const T h = std::max<T>(0, std::min(boxes[4 * i + 3], boxes[4 * j + 3]) -
                                           std::max(boxes[4 * i + 1], boxes[4 * j + 1]));
            const T inter = w * h;
            if (inter / (area(i) + area(j) - inter) > threshold)
                suppressed = true;
        }
        if (!suppressed)
            keep.push_back(j);
    }
    return keep;
}

} // namespace

std::vector<std::int64_t> referenceNms(const std::vector<double> &boxes,
                                       const std::vector<double> &scores, double threshold,
                                       Precision precision)
{
    if (precision == Precision::Float64)
        return greedyNms(boxes, scores, threshold);
    return greedyNms(std::vector<float>(boxes.begin(), boxes.end()),
                     std::vector<float>(scores.begin(), scores.end()), threshold);
}

std::vector<double> referenceRoiAlign(const RoiAlignCall &c)
{
    const std::int64_t channels = c.shape[1], height = c.shape[2], width = c.shape[3];
    const auto pixel = [&](std::int64_t n, std::int64_t ch, std::int64_t y, std::int64_t x) {
        return c.input[((n * channels + ch) * height + y) * width + x];
    };
    const auto interpolate = [&](std::int64_t n, std::int64_t ch, double y, double x) {
        if (y < -1.0 || y > height || x < -1.0 || x > width)
            return 0.0;
        y = std::clamp(y, 0.0, double(height - 1));
        x = std::clamp(x, 0.0, double(width - 1));
        const std::int64_t y0 = std::int64_t(y), x0 = std::int64_t(x);
        const std::int64_t y1 = std::min(y0 + 1, height - 1), x1 = std::min(x0 + 1, width - 1);
        const double ly = y - y0, lx = x - x0;
        return (1 - ly) * (1 - lx) * pixel(n, ch, y0, x0) + (1 - ly) * lx * pixel(n, ch, y0, x1) +
               ly * (1 - lx) * pixel(n, ch, y1, x0) + ly * lx * pixel(n, ch, y1, x1);
    };
    std::vector<double> out;
    for (size_t k = 0; k < c.rois.size() / 5; ++k) {
        const double *r = &c.rois[5 * k];
        const double shift = c.aligned ? 0.5 : 0.0;
        const double x0 = r[1] * c.spatialScale - shift, y0 = r[2] * c.spatialScale - shift;
        double w = r[3] * c.spatialScale - shift - x0, h = r[4] * c.spatialScale - shift - y0;
        if (!c.aligned) {
            w = std::max(w, 1.0);
            h = std::max(h, 1.0);
        }
        const double binH = h / c.pooledHeight, binW = w / c.pooledWidth;
        const std::int64_t gh =
            c.samplingRatio > 0 ? c.samplingRatio : std::int64_t(std::ceil(binH));
        const std::int64_t gw =
            c.samplingRatio > 0 ? c.samplingRatio : std::int64_t(std::ceil(binW));
        for (std::int64_t ch = 0; ch < channels; ++ch)
            for (std::int64_t ph = 0; ph < c.pooledHeight; ++ph)
                for (std::int64_t pw = 0; pw < c.pooledWidth; ++pw) {
                    double sum = 0;
                    for (std::int64_t iy = 0; iy < gh; ++iy)
                        for (std::int64_t ix = 0; ix < gw; ++ix)
                            sum += interpolate(std::int64_t(r[0]), ch,
                                               y0 + (ph + (iy + 0.5) / gh) * binH,
                                               x0 + (pw + (ix + 0.5) / gw) * binW);
                    out.push_back(sum / std::max<std::int64_t>(gh * gw, 1));
                }
    }
    return out;
}

std::vector<double> rampInput(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w)
{
    std::vector<double> v;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t ch = 0; ch < c; ++ch)
            for (std::int64_t y = 0; y < h; ++y)
                for (std::int64_t x = 0; x < w; ++x)
                    v.push_back((1.0 + ch) * x + (10.0 - 3 * ch) * y + 100.0 * i - 2.0 * ch);
    return v;
}

std::string schemaOf(const std::string &qualifiedName)
{
    mpq::ensureTorchvisionOps();
    const auto handle = c10::Dispatcher::singleton().findSchema({qualifiedName, ""});
    if (!handle)
        return {};
    return c10::toString(handle->schema());
}

void setThreads(int threads)
{
    at::set_num_threads(threads);
}

OpResult nms(const std::vector<double> &boxes, const std::vector<double> &scores,
             double iouThreshold, Precision precision, bool strided)
{
    const at::ScalarType type = scalarType(precision);
    const at::Tensor dets = matrix(boxes, 4, type, strided);
    at::Tensor s = at::tensor(scores, at::kDouble).to(type);
    if (strided) // every other element of a twice-as-long tensor
        s = at::stack({s, at::zeros_like(s)}, 1).reshape({-1}).slice(0, 0, c10::nullopt, 2);
    return result(callNms(dets, s, iouThreshold));
}

OpResult roiAlign(const RoiAlignCall &call, Precision precision, bool strided)
{
    const at::ScalarType type = scalarType(precision);
    if (call.shape.size() != 4)
        throw std::invalid_argument("roiAlign: the input shape needs 4 sizes");
    at::Tensor input = at::tensor(call.input, at::kDouble).reshape(call.shape).to(type);
    if (strided) // same values, channels-last memory
        input = input.permute({0, 2, 3, 1}).contiguous().permute({0, 3, 1, 2});
    const at::Tensor rois = matrix(call.rois, 5, type, strided);
    return result(callRoiAlign(input, rois, call.spatialScale, call.pooledHeight, call.pooledWidth,
                               call.samplingRatio, call.aligned));
}

std::string badCallError(const std::string &which)
{
    const auto f = at::TensorOptions().dtype(at::kFloat);
    try {
        if (which == "nms-3cols")
            callNms(at::rand({5, 3}, f), at::rand({5}, f), 0.5);
        else if (which == "nms-count")
            callNms(at::rand({5, 4}, f), at::rand({4}, f), 0.5);
        else if (which == "nms-types")
            callNms(at::rand({5, 4}, f), at::rand({5}, f.dtype(at::kDouble)), 0.5);
        else if (which == "nms-int")
            callNms(at::ones({5, 4}, f.dtype(at::kLong)), at::ones({5}, f.dtype(at::kLong)), 0.5);
        else if (which == "roi-4cols")
            callRoiAlign(at::rand({1, 2, 4, 4}, f), at::zeros({3, 4}, f), 1.0, 2, 2, 1, false);
        else if (which == "roi-3d")
            callRoiAlign(at::rand({2, 4, 4}, f), at::zeros({3, 5}, f), 1.0, 2, 2, 1, false);
        else if (which == "roi-types")
            callRoiAlign(at::rand({1, 2, 4, 4}, f), at::zeros({3, 5}, f.dtype(at::kDouble)), 1.0, 2,
                         2, 1, false);
        else
            throw std::invalid_argument("badCallError: unknown case " + which);
    } catch (const c10::Error &e) {
        return e.what_without_backtrace();
    }
    return {};
}

ScriptedRun runScriptedModule(const std::string &path, std::uint64_t seed)
{
    mpq::ensureTorchvisionOps();
    {
        // written as saved TorchScript code (a scripted torchvision model) spells the calls
        torch::jit::Module m("Detector");
        m.define(R"(
def forward(self, boxes, scores, feats, rois, threshold: float):
    keep = ops.torchvision.nms(boxes, scores, threshold)
    pooled = ops.torchvision.roi_align(feats, rois, 0.5, 3, 2, -1, True)
    return keep, pooled
)",
                 std::make_shared<OpsResolver>());
        m.save(path);
    }
    torch::jit::Module loaded = torch::jit::load(path);

    ScriptedRun run;
    for (const torch::jit::Node *node : loaded.get_method("forward").graph()->nodes()) {
        const std::string kind = node->kind().toQualString();
        if (kind.rfind("torchvision::", 0) == 0)
            run.graphOps.push_back(kind);
    }

    torch::manual_seed(seed);
    // boxes in a few overlapping clusters, so that some are suppressed and some are not
    const std::int64_t n = 60;
    const at::Tensor corner = at::randint(0, 3, {n, 2}).to(at::kFloat) * 25 + at::rand({n, 2}) * 8;
    const at::Tensor boxes = at::cat({corner, corner + 10 + at::rand({n, 2}) * 10}, 1);
    const at::Tensor scores = at::rand({n});
    const at::Tensor feats = at::randn({2, 4, 12, 16});
    const at::Tensor rois = at::cat({at::randint(0, 2, {7, 1}).to(at::kFloat),
                                     at::rand({7, 2}) * 12, at::rand({7, 2}) * 12 + 12},
                                    1);
    const double threshold = 0.4;

    const auto out =
        loaded.forward({boxes, scores, feats, rois, threshold}).toTupleRef().elements();
    run.keepScripted = result(out.at(0).toTensor());
    run.pooledScripted = result(out.at(1).toTensor());
    run.keepDirect = result(callNms(boxes, scores, threshold));
    run.pooledDirect = result(callRoiAlign(feats, rois, 0.5, 3, 2, -1, true));
    run.numBoxes = n;
    return run;
}

} // namespace mpqtest
