// libFuzzer harness for the Pascal VOC annotation reader (mpq::parseVocAnnotation, the in-memory
// half of readVocAnnotation).
//
// Contract checked beyond "no crash, no sanitizer report": the reader either returns boxes or
// throws mpq::Error(BadAnnotation); every box it returns has finite coordinates with
// x1 <= x2 and y1 <= y2 and a label index inside the label list.
#include "mpq/error.h"
#include "mpq/eval.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const std::vector<std::string> labels = {"cat", "dog", "Person"};
    const std::string xml(reinterpret_cast<const char *>(data), size);
    std::vector<std::string> unknown;
    std::vector<mpq::Detection> boxes;
    try {
        boxes = mpq::parseVocAnnotation(xml, "fuzz.xml", labels, unknown);
    } catch (const mpq::Error &e) {
        if (e.code() != mpq::ErrorCode::BadAnnotation)
            std::abort();
        return 0;
    }
    for (const mpq::Detection &d : boxes) {
        if (!std::isfinite(d.x1) || !std::isfinite(d.y1) || !std::isfinite(d.x2) ||
            !std::isfinite(d.y2) || d.x2 < d.x1 || d.y2 < d.y1)
            std::abort();
        if (d.label < 0 || std::size_t(d.label) >= labels.size())
            std::abort();
    }
    return 0;
}
