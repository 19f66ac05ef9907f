#pragma once
// The output-sensitivity measurement (docs/multipoint.md section 8) batch by batch, in a forward
// that may record for the calibration as well: the analysis runs its calibration forward of the
// measured images with autograd on and the backward right after it, so the stage costs the
// backward only, not a forward of its own.
#include "model/modelimpl.h"
#include "mpq/images.h"
#include "mpq/profile.h"
#include "mpq/sensitivity.h"

#include <torch/script.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpq {

/// The order in which `count` images are measured: sensitivityImageCount() of them evenly
/// spaced over the given order first, then the others (to replace an unreadable one).
std::vector<std::size_t> sensitivityOrder(std::size_t count, const SensitivityOptions &options);

class SensitivityRun
{
public:
    SensitivityRun(const Model::Impl &impl, const ModelProfile &profile,
                   const SensitivityOptions &options);
    ~SensitivityRun();
    SensitivityRun(const SensitivityRun &) = delete;
    SensitivityRun &operator=(const SensitivityRun &) = delete;

    /// Puts mpq::probe_output after every quantizable layer of `instance` (a fresh instance of
    /// the model, made outside inference mode so that its tensors can be saved for the
    /// backward; recording operators already in it stay and see the probed output) and makes
    /// its parameters need no gradient.
    void instrument(torch::jit::Module &instance) const;

    /// The forward of `batch` through an instrumented instance with autograd on (also inside
    /// the caller's inference mode), without the executor's optimisation passes. What the
    /// forward throws (a recording operator's cancellation too) passes through unchanged.
    void forward(torch::jit::Module &instance, const std::vector<PreparedImage> &batch);

    /// The backward of the last forward, one per probe, into the sums; the forward's graph is
    /// released. Throws Error(BadModel, "<model>: the output sensitivity cannot be measured:
    /// ...") when the output does not depend on a quantizable layer or the backward fails.
    void backward();

    /// forward() and backward(), with a failing forward reported as by backward().
    void run(torch::jit::Module &instance, const std::vector<PreparedImage> &batch);

    /// Images measured so far.
    std::int64_t images() const;

    /// The means over the measured images, positions and probes (zeros for a layer that never
    /// ran).
    OutputSensitivity result() const;

private:
    struct State;
    std::unique_ptr<State> m;
};

} // namespace mpq
