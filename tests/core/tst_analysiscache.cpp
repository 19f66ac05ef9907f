// The analysis cache of mpq/analysiscache.h, through the pipeline of mpq/pipeline.h
// (docs/architecture.md, "Layers"), on a small ConvNet built in C++ with random images: the
// cache's hits, misses, folders spelled differently, damaged files, least-recently-used eviction
// and default folder; analysis of a folder of broken images, of which nothing is cached. The rest
// of the pipeline (evaluation, sweep, overrides, exports, cancellation): tst_pipeline.
#include "pipelinefixtures.h"

#include <QFile>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>

namespace fs = std::filesystem;
using namespace pipelinetest;

namespace {

void compareAnalyses(const mpq::Analysis &a, const mpq::Analysis &b)
{
    QCOMPARE(a.modelSha256, b.modelSha256);
    QCOMPARE(a.curves.size(), b.curves.size());
    QVERIFY(!a.curves.empty());
    for (std::size_t l = 0; l < a.curves.size(); ++l) {
        QCOMPARE(a.curves[l].name, b.curves[l].name);
        QCOMPARE(a.curves[l].bits, b.curves[l].bits);
        QCOMPARE(a.curves[l].maxPoints, b.curves[l].maxPoints);
        QCOMPARE(a.curves[l].channels, b.curves[l].channels);
        QCOMPARE(a.curves[l].d, b.curves[l].d);
        QCOMPARE(a.curves[l].outputPositions, b.curves[l].outputPositions);
        QVERIFY(a.curves[l].signal == b.curves[l].signal);
        QVERIFY(a.curves[l].error == b.curves[l].error);
    }
    QCOMPARE(a.calibrationFiles, b.calibrationFiles);
    QCOMPARE(a.seconds, b.seconds);
}

} // namespace

