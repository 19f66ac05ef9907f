#pragma once
// Finished analyses kept under QStandardPaths::CacheLocation, so reopening a model with the
// same settings and images loads the analysis instead of recomputing it.

#include "mpq/analysis.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace mpq::studio {

/// Thread safety: every function may run on a worker thread; none touches GUI state.
class AnalysisCache
{
public:
    /// directory empty: QStandardPaths::CacheLocation + "/analyses".
    explicit AnalysisCache(QString directory = {});

    QString directory() const { return m_directory; }

    /// The file for this model (its SHA-256), these settings and these calibration files
    /// (paths, sizes and modification times), hashed with SHA-256.
    QString fileFor(const mpq::Model &model, const mpq::AnalysisSettings &settings,
                    const std::vector<std::string> &imageFiles) const;

    /// The cached analysis, or null when there is none or it does not match (a damaged or
    /// foreign file is removed, so it is recomputed next time).
    std::shared_ptr<const mpq::Analysis> load(const QString &file, const mpq::Model &model,
                                              const mpq::AnalysisSettings &settings) const;

    /// Stores atomically (saveAnalysis). Returns false when the cache cannot be written; the
    /// analysis itself is unaffected, so callers only note it.
    bool store(const QString &file, const mpq::Analysis &analysis) const;

private:
    QString m_directory;
};

} // namespace mpq::studio
