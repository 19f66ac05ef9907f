// Names, literals and tensors of the ONNX import (docs/onnx.md).
#include "model/onnximporter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace mpq::onnxin {

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

[[noreturn]] void fail(const std::string &reason)
{
    throw BadOnnx{reason};
}

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

} // namespace mpq::onnxin
