// Importing an ONNX graph as a TorchScript module (docs/onnx.md): the ONNX file is read with
// Debian's ONNX library (protobuf messages, checker), initializers become parameters and
// buffers under names derived from the ONNX names, what sits on initializers alone is folded
// at import, and the forward is TorchScript source compiled by torch::jit::Module::define, so
// layer discovery, BatchNorm folding (docs/multipoint.md section 1), calibration, runners and the
// TorchScript exports work on it unchanged.
#include "model/onnximport.h"
#include "model/torchvisionops.h"

#include "mpq/error.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <torch/csrc/jit/frontend/resolver.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace mpq {

namespace {

// NonMaxSuppression through the project's torchvision::nms (model/torchvisionops.h), per batch
// and class: corners normalized to x1 <= x2, y1 <= y2 (any diagonal is allowed in ONNX), boxes
// of score > score_threshold only, suppression of IoU > iou_threshold, kept in decreasing score
// order (ties: lower index first), at most max_out per class. Added to the helpers when used.
const char *kNmsHelper = R"TS(
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

// TorchScript helpers of the generated forward (methods of the root module, inlined by
// Model::load). Source compiled by define() has no torch.nn.functional; `torch.X` is aten::X.
const char *kHelpers = R"TS(
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

std::string sanitize(const std::string &name)
{
    std::string out;
    for (char c : name) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        if (ok)
            out += c;
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    while (!out.empty() && out.front() == '_')
        out.erase(out.begin());
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())))
        out = "n" + out;
    return out;
}

// torch.onnx (1.13 and later) names nodes by module scope, "/layer1/layer1.0/conv1/Conv": the
// module path "layer1.0.conv1", the name its TorchScript twin gives the layer.
std::string torchScope(const std::string &nodeName)
{
    if (nodeName.empty() || nodeName.front() != '/')
        return {};
    std::vector<std::string> parts;
    std::stringstream in(nodeName.substr(1));
    for (std::string part; std::getline(in, part, '/');)
        parts.push_back(part);
    if (parts.size() < 2)
        return {};
    parts.pop_back(); // the operator's own name
    std::string path;
    for (const std::string &c : parts)
        path = path.empty() || c.rfind(path + ".", 0) == 0 ? c : path + "." + c;
    return path;
}

std::string floatText(double v)
{
    if (std::isnan(v))
        return "float('nan')";
    if (std::isinf(v))
        return v > 0 ? "float('inf')" : "float('-inf')";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    std::string s = buf;
    if (s.find_first_of(".eE") == std::string::npos)
        s += ".0";
    return s;
}

