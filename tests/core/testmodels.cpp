#include "testmodels.h"

#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace mpqtest {

namespace {

torch::jit::Module conv(const std::string &name, std::int64_t in, std::int64_t out, std::int64_t k,
                        std::int64_t groups, bool bias, std::int64_t stride = 1)
{
    torch::jit::Module m(name);
    m.register_parameter("weight", torch::randn({out, in / groups, k, k}) * 0.3, false);
    if (bias)
        m.register_parameter("bias", torch::randn({out}) * 0.1, false);
    const std::string pad = std::to_string(k / 2), s = std::to_string(stride),
                      g = std::to_string(groups);
    m.define("def forward(self, x):\n    return torch.conv2d(x, self.weight, " +
             std::string(bias ? "self.bias" : "None") + ", [" + s + ", " + s + "], [" + pad + ", " +
             pad + "], [1, 1], " + g + ")\n");
    return m;
}

torch::jit::Module batchNorm(const std::string &name, std::int64_t channels)
{
    torch::jit::Module m(name);
    m.register_parameter("weight", torch::rand({channels}) + 0.5, false);
    m.register_parameter("bias", torch::randn({channels}) * 0.2, false);
    m.register_buffer("running_mean", torch::randn({channels}) * 0.1);
    m.register_buffer("running_var", torch::rand({channels}) + 0.5);
    m.define("def forward(self, x):\n"
             "    return torch.batch_norm(x, self.weight, self.bias, self.running_mean, "
             "self.running_var, "
             "False, 0.1, 1e-5, False)\n");
    return m;
}

torch::jit::Module linear(const std::string &name, std::int64_t in, std::int64_t out)
{
    torch::jit::Module m(name);
    m.register_parameter("weight", torch::randn({out, in}) * 0.3, false);
    m.register_parameter("bias", torch::randn({out}) * 0.1, false);
    m.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    return m;
}

} // namespace

void saveConvNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("ConvNet");
    m.register_module("conv1", conv("Conv1", 3, 8, 3, 1, false));
    m.register_module("bn1", batchNorm("Bn1", 8));
    m.register_module("dw", conv("Dw", 8, 8, 3, 8, false));
    m.register_module("bn2", batchNorm("Bn2", 8));
    m.register_module("pw", conv("Pw", 8, 6, 1, 1, true));
    m.register_module("grouped", conv("Grouped", 6, 6, 3, 2, true, 2));
    m.register_module("fc", linear("Fc", 6, 5));
    m.define(R"(
def forward(self, x):
    y = torch.relu(self.bn1.forward(self.conv1.forward(x)))
    y = self.bn2.forward(self.dw.forward(y)) + y
    y = torch.relu(self.pw.forward(y))
    y = self.grouped.forward(y)
    return self.fc.forward(y.mean([2, 3]))
)");
    m.save(path);
}

void saveSharedNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("SharedNet");
    m.register_module("stem", conv("Stem", 3, 4, 3, 1, true));
    m.register_module("conv", conv("Conv", 4, 4, 3, 1, true));
    m.register_parameter("fc_weight", torch::randn({3, 4}) * 0.3, false);
    m.register_parameter("fc_bias", torch::randn({3}) * 0.1, false);
    m.define(R"(
def forward(self, x):
    y = torch.relu(self.stem.forward(x))
    y = torch.relu(self.conv.forward(y))
    y = self.conv.forward(y)
    return torch.addmm(self.fc_bias, y.mean([2, 3]), self.fc_weight.t())
)");
    m.save(path);
}

void saveLoopNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("LoopNet");
    m.register_module("stem", conv("Stem", 3, 4, 3, 1, false));
    m.register_module("body", conv("Body", 4, 4, 3, 1, true));
    m.register_module("left", conv("Left", 4, 4, 1, 1, true));
    m.register_module("right", conv("Right", 4, 4, 1, 1, true));
    torch::jit::Module head("Head");
    head.register_parameter("weight", torch::randn({2, 4, 3}) * 0.3, false);
    head.define(
        "def forward(self, x):\n    return torch.conv1d(x, self.weight, None, [1], [1], [1], 1)\n");
    m.register_module("head", head);
    m.define(R"(
def forward(self, x):
    x = self.stem.forward(x)
    for i in range(3):
        x = torch.relu(self.body.forward(x))
    if bool(x.mean() > 0):
        x = self.left.forward(x)
    else:
        x = self.right.forward(x)
    return self.head.forward(x.flatten(2))
)");
    m.save(path);
}

void saveGroupedNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("GroupedNet");
    m.register_module("conv1", conv("Conv1", 3, 6, 3, 3, false));
    m.register_module("conv2", conv("Conv2", 6, 2, 1, 1, true));
    m.define("def forward(self, x):\n    return "
             "self.conv2.forward(torch.relu(self.conv1.forward(x)))\n");
    m.save(path);
}

void saveTracedStyleNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("TracedStyle");
    torch::jit::Module c("Conv");
    c.register_parameter("weight", torch::randn({6, 3, 3, 3}) * 0.3, false);
    c.register_parameter("bias", torch::randn({6}) * 0.1, false);
    c.define("def forward(self, x):\n"
             "    return torch._convolution(x, self.weight, self.bias, [2, 2], [1, 1], [1, 1], "
             "False, [0, 0], 1, "
             "False, False, True, True)\n");
    m.register_module("conv", c);
    m.register_module("bn", batchNorm("Bn", 6));
    torch::jit::Module fc("Fc");
    fc.register_parameter("weight", torch::randn({4, 6}) * 0.3, false);
    fc.register_parameter("bias", torch::randn({4}) * 0.1, false);
    fc.define("def forward(self, x):\n    return torch.addmm(self.bias, x, self.weight.t())\n");
    m.register_module("fc", fc);
    m.define("def forward(self, x):\n"
             "    y = torch.relu(self.bn.forward(self.conv.forward(x)))\n"
             "    return self.fc.forward(y.mean([2, 3]))\n");
    m.save(path);
}

void saveTiedNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("TiedNet");
    torch::jit::Module a = conv("A", 3, 3, 3, 1, false);
    torch::jit::Module b("B");
    b.register_parameter("weight", a.attr("weight").toTensor(), false);
    b.define("def forward(self, x):\n    return torch.conv2d(x, self.weight, None, [1, 1], [1, 1], "
             "[1, 1], 1)\n");
    m.register_module("a", a);
    m.register_module("b", b);
    m.define("def forward(self, x):\n    return self.b.forward(torch.relu(self.a.forward(x)))\n");
    m.save(path);
}

void saveNoLayerNet(const std::string &path)
{
    torch::jit::Module m("NoLayer");
    m.register_parameter("scale", torch::ones({1}), false);
    m.define("def forward(self, x):\n    return torch.relu(x) * self.scale\n");
    m.save(path);
}

void saveNanNet(const std::string &path)
{
    torch::manual_seed(1);
    torch::jit::Module m("NanNet");
    torch::jit::Module c = conv("Conv1", 3, 4, 3, 1, false);
    c.attr("weight").toTensor().view(-1)[5] = std::nanf("");
    m.register_module("conv1", c);
    m.define("def forward(self, x):\n    return self.conv1.forward(x)\n");
    m.save(path);
}

void saveStrideSharedNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("StrideSharedNet");
    m.register_module("stem", conv("Stem", 3, 4, 3, 1, true));
    m.register_parameter("shared_weight", torch::randn({4, 4, 3, 3}) * 0.3, false);
    m.register_parameter("shared_bias", torch::randn({4}) * 0.1, false);
    m.register_module("fc", linear("Fc", 4, 3));
    m.define(R"(
def forward(self, x):
    y = torch.relu(self.stem.forward(x))
    y = torch.relu(torch.conv2d(y, self.shared_weight, self.shared_bias, [1, 1], [1, 1], [1, 1], 1))
    y = torch.conv2d(y, self.shared_weight, self.shared_bias, [2, 2], [0, 0], [1, 1], 1)
    return self.fc.forward(y.mean([2, 3]))
)");
    m.save(path);
}

void saveUnbatchedNet(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("UnbatchedNet");
    m.register_module("conv1", conv("Conv1", 3, 6, 3, 1, true));
    m.register_module("grouped", conv("Grouped", 6, 6, 3, 3, true));
    m.register_module("fc", linear("Fc", 6, 4));
    m.define(R"(
def forward(self, x):
    y = torch.relu(self.conv1.forward(x[0]))
    y = torch.relu(self.grouped.forward(y))
    return self.fc.forward(y.mean([1, 2])).unsqueeze(0)
)");
    m.save(path);
}

void saveMlpNet(const std::string &path, std::uint64_t seed, std::int64_t inputs)
{
    torch::manual_seed(seed);
    torch::jit::Module m("MlpNet");
    m.register_module("fc1", linear("Fc1", inputs, 8));
    m.register_module("fc2", linear("Fc2", 8, 3));
    m.define(R"(
def forward(self, x):
    return self.fc2.forward(torch.relu(self.fc1.forward(x.flatten(1))))
)");
    m.save(path);
}

