// The TorchScript helpers of the forward the ONNX import generates (docs/onnx.md).
#include "model/onnximporter.h"

namespace mpq::onnxin {

// NonMaxSuppression through the project's torchvision::nms (model/torchvisionops.h), per batch
// and class: corners normalized to x1 <= x2, y1 <= y2 (any diagonal is allowed in ONNX), boxes
// of score > score_threshold only, suppression of IoU > iou_threshold, kept in decreasing score
// order (ties: lower index first), at most max_out per class. Added to the helpers when used.
const char *const kNmsHelper = R"TS(
def _onnx_nms(self, boxes: Tensor, scores: Tensor, max_out: int, iou: float, score_min: float, use_score: bool, center: int) -> Tensor:
    b = boxes.to(scores.dtype)
    if center == 1:
        cx = b[:, :, 0]
        cy = b[:, :, 1]
        hw = b[:, :, 2] / 2.0
        hh = b[:, :, 3] / 2.0
        xyxy = torch.stack([cx - hw, cy - hh, cx + hw, cy + hh], 2)
    else:
        y1 = b[:, :, 0]
        x1 = b[:, :, 1]
        y2 = b[:, :, 2]
        x2 = b[:, :, 3]
        xyxy = torch.stack([torch.min(x1, x2), torch.min(y1, y2), torch.max(x1, x2), torch.max(y1, y2)], 2)
    out: List[Tensor] = []
    for n in range(scores.size(0)):
        for c in range(scores.size(1)):
            s = scores[n, c]
            idx = torch.arange(s.size(0), device=s.device)
            if use_score:
                idx = torch.nonzero(s > score_min).reshape([-1])
            if max_out <= 0 or idx.size(0) == 0:
                continue
            keep = torchvision.nms(torch.index_select(xyxy[n], 0, idx), torch.index_select(s, 0, idx), iou)
            keep = torch.index_select(idx, 0, keep)
            if keep.size(0) > max_out:
                keep = keep[:max_out]
            out.append(torch.stack([torch.full_like(keep, n), torch.full_like(keep, c), keep], 1))
    if len(out) == 0:
        return torch.zeros([0, 3], dtype=4, device=scores.device)
    return torch.cat(out, 0)
)TS";

// The names the generated source uses: `torch` (aten, as define()'s default resolver) and
// `torchvision` (the project's torchvision::nms and torchvision::roi_align).
namespace {

struct TorchvisionResolver : torch::jit::Resolver
{
    std::shared_ptr<torch::jit::SugaredValue>
    resolveValue(const std::string &name, torch::jit::GraphFunction &m,
                 const torch::jit::SourceRange &loc) override
    {
        if (name == "torchvision")
            return std::make_shared<torch::jit::BuiltinModule>("torchvision");
        return torch::jit::nativeResolver()->resolveValue(name, m, loc);
    }
    c10::TypePtr resolveType(const std::string &name, const torch::jit::SourceRange &loc) override
    {
        return torch::jit::nativeResolver()->resolveType(name, loc);
    }
};

} // namespace

std::shared_ptr<torch::jit::Resolver> torchvisionResolver()
{
    return std::make_shared<TorchvisionResolver>();
}

// TorchScript helpers of the generated forward (methods of the root module, inlined by
// Model::load). Source compiled by define() has no torch.nn.functional; `torch.X` is aten::X.
const char *const kHelpers = R"TS(
def _onnx_div(self, a: Tensor, b: Tensor) -> Tensor:
    if a.is_floating_point() or b.is_floating_point():
        return torch.div(a, b)
    return torch.div(a, b, rounding_mode='trunc')

def _onnx_mod(self, a: Tensor, b: Tensor, fmod: int) -> Tensor:
    if fmod == 1:
        return torch.fmod(a, b)
    return torch.remainder(a, b)

def _onnx_reshape(self, x: Tensor, shape: List[int], allowzero: int) -> Tensor:
    s: List[int] = []
    for i in range(len(shape)):
        if shape[i] == 0 and allowzero == 0:
            s.append(x.size(i))
        else:
            s.append(shape[i])
    return x.reshape(s)

def _onnx_flatten(self, x: Tensor, axis: int) -> Tensor:
    if axis < 0:
        axis = axis + x.dim()
    outer = 1
    inner = 1
    for i in range(x.dim()):
        if i < axis:
            outer = outer * x.size(i)
        else:
            inner = inner * x.size(i)
    return x.reshape([outer, inner])

def _onnx_transpose(self, x: Tensor, perm: List[int]) -> Tensor:
    if len(perm) == 0:
        p: List[int] = []
        for i in range(x.dim()):
            p.append(x.dim() - 1 - i)
        return x.permute(p)
    return x.permute(perm)

def _onnx_squeeze(self, x: Tensor, axes: List[int]) -> Tensor:
    if len(axes) == 0:
        return torch.squeeze(x)
    n = x.dim()
    a: List[int] = []
    for i in axes:
        a.append(i + n if i < 0 else i)
    a.sort(reverse=True)
    for i in a:
        x = torch.squeeze(x, i)
    return x

def _onnx_unsqueeze(self, x: Tensor, axes: List[int]) -> Tensor:
    n = x.dim() + len(axes)
    a: List[int] = []
    for i in axes:
        a.append(i + n if i < 0 else i)
    a.sort()
    for i in a:
        x = torch.unsqueeze(x, i)
    return x