std::string intsText(const std::vector<std::int64_t> &v)
{
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

std::string floatsText(const std::vector<double> &v)
{
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + floatText(v[i]);
    return s + "]";
}

c10::optional<at::ScalarType> scalarType(int onnxType)
{
    using T = onnx::TensorProto;
    switch (onnxType) {
    case T::FLOAT:
        return at::kFloat;
    case T::DOUBLE:
        return at::kDouble;
    case T::FLOAT16:
        return at::kHalf;
    case T::BFLOAT16:
        return at::kBFloat16;
    case T::INT8:
        return at::kChar;
    case T::UINT8:
        return at::kByte;
    case T::INT16:
        return at::kShort;
    case T::INT32:
        return at::kInt;
    case T::INT64:
        return at::kLong;
    case T::BOOL:
        return at::kBool;
    default:
        return c10::nullopt;
    }
}

const char *dtypeText(at::ScalarType t)
{
    switch (t) {
    case at::kFloat:
        return "6";
    case at::kDouble:
        return "7";
    case at::kHalf:
        return "5";
    case at::kBFloat16:
        return "15";
    case at::kChar:
        return "1";
    case at::kByte:
        return "0";
    case at::kShort:
        return "2";
    case at::kInt:
        return "3";
    case at::kLong:
        return "4";
    case at::kBool:
        return "11";
    default:
        return "6";
    }
}

struct BadOnnx
{
    std::string reason;
};

[[noreturn]] void fail(const std::string &reason)
{
    throw BadOnnx{reason};
}

// An onnx.TensorProto as a CPU tensor; externalDir locates external data ("" forbids it).
at::Tensor toTensor(const onnx::TensorProto &t, const std::string &externalDir)
{
    using T = onnx::TensorProto;
    const std::string what = "tensor '" + t.name() + "'";
    const auto type = scalarType(t.data_type());
    const int dt = t.data_type();
    const bool unsignedWide = dt == T::UINT16 || dt == T::UINT32 || dt == T::UINT64;
    if (!type && !unsignedWide)
        fail(what + " has data type " + std::to_string(dt) + ", which is not supported");
    std::vector<std::int64_t> shape;
    std::int64_t numel = 1;
    for (const auto d : t.dims()) {
        if (d < 0 || (d > 0 && numel > (std::int64_t(1) << 40) / d))
            fail(what + " has an invalid or too large shape");
        shape.push_back(d);
        numel *= d;
    }
    // element size in the file
    std::size_t fileElement = 0;
    at::ScalarType fileType = at::kFloat;
    if (unsignedWide) {
        fileElement = dt == T::UINT16 ? 2 : dt == T::UINT32 ? 4 : 8;
        fileType = dt == T::UINT16 ? at::kShort : dt == T::UINT32 ? at::kInt : at::kLong;
    } else {
        fileType = *type;
        fileElement = c10::elementSize(fileType);
    }
    const auto finish = [&](at::Tensor flat) {
        if (dt == T::UINT16)
            flat = flat.to(at::kInt).bitwise_and(0xffff);
        else if (dt == T::UINT32)
            flat = flat.to(at::kLong).bitwise_and(std::int64_t(0xffffffffLL));
        return flat.reshape(shape);
    };
    std::string raw;
    const std::string *rawData = nullptr;
    if (t.data_location() == T::EXTERNAL) {
        std::string location;
        std::int64_t offset = 0, length = -1;
        for (const auto &kv : t.external_data()) {
            if (kv.key() == "location")
                location = kv.value();
            else if (kv.key() == "offset")
                offset = std::atoll(kv.value().c_str());
            else if (kv.key() == "length")
                length = std::atoll(kv.value().c_str());
        }
        if (location.empty())
            fail(what + " has external data without a location");
        if (externalDir.empty())
            fail(what + " has external data, not allowed here");
        const std::filesystem::path file = std::filesystem::path(externalDir) / location;
        std::ifstream in(file, std::ios::binary);
        if (!in)
            fail(what + " keeps its data in '" + file.string() +
                 "', which cannot be opened (a missing external data file)");
        const std::size_t want = static_cast<std::size_t>(numel) * fileElement;
        if (length >= 0 && static_cast<std::size_t>(length) != want)
            fail(what + ": external data length " + std::to_string(length) +
                 " does not match its shape");
        raw.resize(want);
        in.seekg(offset);
        in.read(raw.data(), static_cast<std::streamsize>(want));
        if (!in || static_cast<std::size_t>(in.gcount()) != want)
            fail(what + ": external data file '" + file.string() + "' is too short");
        rawData = &raw;
    } else if (t.has_raw_data()) {
        rawData = &t.raw_data();
    }
    if (rawData) {
        if (rawData->size() != static_cast<std::size_t>(numel) * fileElement)
            fail(what + " has " + std::to_string(rawData->size()) + " bytes of data for " +
                 std::to_string(numel) + " elements");
        at::Tensor flat = at::empty({numel}, at::TensorOptions().dtype(fileType));
        if (numel > 0)
            std::memcpy(flat.data_ptr(), rawData->data(), rawData->size());
        return finish(flat);
    }
    // typed fields
    const auto check = [&](int n) {
        if (n != numel)
            fail(what + " has " + std::to_string(n) + " values for " + std::to_string(numel) +
                 " elements");
    };
    if (dt == T::FLOAT) {
        check(t.float_data_size());
        return at::tensor(std::vector<float>(t.float_data().begin(), t.float_data().end()),
                          at::kFloat)
            .reshape(shape);
    }
    if (dt == T::DOUBLE) {
        check(t.double_data_size());
        return at::tensor(std::vector<double>(t.double_data().begin(), t.double_data().end()),
                          at::kDouble)
            .reshape(shape);
    }
    if (dt == T::INT64) {
        check(t.int64_data_size());
        return at::tensor(std::vector<std::int64_t>(t.int64_data().begin(), t.int64_data().end()),
                          at::kLong)
            .reshape(shape);
    }
    if (dt == T::UINT32 || dt == T::UINT64) {
        check(t.uint64_data_size());
        std::vector<std::int64_t> v(t.uint64_data().begin(), t.uint64_data().end());
        return at::tensor(v, at::kLong).reshape(shape);
    }
    check(t.int32_data_size());
    const at::Tensor ints = at::tensor(
        std::vector<std::int32_t>(t.int32_data().begin(), t.int32_data().end()), at::kInt);
    if (dt == T::FLOAT16 || dt == T::BFLOAT16)
        return ints.to(at::kShort).view(*type).reshape(shape);
    if (dt == T::UINT16)
        return ints.reshape(shape);
    return ints.to(*type).reshape(shape);
}

struct Val
{
    bool isConst = false;
    at::Tensor c;     // when constant
    std::string expr; // the TorchScript variable (or self.<buffer>) otherwise
};

class Importer
{
public:
    Importer(const std::string &path, onnx::ModelProto &model)
        : m_path(path)
        , m_model(model)
    {
        const std::filesystem::path p(path);
        m_dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    }

    OnnxImport run();

private:
    const std::string &m_path;
    onnx::ModelProto &m_model;
    std::string m_dir;
    std::int64_t m_opset = 0;
    OnnxImport m_out;
    std::shared_ptr<torch::jit::CompilationUnit> m_cu;
    std::map<std::string, Val> m_vals;
    std::set<std::string> m_names;                // attribute names used on the root module
    std::map<std::string, std::string> m_buffers; // const value name -> "self.<buffer>"
    std::map<std::string, int> m_uses;
    std::set<int> m_skip; // nodes consumed by a fusion
    std::string m_body;
    std::string m_extraHelpers; ///< helpers added when an operator needs them (kNmsHelper)
    int m_counter = 0;
    int m_modules = 0;
    const onnx::NodeProto *m_node = nullptr;
    int m_nodeIndex = 0;

    std::string nodeName(const onnx::NodeProto &n, int index) const
    {
        return n.name().empty() ? "#" + std::to_string(index) : n.name();
    }
    [[noreturn]] void nodeFail(const std::string &reason) const
    {
        fail(m_node->op_type() + " node '" + nodeName(*m_node, m_nodeIndex) + "': " + reason);
    }
    void emit(const std::string &line) { m_body += "    " + line + "\n"; }
    std::string fresh() { return "v" + std::to_string(m_counter++); }

    // ---- attributes
    const onnx::AttributeProto *attr(const char *name) const
    {
        for (const auto &a : m_node->attribute())
            if (a.name() == name)
                return &a;
        return nullptr;
    }
    std::int64_t attrInt(const char *name, std::int64_t fallback) const
    {
        const auto *a = attr(name);
        return a ? a->i() : fallback;
    }
    double attrFloat(const char *name, double fallback) const
    {
        const auto *a = attr(name);
        return a ? a->f() : fallback;
    }
    std::string attrString(const char *name, const std::string &fallback) const
    {
        const auto *a = attr(name);
        return a ? a->s() : fallback;
    }
    std::vector<std::int64_t> attrInts(const char *name) const
    {
        const auto *a = attr(name);
        if (!a)
            return {};
        return {a->ints().begin(), a->ints().end()};
    }
    bool hasAttr(const char *name) const { return attr(name) != nullptr; }

    // ---- values
    int inputs() const { return m_node->input_size(); }
    bool hasInput(int i) const { return i < m_node->input_size() && !m_node->input(i).empty(); }
    const Val &val(int i) const
    {
        if (!hasInput(i))
            nodeFail("input " + std::to_string(i) + " is missing");
        const auto it = m_vals.find(m_node->input(i));
        if (it == m_vals.end())
            nodeFail("input '" + m_node->input(i) + "' is not produced before this node");
        return it->second;
    }
    bool isConst(int i) const { return hasInput(i) && val(i).isConst; }
    at::Tensor constant(int i) const
    {
        if (!isConst(i))
            nodeFail("input " + std::to_string(i) + " must be a constant (an initializer)");
        return val(i).c;
    }
    std::vector<std::int64_t> constInts(int i) const
    {
        const at::Tensor t = constant(i).to(at::kLong).contiguous().reshape({-1});
        return {t.data_ptr<std::int64_t>(), t.data_ptr<std::int64_t>() + t.numel()};
    }
    std::vector<double> constDoubles(int i) const
    {
        const at::Tensor t = constant(i).to(at::kDouble).contiguous().reshape({-1});
        return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
    }
    std::string uniqueName(const std::string &base)
    {
        std::string name = base;
        for (int k = 2; m_names.count(name) || name == "forward" || name == "training"; ++k)
            name = base + "_" + std::to_string(k);
        m_names.insert(name);
        return name;
    }
    // The TorchScript expression of input i (registers a constant as a buffer).
    std::string in(int i)
    {
        const Val &v = val(i);
        if (!v.isConst)
            return v.expr;
        const std::string &name = m_node->input(i);
        auto it = m_buffers.find(name);
        if (it != m_buffers.end())
            return it->second;
        const std::string b = uniqueName("c_" + sanitize(name));
        m_out.module.register_buffer(b, v.c.contiguous());
        return m_buffers[name] = "self." + b;
    }
    // An int list argument: a literal when constant, else a List[int] variable.
    std::string intsArg(int i)
    {
        if (isConst(i))
            return intsText(constInts(i));
        const std::string l = fresh();
        emit(l + ": List[int] = " + in(i) + ".tolist()");
        return l;
    }
    std::string floatsArg(int i)
    {
        if (isConst(i))
            return floatsText(constDoubles(i));
        const std::string l = fresh();
        emit(l + ": List[float] = " + in(i) + ".to(7).tolist()");
        return l;
    }
    void setOut(int i, const std::string &expr)
    {
        if (i >= m_node->output_size() || m_node->output(i).empty())
            return;
        Val v;
        v.expr = fresh();
        emit(v.expr + " = " + expr);
        m_vals[m_node->output(i)] = v;
    }
    void setConst(int i, const at::Tensor &t)
    {
        if (i >= m_node->output_size() || m_node->output(i).empty())
            return;
        Val v;
        v.isConst = true;
        v.c = t;
        m_vals[m_node->output(i)] = v;
    }
    void alias(int out, int input) { m_vals[m_node->output(out)] = val(input); }

    std::string layerModuleName(const std::string &initializer, const std::string &suffix)
    {
        std::string base;
        if (!initializer.empty() && initializer.size() > suffix.size() &&
            initializer.compare(initializer.size() - suffix.size(), suffix.size(), suffix) == 0)
            base = initializer.substr(0, initializer.size() - suffix.size());
        else if (!torchScope(m_node->name()).empty())
            base = torchScope(m_node->name());
        else if (!m_node->name().empty())
            base = m_node->name();
        else
            base = m_node->op_type() + "_" + std::to_string(m_nodeIndex);
        return uniqueName(sanitize(base));
    }
    torch::jit::Module newSubmodule(const std::string &name)
    {
        torch::jit::Module sub(
            c10::QualifiedName("__torch__.mpq_onnx.Layer" + std::to_string(m_modules++)), m_cu,
            /*shouldMangle=*/true);
        m_out.module.register_module(name, sub);
        return sub;
    }

    bool foldConstant(const std::string &op);
    void convert(const std::string &op);
    void conv(bool transposed);
    void linear(const at::Tensor &weight, const at::Tensor &bias, const std::string &x,
                const std::string &weightName, const std::string &biasName, bool transposed,
                int outIndex);
    void batchNorm();
    void pool(const std::string &op);
    void reduce(const std::string &op);
    void resize(const std::string &op);
    void reduceInto(const std::string &op, const std::string &y, const std::string &x,
                    const std::string &axes, bool keep);
};

bool Importer::foldConstant(const std::string &op)
{
    // What sits on initializers alone is computed at import (docs/onnx.md "Folding").
    static const std::set<std::string> foldable = {"Identity", "Cast",      "Transpose",
                                                   "Reshape",  "Unsqueeze", "Squeeze",
                                                   "Concat",   "Gather",    "DequantizeLinear",
                                                   "Add",      "Sub",       "Mul",
                                                   "Div",      "Neg",       "Sqrt",
                                                   "Flatten",  "Shape",     "Slice"};
    if (!foldable.count(op) || m_node->output_size() != 1)
        return false;
    for (int i = 0; i < inputs(); ++i)
        if (hasInput(i) && !isConst(i))
            return false;
    if (op == "Identity" || op == "Cast") {
        if (op == "Cast") {
            const auto t = scalarType(static_cast<int>(attrInt("to", 1)));
            if (!t)
                nodeFail("cast to an unsupported data type");
            setConst(0, constant(0).to(*t));
        } else {
            setConst(0, constant(0));
        }
        return true;
    }
    if (op == "Transpose") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> perm = attrInts("perm");
        if (perm.empty())
            for (std::int64_t i = x.dim() - 1; i >= 0; --i)
                perm.push_back(i);
        setConst(0, x.permute(perm).contiguous());
        return true;
    }
    if (op == "Reshape") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> shape = constInts(1);
        for (std::size_t i = 0; i < shape.size(); ++i)
            if (shape[i] == 0 && attrInt("allowzero", 0) == 0)
                shape[i] = x.size(static_cast<std::int64_t>(i));
        setConst(0, x.reshape(shape).contiguous());
        return true;
    }
    if (op == "Unsqueeze" || op == "Squeeze") {
        at::Tensor x = constant(0);
        std::vector<std::int64_t> axes = hasInput(1) ? constInts(1) : attrInts("axes");
        if (op == "Squeeze" && axes.empty()) {
            setConst(0, x.squeeze());
            return true;
        }
        const std::int64_t n = x.dim() + (op == "Unsqueeze" ? std::int64_t(axes.size()) : 0);
        for (auto &a : axes)
            a = a < 0 ? a + n : a;
        std::sort(axes.begin(), axes.end());
        if (op == "Squeeze")
            std::reverse(axes.begin(), axes.end());
        for (auto a : axes)
            x = op == "Squeeze" ? x.squeeze(a) : x.unsqueeze(a);
        setConst(0, x);
        return true;
    }
    if (op == "Concat") {
        std::vector<at::Tensor> parts;
        for (int i = 0; i < inputs(); ++i)
            parts.push_back(constant(i));
        setConst(0, at::cat(parts, attrInt("axis", 0)));
        return true;
    }
    if (op == "Gather") {
        const at::Tensor x = constant(0);
        std::int64_t axis = attrInt("axis", 0);
        if (axis < 0)
            axis += x.dim();
        at::Tensor idx = constant(1).to(at::kLong);
        idx = at::where(idx < 0, idx + x.size(axis), idx);
        std::vector<std::int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
        for (auto d : idx.sizes())
            shape.push_back(d);
        shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
        setConst(0, at::index_select(x, axis, idx.reshape({-1})).reshape(shape));
        return true;
    }
    if (op == "DequantizeLinear") {
        const at::Tensor x = constant(0);
        at::Tensor scale = constant(1).to(at::kFloat);
        at::Tensor zero = hasInput(2) ? constant(2).to(at::kFloat) : at::zeros_like(scale);
        std::int64_t axis = attrInt("axis", 1);
        if (axis < 0)
            axis += x.dim();
        if (scale.dim() == 1 && x.dim() > 0) {
            std::vector<std::int64_t> s(x.dim(), 1);
            s[axis] = scale.size(0);
            scale = scale.reshape(s);
            zero = zero.reshape(s);
        }
        setConst(0, (x.to(at::kFloat) - zero) * scale);
        return true;
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
        const at::Tensor a = constant(0), b = constant(1);
        at::Tensor r;
        if (op == "Add")
            r = a + b;
        else if (op == "Sub")
            r = a - b;
        else if (op == "Mul")
            r = a * b;
        else if (a.is_floating_point())
            r = a / b;
        else {
            if ((b == 0).any().item<bool>())
                nodeFail("integer division by zero in constants");
            r = at::div(a, b, "trunc");
        }
        setConst(0, r);
        return true;
    }
    if (op == "Neg") {
        setConst(0, -constant(0));
        return true;
    }
    if (op == "Sqrt") {
        setConst(0, at::sqrt(constant(0)));
        return true;
    }
    if (op == "Flatten") {
        const at::Tensor x = constant(0);
        std::int64_t axis = attrInt("axis", 1);
        if (axis < 0)
            axis += x.dim();
        std::int64_t outer = 1;
        for (std::int64_t i = 0; i < axis; ++i)
            outer *= x.size(i);
        setConst(0, x.reshape({outer, x.numel() / std::max<std::int64_t>(outer, 1)}));
        return true;
    }
    if (op == "Shape") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> s = x.sizes().vec();
        const std::int64_t n = static_cast<std::int64_t>(s.size());
        std::int64_t start = attrInt("start", 0), end = attrInt("end", n);
        start = std::clamp<std::int64_t>(start < 0 ? start + n : start, 0, n);
        end = std::clamp<std::int64_t>(end < 0 ? end + n : end, 0, n);
        std::vector<std::int64_t> r(s.begin() + start, s.begin() + std::max(start, end));
        setConst(0, at::tensor(r, at::kLong));
        return true;
    }
    return false; // Slice: the run-time path handles constants too
}