DirectCurves directConvCurves(const std::vector<float> &images,
                              std::vector<std::int64_t> imageShape,
                              const std::vector<float> &foldedWeight,
                              const std::vector<std::int64_t> &weightShape,
                              const std::vector<std::vector<float>> &approximations,
                              std::int64_t padding, std::int64_t groups)
{
    torch::NoGradGuard noGrad;
    const at::Tensor x =
        torch::from_blob(const_cast<float *>(images.data()), imageShape, at::kFloat)
            .to(at::kDouble);
    const at::Tensor w =
        torch::from_blob(const_cast<float *>(foldedWeight.data()), weightShape, at::kFloat)
            .to(at::kDouble);
    DirectCurves out;
    const at::Tensor y = at::conv2d(x, w, {}, 1, padding, 1, groups);
    const at::Tensor s = y.square().sum({0, 2, 3});
    out.signal.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
    for (const auto &approx : approximations) {
        const at::Tensor a =
            torch::from_blob(const_cast<float *>(approx.data()), weightShape, at::kFloat)
                .to(at::kDouble);
        const at::Tensor e =
            (y - at::conv2d(x, a, {}, 1, padding, 1, groups)).square().sum({0, 2, 3});
        out.error.insert(out.error.end(), e.data_ptr<double>(), e.data_ptr<double>() + e.numel());
    }
    return out;
}

DirectCurves directLoopBodyCurves(const std::vector<float> &images,
                                  std::vector<std::int64_t> imageShape,
                                  const std::vector<float> &stemWeight,
                                  const std::vector<float> &bodyWeight,
                                  const std::vector<float> &bodyBias,
                                  const std::vector<std::vector<float>> &approximations)
{
    torch::NoGradGuard noGrad;
    auto tensor = [](const std::vector<float> &v, std::vector<std::int64_t> shape) {
        return torch::from_blob(const_cast<float *>(v.data()), shape, at::kFloat).to(at::kDouble);
    };
    at::Tensor x =
        at::conv2d(tensor(images, imageShape), tensor(stemWeight, {4, 3, 3, 3}), {}, 1, 1);
    const at::Tensor w = tensor(bodyWeight, {4, 4, 3, 3}), b = tensor(bodyBias, {4});
    at::Tensor s = torch::zeros({4}, at::kDouble);
    std::vector<at::Tensor> e; // one tensor each: a filled vector would share a single tensor
    for (size_t n = 0; n < approximations.size(); ++n)
        e.push_back(torch::zeros({4}, at::kDouble));
    for (int i = 0; i < 3; ++i) {
        const at::Tensor y = at::conv2d(x, w, {}, 1, 1);
        s += y.square().sum({0, 2, 3});
        for (size_t n = 0; n < approximations.size(); ++n)
            e[n] += (y - at::conv2d(x, tensor(approximations[n], {4, 4, 3, 3}), {}, 1, 1))
                        .square()
                        .sum({0, 2, 3});
        x = torch::relu(at::conv2d(x, w, b, 1, 1));
    }
    DirectCurves out;
    out.signal.assign(s.data_ptr<double>(), s.data_ptr<double>() + 4);
    for (const at::Tensor &t : e)
        out.error.insert(out.error.end(), t.data_ptr<double>(), t.data_ptr<double>() + 4);
    return out;
}

std::vector<float> parameter(const std::string &modelPath, const std::string &name)
{
    torch::jit::Module m = torch::jit::load(modelPath);
    for (const auto &p : m.named_parameters(true))
        if (p.name == name) {
            const at::Tensor t = p.value.detach().contiguous();
            return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        }
    return {};
}

