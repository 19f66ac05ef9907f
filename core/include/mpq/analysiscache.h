#pragma once
// Finished analyses kept on disk, shared by the command-line tool and the desktop app, so that
// the same model with the same settings and images is analysed once. One folder,
// $XDG_CACHE_HOME/mpq-studio (else ~/.cache/mpq-studio), bounded in size: the least recently
// used files go first.

#include "mpq/analysis.h"
#include "mpq/model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpq {

/// Thread safety: const functions may run concurrently on worker threads (files are written
/// atomically under unique names; a file evicted while another thread reads it is a miss).
class AnalysisCache
{
public:
    static constexpr std::uint64_t kDefaultLimitBytes = 512ull << 20;

    /// $XDG_CACHE_HOME/mpq-studio, or $HOME/.cache/mpq-studio, or a temporary folder.
    static std::string defaultDirectory();

    /// directory empty: defaultDirectory(). limitBytes: the most the cache keeps (0: no file is
    /// kept).
    explicit AnalysisCache(std::string directory = {},
                           std::uint64_t limitBytes = kDefaultLimitBytes);

    const std::string &directory() const { return m_directory; }
    std::uint64_t limitBytes() const { return m_limit; }

    /// The file for this model (its SHA-256), these settings and these calibration files (paths,
    /// sizes and modification times), hashed with SHA-256.
    std::string fileFor(const Model &model, const AnalysisSettings &settings,
                        const std::vector<std::string> &imageFiles) const;

    /// The cached analysis, or null when there is none or it does not match (a damaged or
    /// foreign file is removed, so it is recomputed next time). A hit marks the file as recently
    /// used. The analysis' activation bits are set to settings.activationBits (they only
    /// matter when the quantized model runs).
    std::shared_ptr<const Analysis> load(const std::string &file, const Model &model,
                                         const AnalysisSettings &settings) const;

    /// Stores atomically, then evicts the least recently used analyses until the folder is within
    /// the limit (never the one just stored, unless it alone exceeds the limit). Returns false
    /// when the cache cannot be written; callers only note it.
    bool store(const std::string &file, const Analysis &analysis) const;

    /// Bytes of the cached analyses now.
    std::uint64_t sizeBytes() const;
    /// Removes every cached analysis.
    void clear() const;

private:
    void evict(const std::string &keep) const;

    std::string m_directory;
    std::uint64_t m_limit;
};

} // namespace mpq
