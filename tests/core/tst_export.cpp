// Exports (docs/multipoint.md section 5): fake-quant and expanded TorchScript, the integer package
// and the report, each written, reloaded and compared with the in-app quantized model, on small
// models built in C++ (conv, depthwise, grouped, linear, residual, shared weights, traced style,
// loops) and on the demo classifier; the fake-quant weights against sums rebuilt from the
// decomposition; and writes that fail (a parent that is a file, a simulated full disk) leave
// nothing behind. Python's torch.jit.load of both TorchScript exports is checked by hand with
// tests/scripts/check_python_load.sh (it needs python3-torch, which CI does not install).
#include "convnetprofile.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/report.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include "testimages.h"
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QtTest>

#include <csignal>
#include <sys/resource.h>

namespace {

const std::string kSamples = MPQ_SAMPLES_DIR;

template <typename T> std::vector<T> readArray(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<T> out(bytes.size() / sizeof(T));
    std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
    return out;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

// Everything an export needs, made once per model.
struct Prepared
{
    mpq::Model model;
    mpq::Analysis analysis;
    mpq::AllocationSettings settings;
    mpq::Allocation allocation;
};

Prepared prepare(const std::string &modelPath, const mpq::ModelProfile &profile,
                 const std::vector<std::string> &images, int bits, int activationBits,
                 const mpq::AllocationSettings &settings)
{
    mpq::Model model = mpq::Model::load(modelPath);
    mpq::AnalysisSettings s;
    s.bits = bits;
    s.maxPoints = 4;
    s.calibCount = static_cast<int>(images.size());
    s.batchSize = 4;
    s.activationBits = activationBits;
    mpq::Analysis analysis = mpq::analyze(model, profile, images, s);
    mpq::Allocation allocation = mpq::allocate(analysis.curves, settings);
    return {std::move(model), std::move(analysis), settings, std::move(allocation)};
}

// The integer package (every channel's rows sum to the fake-quant weight) and the report (one
// row per layer plus totals) of a prepared model.
void checkPackageAndReport(const Prepared &p, const QString &pkg)
{
    // integer package: every channel's rows sum to the fake-quant weight
    mpq::exportIntegerPackage(
        p.model, p.analysis, p.allocation, {},
        mpq::exportManifest(p.analysis, p.allocation, p.settings, "test", "package"),
        pkg.toStdString());
    QFile mf(pkg + "/manifest.json");
    QVERIFY(mf.open(QIODevice::ReadOnly));
    const QJsonArray layers = QJsonDocument::fromJson(mf.readAll()).object()["layers"].toArray();
    QCOMPARE(layers.size(), qsizetype(p.model.layers().size()));
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QJsonObject e = layers[i].toObject();
        const std::int64_t d = e["d"].toInteger();
        const auto codes = readArray<std::int8_t>(pkg + "/" + e["codes"].toString());
        const auto scales = readArray<float>(pkg + "/" + e["scales"].toString());
        const auto rows = readArray<std::int32_t>(pkg + "/" + e["channel_of_row"].toString());
        QCOMPARE(qsizetype(scales.size()), e["rows"].toInteger());
        std::vector<float> sum(static_cast<std::size_t>(e["channels"].toInteger() * d), 0.0f);
        for (std::size_t r = 0; r < scales.size(); ++r)
            for (std::int64_t k = 0; k < d; ++k)
                sum[rows[r] * d + k] += scales[r] * float(codes[r * d + k]);
        const std::vector<float> expected =
            mpq::quantizedWeight(p.model, p.analysis, p.allocation, {}, std::size_t(i));
        QCOMPARE(sum.size(), expected.size());
        for (std::size_t k = 0; k < sum.size(); ++k)
            QVERIFY(std::abs(sum[k] - expected[k]) <= 1e-6f * (1.0f + std::abs(expected[k])));
    }

    // report: one row per layer and the model totals of the allocation
    const QJsonObject report =
        QJsonDocument::fromJson(
            QByteArray::fromStdString(mpq::reportJson(p.analysis, p.allocation, p.settings)))
            .object();
    QCOMPARE(report["layers"].toArray().size(), qsizetype(p.model.layers().size()));
    const std::string csv = mpq::reportCsv(p.analysis, p.allocation);
    QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(p.model.layers().size() + 2));
}

