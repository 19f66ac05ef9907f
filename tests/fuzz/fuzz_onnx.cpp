// libFuzzer harness for the ONNX importer (docs/onnx.md section 3): any byte string given to
// importOnnx must either import or throw mpq::Error, never crash, hang or leak.
#include "model/onnximport.h"
#include "mpq/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    try {
        // a path in a folder with no external data files: external tensors are refused
        mpq::OnnxImport im = mpq::importOnnx("/nonexistent-fuzz-dir/model.onnx", bytes);
        (void)im;
    } catch (const mpq::Error &) {
    }
    return 0;
}