void Importer::linear(const at::Tensor &weight, const at::Tensor &bias, const std::string &x,
                      const std::string &weightName, const std::string &biasName, bool transposed,
                      int outIndex)
{
    const std::string name = layerModuleName(weightName, ".weight");
    torch::jit::Module sub = newSubmodule(name);
    sub.register_parameter("weight", weight.to(at::kFloat).contiguous(), false);
    std::string b = "None";
    if (bias.defined()) {
        sub.register_parameter("bias", bias.to(at::kFloat).contiguous(), false);
        b = "self." + name + ".bias";
    }
    setOut(outIndex, "torch.linear(" + x + ", self." + name + ".weight, " + b + ")");
    m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), m_node->op_type(), weightName,
                            biasName, transposed});
}

void Importer::conv(bool transposed)
{
    const std::string x0 = in(0);
    std::string x = x0;
    const bool constWeight = isConst(1);
    const at::Tensor w = constWeight ? constant(1) : at::Tensor();
    std::int64_t rank = -1;
    if (constWeight)
        rank = w.dim() - 2;
    else if (hasAttr("kernel_shape"))
        rank = static_cast<std::int64_t>(attrInts("kernel_shape").size());
    if (rank < 1 || rank > 3)
        nodeFail("only 1-D, 2-D and 3-D convolutions are supported (with a known kernel)");
    std::vector<std::int64_t> kernel = attrInts("kernel_shape");
    if (kernel.empty())
        kernel.assign(w.sizes().begin() + 2, w.sizes().end());
    std::vector<std::int64_t> strides = attrInts("strides"), dilations = attrInts("dilations"),
                              pads = attrInts("pads");
    if (strides.empty())
        strides.assign(rank, 1);
    if (dilations.empty())
        dilations.assign(rank, 1);
    if (pads.empty())
        pads.assign(2 * rank, 0);
    if (static_cast<std::int64_t>(strides.size()) != rank ||
        static_cast<std::int64_t>(dilations.size()) != rank ||
        static_cast<std::int64_t>(pads.size()) != 2 * rank)
        nodeFail("strides, dilations or pads do not match the kernel's rank");
    const std::int64_t group = attrInt("group", 1);
    const std::string autoPad = attrString("auto_pad", "NOTSET");
    std::vector<std::int64_t> padding(rank, 0);
    if (transposed) {
        if (autoPad != "NOTSET" && autoPad != "VALID")
            nodeFail("auto_pad " + autoPad + " is not supported for ConvTranspose");
        if (hasAttr("output_shape"))
            nodeFail("the output_shape attribute is not supported");
        for (std::int64_t i = 0; i < rank; ++i) {
            if (pads[i] != pads[i + rank])
                nodeFail("asymmetric pads are not supported for ConvTranspose");
            padding[i] = pads[i];
        }
        std::vector<std::int64_t> outPad = attrInts("output_padding");
        if (outPad.empty())
            outPad.assign(rank, 0);
        const std::string b = hasInput(2) ? in(2) : "None";
        const std::string fn = "torch.conv_transpose" + std::to_string(rank) + "d";
        setOut(0, fn + "(" + x + ", " + in(1) + ", " + b + ", " + intsText(strides) + ", " +
                      intsText(padding) + ", " + intsText(outPad) + ", " + std::to_string(group) +
                      ", " + intsText(dilations) + ")");
        m_out.warnings.push_back("ConvTranspose node '" + nodeName(*m_node, m_nodeIndex) +
                                 "': runs, not quantized (transposed convolutions stay float)");
        return;
    }
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        bool unitStride = true;
        for (auto s : strides)
            unitStride = unitStride && s == 1;
        if (unitStride) {
            for (std::int64_t i = 0; i < rank; ++i) {
                const std::int64_t total = dilations[i] * (kernel[i] - 1);
                const std::int64_t small = total / 2, big = total - small;
                pads[i] = autoPad == "SAME_UPPER" ? small : big;
                pads[i + rank] = autoPad == "SAME_UPPER" ? big : small;
            }
        } else {
            const std::string v = fresh();
            emit(v + " = self._onnx_same_pad(" + x + ", " + intsText(kernel) + ", " +
                 intsText(strides) + ", " + intsText(dilations) + ", " +
                 (autoPad == "SAME_UPPER" ? "True" : "False") + ", 0.0)");
            x = v;
            pads.assign(2 * rank, 0);
        }
    } else if (autoPad == "VALID") {
        pads.assign(2 * rank, 0);
    } else if (autoPad != "NOTSET") {
        nodeFail("auto_pad " + autoPad + " is not supported");
    }
    bool symmetric = true;
    for (std::int64_t i = 0; i < rank; ++i)
        symmetric = symmetric && pads[i] == pads[i + rank];
    if (symmetric) {
        for (std::int64_t i = 0; i < rank; ++i)
            padding[i] = pads[i];
    } else {
        std::vector<std::int64_t> p; // torch order: last dimension first
        for (std::int64_t i = rank - 1; i >= 0; --i) {
            p.push_back(pads[i]);
            p.push_back(pads[i + rank]);
        }
        const std::string v = fresh();
        emit(v + " = torch.constant_pad_nd(" + x + ", " + intsText(p) + ", 0.0)");
        x = v;
    }
    const std::string fn = "torch.conv" + std::to_string(rank) + "d";
    const std::string args = intsText(strides) + ", " + intsText(padding) + ", " +
                             intsText(dilations) + ", " + std::to_string(group) + ")";
    if (!constWeight || rank == 3 || !w.is_floating_point() || (hasInput(2) && !isConst(2))) {
        const std::string b = hasInput(2) ? in(2) : "None";
        setOut(0, fn + "(" + x + ", " + in(1) + ", " + b + ", " + args);
        if (!constWeight)
            m_out.warnings.push_back("Conv node '" + nodeName(*m_node, m_nodeIndex) +
                                     "': weight computed at run time, left float");
        return;
    }
    const std::string weightName = m_node->input(1);
    const std::string name = layerModuleName(weightName, ".weight");
    torch::jit::Module sub = newSubmodule(name);
    sub.register_parameter("weight", w.to(at::kFloat).contiguous(), false);
    std::string b = "None";
    if (hasInput(2)) {
        sub.register_parameter("bias", constant(2).to(at::kFloat).contiguous(), false);
        b = "self." + name + ".bias";
    }
    setOut(0, fn + "(" + x + ", self." + name + ".weight, " + b + ", " + args);
    m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), "Conv", weightName,
                            hasInput(2) ? m_node->input(2) : std::string(), false});
}

