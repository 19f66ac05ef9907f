#pragma once
// Private to the pipeline (docs/architecture.md): what pipeline.cpp (opening, analysis,
// allocation), work.cpp (the stages' estimated work), evaluationstage.cpp (evaluation, sweep)
// and exportstage.cpp share.
#include "mpq/pipeline.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mpq::pipe {

/// Throws Error(Cancelled) when the job was cancelled.
void checkCancelled(const JobControl &control);
/// Reports a stage name to the job.
void stage(const JobControl &control, const std::string &name);
/// The folder as an absolute, normalized path without a trailing separator.
std::string absoluteFolder(const std::string &dir);
/// (layer, bits) pairs the overrides need beyond the analysis' own bits.
std::map<int, std::vector<std::size_t>> neededAtBits(const Analysis &analysis,
                                                     const AllocationSettings &settings);
/// Evaluations of a layer per calibration call with these settings.
int evaluationsPerCall(const AnalysisSettings &s);
/// Shares of `work` as [from, to) ranges of [0, 1], even when the work is 0 or unknown.
std::vector<std::pair<double, double>> shares(const std::vector<double> &work);

/// One method's part of evaluateMethods: the single-point measurement, the bias correction's
/// calibration pass, the evaluation.
struct MethodWork
{
    double measurement = 0.0;
    double biasCorrection = 0.0;
    double evaluation = 0.0;
    double total() const { return measurement + biasCorrection + evaluation; }
};

std::vector<MethodWork> methodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                                    std::size_t images, bool biasCorrection, bool singlePointKnown);
/// The overrides' measurements of one sweep budget: (bits, layers) not in `known`, which
/// receives them.
std::map<int, std::vector<std::size_t>> newAtBits(const Analysis &analysis,
                                                  const AllocationSettings &settings,
                                                  std::vector<std::pair<int, std::size_t>> &known);
/// The work of one budget of a sweep: the overrides' measurements, then per method and
/// variant (a multipoint evaluation each).
double budgetWork(const Analysis &analysis, const AllocationSettings &settings,
                  const std::map<int, std::vector<std::size_t>> &measured,
                  const std::vector<Method> &methods, std::size_t variants, std::size_t images,
                  bool singlePointKnown, double *measurementWork = nullptr,
                  double *methodsWorkOut = nullptr);

} // namespace mpq::pipe
