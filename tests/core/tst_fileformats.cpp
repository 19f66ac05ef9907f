// One vocabulary and one JSON codec in every file format (issue 12): the saved analysis and the
// export manifest carry the allocation settings with every override kind and the analysis
// settings in the codec of mpq/vocabulary.h, and read back equal; a saved analysis of format
// version 1 still loads; the saved analysis and the integer package describe layers with the
// same keys (docs/integer-package.md, "manifest.json").
#include "convnetprofile.h"
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/vocabulary.h"
#include "testmodels.h"

#include "testimages.h"
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>

#include <QtTest>

#include <optional>

namespace {

// The facts of a layer, as docs/integer-package.md lists them for the package.
const QSet<QString> kFactKeys = {"name",       "kind",   "weight_shape", "channels",
                                 "d",          "stride", "padding",      "padding_mode",
                                 "dilation",   "groups", "has_bias",     "folded_batchnorm",
                                 "call_sites", "aliases"};
// What else a saved analysis' layer entry holds (its measurements).
// (shifts: the layer's bias-correction arrays follow, docs/multipoint.md section 9; sensitivity:
// its w_c, section 8)
const QSet<QString> kAnalysisOnly = {
    "output_positions", "calls_per_forward", "activation",      "decomposition",
    "shifts",           "sensitivity",       "mean_sensitivity"};
// What else a package's layer entry holds (its quantized form and files).
const QSet<QString> kPackageOnly = {"float",  "bias",       "weight",    "bits",
                                    "rows",   "codes",      "scales",    "channel_of_row",
                                    "points", "activation", "extra_bits"};

QSet<QString> keysOf(const QJsonObject &o)
{
    QSet<QString> out;
    for (const QString &k : o.keys())
        out.insert(k);
    return out;
}

// The saved analysis' parts: the JSON header and the bytes after it (docs: analysisfile.cpp).
struct AnalysisBytes
{
    QJsonObject header;
    QByteArray blobs;
};

AnalysisBytes readAnalysisFile(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    quint64 length = 0;
    for (int k = 0; k < 8; ++k)
        length |= quint64(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
    return {QJsonDocument::fromJson(bytes.mid(16, qsizetype(length))).object(),
            bytes.mid(16 + qsizetype(length))};
}

void writeAnalysisFile(const QString &file, const QJsonObject &header, const QByteArray &blobs)
{
    const QByteArray text = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray bytes("MPQANL01");
    for (int k = 0; k < 8; ++k)
        bytes.append(char((quint64(text.size()) >> (8 * k)) & 0xff));
    bytes += text;
    bytes += blobs;
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

void compareSettings(const mpq::AllocationSettings &a, const mpq::AllocationSettings &b)
{
    QCOMPARE(a.bits, b.bits);
    QCOMPARE(a.rule, b.rule);
    QCOMPARE(a.epsilon, b.epsilon);
    QCOMPARE(a.budget, b.budget);
    QCOMPARE(a.cost, b.cost);
    QCOMPARE(a.overrides.size(), b.overrides.size());
    for (const auto &[name, o] : a.overrides) {
        QVERIFY2(b.overrides.count(name), name.c_str());
        const mpq::LayerOverride &p = b.overrides.at(name);
        QCOMPARE(p.kind, o.kind);
        if (o.kind == mpq::LayerOverride::Kind::Points)
            QCOMPARE(p.points, o.points);
        if (o.kind == mpq::LayerOverride::Kind::Bits)
            QCOMPARE(p.bits, o.bits);
    }
}

void compareSettings(const mpq::AnalysisSettings &a, const mpq::AnalysisSettings &b)
{
    QCOMPARE(a.bits, b.bits);
    QCOMPARE(a.maxPoints, b.maxPoints);
    QCOMPARE(a.search, b.search);
    QCOMPARE(a.firstPoint, b.firstPoint);
    QCOMPARE(a.calibCount, b.calibCount);
    QCOMPARE(a.batchSize, b.batchSize);
    QCOMPARE(a.seed, b.seed);
    QCOMPARE(a.activationBits, b.activationBits);
}

void compareLayers(const std::vector<mpq::LayerInfo> &a, const std::vector<mpq::LayerInfo> &b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].name, a[i].name);
        QCOMPARE(b[i].kind, a[i].kind);
        QCOMPARE(b[i].weightShape, a[i].weightShape);
        QCOMPARE(b[i].outChannels, a[i].outChannels);
        QCOMPARE(b[i].d, a[i].d);
        QCOMPARE(b[i].stride, a[i].stride);
        QCOMPARE(b[i].padding, a[i].padding);
        QCOMPARE(b[i].paddingMode, a[i].paddingMode);
        QCOMPARE(b[i].dilation, a[i].dilation);
        QCOMPARE(b[i].groups, a[i].groups);
        QCOMPARE(b[i].hasBias, a[i].hasBias);
        QCOMPARE(b[i].foldedBatchNorm, a[i].foldedBatchNorm);
        QCOMPARE(b[i].callSites, a[i].callSites);
        QCOMPARE(b[i].aliases, a[i].aliases);
    }
}

} // namespace