void Importer::batchNorm()
{
    if (attrInt("training_mode", 0) != 0 || m_node->output_size() > 1)
        nodeFail("training mode (more than one output) is not supported");
    const double eps = attrFloat("epsilon", 1e-5);
    const std::string x = in(0);
    if (isConst(1) && isConst(2) && isConst(3) && isConst(4)) {
        // A BatchNorm2d-shaped submodule, so that Model::load folds it into the conv before it
        // (docs/multipoint.md section 1).
        const std::string name = layerModuleName(m_node->input(1), ".weight");
        torch::jit::Module sub = newSubmodule(name);
        sub.register_parameter("weight", constant(1).to(at::kFloat).contiguous(), false);
        sub.register_parameter("bias", constant(2).to(at::kFloat).contiguous(), false);
        sub.register_buffer("running_mean", constant(3).to(at::kFloat).contiguous());
        sub.register_buffer("running_var", constant(4).to(at::kFloat).contiguous());
        const std::string s = "self." + name;
        setOut(0, "torch.batch_norm(" + x + ", " + s + ".weight, " + s + ".bias, " + s +
                      ".running_mean, " + s + ".running_var, False, 0.1, " + floatText(eps) +
                      ", False)");
        m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), "BatchNormalization",
                                m_node->input(1), m_node->input(2), false});
        return;
    }
    setOut(0, "torch.batch_norm(" + x + ", " + in(1) + ", " + in(2) + ", " + in(3) + ", " + in(4) +
                  ", False, 0.1, " + floatText(eps) + ", False)");
}

void Importer::pool(const std::string &op)
{
    const std::string x0 = in(0);
    if (op == "GlobalAveragePool") {
        setOut(0, "torch.mean(" + x0 + ", self._onnx_dims(" + x0 + ", [], 2), True)");
        return;
    }
    if (op == "GlobalMaxPool") {
        setOut(0, "torch.amax(" + x0 + ", self._onnx_dims(" + x0 + ", [], 2), True)");
        return;
    }
    const std::vector<std::int64_t> kernel = attrInts("kernel_shape");
    const std::int64_t rank = static_cast<std::int64_t>(kernel.size());
    if (rank < 1 || rank > 3)
        nodeFail("kernel_shape must have 1 to 3 values");
    if (m_node->output_size() > 1 && !m_node->output(1).empty())
        nodeFail("the Indices output is not supported");
    if (attrInt("storage_order", 0) != 0)
        nodeFail("storage_order 1 is not supported");
    std::vector<std::int64_t> strides = attrInts("strides"), dilations = attrInts("dilations"),
                              pads = attrInts("pads");
    if (strides.empty())
        strides.assign(rank, 1);
    if (dilations.empty())
        dilations.assign(rank, 1);
    if (pads.empty())
        pads.assign(2 * rank, 0);
    if (static_cast<std::int64_t>(strides.size()) != rank ||
        static_cast<std::int64_t>(dilations.size()) != rank ||
        static_cast<std::int64_t>(pads.size()) != 2 * rank)
        nodeFail("strides, dilations or pads do not match kernel_shape");
    const bool ceil = attrInt("ceil_mode", 0) != 0;
    const bool isMax = op == "MaxPool";
    const bool countPad = attrInt("count_include_pad", 0) != 0;
    const std::string autoPad = attrString("auto_pad", "NOTSET");
    const std::string padValue = isMax ? "float('-inf')" : "0.0";
    std::string x = x0;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        if (!isMax && !countPad)
            nodeFail("auto_pad SAME with count_include_pad 0 is not supported");
        const std::string v = fresh();
        emit(v + " = self._onnx_same_pad(" + x + ", " + intsText(kernel) + ", " +
             intsText(strides) + ", " + intsText(dilations) + ", " +
             (autoPad == "SAME_UPPER" ? "True" : "False") + ", " + padValue + ")");
        x = v;
        pads.assign(2 * rank, 0);
    } else if (autoPad == "VALID") {
        pads.assign(2 * rank, 0);
    } else if (autoPad != "NOTSET") {
        nodeFail("auto_pad " + autoPad + " is not supported");
    }
    bool direct = true; // torch pads symmetrically, at most half the kernel
    for (std::int64_t i = 0; i < rank; ++i)
        direct = direct && pads[i] == pads[i + rank] && 2 * pads[i] <= kernel[i];
    std::vector<std::int64_t> padding(rank, 0);
    if (direct) {
        for (std::int64_t i = 0; i < rank; ++i)
            padding[i] = pads[i];
    } else {
        if (!isMax && !countPad)
            nodeFail("asymmetric pads with count_include_pad 0 are not supported");
        if (ceil)
            nodeFail("asymmetric pads with ceil_mode 1 are not supported");
        std::vector<std::int64_t> p;
        for (std::int64_t i = rank - 1; i >= 0; --i) {
            p.push_back(pads[i]);
            p.push_back(pads[i + rank]);
        }
        const std::string v = fresh();
        emit(v + " = torch.constant_pad_nd(" + x + ", " + intsText(p) + ", " + padValue + ")");
        x = v;
    }
    const std::string r = std::to_string(rank);
    if (isMax) {
        setOut(0, "torch.max_pool" + r + "d(" + x + ", " + intsText(kernel) + ", " +
                      intsText(strides) + ", " + intsText(padding) + ", " + intsText(dilations) +
                      ", " + (ceil ? "True" : "False") + ")");
        return;
    }
    for (auto d : dilations)
        if (d != 1)
            nodeFail("dilations are not supported for AveragePool");
    std::string call = "torch.avg_pool" + r + "d(" + x + ", " + intsText(kernel) + ", " +
                       intsText(strides) + ", " + intsText(padding) + ", " +
                       (ceil ? "True" : "False") + ", " + (countPad ? "True" : "False") + ")";
    setOut(0, call);
}