// The written fake-quant model against weights rebuilt here from the decomposition's scales and
// codes (docs/multipoint.md section 5): layer l, channel c holds sum_{i < n_c} a_i q_i with n_c
// from the allocation, and keeps the folded bias. Read back through the tool's own loader, which
// folds the exported identity BatchNorms (a no-op up to float rounding).
void checkFakeQuantWeights(const Prepared &p, const std::string &file)
{
    const mpq::Model written = mpq::Model::load(file);
    QCOMPARE(written.layers().size(), p.model.layers().size());
    std::size_t changed = 0;
    for (std::size_t l = 0; l < written.layers().size(); ++l) {
        const mpq::LayerInfo &info = written.layers()[l];
        const mpq::LayerAllocation &la = p.allocation.layers[l];
        QCOMPARE(info.name, la.name);
        QVERIFY2(!la.isFloat && la.bits == p.analysis.settings.bits, "no overrides here");
        const mpq::MatrixDecomposition &dec = p.analysis.decompositions[l];
        const std::vector<float> &w = written.foldedWeight(l);
        const std::vector<float> &original = p.model.foldedWeight(l);
        QCOMPARE(std::int64_t(w.size()), dec.rows() * dec.cols());
        for (std::int64_t c = 0; c < dec.rows(); ++c) {
            const int n = la.points[std::size_t(c)];
            QVERIFY(n >= 1 && n <= dec.points());
            for (std::int64_t k = 0; k < dec.cols(); ++k) {
                double sum = 0, magnitude = 0;
                for (int i = 0; i < n; ++i) {
                    const double term = double(dec.scale(c, i)) * dec.code(c, i)[k];
                    sum += term;
                    magnitude += std::abs(term);
                }
                const float got = w[std::size_t(c * dec.cols() + k)];
                QVERIFY2(std::abs(got - sum) <= 1e-6 * magnitude + 1e-12,
                         qPrintable(QString("%1 [%2, %3]: %4 written, %5 from %6 points")
                                        .arg(info.name.c_str())
                                        .arg(c)
                                        .arg(k)
                                        .arg(got)
                                        .arg(sum)
                                        .arg(n)));
                changed += got != original[std::size_t(c * dec.cols() + k)];
            }
        }
        const std::vector<float> &bias = written.foldedBias(l), &folded = p.model.foldedBias(l);
        QCOMPARE(bias.size(), folded.size());
        for (std::size_t c = 0; c < bias.size(); ++c)
            QVERIFY2(std::abs(bias[c] - folded[c]) <= 1e-5f * (1.0f + std::abs(folded[c])),
                     qPrintable(QString("%1 bias[%2]: %3 vs %4")
                                    .arg(info.name.c_str())
                                    .arg(c)
                                    .arg(bias[c])
                                    .arg(folded[c])));
    }
    QVERIFY(changed > 0); // the export holds quantized weights, not the float ones
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    QString qpath(const QString &name) const { return m_dir.filePath(name); }
    std::string path(const QString &name) const { return qpath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(qpath("images"), 8, 14, 12, 11));
        m_images = mpq::findImages(path("images"));
        QCOMPARE(m_images.size(), size_t(8));
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveSharedNet(path("shared.pt"), 2);
        mpqtest::saveLoopNet(path("loop.pt"), 3);
        mpqtest::saveGroupedNet(path("grouped.pt"), 5);
        mpqtest::saveTracedStyleNet(path("traced.pt"), 6);
    }

    void roundTrips_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("activationBits");
        QTest::addColumn<bool>("budget");
        // conv: plain conv + BN, depthwise + BN + residual, pointwise, grouped, linear
        QTest::newRow("conv, 3 bits, threshold") << "conv.pt" << 3 << 0 << false;
        QTest::newRow("conv, 2 bits, budget, act 8") << "conv.pt" << 2 << 8 << true;
        QTest::newRow("shared weights + addmm") << "shared.pt" << 3 << 0 << false;
        QTest::newRow("loop and branches") << "loop.pt" << 3 << 0 << false;
        QTest::newRow("grouped first layer") << "grouped.pt" << 2 << 0 << false;
        QTest::newRow("traced style") << "traced.pt" << 3 << 0 << true;
    }

    void roundTrips()
    {
        QFETCH(QString, model);
        QFETCH(int, bits);
        QFETCH(int, activationBits);
        QFETCH(bool, budget);
        mpq::AllocationSettings settings;
        settings.bits = bits;
        settings.rule = budget ? mpq::AllocationRule::Budget : mpq::AllocationRule::Threshold;
        settings.epsilon = 1e-3;
        settings.budget = 0.5;
        const mpq::ModelProfile profile = mpqtest::convNetProfile();
        const Prepared p = prepare(path(model), profile, m_images, bits, activationBits, settings);
        QVERIFY2(p.allocation.extraWeights > 0, "the allocation must give some channels points");
        const QString stem = QFileInfo(model).baseName() + QString::number(bits);

        // fake-quant: reloads to exactly the in-app quantized model
        const std::string fqManifest =
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "fakequant");
        mpq::ModelRunner inApp =
            mpq::quantizedRunner(p.model, p.analysis, p.allocation, {}, activationBits);
        const mpq::Verification fq =
            mpq::exportFakeQuant(inApp, path(stem + "-fq.pt"), fqManifest, profile, m_images);
        QCOMPARE(fq.images, 8);
        QVERIFY2(fq.maxRelativeDifference <= 1e-6,
                 qPrintable(QString::number(fq.maxRelativeDifference)));
        // ...and its weights are what the decomposition says, independently of the in-app model
        checkFakeQuantWeights(p, path(stem + "-fq.pt"));

        // expanded: same outputs to float rounding, rows as the allocation says
        const mpq::ExpandedExport ex = mpq::exportExpanded(
            p.model, p.analysis, p.allocation, {}, path(stem + "-ex.pt"),
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "expanded"), profile,
            m_images);
        QCOMPARE(ex.verification.images, 8);
        QVERIFY2(ex.verification.maxRelativeDifference <= 1e-5,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        QCOMPARE(ex.layers.size(), p.model.layers().size());
        std::size_t withExtra = 0;
        for (std::size_t i = 0; i < ex.layers.size(); ++i) {
            const mpq::ExpandedLayer &l = ex.layers[i];
            const mpq::LayerAllocation &la = p.allocation.layers[i];
            QCOMPARE(l.name, la.name);
            std::int64_t rows = 0, widest = 0;
            std::map<std::int64_t, std::int64_t> perGroup;
            const std::int64_t channelsPerGroup = l.channels / l.groups;
            for (std::size_t c = 0; c < la.points.size(); ++c) {
                rows += la.points[c] - 1;
                perGroup[c / channelsPerGroup] += la.points[c] - 1;
            }
            std::int64_t groupsWithExtra = 0;
            for (const auto &[g, n] : perGroup) {
                widest = std::max(widest, n);
                groupsWithExtra += n > 0;
            }
            QCOMPARE(l.extraRows, rows);
            QCOMPARE(l.extraRowsRun, l.groups == 1 ? rows : widest * groupsWithExtra);
            QCOMPARE(l.extraMacsPredicted, la.extraMacs);
            if (l.groups == 1)
                QCOMPARE(l.extraMacsRun, la.extraMacs);
            withExtra += rows > 0;
        }
        QVERIFY2(ex.macOverheadRun >= p.allocation.macOverhead - 1e-12,
                 qPrintable(QString("%1 %2 %3 %4 %5")
                                .arg(ex.macOverheadRun)
                                .arg(p.allocation.macOverhead)
                                .arg(ex.macs)
                                .arg(p.allocation.quantizedMacs)
                                .arg(ex.extraMacsRun)));
        // the tool itself finds the base and extra operations in the written file
        const mpq::Model reloaded = mpq::Model::load(path(stem + "-ex.pt"));
        QCOMPARE(reloaded.layers().size(), p.model.layers().size() + withExtra);
        std::size_t next = 0;
        for (const mpq::LayerInfo &l : reloaded.layers()) {
            if (l.name.size() > 11 && l.name.substr(l.name.size() - 11) == "__mpq_extra") {
                const auto it = std::find_if(ex.layers.begin(), ex.layers.end(), [&](auto &e) {
                    std::string id = e.name;
                    std::replace(id.begin(), id.end(), '.', '_');
                    return id + "__mpq_extra" == l.name;
                });
                QVERIFY(it != ex.layers.end());
                QCOMPARE(l.outChannels, it->extraRowsRun);
                ++next;
            }
        }
        QCOMPARE(next, withExtra);
        // the manifest travels inside the file
        std::vector<std::pair<std::string, std::string>> extra = {{"mpq_manifest.json", ""}};
        mpq::loadRunner(path(stem + "-ex.pt"), "cpu", &extra);
        const QJsonObject manifest =
            QJsonDocument::fromJson(QByteArray::fromStdString(extra[0].second)).object();
        QCOMPARE(manifest["format"].toString(), QString("expanded"));
        QCOMPARE(manifest["bits"].toInt(), bits);
        QCOMPARE(manifest["source_model"].toObject()["sha256"].toString().toStdString(),
                 p.model.sha256());
        QCOMPARE(manifest["allocation"].toObject()["rule"].toString(),
                 QString(budget ? "budget" : "threshold"));
        QCOMPARE(manifest["expanded_layers"].toArray().size(), qsizetype(ex.layers.size()));

        checkPackageAndReport(p, qpath(stem + "-pkg"));
    }

    void demoClassifier()
    {
        const std::string dir = kSamples + "/fashion";
        const mpq::ModelProfile profile = mpq::loadProfile(dir + "/fashion_resnet.profile.json");
        std::vector<std::string> images = mpq::findImages(dir + "/test");
        images.resize(16);
        mpq::AllocationSettings settings;
        settings.bits = 3;
        settings.rule = mpq::AllocationRule::Budget;
        settings.budget = 0.05;
        const Prepared p = prepare(dir + "/fashion_resnet.pt", profile, images, 3, 0, settings);
        const std::vector<std::string> verify(images.begin(), images.begin() + 8);
        mpq::ModelRunner inApp = mpq::quantizedRunner(p.model, p.analysis, p.allocation, {});
        const mpq::Verification fq = mpq::exportFakeQuant(
            inApp, path("fashion-fq.pt"),
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "fakequant"), profile,
            verify);
        QCOMPARE(fq.images, 8);
        QVERIFY(fq.maxRelativeDifference <= 1e-6);
        const mpq::ExpandedExport ex = mpq::exportExpanded(
            p.model, p.analysis, p.allocation, {}, path("fashion-ex.pt"),
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "expanded"), profile,
            verify);
        QVERIFY2(ex.verification.maxRelativeDifference <= 1e-5,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        QVERIFY(ex.macOverheadRun >= ex.macOverheadPredicted - 1e-12);
        QVERIFY(ex.macOverheadRun <= ex.macOverheadPredicted + 0.02);
        checkPackageAndReport(p, qpath("fashion-pkg"));
        qInfo(
            "demo classifier at 3 bits, 5 %% budget: MAC overhead run %.2f %%, predicted %.2f %%; "
            "expanded vs in-app relative difference %.2g",
            ex.macOverheadRun * 100, ex.macOverheadPredicted * 100,
            ex.verification.maxRelativeDifference);
    }

    void unwritableDestination()
    {
        mpq::AllocationSettings settings;
        settings.bits = 3;
        const mpq::ModelProfile profile = mpqtest::convNetProfile();
        const Prepared p = prepare(path("conv.pt"), profile, m_images, 3, 0, settings);
        QFile blocker(qpath("blocker"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.write("a file, not a folder");
        blocker.close();
        const std::string manifest =
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "fakequant");
        mpq::ModelRunner inApp = mpq::quantizedRunner(p.model, p.analysis, p.allocation, {});
        const auto failsWithIo = [](const std::function<void()> &write, const char *what) {
            try {
                write();
            } catch (const mpq::Error &e) {
                QVERIFY2(e.code() == mpq::ErrorCode::Io, e.what());
                QVERIFY2(std::string(e.what()).find("blocker/") != std::string::npos, e.what());
                return;
            }
            QFAIL(what);
        };
        failsWithIo(
            [&] { mpq::exportFakeQuant(inApp, path("blocker/a.pt"), manifest, profile, {}); },
            "fake-quant into a file's child");
        failsWithIo(
            [&] {
                mpq::exportExpanded(p.model, p.analysis, p.allocation, {}, path("blocker/b.pt"),
                                    manifest, profile, {});
            },
            "expanded into a file's child");
        failsWithIo(
            [&] {
                mpq::exportIntegerPackage(p.model, p.analysis, p.allocation, {}, manifest,
                                          path("blocker/pkg"));
            },
            "package into a file's child");
        failsWithIo([&] { mpq::writeTextFile(path("blocker/r.json"), "{}"); },
                    "report into a file's child");
        QVERIFY(QFileInfo(qpath("blocker")).isFile());
    }

    void fullDisk()
    {
        // A simulated full disk: the file size limit makes every write past 512 bytes fail (EFBIG),
        // as ENOSPC would. Each export must fail with a clear message, leave no temporary file
        // and keep an existing destination whole.
        mpq::AllocationSettings settings;
        settings.bits = 3;
        const mpq::ModelProfile profile = mpqtest::convNetProfile();
        const Prepared p = prepare(path("conv.pt"), profile, m_images, 3, 0, settings);
        const std::string manifest =
            mpq::exportManifest(p.analysis, p.allocation, settings, "test", "fakequant");
        mpq::ModelRunner inApp = mpq::quantizedRunner(p.model, p.analysis, p.allocation, {});
        QDir().mkpath(qpath("full"));
        const QByteArray previous = "the previous export, which must survive";
        for (const char *name : {"full/a.pt", "full/b.pt"}) {
            QFile f(qpath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(previous);
        }
        const QStringList before = entries(qpath("full"));

        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit limited = old;
        limited.rlim_cur = 512;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        std::vector<std::string> messages;
        const auto attempt = [&](const std::function<void()> &write) {
            try {
                write();
                messages.push_back("");
            } catch (const mpq::Error &e) {
                messages.push_back(e.code() == mpq::ErrorCode::Io ? e.what() : "");
            }
        };
        attempt([&] { mpq::exportFakeQuant(inApp, path("full/a.pt"), manifest, profile, {}); });
        attempt([&] {
            mpq::exportExpanded(p.model, p.analysis, p.allocation, {}, path("full/b.pt"), manifest,
                                profile, {});
        });
        attempt([&] {
            mpq::exportIntegerPackage(p.model, p.analysis, p.allocation, {}, manifest,
                                      path("full/pkg"));
        });
        attempt([&] { mpq::writeTextFile(path("full/r.json"), std::string(10000, 'x')); });
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &old), 0);

        for (const std::string &m : messages) {
            QVERIFY2(!m.empty(), "a write past the limit must fail with Error(Io)");
            QVERIFY2(m.find("full/") != std::string::npos && m.find("cannot") != std::string::npos,
                     m.c_str());
        }
        QCOMPARE(entries(qpath("full")), before);
        for (const char *name : {"full/a.pt", "full/b.pt"}) {
            QFile f(qpath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), previous);
        }
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