class TestFileFormats : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::optional<mpq::Model> m_model;
    mpq::Analysis m_analysis;
    std::vector<mpq::LayerAtBits> m_atBits;
    mpq::AllocationSettings m_settings;
    mpq::Allocation m_allocation;

    QString qpath(const QString &name) const { return m_dir.filePath(name); }
    std::string path(const QString &name) const { return qpath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(qpath("images"), 6, 12, 10, 5));
        m_images = mpq::findImages(path("images"));
        // conv1 (+BN), dw (+BN, depthwise), pw (bias), grouped (stride 2), fc
        mpqtest::saveConvNet(path("conv.pt"), 11);
        m_model.emplace(mpq::Model::load(path("conv.pt")));
        QCOMPARE(m_model->layers().size(), size_t(5));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.search = mpq::SearchMethod::Grid;
        s.firstPoint = mpq::FirstPointRule::OutputBest;
        s.calibCount = 6;
        s.batchSize = 4;
        s.seed = 0xfedcba9876543210ull; // above 2^63: must survive as an integer
        s.activationBits = 8;
        m_analysis = mpq::analyze(*m_model, mpqtest::convNetProfile(), m_images, s);
        // every override kind: pw at 5 bits, dw with 2 points, fc kept float
        m_atBits = mpq::layersAtBits(*m_model, mpqtest::convNetProfile(), m_analysis, {2}, 5);
        m_settings.bits = 3;
        m_settings.rule = mpq::AllocationRule::Budget;
        m_settings.epsilon = 2.5e-3;
        m_settings.budget = 0.3;
        m_settings.cost = mpq::BudgetCost::Macs;
        m_settings.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 5};
        m_settings.overrides["dw"] = {mpq::LayerOverride::Kind::Points, 2, 0};
        m_settings.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        std::vector<mpq::LayerCurves> curves = m_analysis.curves;
        curves.push_back(m_atBits[0].curves);
        m_allocation = mpq::allocate(curves, m_settings);
        QVERIFY(m_allocation.layers[4].isFloat);
        QCOMPARE(m_allocation.layers[2].bits, 5);
    }

    void savedAnalysisRoundTrip()
    {
        const QString file = qpath("round.mpqa");
        mpq::saveAnalysis(m_analysis, &m_settings, file.toStdString());
        const mpq::SavedAnalysis loaded = mpq::loadAnalysis(file.toStdString());
        QVERIFY(loaded.hasAllocation);
        compareSettings(m_settings, loaded.allocation);
        compareSettings(m_analysis.settings, loaded.analysis.settings);
        compareLayers(m_analysis.layers, loaded.analysis.layers);
        // the header holds the shared codec's objects, key for key
        const AnalysisBytes saved = readAnalysisFile(file);
        QCOMPARE(saved.header["version"].toInt(), 2);
        QCOMPARE(saved.header["allocation"].toObject(),
                 QJsonDocument::fromJson(
                     QByteArray::fromStdString(mpq::allocationSettingsToJson(m_settings)))
                     .object());
        const QJsonObject overrides = saved.header["allocation"]["overrides"].toObject();
        QCOMPARE(overrides["pw"].toObject(), (QJsonObject{{"bits", 5}}));
        QCOMPARE(overrides["dw"].toObject(), (QJsonObject{{"points", 2}}));
        QCOMPARE(overrides["fc"].toString(), QString("float"));
        const QJsonObject settings = saved.header["settings"].toObject();
        QCOMPARE(settings["search"].toString(), QString("grid"));
        QCOMPARE(settings["first_point"].toString(), QString("output-best"));
    }

    void versionOneAnalysisLoads()
    {
        // the file the previous version wrote: "shape" and "out_channels" for the layer facts,
        // overrides as {"kind", "points", "bits"}
        const QString file = qpath("v2.mpqa");
        mpq::saveAnalysis(m_analysis, &m_settings, file.toStdString());
        AnalysisBytes bytes = readAnalysisFile(file);
        QJsonObject header = bytes.header;
        header["version"] = 1;
        QJsonArray layers;
        for (const QJsonValue &v : header["layers"].toArray()) {
            QJsonObject l = v.toObject();
            l["shape"] = l.take("weight_shape");
            l["out_channels"] = l.take("channels");
            layers.append(l);
        }
        header["layers"] = layers;
        QJsonObject allocation = header["allocation"].toObject();
        allocation["overrides"] =
            QJsonObject{{"pw", QJsonObject{{"kind", "bits"}, {"points", 1}, {"bits", 5}}},
                        {"dw", QJsonObject{{"kind", "points"}, {"points", 2}, {"bits", 0}}},
                        {"fc", QJsonObject{{"kind", "float"}, {"points", 1}, {"bits", 0}}}};
        header["allocation"] = allocation;
        // Qt keeps integers up to 2^63 only: the old file's seed, written by nlohmann, is exact
        QJsonObject settings = header["settings"].toObject();
        settings["seed"] = 12345;
        header["settings"] = settings;
        writeAnalysisFile(qpath("v1.mpqa"), header, bytes.blobs);

        const mpq::SavedAnalysis old = mpq::loadAnalysis(path("v1.mpqa"));
        QVERIFY(old.hasAllocation);
        compareSettings(m_settings, old.allocation);
        mpq::AnalysisSettings expected = m_analysis.settings;
        expected.seed = 12345;
        compareSettings(expected, old.analysis.settings);
        compareLayers(m_analysis.layers, old.analysis.layers);
        for (std::size_t i = 0; i < m_analysis.layers.size(); ++i)
            QVERIFY(old.analysis.decompositions[i].codes() == m_analysis.decompositions[i].codes());

        // a newer format is refused with that reason
        header["version"] = 3;
        writeAnalysisFile(qpath("v3.mpqa"), header, bytes.blobs);
        try {
            mpq::loadAnalysis(path("v3.mpqa"));
            QFAIL("a newer format accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadAnalysis);
            QVERIFY2(QString(e.what()).contains("newer version"), e.what());
        }
        // a word outside the vocabulary is named, not read as a default
        settings["search"] = "golden";
        header["version"] = 1;
        header["settings"] = settings;
        writeAnalysisFile(qpath("bad.mpqa"), header, bytes.blobs);
        try {
            mpq::loadAnalysis(path("bad.mpqa"));
            QFAIL("an unknown search accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadAnalysis);
            QVERIFY2(QString(e.what()).contains("bad.mpqa: settings: search: unknown scale "
                                                "search 'golden'"),
                     e.what());
        }
    }

    void manifestRoundTrip()
    {
        const std::string text =
            mpq::exportManifest(m_analysis, m_allocation, m_settings, "test", "fakequant");
        const QJsonObject manifest =
            QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
        const QJsonObject allocation = manifest["allocation"].toObject();
        QVERIFY(!allocation.contains("budget_cost"));
        compareSettings(m_settings,
                        mpq::allocationSettingsFromJson(
                            QJsonDocument(allocation).toJson().toStdString(), "manifest"));
        QCOMPARE(allocation["cost"].toString(), QString("macs"));
        QCOMPARE(allocation["overrides"]["fc"].toString(), QString("float"));
        // the analysis settings: the top-level figures agree with them
        const QJsonObject analysis = manifest["analysis"].toObject();
        QCOMPARE(analysis["first_point"].toString(), QString("output-best"));
        QCOMPARE(manifest["bits"].toInt(), analysis["bits"].toInt());
        QCOMPARE(manifest["max_points"].toInt(), analysis["max_points"].toInt());
        QCOMPARE(manifest["activation_bits"].toInt(), analysis["activation_bits"].toInt());
        // the totals stay as they were
        QCOMPARE(manifest["mac_overhead"].toDouble(), m_allocation.macOverhead);
        QCOMPARE(manifest["memory_overhead"].toDouble(), m_allocation.memoryOverhead);
        // through the text codec too (the seed above 2^63 survives there)
        const std::string analysisText = text.substr(text.find("\"analysis\""));
        QVERIFY(analysisText.find("18364758544493064720") != std::string::npos);
    }

    void packageAndAnalysisShareLayerKeys()
    {
        const QString pkg = qpath("package");
        mpq::exportIntegerPackage(
            *m_model, m_analysis, m_allocation, m_atBits,
            mpq::exportManifest(m_analysis, m_allocation, m_settings, "test", "package"),
            pkg.toStdString());
        QFile mf(pkg + "/manifest.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
        compareSettings(m_settings,
                        mpq::allocationSettingsFromJson(
                            QJsonDocument(manifest["allocation"].toObject()).toJson().toStdString(),
                            "package"));
        const QJsonArray packageLayers = manifest["layers"].toArray();

        const QString file = qpath("keys.mpqa");
        mpq::saveAnalysis(m_analysis, nullptr, file.toStdString());
        const QJsonArray analysisLayers = readAnalysisFile(file).header["layers"].toArray();
        QCOMPARE(packageLayers.size(), analysisLayers.size());
        QCOMPARE(packageLayers.size(), qsizetype(5));
        for (qsizetype i = 0; i < packageLayers.size(); ++i) {
            const QJsonObject p = packageLayers[i].toObject(), a = analysisLayers[i].toObject();
            const QSet<QString> packageFacts = keysOf(p) - kPackageOnly;
            const QSet<QString> analysisFacts = keysOf(a) - kAnalysisOnly;
            QCOMPARE(packageFacts, kFactKeys);
            QCOMPARE(analysisFacts, kFactKeys);
            for (const QString &key : kFactKeys)
                QVERIFY2(p[key] == a[key], qPrintable(QString("layer %1: %2").arg(i).arg(key)));
        }
        QCOMPARE(packageLayers[4]["float"].toBool(), true);
        QCOMPARE(packageLayers[2]["bits"].toInt(), 5);
        QCOMPARE(packageLayers[0]["channels"].toInteger(), m_model->layers()[0].outChannels);
    }
};

QTEST_GUILESS_MAIN(TestFileFormats)
#include "tst_fileformats.moc"
