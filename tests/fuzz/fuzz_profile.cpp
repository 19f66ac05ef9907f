// libFuzzer harness for the model profile parser (mpq::parseProfile).
//
// Contract checked beyond "no crash, no sanitizer report": the parser either returns a profile
// or throws mpq::Error(BadProfile) (never another exception type), and a profile it accepts
// survives profileToJson -> parseProfile unchanged (inline labels only: a labels_file would be
// read from disk).
#include "mpq/error.h"
#include "mpq/profile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

// A folder that does not exist, so that a fuzzed "labels_file" never reads a real file.
const char *const kBaseDir = "/nonexistent-mpq-fuzz-dir";

bool sameProfile(const mpq::ModelProfile &a, const mpq::ModelProfile &b)
{
    return a.task == b.task && a.input.width == b.input.width && a.input.height == b.input.height &&
           a.input.channels == b.input.channels && a.input.color == b.input.color &&
           a.input.scale == b.input.scale && a.input.mean == b.input.mean &&
           a.input.std == b.input.std && a.input.resize == b.input.resize &&
           a.output.decoder == b.output.decoder && a.output.boxFormat == b.output.boxFormat &&
           a.output.normalized == b.output.normalized &&
           a.output.scoreThreshold == b.output.scoreThreshold &&
           a.output.nmsIou == b.output.nmsIou && a.output.topK == b.output.topK &&
           a.labels == b.labels && a.labelsFile == b.labelsFile;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    mpq::ModelProfile profile;
    try {
        profile = mpq::parseProfile(text, "fuzz.profile.json", kBaseDir);
    } catch (const mpq::Error &e) {
        if (e.code() != mpq::ErrorCode::BadProfile)
            std::abort();
        return 0;
    }
    if (!profile.labelsFile.empty())
        return 0;
    // Anything else escaping here (a different exception, a failed round trip) is a bug.
    const mpq::ModelProfile again =
        mpq::parseProfile(mpq::profileToJson(profile), "roundtrip.profile.json", kBaseDir);
    if (!sameProfile(profile, again))
        std::abort();
    return 0;
}
