#include "mpq/analysiscache.h"

#include "mpq/error.h"
#include "util/sha256.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace mpq {

namespace fs = std::filesystem;

namespace {

constexpr const char *kSuffix = ".mpqa";

std::int64_t mtimeOf(const fs::path &p)
{
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    return ec ? 0 : std::int64_t(t.time_since_epoch().count());
}

} // namespace

std::string AnalysisCache::defaultDirectory()
{
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
        return (fs::path(xdg) / "mpq-studio").string();
    if (const char *home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "mpq-studio").string();
    return (fs::temp_directory_path() / "mpq-studio-cache").string();
}

AnalysisCache::AnalysisCache(std::string directory, std::uint64_t limitBytes)
    : m_directory(directory.empty() ? defaultDirectory() : std::move(directory))
    , m_limit(limitBytes)
{}

std::string AnalysisCache::fileFor(const Model &model, const AnalysisSettings &s,
                                   const std::vector<std::string> &imageFiles) const
{
    // Every setting that changes the analysis; activation bits only matter when running.
    std::string key =
        model.sha256() + "|b" + std::to_string(s.bits) + "|n" + std::to_string(s.maxPoints) + "|s" +
        std::to_string(int(s.search)) + "|f" + std::to_string(int(s.firstPoint)) + "|c" +
        std::to_string(s.calibCount) + "|bs" + std::to_string(s.batchSize) + "|seed" +
        std::to_string(s.seed) + (s.sensitivity ? "|sens" : "") +
        (s.rounding == Rounding::OutputAware ? "|output-aware" : "") +
        // extra points below the bits (docs/multipoint.md section 11); the same key otherwise
        (s.extraPointBits > 0 && s.extraPointBits < s.bits ? "|e" + std::to_string(s.extraPointBits)
                                                           : std::string()) +
        (s.halfStepPair ? "|half-step" : "") + // docs/multipoint.md section 12
        "|shifts|"; // analyses with bias-correction shifts (docs/multipoint.md section 9)
    for (const std::string &file : imageFiles) {
        std::error_code ec;
        const auto size = fs::file_size(file, ec);
        // the same file however it is spelled ("images/a.png", "./images/a.png", absolute)
        std::error_code aec;
        const fs::path absolute = fs::absolute(file, aec);
        key += (aec ? file : absolute.lexically_normal().string()) + ':' +
               std::to_string(ec ? 0 : size) + ':' + std::to_string(mtimeOf(file)) + '\n';
    }
    return (fs::path(m_directory) / (sha256Hex(key) + kSuffix)).string();
}

std::shared_ptr<const Analysis> AnalysisCache::load(const std::string &file, const Model &model,
                                                    const AnalysisSettings &settings) const
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        return nullptr;
    try {
        SavedAnalysis saved = loadAnalysis(file);
        checkAnalysisMatches(saved.analysis, model, settings);
        saved.analysis.settings.activationBits = settings.activationBits;
        fs::last_write_time(file, fs::file_time_type::clock::now(), ec); // recently used
        return std::make_shared<const Analysis>(std::move(saved.analysis));
    } catch (const Error &e) {
        std::cerr << "mpq: ignoring the cached analysis " << file << ": " << e.what() << "\n";
        fs::remove(file, ec);
        return nullptr;
    }
}

bool AnalysisCache::store(const std::string &file, const Analysis &analysis) const
{
    std::error_code ec;
    fs::create_directories(fs::path(file).parent_path(), ec);
    if (ec)
        return false;
    try {
        saveAnalysis(analysis, nullptr, file);
    } catch (const Error &e) {
        std::cerr << "mpq: cannot cache the analysis: " << e.what() << "\n";
        return false;
    }
    evict(file);
    return fs::exists(file, ec);
}

void AnalysisCache::evict(const std::string &keep) const
{
    struct Entry
    {
        fs::path path;
        std::uint64_t bytes;
        std::int64_t used;
    };
    std::vector<Entry> entries;
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->path().extension() != kSuffix)
            continue;
        const std::uint64_t bytes = it->file_size(ec);
        if (ec)
            continue;
        entries.push_back({it->path(), bytes, mtimeOf(it->path())});
        total += bytes;
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry &a, const Entry &b) { return a.used < b.used; });
    // oldest first; the file just stored last of all
    std::stable_partition(entries.begin(), entries.end(),
                          [&](const Entry &e) { return e.path != fs::path(keep); });
    for (const Entry &e : entries) {
        if (total <= m_limit)
            break;
        if (fs::remove(e.path, ec))
            total -= e.bytes;
    }
}

std::uint64_t AnalysisCache::sizeBytes() const
{
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == kSuffix)
            total += it->file_size(ec);
    return total;
}

void AnalysisCache::clear() const
{
    std::error_code ec;
    for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == kSuffix)
            fs::remove(it->path(), ec);
}

} // namespace mpq
