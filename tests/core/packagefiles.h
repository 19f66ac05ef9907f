#pragma once
// Reading an integer package back in tests (docs/multipoint.md section 5, the package's
// manifest): a layer's rows summed into its channels, to compare with the weights that run.
#include <QFile>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <cstring>
#include <vector>

namespace mpqtest {

template <typename T> std::vector<T> readArray(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<T> out(std::size_t(bytes.size()) / sizeof(T));
    std::memcpy(out.data(), bytes.constData(), out.size() * sizeof(T));
    return out;
}

/// The weights of one layer of the package in `dir` (its manifest entry `e`): every row, codes
/// times its scale, added into the channel the row belongs to; channels x d, row-major.
inline std::vector<float> packageWeights(const QString &dir, const QJsonObject &e)
{
    const std::int64_t d = e["d"].toInteger(), channels = e["channels"].toInteger();
    const auto codes = readArray<std::int8_t>(dir + "/" + e["codes"].toString());
    const auto scales = readArray<float>(dir + "/" + e["scales"].toString());
    const auto rows = readArray<std::int32_t>(dir + "/" + e["channel_of_row"].toString());
    std::vector<float> sum(std::size_t(channels * d), 0.0f);
    for (std::size_t r = 0; r < scales.size() && r < rows.size(); ++r)
        for (std::int64_t k = 0; k < d; ++k)
            sum[std::size_t(rows[r] * d + k)] += scales[r] * float(codes[r * d + k]);
    return sum;
}

} // namespace mpqtest