void Importer::reduce(const std::string &op)
{
    const std::string x = in(0);
    std::string axes = "[]";
    const bool axesInput = (op == "ReduceSum" && m_opset >= 13);
    if (axesInput) {
        if (hasInput(1))
            axes = intsArg(1);
    } else if (hasAttr("axes")) {
        axes = intsText(attrInts("axes"));
    }
    const bool keep = attrInt("keepdims", 1) != 0;
    if (axes == "[]" && attrInt("noop_with_empty_axes", 0) != 0) {
        alias(0, 0);
        return;
    }
    if (axes != "[]" && axes.front() != '[' && attrInt("noop_with_empty_axes", 0) != 0) {
        // axes computed at run time: empty means no reduction
        const std::string y = fresh();
        emit(y + " = " + x);
        emit("if len(" + axes + ") > 0:");
        reduceInto(op, y, x, axes, keep);
        Val v;
        v.expr = y;
        m_vals[m_node->output(0)] = v;
        return;
    }
    const std::string dims = "self._onnx_dims(" + x + ", " + axes + ", 0)";
    const std::string k = keep ? "True" : "False";
    if (op == "ReduceMean")
        setOut(0, "torch.mean(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceSum")
        setOut(0, "torch.sum(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceMax")
        setOut(0, "torch.amax(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceMin")
        setOut(0, "torch.amin(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceSumSquare")
        setOut(0, "torch.sum(" + x + " * " + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceL2")
        setOut(0, "torch.sqrt(torch.sum(" + x + " * " + x + ", " + dims + ", " + k + "))");
    else if (op == "ReduceL1")
        setOut(0, "torch.sum(torch.abs(" + x + "), " + dims + ", " + k + ")");
    else if (op == "ReduceLogSumExp")
        setOut(0, "torch.logsumexp(" + x + ", " + dims + ", " + k + ")");
}

void Importer::reduceInto(const std::string &op, const std::string &y, const std::string &x,
                          const std::string &axes, bool keep)
{
    const std::string dims = "self._onnx_dims(" + x + ", " + axes + ", 0)";
    const std::string k = keep ? "True" : "False";
    std::string e;
    if (op == "ReduceSum")
        e = "torch.sum(" + x + ", " + dims + ", " + k + ")";
    else
        nodeFail("axes computed at run time are supported for ReduceSum only");
    emit("    " + y + " = " + e);
}

void Importer::resize(const std::string &op)
{
    const std::string x = in(0);
    std::string mode = attrString("mode", "nearest");
    std::string scales = "[]", sizes = "[]";
    if (op == "Upsample") {
        scales = hasInput(1) ? floatsArg(1) : [&] {
            const auto *a = attr("scales");
            std::vector<double> v;
            if (a)
                v.assign(a->floats().begin(), a->floats().end());
            return floatsText(v);
        }();
        if (mode != "nearest")
            nodeFail("mode " + mode + " is not supported (only nearest)");
    } else {
        const std::string ctm = attrString("coordinate_transformation_mode", "half_pixel");
        if (m_opset < 11) {
            scales = floatsArg(1); // Resize-10: X, scales
            if (mode != "nearest")
                nodeFail("mode " + mode + " with opset 10 is not supported");
        } else {
            if (hasInput(2) && !(isConst(2) && constant(2).numel() == 0))
                scales = floatsArg(2);
            if (hasInput(3) && !(isConst(3) && constant(3).numel() == 0))
                sizes = intsArg(3);
            if (ctm == "tf_crop_and_resize")
                nodeFail("coordinate_transformation_mode tf_crop_and_resize is not supported");
            if (mode == "nearest") {
                const std::string nm = attrString("nearest_mode", "round_prefer_floor");
                if (ctm != "asymmetric" || nm != "floor")
                    nodeFail("nearest mode is supported with coordinate_transformation_mode "
                             "asymmetric and nearest_mode floor (torch's), not " +
                             ctm + "/" + nm);
            } else if (mode == "linear") {
                if (ctm != "half_pixel" && ctm != "pytorch_half_pixel" && ctm != "align_corners")
                    nodeFail("linear mode with coordinate_transformation_mode " + ctm +
                             " is not supported");
            }
        }
        if (mode == "linear" && ctm == "align_corners") {
            setOut(0,
                   "self._onnx_resize(" + x + ", " + scales + ", " + sizes + ", 'linear', True)");
            return;
        }
    }
    if (mode != "nearest" && mode != "linear")
        nodeFail("mode " + mode + " is not supported (nearest, linear)");
    if (scales == "[]" && sizes == "[]")
        nodeFail("neither scales nor sizes are given");
    setOut(0, "self._onnx_resize(" + x + ", " + scales + ", " + sizes + ", '" + mode + "', False)");
}

void Importer::convert(const std::string &op)
{
    static const std::map<std::string, std::string> unary = {{"Relu", "torch.relu"},
                                                             {"Sigmoid", "torch.sigmoid"},
                                                             {"Tanh", "torch.tanh"},
                                                             {"Exp", "torch.exp"},
                                                             {"Log", "torch.log"},
                                                             {"Sqrt", "torch.sqrt"},
                                                             {"Neg", "torch.neg"},
                                                             {"Abs", "torch.abs"},
                                                             {"Erf", "torch.erf"},
                                                             {"Floor", "torch.floor"},
                                                             {"Ceil", "torch.ceil"},
                                                             {"Reciprocal", "torch.reciprocal"},
                                                             {"Sin", "torch.sin"},
                                                             {"Cos", "torch.cos"},
                                                             {"Not", "torch.logical_not"},
                                                             {"Sign", "torch.sign"},
                                                             {"Round", "torch.round"},
                                                             {"IsNaN", "torch.isnan"},
                                                             {"Softsign", ""},
                                                             {"Softplus", ""}};
    static const std::map<std::string, std::string> binary = {{"Add", "torch.add"},
                                                              {"Sub", "torch.sub"},
                                                              {"Mul", "torch.mul"},
                                                              {"Pow", "torch.pow"},
                                                              {"Equal", "torch.eq"},
                                                              {"Greater", "torch.gt"},
                                                              {"Less", "torch.lt"},
                                                              {"GreaterOrEqual", "torch.ge"},
                                                              {"LessOrEqual", "torch.le"},
                                                              {"And", "torch.logical_and"},
                                                              {"Or", "torch.logical_or"},
                                                              {"Xor", "torch.logical_xor"},
                                                              {"BitShift", ""},
                                                              {"Div", "self._onnx_div"}};
    if (op == "Identity" || op == "Dropout") {
        if (op == "Dropout" && m_node->output_size() > 1 && !m_node->output(1).empty())
            nodeFail("the mask output is not supported");
        alias(0, 0);
        return;
    }
    if (op == "Softsign") {
        const std::string x = in(0);
        setOut(0, x + " / (1.0 + torch.abs(" + x + "))");
        return;
    }
    if (op == "Softplus") {
        setOut(0, "torch.log(1.0 + torch.exp(" + in(0) + "))");
        return;
    }
    if (op == "BitShift")
        nodeFail("operator BitShift is not supported");
    if (const auto u = unary.find(op); u != unary.end()) {
        setOut(0, u->second + "(" + in(0) + ")");
        return;
    }
    if (const auto b = binary.find(op); b != binary.end()) {
        if (op == "Pow") {
            // ONNX: the result has the base's type
            const std::string a = in(0);
            setOut(0, "torch.pow(" + a + ", " + in(1) + ").to(" + a + ".dtype)");
            return;
        }
        setOut(0, b->second + "(" + in(0) + ", " + in(1) + ")");
        return;
    }
    if (op == "Mod") {
        setOut(0, "self._onnx_mod(" + in(0) + ", " + in(1) + ", " +
                      std::to_string(attrInt("fmod", 0)) + ")");
        return;
    }
    if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {
        std::string acc = in(0);
        const std::string fn = op == "Max" ? "torch.maximum" : op == "Min" ? "torch.minimum" : "";
        for (int i = 1; i < inputs(); ++i)
            acc =
                fn.empty() ? "(" + acc + " + " + in(i) + ")" : fn + "(" + acc + ", " + in(i) + ")";
        if (op == "Mean")
            acc = acc + " / " + std::to_string(inputs()) + ".0";
        setOut(0, acc);
        return;
    }
    if (op == "LeakyRelu") {
        setOut(0, "torch.leaky_relu(" + in(0) + ", " + floatText(attrFloat("alpha", 0.01)) + ")");
        return;
    }
    if (op == "Elu") {
        const std::string x = in(0);
        const std::string a = floatText(attrFloat("alpha", 1.0));
        setOut(0,
               "torch.where(" + x + " > 0, " + x + ", " + a + " * (torch.exp(" + x + ") - 1.0))");
        return;
    }
    if (op == "Selu") {
        const std::string x = in(0);
        const std::string a = floatText(attrFloat("alpha", 1.67326319217681884765625));
        const std::string g = floatText(attrFloat("gamma", 1.05070102214813232421875));
        setOut(0, g + " * torch.where(" + x + " > 0, " + x + ", " + a + " * (torch.exp(" + x +
                      ") - 1.0))");
        return;
    }
    if (op == "PRelu") {
        const std::string x = in(0);
        setOut(0, "torch.where(" + x + " >= 0, " + x + ", " + x + " * " + in(1) + ")");
        return;
    }
    if (op == "HardSigmoid") {
        setOut(0, "torch.clamp(" + floatText(attrFloat("alpha", 0.2)) + " * " + in(0) + " + " +
                      floatText(attrFloat("beta", 0.5)) + ", 0.0, 1.0)");
        return;
    }
    if (op == "HardSwish") {
        const std::string x = in(0);
        setOut(0, x + " * torch.clamp(" + x + " / 6.0 + 0.5, 0.0, 1.0)");
        return;
    }
    if (op == "Clip") {
        const std::string x = in(0);
        std::string lo = "None", hi = "None";
        if (m_opset < 11) {
            if (hasAttr("min"))
                lo = floatText(attrFloat("min", 0));
            if (hasAttr("max"))
                hi = floatText(attrFloat("max", 0));
            setOut(0, "torch.clamp(" + x + ", " + lo + ", " + hi + ")");
            return;
        }
        std::string y = x;
        if (hasInput(1)) {
            const std::string v = fresh();
            emit(v + " = torch.maximum(" + y + ", " + in(1) + ")");
            y = v;
        }
        if (hasInput(2)) {
            const std::string v = fresh();
            emit(v + " = torch.minimum(" + y + ", " + in(2) + ")");
            y = v;
        }
        Val v;
        v.expr = y;
        m_vals[m_node->output(0)] = v;
        return;
    }
    if (op == "Softmax" || op == "LogSoftmax") {
        const bool legacy = m_opset < 13;
        setOut(0, "self._onnx_softmax(" + in(0) + ", " +
                      std::to_string(attrInt("axis", legacy ? 1 : -1)) + ", " +
                      (op == "LogSoftmax" ? "True" : "False") + ", " + (legacy ? "True" : "False") +
                      ")");
        return;
    }
    if (op == "Conv" || op == "ConvTranspose") {
        conv(op == "ConvTranspose");
        return;
    }
    if (op == "Gemm") {
        const double alpha = attrFloat("alpha", 1.0), beta = attrFloat("beta", 1.0);
        const bool transA = attrInt("transA", 0) != 0, transB = attrInt("transB", 0) != 0;
        std::string a = in(0);
        if (transA) {
            const std::string v = fresh();
            emit(v + " = " + a + ".t()");
            a = v;
        }
        if (isConst(1) && constant(1).dim() == 2 && constant(1).is_floating_point() &&
            (!hasInput(2) || isConst(2))) {
            at::Tensor w = constant(1).to(at::kFloat);
            if (!transB)
                w = w.t();
            w = (w * alpha).contiguous();
            const std::int64_t n = w.size(0);
            at::Tensor bias;
            bool separate = false;
            if (hasInput(2)) {
                const at::Tensor c = constant(2).to(at::kFloat) * beta;
                if (c.numel() == n && (c.dim() == 1 || (c.dim() == 2 && c.size(0) == 1)))
                    bias = c.reshape({n});
                else if (c.numel() == 1)
                    bias = c.reshape({1}).expand({n}).contiguous();
                else
                    separate = true;
            }
            linear(w, bias, a, m_node->input(1), bias.defined() ? m_node->input(2) : "", !transB,
                   separate ? 1000 : 0);
            if (separate) {
                // a bias of shape (M, N): added after the layer
                const std::string out = m_out.layers.back().module;
                const std::string lin = "torch.linear(" + a + ", self." + out + ".weight, None)";
                const at::Tensor c = constant(2).to(at::kFloat) * beta;
                const std::string b = uniqueName("c_" + sanitize(m_node->input(2)) + "_beta");
                m_out.module.register_buffer(b, c.contiguous());
                setOut(0, lin + " + self." + b);
            }
            return;
        }
        std::string b = in(1);
        std::string y = "torch.matmul(" + a + ", " + (transB ? b + ".t()" : b) + ")";
        if (alpha != 1.0)
            y = floatText(alpha) + " * " + y;
        if (hasInput(2))
            y = y + " + " + floatText(beta) + " * " + in(2);
        setOut(0, y);
        return;
    }
    if (op == "MatMul") {
        if (isConst(1) && constant(1).dim() == 2 && constant(1).is_floating_point() &&
            !isConst(0)) {
            const at::Tensor w = constant(1).to(at::kFloat).t().contiguous();
            // MatMul then Add of a constant vector: one linear layer with a bias
            at::Tensor bias;
            std::string biasName;
            int addIndex = -1;
            const std::string &out = m_node->output(0);
            if (m_uses[out] == 1) {
                const auto &nodes = m_model.graph().node();
                for (int k = m_nodeIndex + 1; k < nodes.size(); ++k) {
                    const auto &n = nodes[k];
                    if (n.op_type() != "Add" || n.input_size() != 2)
                        continue;
                    const int other = n.input(0) == out ? 1 : n.input(1) == out ? 0 : -1;
                    if (other < 0)
                        continue;
                    const auto it = m_vals.find(n.input(other));
                    if (it != m_vals.end() && it->second.isConst &&
                        it->second.c.is_floating_point() && it->second.c.dim() == 1 &&
                        it->second.c.size(0) == w.size(0)) {
                        bias = it->second.c.to(at::kFloat);
                        biasName = n.input(other);
                        addIndex = k;
                    }
                    break;
                }
            }
            const std::string x = in(0);
            linear(w, bias, x, m_node->input(1), biasName, true, 0);
            if (addIndex >= 0) {
                m_skip.insert(addIndex);
                m_vals[m_model.graph().node(addIndex).output(0)] = m_vals[out];
            }
            return;
        }
        setOut(0, "torch.matmul(" + in(0) + ", " + in(1) + ")");
        return;
    }
    if (op == "BatchNormalization") {
        batchNorm();
        return;
    }
    if (op == "InstanceNormalization") {
        setOut(0, "torch.instance_norm(" + in(0) + ", " + in(1) + ", " + in(2) +
                      ", None, None, True, 0.1, " + floatText(attrFloat("epsilon", 1e-5)) +
                      ", False)");
        return;
    }
    if (op == "LayerNormalization") {
        if (m_node->output_size() > 1)
            for (int i = 1; i < m_node->output_size(); ++i)
                if (!m_node->output(i).empty())
                    nodeFail("the Mean and InvStdDev outputs are not supported");
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", -1);
        const std::string b = hasInput(2) ? in(2) : "None";
        const std::string v = fresh();
        emit(v + ": List[int] = " + x + ".size()[" + std::to_string(axis) + ":]");
        setOut(0, "torch.layer_norm(" + x + ", " + v + ", " + in(1) + ", " + b + ", " +
                      floatText(attrFloat("epsilon", 1e-5)) + ")");
        return;
    }
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
        op == "GlobalMaxPool") {
        pool(op);
        return;
    }
    if (op.rfind("Reduce", 0) == 0) {
        static const std::set<std::string> ok = {"ReduceMean", "ReduceSum",       "ReduceMax",
                                                 "ReduceMin",  "ReduceSumSquare", "ReduceL2",
                                                 "ReduceL1",   "ReduceLogSumExp"};
        if (!ok.count(op))
            nodeFail("operator " + op + " is not supported");
        reduce(op);
        return;
    }
    if (op == "Flatten") {
        setOut(0, "self._onnx_flatten(" + in(0) + ", " + std::to_string(attrInt("axis", 1)) + ")");
        return;
    }
    if (op == "Reshape") {
        setOut(0, "self._onnx_reshape(" + in(0) + ", " + intsArg(1) + ", " +
                      std::to_string(attrInt("allowzero", 0)) + ")");
        return;
    }
    if (op == "Transpose") {
        setOut(0, "self._onnx_transpose(" + in(0) + ", " + intsText(attrInts("perm")) + ")");
        return;
    }
    if (op == "Squeeze" || op == "Unsqueeze") {
        std::string axes = "[]";
        if (m_opset >= 13) {
            if (hasInput(1))
                axes = intsArg(1);
        } else {
            axes = intsText(attrInts("axes"));
        }
        setOut(0, std::string("self._onnx_") + (op == "Squeeze" ? "squeeze(" : "unsqueeze(") +
                      in(0) + ", " + axes + ")");
        return;
    }
    if (op == "Concat") {
        std::string list = "[";
        for (int i = 0; i < inputs(); ++i)
            list += (i ? ", " : "") + in(i);
        setOut(0, "torch.cat(" + list + "], " + std::to_string(attrInt("axis", 0)) + ")");
        return;
    }
    if (op == "Split") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 0);
        std::string sizes;
        if (m_opset >= 13 && hasInput(1))
            sizes = intsArg(1);
        else if (hasAttr("split"))
            sizes = intsText(attrInts("split"));
        const std::string parts = fresh();
        if (sizes.empty()) {
            // equal parts
            const std::string n = std::to_string(m_node->output_size());
            emit(parts + " = torch.tensor_split(" + x + ", " + n + ", " + std::to_string(axis) +
                 ")");
        } else {
            emit(parts + " = torch.split(" + x + ", " + sizes + ", " + std::to_string(axis) + ")");
        }
        for (int i = 0; i < m_node->output_size(); ++i)
            setOut(i, parts + "[" + std::to_string(i) + "]");
        return;
    }
    if (op == "Slice") {
        const std::string x = in(0);
        std::string starts, ends, axes = "[]", steps = "[]";
        if (m_opset < 10) {
            starts = intsText(attrInts("starts"));
            ends = intsText(attrInts("ends"));
            if (hasAttr("axes"))
                axes = intsText(attrInts("axes"));
        } else {
            starts = intsArg(1);
            ends = intsArg(2);
            if (hasInput(3))
                axes = intsArg(3);
            if (hasInput(4))
                steps = intsArg(4);
        }
        setOut(0, "self._onnx_slice(" + x + ", " + starts + ", " + ends + ", " + axes + ", " +
                      steps + ")");
        return;
    }
    if (op == "Gather") {
        const std::int64_t axis = attrInt("axis", 0);
        if (isConst(1) && constant(1).dim() == 0 && !isConst(0)) {
            const std::string x = in(0);
            const std::int64_t i = constant(1).to(at::kLong).item<std::int64_t>();
            const std::string ax = std::to_string(axis);
            std::string idx = std::to_string(i);
            if (i < 0)
                idx = x + ".size(" + ax + ") + " + std::to_string(i);
            setOut(0, "torch.select(" + x + ", " + ax + ", " + idx + ")");
            return;
        }
        setOut(0, "self._onnx_gather(" + in(0) + ", " + in(1) + ", " + std::to_string(axis) + ")");
        return;
    }
    if (op == "Shape") {
        const std::string x = in(0);
        std::string dims = x + ".size()";
        if (hasAttr("start") || hasAttr("end")) {
            const std::string s = std::to_string(attrInt("start", 0));
            dims += "[" + s + ":" + (hasAttr("end") ? std::to_string(attrInt("end", 0)) : "") + "]";
        }
        setOut(0, "torch.tensor(" + dims + ", dtype=4, device=" + x + ".device)");
        return;
    }
    if (op == "Size") {
        const std::string x = in(0);
        setOut(0, "torch.tensor(" + x + ".numel(), dtype=4, device=" + x + ".device)");
        return;
    }
    if (op == "Cast") {
        const auto t = scalarType(static_cast<int>(attrInt("to", 1)));
        if (!t)
            nodeFail("cast to an unsupported data type");
        setOut(0, in(0) + ".to(" + dtypeText(*t) + ")");
        return;
    }
    if (op == "ConstantOfShape") {
        at::Tensor value = at::zeros({1}, at::kFloat);
        if (const auto *a = attr("value"))
            value = toTensor(a->t(), "");
        if (isConst(0)) {
            setConst(0, at::full(constInts(0), value.reshape({-1})[0].item(),
                                 at::TensorOptions().dtype(value.scalar_type())));
            return;
        }
        const std::string shape = intsArg(0);
        const double v = value.to(at::kDouble).reshape({-1})[0].item<double>();
        setOut(0, "torch.full(" + shape + ", " + floatText(v) + ", dtype=" +
                      dtypeText(value.scalar_type()) + ", device=" + in(0) + ".device)");
        return;
    }
    if (op == "Pad") {
        const std::string x = in(0);
        const std::string mode = attrString("mode", "constant");
        if (mode != "constant" && mode != "reflect" && mode != "edge")
            nodeFail("mode " + mode + " is not supported");
        std::string pads;
        double value = 0.0;
        if (m_opset < 11) {
            pads = intsText(attrInts("pads"));
            value = attrFloat("value", 0.0);
        } else {
            pads = intsArg(1);
            if (hasInput(2))
                value = constant(2).to(at::kDouble).reshape({-1})[0].item<double>();
        }
        if (hasInput(3))
            nodeFail("the axes input is not supported");
        setOut(0, "self._onnx_pad(" + x + ", " + pads + ", '" +
                      (mode == "edge" ? std::string("replicate") : mode) + "', " +
                      floatText(value) + ")");
        return;
    }
    if (op == "Resize" || op == "Upsample") {
        resize(op);
        return;
    }
    if (op == "Expand") {
        setOut(0, "self._onnx_expand(" + in(0) + ", " + intsArg(1) + ")");
        return;
    }
    if (op == "Tile") {
        setOut(0, in(0) + ".repeat(" + intsArg(1) + ")");
        return;
    }
    if (op == "Where") {
        setOut(0, "torch.where(" + in(0) + ", " + in(1) + ", " + in(2) + ")");
        return;
    }
    if (op == "ArgMax" || op == "ArgMin") {
        if (attrInt("select_last_index", 0) != 0)
            nodeFail("select_last_index 1 is not supported");
        setOut(0, std::string(op == "ArgMax" ? "torch.argmax(" : "torch.argmin(") + in(0) + ", " +
                      std::to_string(attrInt("axis", 0)) + ", " +
                      (attrInt("keepdims", 1) ? "True" : "False") + ")");
        return;
    }
    if (op == "TopK") {
        const std::string x = in(0);
        std::string k;
        if (m_opset < 10)
            k = std::to_string(attrInt("k", 1));
        else if (isConst(1))
            k = std::to_string(constInts(1).at(0));
        else
            k = "int(" + in(1) + ".reshape([-1])[0])";
        const std::string vals = fresh(), idx = fresh();
        emit(vals + ", " + idx + " = torch.topk(" + x + ", " + k + ", " +
             std::to_string(attrInt("axis", -1)) + ", " +
             (attrInt("largest", 1) ? "True" : "False") + ", " +
             (attrInt("sorted", 1) ? "True" : "False") + ")");
        setOut(0, vals);
        setOut(1, idx);
        return;
    }
    if (op == "NonMaxSuppression") {
        // through torchvision::nms (model/torchvisionops.h); docs/onnx.md section 2
        if (m_extraHelpers.find("_onnx_nms") == std::string::npos)
            m_extraHelpers += kNmsHelper;
        const std::int64_t center = attrInt("center_point_box", 0);
        if (center != 0 && center != 1)
            nodeFail("center_point_box " + std::to_string(center) + " is not 0 or 1");
        const auto scalar = [&](int i, const char *cast, const std::string &fallback) {
            if (!hasInput(i))
                return fallback;
            if (isConst(i)) {
                const at::Tensor c = val(i).c.reshape({-1});
                return c.numel()
                           ? (std::string(cast) == "int" ? std::to_string(c[0].item<std::int64_t>())
                                                         : floatText(c[0].item<double>()))
                           : fallback;
            }
            return std::string(cast) + "(" + in(i) + ".reshape([-1])[0])";
        };
        const std::string boxes = in(0), scores = in(1);
        setOut(0, "self._onnx_nms(" + boxes + ", " + scores + ", " + scalar(2, "int", "0") + ", " +
                      scalar(3, "float", "0.0") + ", " + scalar(4, "float", "0.0") + ", " +
                      (hasInput(4) ? "True" : "False") + ", " + std::to_string(center) + ")");
        return;
    }
    if (op == "RoiAlign") {
        // through torchvision::roi_align (model/torchvisionops.h): average pooling only;
        // half_pixel (the default from opset 16) is torchvision's aligned=True, output_half_pixel
        // (opset 10's behaviour) aligned=False
        const std::string mode = attrString("mode", "avg");
        if (mode != "avg")
            nodeFail("mode '" + mode + "' is not supported (torchvision's roi_align averages)");
        const std::string transform = attrString(
            "coordinate_transformation_mode", m_opset >= 16 ? "half_pixel" : "output_half_pixel");
        if (transform != "half_pixel" && transform != "output_half_pixel")
            nodeFail("coordinate_transformation_mode '" + transform + "' is not supported");
        const std::int64_t sampling = attrInt("sampling_ratio", 0);
        if (sampling < 0)
            nodeFail("a negative sampling_ratio is not supported");
        const std::string x = in(0), rois = in(1), batch = in(2);
        setOut(0, "torchvision.roi_align(" + x + ", torch.cat([" + batch + ".to(" + x +
                      ".dtype).reshape([-1, 1]), " + rois + ".to(" + x + ".dtype)], 1), " +
                      floatText(attrFloat("spatial_scale", 1.0)) + ", " +
                      std::to_string(attrInt("output_height", 1)) + ", " +
                      std::to_string(attrInt("output_width", 1)) + ", " + std::to_string(sampling) +
                      ", " + (transform == "half_pixel" ? "True" : "False") + ")");
        return;
    }
    if (op == "NonZero") {
        setOut(0, "torch.nonzero(" + in(0) + ").t()");
        return;
    }
    if (op == "Range") {
        setOut(0, "torch.arange(" + in(0) + ".item(), " + in(1) + ".item(), " + in(2) +
                      ".item(), dtype=" + in(0) + ".dtype, device=" + in(0) + ".device)");
        return;
    }
    if (op == "QuantizeLinear") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 1);
        const std::string s =
            "self._onnx_axis_view(" + in(1) + ", " + x + ", " + std::to_string(axis) + ")";
        std::string zp = "0", lo = "0.0", hi = "255.0", dtype = "0";
        if (hasInput(2)) {
            const at::ScalarType zt = val(2).isConst ? val(2).c.scalar_type() : at::kByte;
            if (zt == at::kChar) {
                lo = "-128.0";
                hi = "127.0";
                dtype = "1";
            }
            zp = "self._onnx_axis_view(" + in(2) + ", " + x + ", " + std::to_string(axis) +
                 ").to(6)";
        }
        setOut(0, "torch.clamp(torch.round(" + x + " / " + s + ") + " + zp + ", " + lo + ", " + hi +
                      ").to(" + dtype + ")");
        return;
    }
    if (op == "DequantizeLinear") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 1);
        const std::string s =
            "self._onnx_axis_view(" + in(1) + ", " + x + ", " + std::to_string(axis) + ")";
        std::string y = x + ".to(6)";
        if (hasInput(2))
            y = "(" + y + " - self._onnx_axis_view(" + in(2) + ", " + x + ", " +
                std::to_string(axis) + ").to(6))";
        setOut(0, y + " * " + s);
        return;
    }
    nodeFail("operator " + op + " is not supported (docs/onnx.md lists the supported ones)");
}

