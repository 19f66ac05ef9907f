// Why did this prediction flip (issue 15): a 1-minimal set of quantized layers (delta debugging's
// result) found by a ranked search (rankedMinimalSet, docs/ui.md "Explain a flipped prediction"),
// one forward on one image per test; ddmin (deltaDebug) stays for comparison and its tests. Cutting
// the forwards, not their cost: running only the part of the network after the first changed
// layer would need the TorchScript graph split at every layer, and the ranked search already
// takes 44 to 95 forwards where ddmin took up to 317 (docs/BENCHMARKS.md). A test swaps layer
// weights in place in one quantized clone (no clone is rebuilt per test), except when activations
// are fake-quantized and layers are restored to float: a float layer has no input quantization, so
// that clone is rebuilt per test.
#include "mpq/explain.h"

#include "model/runnerimpl.h"
#include "mpq/error.h"
#include "mpq/eval.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "util/reuselargeblocks.h"

#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mpq {

const char *explainModeName(ExplainMode mode)
{
    return mode == ExplainMode::AddPoint ? "add-point" : "restore-float";
}

bool samePrediction(const ImagePrediction &p, Task task, double threshold)
{
    if (task == Task::Classification) {
        if (p.floatProbabilities.empty() || p.quantizedProbabilities.empty())
            return p.floatProbabilities.empty() == p.quantizedProbabilities.empty();
        const auto top = [](const std::vector<float> &v) {
            return std::max_element(v.begin(), v.end()) - v.begin();
        };
        return top(p.floatProbabilities) == top(p.quantizedProbabilities);
    }
    // every float box matched one to one by a quantized box of its class at IoU >= 0.5, and no
    // other confident quantized box (the Preview's "changed" test, mpqwidgets/previewmodel.h)
    std::vector<bool> used(p.quantizedDetections.size(), false);
    for (const Detection &f : p.floatDetections) {
        if (f.score < threshold)
            continue;
        bool matched = false;
        for (std::size_t q = 0; q < p.quantizedDetections.size() && !matched; ++q) {
            const Detection &d = p.quantizedDetections[q];
            if (!used[q] && d.score >= threshold && d.label == f.label &&
                intersectionOverUnion(f, d) >= 0.5)
                used[q] = matched = true;
        }
        if (!matched)
            return false;
    }
    for (std::size_t q = 0; q < p.quantizedDetections.size(); ++q)
        if (!used[q] && p.quantizedDetections[q].score >= threshold)
            return false;
    return true;
}