std::vector<DirectCurves>
directConvNetCurves(const std::vector<float> &images, std::vector<std::int64_t> imageShape,
                    const std::string &modelPath,
                    const std::vector<std::vector<std::vector<float>>> &approximations)
{
    torch::NoGradGuard noGrad;
    torch::jit::Module m = torch::jit::load(modelPath);
    std::map<std::string, at::Tensor> p;
    for (const auto &t : m.named_parameters(true))
        p[t.name] = t.value.detach().to(at::kDouble);
    for (const auto &t : m.named_buffers(true))
        p[t.name] = t.value.detach().to(at::kDouble);
    const auto bnScale = [&](const std::string &bn) {
        return p.at(bn + ".weight") / (p.at(bn + ".running_var") + 1e-5).sqrt();
    };
    const auto batchNorm = [&](const at::Tensor &y, const std::string &bn) {
        return (y - p.at(bn + ".running_mean").view({1, -1, 1, 1})) *
                   bnScale(bn).view({1, -1, 1, 1}) +
               p.at(bn + ".bias").view({1, -1, 1, 1});
    };
    // the float forward of ConvNet, step by step, keeping every layer's input
    const at::Tensor x0 =
        torch::from_blob(const_cast<float *>(images.data()), imageShape, at::kFloat)
            .to(at::kDouble);
    const at::Tensor w1 = p.at("conv1.weight") * bnScale("bn1").view({-1, 1, 1, 1});
    const at::Tensor wdw = p.at("dw.weight") * bnScale("bn2").view({-1, 1, 1, 1});
    const at::Tensor x1 =
        torch::relu(batchNorm(at::conv2d(x0, p.at("conv1.weight"), {}, 1, 1), "bn1"));
    const at::Tensor x2 = batchNorm(at::conv2d(x1, p.at("dw.weight"), {}, 1, 1, 1, 8), "bn2") + x1;
    const at::Tensor x3 = torch::relu(at::conv2d(x2, p.at("pw.weight"), p.at("pw.bias")));
    const at::Tensor x4 = at::conv2d(x3, p.at("grouped.weight"), p.at("grouped.bias"), 2, 1, 1, 2);
    const at::Tensor x5 = x4.mean({2, 3});
    struct Site
    {
        at::Tensor input, weight;
        std::int64_t stride, padding, groups; // groups 0: linear
    };
    const std::vector<Site> sites = {{x0, w1, 1, 1, 1},
                                     {x1, wdw, 1, 1, 8},
                                     {x2, p.at("pw.weight"), 1, 0, 1},
                                     {x3, p.at("grouped.weight"), 2, 1, 2},
                                     {x5, p.at("fc.weight"), 0, 0, 0}};
    std::vector<DirectCurves> out;
    for (std::size_t l = 0; l < sites.size(); ++l) {
        const Site &s = sites[l];
        // y without bias, per channel: sum over samples and output positions of y_c^2
        const auto run = [&](const at::Tensor &w) {
            return s.groups == 0 ? at::linear(s.input, w)
                                 : at::conv2d(s.input, w, {}, s.stride, s.padding, 1, s.groups);
        };
        const auto perChannel = [](const at::Tensor &y) {
            return y.transpose(0, 1).reshape({y.size(1), -1}).square().sum(1).contiguous();
        };
        const at::Tensor y = run(s.weight);
        DirectCurves c;
        const at::Tensor sig = perChannel(y);
        c.signal.assign(sig.data_ptr<double>(), sig.data_ptr<double>() + sig.numel());
        for (const std::vector<float> &approx : approximations.at(l)) {
            const at::Tensor a =
                torch::from_blob(const_cast<float *>(approx.data()), s.weight.sizes(), at::kFloat)
                    .to(at::kDouble);
            const at::Tensor e = perChannel(y - run(a));
            c.error.insert(c.error.end(), e.data_ptr<double>(), e.data_ptr<double>() + e.numel());
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<float> groupedNetWithQuantizedInputs(const std::vector<float> &images,
                                                 std::vector<std::int64_t> imageShape,
                                                 const std::string &modelPath,
                                                 const std::vector<std::vector<float>> &weights,
                                                 const std::vector<std::pair<float, float>> &ranges,
                                                 int bits)
{
    torch::NoGradGuard noGrad;
    const std::int64_t qmax = (std::int64_t(1) << bits) - 1;
    const auto fakeQuantize = [&](const at::Tensor &x, std::pair<float, float> range) {
        const double lo = std::min(0.0, double(range.first)),
                     hi = std::max(0.0, double(range.second));
        if (hi - lo <= 0.0)
            return x;
        const double scale = (hi - lo) / double(qmax);
        const std::int64_t zero = std::llround(-lo / scale);
        // as LibTorch evaluates it: a float scale, rounding x times its float inverse
        const float fscale = static_cast<float>(scale), inverse = 1.0f / fscale;
        at::Tensor q = x.contiguous().clone();
        float *v = q.data_ptr<float>();
        for (std::int64_t i = 0; i < q.numel(); ++i) {
            const std::int64_t level =
                zero + static_cast<std::int64_t>(std::nearbyint(v[i] * inverse));
            const std::int64_t clamped = std::min(std::max(level, std::int64_t(0)), qmax);
            v[i] = static_cast<float>(double(clamped - zero) * double(fscale));
        }
        return q;
    };
    torch::jit::Module m = torch::jit::load(modelPath);
    at::Tensor bias;
    for (const auto &t : m.named_parameters(true))
        if (t.name == "conv2.bias")
            bias = t.value.detach().contiguous();
    const at::Tensor x =
        torch::from_blob(const_cast<float *>(images.data()), imageShape, at::kFloat).clone();
    const at::Tensor w1 =
        torch::from_blob(const_cast<float *>(weights.at(0).data()), {6, 1, 3, 3}, at::kFloat);
    const at::Tensor w2 =
        torch::from_blob(const_cast<float *>(weights.at(1).data()), {2, 6, 1, 1}, at::kFloat);
    const at::Tensor h = torch::relu(at::conv2d(fakeQuantize(x, ranges.at(0)), w1, {}, 1, 1, 1, 3));
    const at::Tensor y = at::conv2d(fakeQuantize(h, ranges.at(1)), w2, bias).contiguous();
    return std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
}

} // namespace mpqtest