OnnxImport Importer::run()
{
    const auto &graph = m_model.graph();
    // opset of the default domain
    for (const auto &o : m_model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            m_opset = o.version();
    if (m_opset == 0)
        fail("no opset for the default ONNX domain");
    const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    const auto range = ranges.find(onnx::ONNX_DOMAIN);
    const int known = range == ranges.end() ? 17 : range->second.second;
    if (m_opset > known)
        fail("opset " + std::to_string(m_opset) + " is newer than the ONNX library knows (" +
             std::to_string(known) + ")");
    m_out.opset = m_opset;
    // every node's domain and operator first: a clear error before any work
    for (int i = 0; i < graph.node_size(); ++i) {
        const auto &n = graph.node(i);
        if (!n.domain().empty() && n.domain() != "ai.onnx")
            fail("operator " + n.domain() + "::" + n.op_type() + " of node '" + nodeName(n, i) +
                 "' is not supported (only the default ONNX domain)");
        if (n.op_type() == "Loop" || n.op_type() == "If" || n.op_type() == "Scan")
            fail("operator " + n.op_type() + " of node '" + nodeName(n, i) +
                 "' is not supported (control flow)");
    }

    m_cu = std::make_shared<torch::jit::CompilationUnit>();
    m_out.module = torch::jit::Module(c10::QualifiedName("__torch__.mpq_onnx.Model"), m_cu,
                                      /*shouldMangle=*/true);
    for (const auto &init : graph.initializer()) {
        Val v;
        v.isConst = true;
        v.c = toTensor(init, m_dir);
        m_vals[init.name()] = v;
    }
    std::string signature = "def forward(self";
    for (const auto &input : graph.input()) {
        if (m_vals.count(input.name()))
            continue; // an initializer listed as an input (IR version 3)
        if (!input.type().has_tensor_type())
            fail("input '" + input.name() + "' is not a tensor");
        Val v;
        v.expr = "x" + std::to_string(m_out.inputNames.size());
        signature += ", " + v.expr + ": Tensor";
        m_vals[input.name()] = v;
        m_out.inputNames.push_back(input.name());
        std::vector<std::int64_t> shape;
        for (const auto &d : input.type().tensor_type().shape().dim())
            shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        m_out.inputShapes.push_back(shape);
    }
    if (m_out.inputNames.empty())
        fail("the graph has no input");
    for (const auto &n : graph.node())
        for (const auto &name : n.input())
            ++m_uses[name];
    for (const auto &o : graph.output())
        ++m_uses[o.name()];

    for (m_nodeIndex = 0; m_nodeIndex < graph.node_size(); ++m_nodeIndex) {
        if (m_skip.count(m_nodeIndex))
            continue;
        m_node = &graph.node(m_nodeIndex);
        const std::string &op = m_node->op_type();
        if (op == "Constant") {
            at::Tensor t;
            if (const auto *a = attr("value"))
                t = toTensor(a->t(), m_dir);
            else if (const auto *a = attr("value_float"))
                t = at::tensor(a->f(), at::kFloat);
            else if (const auto *a = attr("value_int"))
                t = at::tensor(a->i(), at::kLong);
            else if (const auto *a = attr("value_floats"))
                t = at::tensor(std::vector<float>(a->floats().begin(), a->floats().end()),
                               at::kFloat);
            else if (const auto *a = attr("value_ints"))
                t = at::tensor(std::vector<std::int64_t>(a->ints().begin(), a->ints().end()),
                               at::kLong);
            else
                nodeFail("a Constant without a supported value attribute");
            setConst(0, t);
            continue;
        }
        try {
            if (foldConstant(op))
                continue;
        } catch (const BadOnnx &) {
            throw;
        } catch (const std::exception &e) {
            nodeFail(std::string("cannot fold its constant inputs: ") + e.what());
        }
        convert(op);
    }

    std::vector<std::string> outs;
    for (const auto &o : graph.output()) {
        const auto it = m_vals.find(o.name());
        if (it == m_vals.end())
            fail("graph output '" + o.name() + "' is not produced by any node");
        if (it->second.isConst) {
            const std::string b = uniqueName("c_" + sanitize(o.name()));
            m_out.module.register_buffer(b, it->second.c.contiguous());
            outs.push_back("self." + b);
        } else {
            outs.push_back(it->second.expr);
        }
        m_out.outputNames.push_back(o.name());
        std::vector<std::int64_t> shape;
        if (o.type().has_tensor_type() && o.type().tensor_type().has_shape())
            for (const auto &d : o.type().tensor_type().shape().dim())
                shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        m_out.outputShapes.push_back(shape);
    }
    if (outs.empty())
        fail("the graph has no output");
    std::string ret;
    if (outs.size() == 1) {
        signature += ") -> Tensor:\n";
        ret = outs[0];
    } else {
        signature += ") -> Tuple[";
        for (std::size_t i = 0; i < outs.size(); ++i) {
            signature += (i ? ", " : "") + std::string("Tensor");
            ret += (i ? ", " : "") + outs[i];
        }
        signature += "]:\n";
        ret = "(" + ret + ")";
    }
    const std::string source = std::string(kHelpers) + m_extraHelpers + "\n" + signature + m_body +
                               "    return " + ret + "\n";
    // The map between the ONNX graph and the module, kept in the module (saved with it).
    nlohmann::json map;
    map["opset"] = m_opset;
    for (const auto &l : m_out.layers)
        map["layers"].push_back({{"module", l.module},
                                 {"node", l.node},
                                 {"op", l.opType},
                                 {"weight", l.weight},
                                 {"bias", l.bias},
                                 {"weightTransposed", l.weightTransposed}});
    for (std::size_t i = 0; i < m_out.inputNames.size(); ++i)
        map["inputs"].push_back({{"name", m_out.inputNames[i]}, {"shape", m_out.inputShapes[i]}});
    for (std::size_t i = 0; i < m_out.outputNames.size(); ++i)
        map["outputs"].push_back(
            {{"name", m_out.outputNames[i]}, {"shape", m_out.outputShapes[i]}});
    m_out.module.register_attribute("mpq_onnx", c10::StringType::get(), map.dump());
    try {
        m_out.module.define(source, std::make_shared<TorchvisionResolver>());
    } catch (const std::exception &e) {
        if (std::getenv("MPQ_ONNX_DEBUG"))
            std::fprintf(stderr, "%s\n%s\n", source.c_str(), e.what());
        std::string what;
        for (char c : std::string(e.what()))
            if (c != '\n' || (!what.empty() && what.back() != ' '))
                what += c == '\n' ? ' ' : c;
        fail("the imported graph does not compile as TorchScript (" + what.substr(0, 400) + ")");
    }
    m_out.module.eval();
    return std::move(m_out);
}

} // namespace

