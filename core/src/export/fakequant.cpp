#include "mpq/export.h"

#include "mpq/error.h"
#include "util/reuselargeblocks.h"
#include "util/settingsjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace mpq {

std::string exportManifest(const Analysis &a, const Allocation &alloc,
                           const AllocationSettings &settings, const std::string &toolVersion,
                           const std::string &format)
{
    return nlohmann::json{{"tool", "mpq-studio"},
                          {"tool_version", toolVersion},
                          {"format", format},
                          {"source_model", {{"path", a.modelPath}, {"sha256", a.modelSha256}}},
                          {"bits", a.settings.bits},
                          {"max_points", a.settings.maxPoints},
                          {"activation_bits", a.settings.activationBits},
                          // the shared settings codec (mpq/vocabulary.h): the same keys as the
                          // saved analysis, the project file and `mpq --overrides`
                          {"analysis", analysisSettingsJson(a.settings)},
                          {"allocation", allocationSettingsJson(settings)},
                          // totals over all quantizable layers (docs/multipoint.md section 4)
                          {"memory_overhead", alloc.memoryOverhead},
                          {"mac_overhead", alloc.macOverhead},
                          {"effective_bits", alloc.effectiveBits},
                          {"weights", alloc.allWeights},
                          {"float_weights", alloc.floatWeights},
                          {"stored_bits", alloc.storedBits},
                          {"macs", alloc.allMacs},
                          {"float_macs", alloc.floatMacs},
                          {"allocation_warnings", alloc.warnings}}
               .dump(2) +
           "\n";
}

Verification exportFakeQuant(ModelRunner &quantized, const std::string &path,
                             const std::string &manifest, const ModelProfile &profile,
                             const std::vector<std::string> &verifyImages)
{
    quantized.save(path, {{"mpq_manifest.json", manifest}});
    return verifyExport(quantized, path, profile, verifyImages);
}

Verification verifyExport(ModelRunner &inApp, const std::string &path, const ModelProfile &profile,
                          const std::vector<std::string> &images)
{
    if (images.empty())
        return {};
    ModelRunner reloaded = loadRunner(path, "cpu");
    return compareRunners(inApp, reloaded, path + ": the reloaded export", profile, images);
}

Verification compareRunners(ModelRunner &reference, ModelRunner &other, const std::string &what,
                            const ModelProfile &profile, const std::vector<std::string> &images)
{
    Verification v;
    const ReuseLargeBlocks reuse; // the batches' activations stay in the heap
    double scale = 0.0;
    for (std::size_t begin = 0; begin < images.size(); begin += 8) {
        std::vector<PreparedImage> batch;
        for (std::size_t i = begin; i < std::min(images.size(), begin + 8); ++i) {
            try {
                batch.push_back(prepareImage(images[i], profile.input));
            } catch (const Error &) {
                // an unreadable sample is not the export's fault; the analysis already warned
            }
        }
        if (batch.empty())
            continue;
        const std::vector<OutputTensor> a = reference.run(batch), b = other.run(batch);
        if (a.size() != b.size())
            throw Error(ErrorCode::BadModel, what + " returns " + std::to_string(b.size()) +
                                                 " tensors instead of " + std::to_string(a.size()));
        for (std::size_t t = 0; t < a.size(); ++t) {
            if (a[t].data.size() != b[t].data.size())
                throw Error(ErrorCode::BadModel,
                            what + "'s output " + std::to_string(t) + " has another shape");
            for (std::size_t i = 0; i < a[t].data.size(); ++i) {
                v.maxAbsoluteDifference = std::max(v.maxAbsoluteDifference,
                                                   double(std::abs(a[t].data[i] - b[t].data[i])));
                scale = std::max(scale, double(std::abs(a[t].data[i])));
            }
        }
        v.images += static_cast<int>(batch.size());
    }
    v.maxRelativeDifference = scale > 0 ? v.maxAbsoluteDifference / scale : v.maxAbsoluteDifference;
    return v;
}

} // namespace mpq
