#include "mpq/eval.h"

#include "mpq/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

namespace mpq {

namespace {

std::string normalizedName(const std::string &s)
{
    std::string out;
    for (unsigned char c : s)
        if (std::isalnum(c))
            out.push_back(static_cast<char>(std::tolower(c)));
    return out;
}

// Indices of the k largest values, largest first (ties: lower index first).
std::vector<int> topK(const std::vector<float> &p, int k)
{
    std::vector<int> idx(p.size());
    for (std::size_t i = 0; i < idx.size(); ++i)
        idx[i] = static_cast<int>(i);
    k = std::min<int>(k, static_cast<int>(idx.size()));
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                      [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    idx.resize(k);
    return idx;
}

} // namespace

std::vector<std::vector<float>> classProbabilities(const OutputTensor &output, DecoderKind decoder)
{
    if (output.shape.size() != 2 || output.shape[1] < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "a classifier output must be (batch, classes); got " +
                        std::to_string(output.shape.size()) + " dimensions");
    const std::int64_t B = output.shape[0], K = output.shape[1];
    std::vector<std::vector<float>> out(B, std::vector<float>(K));
    for (std::int64_t b = 0; b < B; ++b) {
        const float *row = output.data.data() + b * K;
        std::vector<float> &p = out[b];
        double sum = 0.0;
        if (decoder == DecoderKind::Logits) {
            const float peak = *std::max_element(row, row + K);
            for (std::int64_t k = 0; k < K; ++k)
                sum += p[k] = std::exp(row[k] - peak);
        } else {
            for (std::int64_t k = 0; k < K; ++k)
                sum += p[k] = std::max(0.0f, row[k]);
        }
        for (float &v : p)
            v = sum > 0 ? static_cast<float>(v / sum) : 1.0f / K;
    }
    return out;
}

int labelFromFolder(const std::string &imagePath, const std::vector<std::string> &labels)
{
    const std::string folder =
        normalizedName(std::filesystem::path(imagePath).parent_path().filename().string());
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (!folder.empty() && normalizedName(labels[i]) == folder)
            return static_cast<int>(i);
    return -1;
}

ClassificationMetrics compareClassification(const std::vector<std::vector<float>> &f,
                                            const std::vector<std::vector<float>> &q,
                                            const std::vector<int> &labels)
{
    if (f.size() != q.size() || f.size() != labels.size())
        throw Error(ErrorCode::InvalidArgument,
                    "compareClassification: one entry per image in every list");
    ClassificationMetrics m;
    m.images = static_cast<int>(f.size());
    int agree = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
        const std::vector<int> tf = topK(f[i], 5), tq = topK(q[i], 5);
        agree += tf[0] == tq[0];
        double kl = 0.0;
        for (std::size_t k = 0; k < f[i].size(); ++k)
            if (f[i][k] > 0)
                kl += f[i][k] * std::log(f[i][k] / std::max(q[i][k], 1e-12f));
        m.meanKl += kl;
        if (labels[i] < 0)
            continue;
        ++m.labelled;
        m.top1Float += tf[0] == labels[i];
        m.top1Quantized += tq[0] == labels[i];
        m.top5Float += std::find(tf.begin(), tf.end(), labels[i]) != tf.end();
        m.top5Quantized += std::find(tq.begin(), tq.end(), labels[i]) != tq.end();
    }
    if (m.images > 0) {
        m.agreement = double(agree) / m.images;
        m.meanKl /= m.images;
    }
    if (m.labelled > 0) {
        m.top1Float /= m.labelled;
        m.top1Quantized /= m.labelled;
        m.top5Float /= m.labelled;
        m.top5Quantized /= m.labelled;
    }
    return m;
}

} // namespace mpq