bool isOnnxFile(const std::string &path, const std::string &bytes)
{
    const std::filesystem::path p(path);
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (ext == ".onnx")
        return true;
    if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K')
        return false; // a zip archive: TorchScript
    onnx::ModelProto model;
    return model.ParseFromString(bytes) && model.has_graph() && model.ir_version() > 0 &&
           model.graph().node_size() > 0;
}

OnnxImport importOnnx(const std::string &path, const std::string &bytes)
{
    ensureTorchvisionOps(); // NonMaxSuppression and RoiAlign call them
    onnx::ModelProto model;
    if (bytes.empty())
        throw Error(ErrorCode::BadModel, path + ": the file is empty");
    if (!model.ParseFromString(bytes) || !model.has_graph() || model.ir_version() <= 0)
        throw Error(ErrorCode::BadModel,
                    path + ": not an ONNX model, or a truncated or damaged one (the protobuf "
                           "message does not parse)");
    // the opset first: the checker would only say that no operator is registered for it
    for (const auto &o : model.opset_import()) {
        const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
        const auto range = ranges.find(onnx::ONNX_DOMAIN);
        const int known = range == ranges.end() ? 17 : range->second.second;
        if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() > known)
            throw Error(ErrorCode::BadModel, path + ": opset " + std::to_string(o.version()) +
                                                 " is newer than the ONNX library knows (" +
                                                 std::to_string(known) + ")");
    }
    // external data: the files must exist beside the model (the checker would look for them
    // relative to the working folder when given the message alone)
    bool external = false;
    for (const auto &init : model.graph().initializer()) {
        if (init.data_location() != onnx::TensorProto::EXTERNAL)
            continue;
        external = true;
        for (const auto &kv : init.external_data()) {
            if (kv.key() != "location")
                continue;
            const std::filesystem::path p(path);
            const std::filesystem::path file =
                (p.has_parent_path() ? p.parent_path() : std::filesystem::path(".")) / kv.value();
            std::error_code ec;
            if (!std::filesystem::is_regular_file(file, ec))
                throw Error(ErrorCode::BadModel,
                            path + ": tensor '" + init.name() + "' keeps its data in '" +
                                file.string() +
                                "', which cannot be opened (a missing external "
                                "data file)");
        }
    }
    try {
        if (external)
            onnx::checker::check_model(path); // reads the file, finds the data beside it
        else
            onnx::checker::check_model(model);
    } catch (const std::exception &e) {
        std::string what = e.what();
        throw Error(ErrorCode::BadModel, path + ": the ONNX checker refuses the model (" +
                                             what.substr(0, what.find('\n')) + ")");
    }
    try {
        Importer importer(path, model);
        return importer.run();
    } catch (const BadOnnx &e) {
        throw Error(ErrorCode::BadModel, path + ": " + e.reason);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        std::string what = e.what();
        throw Error(ErrorCode::BadModel, path + ": cannot import the ONNX graph (" +
                                             what.substr(0, what.find('\n')) + ")");
    }
}

std::string saveImport(OnnxImport &import)
{
    std::ostringstream out;
    import.module.save(out);
    return out.str();
}

at::Tensor readOnnxTensorFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    onnx::TensorProto t;
    if (!in || !t.ParseFromString(content.str()))
        throw Error(ErrorCode::BadModel, path + ": not an ONNX TensorProto");
    try {
        return toTensor(t, std::filesystem::path(path).parent_path().string());
    } catch (const BadOnnx &e) {
        throw Error(ErrorCode::BadModel, path + ": " + e.reason);
    }
}

} // namespace mpq