class TestAnalysisCache : public PipelineFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpConvNets(); }

    // ---- the analysis cache

    void cacheStoreThenLoad()
    {
        const mpq::AnalysisCache cache(path("cache-hit"));
        const mpq::AnalysisSettings s = smallSettings();
        const mpq::AnalysisOutcome first = mpq::analyzeModel(m_conv, path("images"), s, &cache);
        QVERIFY(!first.fromCache);
        QVERIFY(first.cached);
        QVERIFY(cache.sizeBytes() > 0);
        // a hit computes nothing: no stage beyond finding the images, the stored seconds
        Stages stages;
        const mpq::AnalysisOutcome second =
            mpq::analyzeModel(m_conv, path("images"), s, &cache, stages.control());
        QVERIFY(second.fromCache);
        QVERIFY(!second.cached);
        QCOMPARE(stages.names, std::vector<std::string>{"finding images"});
        compareAnalyses(*second.analysis, *first.analysis);
        // the computed analysis equals one computed without the cache (same curves)
        QCOMPARE(first.analysis->curves.size(), m_convAnalysis->curves.size());
        for (std::size_t l = 0; l < first.analysis->curves.size(); ++l)
            QVERIFY(first.analysis->curves[l].error == m_convAnalysis->curves[l].error);
        // the front ends' look-up finds it too
        const auto looked = mpq::cachedAnalysis(m_conv, path("images"), s, cache);
        QVERIFY(looked);
        compareAnalyses(*looked, *first.analysis);
        // activation bits only matter when running: a hit, carrying the bits asked for
        mpq::AnalysisSettings act = s;
        act.activationBits = 8;
        const auto withActivations = mpq::cachedAnalysis(m_conv, path("images"), act, cache);
        QVERIFY(withActivations);
        QCOMPARE(withActivations->settings.activationBits, 8);
        QCOMPARE(entries(qpath("cache-hit")).size(), qsizetype(1)); // one file for both
    }

    void cacheMisses()
    {
        const mpq::AnalysisCache cache(path("cache-miss"));
        const mpq::AnalysisSettings s = smallSettings();
        // a folder of its own, whose files this test changes
        QVERIFY(QDir().mkpath(qpath("images-miss")));
        for (int i = 0; i < 4; ++i)
            QVERIFY(writeRandomImage(qpath(QString("images-miss/%1.png").arg(i)), 14, 12, 40 + i));
        const std::string dir = path("images-miss");
        QVERIFY(mpq::analyzeModel(m_conv, dir, s, &cache).cached);
        QVERIFY(mpq::cachedAnalysis(m_conv, dir, s, cache));

        // another model (same architecture, other weights)
        QVERIFY(!mpq::cachedAnalysis(m_other, dir, s, cache));
        QVERIFY(mpq::cachedAnalysis(m_conv, dir, s, cache)); // and that removed nothing

        // other settings, one at a time
        const std::vector<std::function<void(mpq::AnalysisSettings &)>> changes{
            [](mpq::AnalysisSettings &t) { t.bits = 3; },
            [](mpq::AnalysisSettings &t) { t.maxPoints = 2; },
            [](mpq::AnalysisSettings &t) { t.search = mpq::SearchMethod::Grid; },
            [](mpq::AnalysisSettings &t) { t.firstPoint = mpq::FirstPointRule::Max; },
            [](mpq::AnalysisSettings &t) { t.calibCount = 3; },
            [](mpq::AnalysisSettings &t) { t.batchSize = 2; },
            [](mpq::AnalysisSettings &t) { t.seed = 1; },
        };
        const std::vector<std::string> files = mpq::imageFiles(dir);
        const std::string stored = cache.fileFor(*m_conv.model, s, files);
        QVERIFY(fs::exists(stored));
        for (std::size_t k = 0; k < changes.size(); ++k) {
            mpq::AnalysisSettings t = s;
            changes[k](t);
            QVERIFY2(!mpq::cachedAnalysis(m_conv, dir, t, cache), qPrintable(QString::number(k)));
            QVERIFY(cache.fileFor(*m_conv.model, t, files) != stored);
        }

        // an image's modification time changes: a miss; back to the old time: a hit again
        const fs::path image = files.back();
        const auto mtime = fs::last_write_time(image);
        fs::last_write_time(image, mtime + std::chrono::seconds(5));
        QVERIFY(!mpq::cachedAnalysis(m_conv, dir, s, cache));
        fs::last_write_time(image, mtime);
        QVERIFY(mpq::cachedAnalysis(m_conv, dir, s, cache));

        // its size changes, at the same modification time: a miss
        QVERIFY(writeRandomImage(QString::fromStdString(image.string()), 15, 12, 99));
        fs::last_write_time(image, mtime);
        QVERIFY(!mpq::cachedAnalysis(m_conv, dir, s, cache));
        const mpq::AnalysisOutcome again = mpq::analyzeModel(m_conv, dir, s, &cache);
        QVERIFY(!again.fromCache);
        QVERIFY(again.cached);

        // an image more in the folder: a miss
        QVERIFY(writeRandomImage(qpath("images-miss/9.png"), 14, 12, 7));
        QVERIFY(!mpq::cachedAnalysis(m_conv, dir, s, cache));

        // no such folder, or no profile: nothing cached, no throw
        QVERIFY(!mpq::cachedAnalysis(m_conv, path("no-such-folder"), s, cache));
        mpq::OpenedModel noProfile = m_conv;
        noProfile.hasProfile = false;
        QVERIFY(!mpq::cachedAnalysis(noProfile, path("images"), s, cache));
    }

    void cacheSharedAcrossSpellingsOfAFolder()
    {
        // The command-line tool is given a relative folder, the desktop app an absolute one:
        // the same images are the same cache entry, and the analysis names them absolutely, so
        // that it still finds its calibration images (export verification) from another folder.
        const mpq::AnalysisCache cache(path("cache-spelling"));
        const mpq::AnalysisSettings s = smallSettings();
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir.path()));
        const mpq::AnalysisOutcome relative = mpq::analyzeModel(m_conv, "images", s, &cache);
        QVERIFY(relative.cached);
        QVERIFY(mpq::cachedAnalysis(m_conv, "./images/", s, cache));
        QCOMPARE(cache.fileFor(*m_conv.model, s, {"./images/0.png", "images/1.png"}),
                 cache.fileFor(*m_conv.model, s, {path("images/0.png"), path("images/1.png")}));
        QVERIFY(QDir::setCurrent(previous));
        for (const std::string &file : relative.analysis->calibrationFiles)
            QVERIFY2(fs::path(file).is_absolute() && fs::exists(file), file.c_str());
        const auto absolute = mpq::cachedAnalysis(m_conv, path("images"), s, cache);
        QVERIFY(absolute);
        compareAnalyses(*absolute, *relative.analysis);
        QVERIFY(mpq::analyzeModel(m_conv, path("images") + "/", s, &cache).fromCache);
        QCOMPARE(entries(qpath("cache-spelling")).size(), qsizetype(1));
    }

    void damagedCacheFileIsAMissAndRemoved()
    {
        const mpq::AnalysisCache cache(path("cache-damaged"));
        const mpq::AnalysisSettings s = smallSettings();
        QVERIFY(mpq::analyzeModel(m_conv, path("images"), s, &cache).cached);
        const std::string file = cache.fileFor(*m_conv.model, s, mpq::imageFiles(path("images")));
        QVERIFY(fs::exists(file));
        fs::resize_file(file, fs::file_size(file) / 2); // truncated
        QVERIFY(!cache.load(file, *m_conv.model, s));
        QVERIFY(!fs::exists(file));
        // recomputed and stored again
        const mpq::AnalysisOutcome again = mpq::analyzeModel(m_conv, path("images"), s, &cache);
        QVERIFY(!again.fromCache);
        QVERIFY(again.cached);
        QVERIFY(fs::exists(file));
        // garbage of the same size
        const auto size = fs::file_size(file);
        {
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            out << std::string(size, 'x');
        }
        QVERIFY(!mpq::cachedAnalysis(m_conv, path("images"), s, cache));
        QVERIFY(!fs::exists(file));
        // nothing at all: a miss
        QVERIFY(!cache.load(path("cache-damaged/none.mpqa"), *m_conv.model, s));
    }

    void cacheEvictsLeastRecentlyUsed()
    {
        const mpq::AnalysisSettings s = smallSettings();
        const QString dir = qpath("cache-lru");
        const auto file = [&](const char *name) { return (dir + "/" + name).toStdString(); };
        // every file holds the same analysis: the same size S
        QVERIFY(mpq::AnalysisCache(dir.toStdString(), 1ull << 30)
                    .store(file("a.mpqa"), *m_convAnalysis));
        const std::uint64_t size = fs::file_size(file("a.mpqa"));
        QVERIFY(size > 0);
        const mpq::AnalysisCache cache(dir.toStdString(), 2 * size + size / 2); // room for two
        QVERIFY(cache.store(file("b.mpqa"), *m_convAnalysis));
        QCOMPARE(cache.sizeBytes(), 2 * size);
        // a is older than b, but a load marks it as used now: b is then the least recently used
        const auto now = fs::file_time_type::clock::now();
        fs::last_write_time(file("a.mpqa"), now - std::chrono::seconds(300));
        fs::last_write_time(file("b.mpqa"), now - std::chrono::seconds(200));
        QVERIFY(cache.load(file("a.mpqa"), *m_conv.model, s));
        // a file that is not an analysis is neither counted nor removed
        {
            std::ofstream notes(file("notes.txt"));
            notes << std::string(4 * size, 'n');
        }
        QVERIFY(cache.store(file("c.mpqa"), *m_convAnalysis));
        QVERIFY(fs::exists(file("a.mpqa")));
        QVERIFY(!fs::exists(file("b.mpqa")));
        QVERIFY(fs::exists(file("c.mpqa")));
        QVERIFY(fs::exists(file("notes.txt")));
        QCOMPARE(cache.sizeBytes(), 2 * size);

        // never the one just stored, even when the others look more recently used (a clock
        // set back, a file touched in the future): of those, the least recently used goes
        fs::last_write_time(file("a.mpqa"), now + std::chrono::hours(1));
        fs::last_write_time(file("c.mpqa"), now + std::chrono::hours(2));
        QVERIFY(cache.store(file("d.mpqa"), *m_convAnalysis));
        QVERIFY(fs::exists(file("d.mpqa")));
        QVERIFY(!fs::exists(file("a.mpqa")));
        QVERIFY(fs::exists(file("c.mpqa")));
        QCOMPARE(cache.sizeBytes(), 2 * size);

        // a limit below one analysis keeps nothing, and says so
        const mpq::AnalysisCache tiny(dir.toStdString(), size / 2);
        QVERIFY(!tiny.store(file("e.mpqa"), *m_convAnalysis));
        QCOMPARE(tiny.sizeBytes(), std::uint64_t(0));
        QVERIFY(fs::exists(file("notes.txt")));
        const mpq::AnalysisCache none(dir.toStdString(), 0);
        QVERIFY(!none.store(file("f.mpqa"), *m_convAnalysis));
        QCOMPARE(none.sizeBytes(), std::uint64_t(0));
    }

    void cacheDefaultDirectory()
    {
        const QByteArray xdg = qgetenv("XDG_CACHE_HOME");
        const bool hadXdg = qEnvironmentVariableIsSet("XDG_CACHE_HOME");
        const std::string home = qEnvironmentVariable("HOME").toStdString();
        QVERIFY(!home.empty());
        qputenv("XDG_CACHE_HOME", QByteArray("/some/where/xdg-cache"));
        QCOMPARE(mpq::AnalysisCache::defaultDirectory(),
                 std::string("/some/where/xdg-cache/mpq-studio"));
        QCOMPARE(mpq::AnalysisCache().directory(), std::string("/some/where/xdg-cache/mpq-studio"));
        QCOMPARE(mpq::AnalysisCache().limitBytes(), mpq::AnalysisCache::kDefaultLimitBytes);
        // a relative XDG_CACHE_HOME is ignored (XDG Base Directory specification), as is an
        // empty one
        qputenv("XDG_CACHE_HOME", QByteArray("relative/cache"));
        QCOMPARE(mpq::AnalysisCache::defaultDirectory(),
                 (fs::path(home) / ".cache" / "mpq-studio").string());
        qputenv("XDG_CACHE_HOME", QByteArray());
        QCOMPARE(mpq::AnalysisCache::defaultDirectory(),
                 (fs::path(home) / ".cache" / "mpq-studio").string());
        qunsetenv("XDG_CACHE_HOME");
        QCOMPARE(mpq::AnalysisCache::defaultDirectory(),
                 (fs::path(home) / ".cache" / "mpq-studio").string());
        // an explicit folder wins
        QCOMPARE(mpq::AnalysisCache("/x/y").directory(), std::string("/x/y"));
        if (hadXdg)
            qputenv("XDG_CACHE_HOME", xdg);
    }

    // ---- analysis

    void brokenImagesFolder()
    {
        QVERIFY(QDir().mkpath(qpath("broken/sub")));
        {
            QFile a(qpath("broken/a.png"));
            QVERIFY(a.open(QIODevice::WriteOnly));
            a.write("not a png at all");
            QFile b(qpath("broken/sub/b.jpg"));
            QVERIFY(b.open(QIODevice::WriteOnly));
        }
        std::string reason;
        try {
            mpq::prepareImage(path("broken/a.png"), m_conv.profile.input);
        } catch (const mpq::Error &e) {
            reason = e.what();
        }
        QVERIFY(!reason.empty());
        const mpq::AnalysisCache cache(path("cache-broken"));
        const auto [code, message] =
            errorOf([&] { mpq::analyzeModel(m_conv, path("broken"), smallSettings(), &cache); });
        QVERIFY2(code == mpq::ErrorCode::BadImage, message.c_str());
        QVERIFY2(message.rfind(path("broken") + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(reason) != std::string::npos, message.c_str());
        QCOMPARE(cache.sizeBytes(), std::uint64_t(0));

        // the float predictions name the folder and the first reason too
        const auto [fcode, fmessage] = errorOf(
            [&] { mpq::floatPredictions(m_conv, mpq::evaluationImages(path("broken"), 0), 4); });
        QVERIFY2(fcode == mpq::ErrorCode::BadImage, fmessage.c_str());
        QVERIFY2(fmessage.rfind(path("broken") + ": ", 0) == 0, fmessage.c_str());
        QVERIFY2(fmessage.find(reason) != std::string::npos, fmessage.c_str());

        // a folder without images, and no folder at all
        QVERIFY(QDir().mkpath(qpath("empty")));
        const auto [ecode, emessage] =
            errorOf([&] { mpq::analyzeModel(m_conv, path("empty"), smallSettings(), nullptr); });
        QVERIFY(ecode == mpq::ErrorCode::BadImage);
        QVERIFY2(emessage.rfind(path("empty") + ": ", 0) == 0, emessage.c_str());
        const auto [mcode, mmessage] =
            errorOf([&] { mpq::analyzeModel(m_conv, path("missing"), smallSettings(), nullptr); });
        QVERIFY(mcode == mpq::ErrorCode::BadImage);
        QVERIFY2(mmessage.find(path("missing")) != std::string::npos, mmessage.c_str());
    }
};

QTEST_GUILESS_MAIN(TestAnalysisCache)
#include "tst_analysiscache.moc"