DeltaDebugResult deltaDebug(std::size_t count,
                            const std::function<bool(const std::vector<std::size_t> &)> &test,
                            const JobControl &control)
{
    DeltaDebugResult out;
    std::map<std::vector<std::size_t>, bool> cache;
    std::vector<std::size_t> all(count);
    for (std::size_t i = 0; i < count; ++i)
        all[i] = i;
    cache[all] = true;
    cache[{}] = false;
    const auto run = [&](const std::vector<std::size_t> &subset) {
        const auto it = cache.find(subset);
        if (it != cache.end())
            return it->second;
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "the explanation was cancelled");
        const bool passes = test(subset);
        ++out.tests;
        cache[subset] = passes;
        return passes;
    };
    std::vector<std::size_t> c = all;
    std::size_t n = 2;
    while (c.size() >= 2) {
        n = std::min(n, c.size());
        // n contiguous chunks of nearly equal size
        std::vector<std::vector<std::size_t>> chunks(n);
        for (std::size_t k = 0; k < n; ++k)
            chunks[k].assign(c.begin() + k * c.size() / n, c.begin() + (k + 1) * c.size() / n);
        bool reduced = false;
        for (const auto &chunk : chunks)
            if (run(chunk)) {
                c = chunk;
                n = 2;
                reduced = true;
                break;
            }
        if (!reduced && n > 2) {
            for (std::size_t k = 0; k < n; ++k) {
                std::vector<std::size_t> complement;
                for (std::size_t j = 0; j < n; ++j)
                    if (j != k)
                        complement.insert(complement.end(), chunks[j].begin(), chunks[j].end());
                std::sort(complement.begin(), complement.end());
                if (run(complement)) {
                    c = std::move(complement);
                    n = std::max<std::size_t>(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
        }
        if (reduced)
            continue;
        if (n >= c.size())
            break;
        n = std::min(c.size(), 2 * n);
    }
    // 1-minimality: no single element can go (the empty set is known to fail)
    out.oneMinimal = true;
    for (std::size_t k = 0; k < c.size() && c.size() > 1; ++k) {
        std::vector<std::size_t> without = c;
        without.erase(without.begin() + k);
        if (run(without)) {
            out.oneMinimal = false;
            break;
        }
    }
    out.set = c;
    return out;
}

DeltaDebugResult rankedMinimalSet(const std::vector<std::size_t> &rank,
                                  const std::function<bool(const std::vector<std::size_t> &)> &test,
                                  const JobControl &control)
{
    DeltaDebugResult out;
    const std::size_t count = rank.size();
    if (count == 0)
        return out;
    std::map<std::vector<std::size_t>, bool> cache;
    const auto sorted = [](std::vector<std::size_t> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    cache[sorted(rank)] = true;
    cache[{}] = false;
    // progress: the tests run against those run plus the steps' bounds on the tests left
    std::size_t left = 0;
    double shown = 0.0;
    const auto run = [&](const std::vector<std::size_t> &subset) {
        std::vector<std::size_t> key = sorted(subset);
        const auto it = cache.find(key);
        if (it != cache.end())
            return it->second;
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "the explanation was cancelled");
        const bool passes = test(key);
        ++out.tests;
        cache.emplace(std::move(key), passes);
        if (control.progress) {
            shown = std::max(shown, std::min(0.99, out.tests / double(out.tests + left)));
            control.progress(shown);
        }
        return passes;
    };
    const auto stage = [&](const char *name) {
        if (control.stage)
            control.stage(name);
    };
    const auto log2Ceil = [](std::size_t n) {
        std::size_t k = 0;
        while ((std::size_t(1) << k) < n)
            ++k;
        return k;
    };

    // 1. the shortest passing prefix of the ranking: prefix lo fails, prefix hi passes
    stage("bisecting the ranked layers");
    std::size_t lo = 0, hi = count;
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        left = log2Ceil(hi - lo) + hi; // this step, then about one test per element of the prefix
        if (run(std::vector<std::size_t>(rank.begin(), rank.begin() + mid)))
            hi = mid;
        else
            lo = mid;
    }
    out.prefix = int(hi);

    // 2. drop from the least likely end of the prefix: runs that double while dropping passes;
    // when a run fails, a binary search in it for the last element that must stay (exponential
    // search), which is kept. The ranking's order, not the layer order: dropping the least
    // likely first leaves the smaller sets (on the demo detector 4 layers where dropping from the
    // first layer left 7, for about as many forwards; docs/BENCHMARKS.md, "Flip explanation").
    // A kept element's test is the current set without it; a later drop makes that test stale,
    // so the elements kept before the last drop are what step 3 tests again.
    stage("dropping layers");
    std::vector<std::size_t> current(rank.begin(), rank.begin() + hi); // in ranking order
    std::size_t unchecked = 0, keptSinceDrop = 0;
    std::size_t chunk = 1;  // the run tried next, current[end - chunk, end)
    std::size_t window = 0; // > 0: a failed run current[end - window, end), searched in
    const auto keep = [&] {
        ++keptSinceDrop;
        window = 0;
        chunk = 1;
    };
    for (std::size_t end = current.size(); end > 0;) {
        if (window == 1) { // its one element failed to go, or is all that is left of a failed run
            --end;
            keep();
            continue;
        }
        const std::size_t first = end - std::min(chunk, end);
        std::vector<std::size_t> trial(current.begin(), current.begin() + first);
        trial.insert(trial.end(), current.begin() + end, current.end());
        left = end + unchecked;
        if (run(trial)) {
            current = std::move(trial);
            unchecked += keptSinceDrop;
            keptSinceDrop = 0;
            if (window > 0) {
                window -= end - first;
                chunk = std::max<std::size_t>(1, window / 2);
            } else {
                chunk *= 2;
            }
            end = first;
        } else if (end - first == 1) {
            --end;
            keep();
        } else {
            window = end - first;
            chunk = window / 2;
        }
    }

    // 3. 1-minimality: no single element can go (the empty set is known to fail). Cyclic: after
    // a drop the search goes on with the next element and stops when every element of the set
    // has failed to go since the last drop.
    stage("checking that no layer can go");
    for (std::size_t k = 0, failed = 0; failed < current.size();) {
        if (k >= current.size())
            k = 0;
        std::vector<std::size_t> without = current;
        without.erase(without.begin() + std::ptrdiff_t(k));
        left = current.size() - failed;
        if (run(without)) {
            current = std::move(without);
            failed = 0;
        } else {
            ++failed;
            ++k;
        }
    }
    out.oneMinimal = true;
    out.set = sorted(current);
    return out;
}

namespace {

/// One quantized clone whose candidate layers switch between their allocated weight and the
/// mode's alternative (float, or one more point) by in-place copies of only what changes.
class LayerSwitch
{
public:
    LayerSwitch(const Model &model, const Analysis &analysis, std::vector<std::vector<float>> base,
                std::vector<std::vector<float>> alternative, bool rebuild)
        : m_model(model)
        , m_analysis(analysis)
        , m_base(std::move(base))
        , m_alternative(std::move(alternative))
        , m_rebuild(rebuild)
        , m_state(m_base.size(), false)
        , m_runner(
              weightsRunner(model, m_base, &analysis.activations, analysis.settings.activationBits))
    {}

    /// Applies the alternative to exactly the layers flagged.
    void set(const std::vector<bool> &alternative)
    {
        if (m_rebuild) {
            if (alternative == m_state)
                return;
            std::vector<std::vector<float>> w = m_base;
            for (std::size_t i = 0; i < w.size(); ++i)
                if (alternative[i])
                    w[i] = m_alternative[i]; // empty: float, no input quantization
            m_runner = weightsRunner(m_model, w, &m_analysis.activations,
                                     m_analysis.settings.activationBits);
            m_state = alternative;
            return;
        }
        c10::InferenceMode inference;
        for (std::size_t i = 0; i < m_state.size(); ++i) {
            if (alternative[i] == m_state[i])
                continue;
            const LayerInfo &l = m_model.layers()[i];
            const std::vector<float> &w = alternative[i] ? m_alternative[i] : m_base[i];
            attribute(m_runner.impl().module, l.weightPath)
                .copy_(at::from_blob(const_cast<float *>(w.data()), l.weightShape, at::kFloat));
            m_state[i] = alternative[i];
        }
    }
    ModelRunner &runner() { return m_runner; }

private:
    const Model &m_model;
    const Analysis &m_analysis;
    std::vector<std::vector<float>> m_base, m_alternative;
    bool m_rebuild;
    std::vector<bool> m_state;
    ModelRunner m_runner;
};

/// What a model says about one prepared image: probabilities, or detections at or above the
/// threshold (decoded at the ranking threshold first, as mpq::evaluateAgainst does).
struct Said
{
    std::vector<float> probabilities;
    std::vector<Detection> detections;
};

Said predict(ModelRunner &runner, const PreparedImage &image, const ModelProfile &profile,
             double threshold)
{
    const std::vector<OutputTensor> out = runner.run({image});
    if (out.empty())
        throw Error(ErrorCode::BadModel, "the model returned no tensor");
    Said s;
    if (profile.task == Task::Classification) {
        s.probabilities = classProbabilities(out[0], profile.output.decoder).at(0);
        return s;
    }
    OutputSpec spec = profile.output;
    spec.scoreThreshold = std::min({0.05, profile.output.scoreThreshold, threshold});
    const std::vector<std::vector<Detection>> decoded =
        decodeDetections(out, {image}, profile.input, spec); // kept: the loop reads into it
    for (const Detection &d : decoded.at(0))
        if (d.score >= threshold)
            s.detections.push_back(d);
    return s;
}

} // namespace

FlipExplanation explainFlip(const OpenedModel &opened, const Quantization &q,
                            const std::string &imagePath, ExplainMode mode,
                            const JobControl &control, const ExplainOptions &options)
{
    const ModelProfile &profile = opened.requireProfile();
    if (!opened.model || !q.analysis)
        throw Error(ErrorCode::InvalidArgument, "explain: no model or analysis");
    const Model &model = *opened.model;
    const Analysis &analysis = *q.analysis;
    const Allocation &allocation = q.allocation;
    const std::vector<LayerInfo> &layers = model.layers();
    const ReuseLargeBlocks reuse; // the many forwards' activations stay in the heap
    if (allocation.layers.size() != layers.size() || analysis.layers.size() != layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "explain: the allocation does not belong to this model");

    FlipExplanation out;
    out.mode = mode;
    out.task = profile.task;
    out.scoreThreshold =
        options.scoreThreshold >= 0 ? options.scoreThreshold : profile.output.scoreThreshold;
    out.memoryOverheadBefore = out.memoryOverhead = allocation.memoryOverhead;
    out.macOverheadBefore = out.macOverhead = allocation.macOverhead;
    out.floatMacShareBefore = out.floatMacShare = allocation.floatMacShare;
    out.prediction.file = imagePath;
    const PreparedImage image = prepareImage(imagePath, profile.input);

    // the candidates and the weights each test switches between
    const int cap = analysis.settings.maxPoints;
    std::vector<std::size_t> candidates;
    std::vector<std::vector<float>> base(layers.size()), alternative(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerAllocation &la = allocation.layers[i];
        if (la.isFloat)
            continue;
        base[i] = quantizedWeight(model, analysis, allocation, *q.atBits, i);
        if (mode == ExplainMode::RestoreFloat) {
            candidates.push_back(i);
        } else if (la.bits == analysis.settings.bits) {
            // one more point per channel, up to the analysis' maxPoints (Bits overrides keep
            // their decomposition: not candidates)
            std::vector<int> more = la.points;
            bool any = false;
            for (int &n : more)
                if (n < cap) {
                    ++n;
                    any = true;
                }
            if (any) {
                candidates.push_back(i);
                alternative[i] = analysis.decompositions.at(i).reconstruct(more);
            }
        }
    }
    const bool rebuild = mode == ExplainMode::RestoreFloat && analysis.settings.activationBits > 0;
    if (mode == ExplainMode::RestoreFloat && !rebuild)
        for (std::size_t i : candidates)
            alternative[i] = model.foldedWeight(i); // BatchNorm already folded in the clone
    // only layers whose quantization matters: where the alternative weight differs from the
    // allocated one by more than rounding (a row exact at one point gains nothing from a second)
    const auto differs = [](const std::vector<float> &a, const std::vector<float> &b) {
        float scale = 0.0f, diff = 0.0f;
        for (std::size_t k = 0; k < a.size(); ++k) {
            scale = std::max(scale, std::abs(a[k]));
            diff = std::max(diff, std::abs(a[k] - b[k]));
        }
        return diff > 1e-6f * scale;
    };
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [&](std::size_t i) {
                                        return !differs(base[i], rebuild ? model.foldedWeight(i)
                                                                         : alternative[i]);
                                    }),
                     candidates.end());
    out.candidates = int(candidates.size());

    // progress: the three forwards before the search take the first 6 %, the search (which
    // reports the fraction of its own bound) up to 98 %, never going back
    double shown = 0.0;
    const auto progress = [&](double fraction) {
        shown = std::max(shown, fraction);
        if (control.progress)
            control.progress(shown);
    };
    const auto forward = [&](ModelRunner &runner) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "the explanation was cancelled");
        Said s = predict(runner, image, profile, out.scoreThreshold);
        ++out.forwards;
        if (out.forwards <= 3)
            progress(0.02 * out.forwards);
        return s;
    };
    const auto stage = [&](const std::string &name) {
        if (control.stage)
            control.stage(name);
    };

    stage("running the float and the quantized model");
    {
        ModelRunner floatModel = floatRunner(model);
        const Said f = forward(floatModel);
        out.prediction.floatProbabilities = f.probabilities;
        out.prediction.floatDetections = f.detections;
    }
    LayerSwitch models(model, analysis, base, alternative, rebuild);
    const auto restores = [&](const Said &s) {
        ImagePrediction p = out.prediction;
        p.quantizedProbabilities = s.probabilities;
        p.quantizedDetections = s.detections;
        return samePrediction(p, out.task, out.scoreThreshold);
    };
    const Said asAllocated = forward(models.runner());
    out.prediction.quantizedProbabilities = asAllocated.probabilities;
    out.prediction.quantizedDetections = asAllocated.detections;
    if (restores(asAllocated)) {
        out.outcome = ExplainOutcome::NotFlipped;
        out.reason = "the quantized prediction on this image already matches the float one";
        if (control.progress)
            control.progress(1.0);
        return out;
    }
    if (candidates.empty()) {
        out.outcome = ExplainOutcome::CannotExplain;
        out.reason = mode == ExplainMode::AddPoint
                         ? "no quantized layer can take another point (all at the analysis' "
                           "maximum of " +
                               std::to_string(cap) + ")"
                         : "no quantized layer's weights differ from float";
        return out;
    }

    std::map<std::vector<std::size_t>, Said> saidOf;
    const auto test = [&](const std::vector<std::size_t> &subset) {
        std::vector<bool> flags(layers.size(), false);
        for (std::size_t k : subset)
            flags[candidates[k]] = true;
        models.set(flags);
        Said s = forward(models.runner());
        const bool pass = restores(s);
        if (pass)
            saidOf[subset] = std::move(s);
        return pass;
    };
    stage(mode == ExplainMode::RestoreFloat ? "restoring every layer to float"
                                            : "adding a point to every layer");
    std::vector<std::size_t> all(candidates.size());
    for (std::size_t k = 0; k < all.size(); ++k)
        all[k] = k;
    if (!test(all)) {
        out.outcome = ExplainOutcome::CannotExplain;
        out.reason = mode == ExplainMode::RestoreFloat
                         ? "restoring every quantized layer to float does not restore the float "
                           "prediction"
                         : "one more point on every channel of every layer does not restore the "
                           "float prediction";
        return out;
    }
    // the candidates ranked by the estimated effect of the alternative on the layer's output
    // (docs/multipoint.md sections 3 and 8): the relative output error R_l as allocated, or its
    // drop with one more point per channel, times the mean output sensitivity when measured
    std::vector<double> effect(candidates.size(), 0.0);
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const std::size_t i = candidates[k];
        const LayerAllocation &la = allocation.layers[i];
        const LayerCurves &curves = analysis.curves.at(i);
        double e = la.relativeError;
        if (mode == ExplainMode::AddPoint) {
            double drop = 0.0, signal = 0.0;
            for (std::size_t c = 0; c < la.points.size(); ++c) {
                const int n = la.points[c];
                drop += curves.errorAt(std::int64_t(c), n) -
                        curves.errorAt(std::int64_t(c), std::min(n + 1, curves.maxPoints));
                signal += curves.signal[c];
            }
            e = signal > 0.0 ? drop / signal : 0.0;
        }
        if (curves.sensitivity.size() == curves.signal.size() && !curves.signal.empty()) {
            double weighted = 0.0, signal = 0.0;
            for (std::size_t c = 0; c < curves.signal.size(); ++c) {
                weighted += curves.sensitivity[c] * curves.signal[c];
                signal += curves.signal[c];
            }
            if (signal > 0.0)
                e *= weighted / signal;
        }
        effect[k] = e;
    }
    std::vector<std::size_t> rank(candidates.size());
    for (std::size_t k = 0; k < rank.size(); ++k)
        rank[k] = k;
    std::stable_sort(rank.begin(), rank.end(),
                     [&](std::size_t a, std::size_t b) { return effect[a] > effect[b]; });
    JobControl search = control;
    search.progress = [&](double f) { progress(0.06 + 0.92 * f); };
    const DeltaDebugResult dd = rankedMinimalSet(rank, test, search);
    out.prefix = dd.prefix;

    out.outcome = ExplainOutcome::Explained;
    out.oneMinimal = dd.oneMinimal;
    const Said &restored = saidOf.at(dd.set);
    out.restoredProbabilities = restored.probabilities;
    out.restoredDetections = restored.detections;
    AllocationSettings settings = q.settings;
    for (std::size_t k : dd.set) {
        const std::size_t i = candidates[k];
        const LayerAllocation &la = allocation.layers[i];
        out.layers.push_back(la.name);
        LayerOverride o;
        if (mode == ExplainMode::RestoreFloat) {
            o.kind = LayerOverride::Kind::Float;
        } else {
            o.kind = LayerOverride::Kind::Points;
            o.points = std::min(cap, la.maxPoints + 1);
        }
        out.overrides[la.name] = o;
        settings.overrides[la.name] = o;
    }
    // the cost of applying the set as overrides, and whether that allocation still restores
    const Quantization applied = reallocate(q.analysis, q.atBits, settings);
    out.memoryOverhead = applied.allocation.memoryOverhead;
    out.macOverhead = applied.allocation.macOverhead;
    out.floatMacShare = applied.allocation.floatMacShare;
    stage("checking the allocation with the overrides");
    ModelRunner appliedModel = quantizedRunner(model, analysis, applied.allocation, *applied.atBits,
                                               analysis.settings.activationBits);
    out.appliedRestores = restores(forward(appliedModel));
    progress(1.0);
    return out;
}

} // namespace mpq