def _onnx_gather(self, x: Tensor, idx: Tensor, axis: int) -> Tensor:
    if axis < 0:
        axis = axis + x.dim()
    i = idx.to(4)
    i = torch.where(i < 0, i + x.size(axis), i)
    out = torch.index_select(x, axis, i.reshape([-1]))
    shape: List[int] = x.size()[:axis] + i.size() + x.size()[axis + 1:]
    return out.reshape(shape)

def _onnx_slice(self, x: Tensor, starts: List[int], ends: List[int], axes: List[int], steps: List[int]) -> Tensor:
    for k in range(len(starts)):
        axis = k
        if len(axes) > 0:
            axis = axes[k]
        if axis < 0:
            axis = axis + x.dim()
        step = 1
        if len(steps) > 0:
            step = steps[k]
        n = x.size(axis)
        start = starts[k]
        end = ends[k]
        if start < 0:
            start = start + n
        if end < 0:
            end = end + n
        if step > 0:
            start = min(max(start, 0), n)
            end = min(max(end, 0), n)
            if end < start:
                end = start
            x = torch.slice(x, axis, start, end, step)
        else:
            start = min(max(start, 0), n - 1)
            end = min(max(end, -1), n - 1)
            if end > start:
                end = start
            x = torch.slice(torch.flip(x, [axis]), axis, n - 1 - start, n - 1 - end, -step)
    return x

def _onnx_pad(self, x: Tensor, pads: List[int], mode: str, value: float) -> Tensor:
    n = x.dim()
    p: List[int] = []
    for i in range(n):
        d = n - 1 - i
        p.append(pads[d])
        p.append(pads[d + n])
    if mode == 'constant':
        return torch.constant_pad_nd(x, p, value)
    while len(p) > 2 and p[len(p) - 1] == 0 and p[len(p) - 2] == 0:
        p = p[:len(p) - 2]
    return torch.pad(x, p, mode)

def _onnx_same_pad(self, x: Tensor, kernel: List[int], strides: List[int], dilations: List[int], upper: bool, value: float) -> Tensor:
    r = len(kernel)
    p: List[int] = []
    for i in range(r):
        d = r - 1 - i
        n = x.size(x.dim() - r + d)
        out = (n + strides[d] - 1) // strides[d]
        total = max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - n, 0)
        if upper:
            p.append(total // 2)
            p.append(total - total // 2)
        else:
            p.append(total - total // 2)
            p.append(total // 2)
    return torch.constant_pad_nd(x, p, value)

def _onnx_dims(self, x: Tensor, axes: List[int], start: int) -> List[int]:
    d: List[int] = []
    if len(axes) == 0:
        for i in range(start, x.dim()):
            d.append(i)
    else:
        for i in axes:
            d.append(i + x.dim() if i < 0 else i)
    return d

def _onnx_softmax(self, x: Tensor, axis: int, log: bool, legacy: bool) -> Tensor:
    if axis < 0:
        axis = axis + x.dim()
    if legacy:
        shape = x.size()
        y = self._onnx_flatten(x, axis)
        if log:
            return torch.log_softmax(y, 1).reshape(shape)
        return torch.softmax(y, 1).reshape(shape)
    if log:
        return torch.log_softmax(x, axis)
    return torch.softmax(x, axis)

def _onnx_axis_view(self, t: Tensor, x: Tensor, axis: int) -> Tensor:
    if t.dim() != 1 or x.dim() == 0:
        return t
    if axis < 0:
        axis = axis + x.dim()
    s: List[int] = []
    for i in range(x.dim()):
        s.append(t.size(0) if i == axis else 1)
    return t.reshape(s)

def _onnx_expand(self, x: Tensor, shape: List[int]) -> Tensor:
    n = max(x.dim(), len(shape))
    out: List[int] = []
    for i in range(n):
        a = 1
        b = 1
        j = i - (n - x.dim())
        if j >= 0:
            a = x.size(j)
        k = i - (n - len(shape))
        if k >= 0:
            b = shape[k]
        out.append(a if b == 1 else b)
    return x.expand(out)

def _onnx_resize(self, x: Tensor, scales: List[float], sizes: List[int], mode: str, align: bool) -> Tensor:
    r = x.dim() - 2
    if len(sizes) > 0:
        out: List[int] = sizes[2:]
        if mode == 'nearest':
            if r == 1:
                return torch.upsample_nearest1d(x, out, None)
            if r == 2:
                return torch.upsample_nearest2d(x, out, None)
            return torch.upsample_nearest3d(x, out, None)
        if r == 1:
            return torch.upsample_linear1d(x, out, align, None)
        if r == 2:
            return torch.upsample_bilinear2d(x, out, align, None)
        return torch.upsample_trilinear3d(x, out, align, None)
    sf: List[float] = scales[2:]
    if mode == 'nearest':
        if r == 1:
            return torch.upsample_nearest1d(x, None, sf)
        if r == 2:
            return torch.upsample_nearest2d(x, None, sf)
        return torch.upsample_nearest3d(x, None, sf)
    if r == 1:
        return torch.upsample_linear1d(x, None, align, sf)
    if r == 2:
        return torch.upsample_bilinear2d(x, None, align, sf)
    return torch.upsample_trilinear3d(x, None, align, sf)
)TS";

} // namespace mpq::onnxin
