// The one vocabulary of mpq/vocabulary.h: every enum word and back, the word lists of help texts
// and error messages, and the JSON codec of overrides, allocation settings and analysis settings
// (every field round-trips; malformed text gives "<where>: <key>: <problem>"; the earlier
// override form {"kind": ...} still reads). The export formats' words (mpq/pipeline.h) too.
#include "mpq/error.h"
#include "mpq/methods.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <set>

namespace {

// Every value of each enum, spelled out here independently of the vocabulary's tables.
const std::vector<mpq::AllocationRule> kRules{mpq::AllocationRule::Threshold,
                                              mpq::AllocationRule::Budget};
const std::vector<mpq::BudgetCost> kCosts{mpq::BudgetCost::Memory, mpq::BudgetCost::Macs};
const std::vector<mpq::FirstPointRule> kFirstPoints{
    mpq::FirstPointRule::L2, mpq::FirstPointRule::Max, mpq::FirstPointRule::OutputBest};
const std::vector<mpq::SearchMethod> kSearches{mpq::SearchMethod::Exact, mpq::SearchMethod::Grid};
const std::vector<mpq::Method> kMethods{mpq::Method::Multipoint,
                                        mpq::Method::RoundToNearest,
                                        mpq::Method::RoundToNearestTensor,
                                        mpq::Method::MseChannel,
                                        mpq::Method::Ocs,
                                        mpq::Method::MixedPrecision,
                                        mpq::Method::RoundToNearestNext,
                                        mpq::Method::MseChannelNext};
const std::vector<mpq::LayerOverride::Kind> kKinds{mpq::LayerOverride::Kind::Points,
                                                   mpq::LayerOverride::Kind::Bits,
                                                   mpq::LayerOverride::Kind::Float};

/// "a, b or c" from the words, as the help texts show them.
std::string joined(const std::vector<std::string> &words)
{
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
    return out;
}

/// The Error(InvalidArgument) message `f` throws; fails the test when it throws nothing or
/// another code.
template <class F> std::string invalidArgument(F &&f)
{
    try {
        f();
    } catch (const mpq::Error &e) {
        if (e.code() != mpq::ErrorCode::InvalidArgument)
            return std::string("<wrong code> ") + e.what();
        return e.what();
    }
    return "<no error>";
}

/// Each value has a distinct word; fromWord(toWord(v)) == v; words<E>() lists exactly these
/// words in declaration order and wordList<E>() joins them; another word throws naming the word
/// and every valid one.
template <class E> void checkEnum(const std::vector<E> &values, const std::string &what)
{
    std::vector<std::string> spelled;
    for (E v : values) {
        const std::string w = mpq::toWord(v);
        QVERIFY2(!w.empty() && w != "?", what.c_str());
        QVERIFY2(mpq::fromWord<E>(w) == v, (what + ": " + w).c_str());
        spelled.push_back(w);
    }
    QCOMPARE(std::set<std::string>(spelled.begin(), spelled.end()).size(), values.size());
    if constexpr (!std::is_same_v<E, mpq::LayerOverride::Kind>) {
        QCOMPARE(mpq::words<E>(), spelled);
        QCOMPARE(mpq::wordList<E>(), joined(spelled));
    }
    // exact and lower case: a capitalised word, a word with a space and an empty word are
    // unknown; the message names the word and lists every valid one
    std::string upper = spelled.front();
    upper[0] = char(std::toupper(upper[0]));
    for (const std::string &bad : {upper, spelled.front() + " ", std::string(), std::string("x")}) {
        const std::string msg = invalidArgument([&] { mpq::fromWord<E>(bad); });
        QCOMPARE(msg, "unknown " + what + " '" + bad + "': use " + joined(spelled));
    }
}

void compareOverrides(const std::map<std::string, mpq::LayerOverride> &got,
                      const std::map<std::string, mpq::LayerOverride> &expected)
{
    QCOMPARE(got.size(), expected.size());
    for (const auto &[name, o] : expected) {
        QVERIFY2(got.count(name), name.c_str());
        const mpq::LayerOverride &g = got.at(name);
        QVERIFY2(g.kind == o.kind, name.c_str());
        if (o.kind == mpq::LayerOverride::Kind::Points)
            QCOMPARE(g.points, o.points);
        if (o.kind == mpq::LayerOverride::Kind::Bits)
            QCOMPARE(g.bits, o.bits);
    }
}

mpq::LayerOverride pin(mpq::LayerOverride::Kind kind, int points, int bits)
{
    mpq::LayerOverride o;
    o.kind = kind;
    o.points = points;
    o.bits = bits;
    return o;
}

/// One of each override kind, under names with dots, digits, quotes and non-ASCII letters.
std::map<std::string, mpq::LayerOverride> everyKind()
{
    return {{"layer1.0.conv1", pin(mpq::LayerOverride::Kind::Points, 7, 0)},
            {"fc", pin(mpq::LayerOverride::Kind::Float, 1, 0)},
            {"features.3 \"dw\" \xc3\xa9", pin(mpq::LayerOverride::Kind::Bits, 1, 6)},
            {"head.points16", pin(mpq::LayerOverride::Kind::Points, 16, 0)},
            {"stem.bits2", pin(mpq::LayerOverride::Kind::Bits, 1, 2)}};
}

QJsonObject jsonObject(const std::string &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

QSet<QString> keySet(const QJsonObject &o)
{
    const QStringList keys = o.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

} // namespace

class TestVocabulary : public QObject
{
    Q_OBJECT

private slots:
    void enumWordsRoundTrip()
    {
        checkEnum(kRules, "allocation rule");
        checkEnum(kCosts, "budget cost");
        checkEnum(kFirstPoints, "first-point rule");
        checkEnum(kSearches, "scale search");
        checkEnum(kMethods, "method");
        checkEnum(kKinds, "override kind");
        // the documented words themselves (files and command lines carry them)
        QCOMPARE(mpq::wordList<mpq::AllocationRule>(), std::string("threshold or budget"));
        QCOMPARE(mpq::wordList<mpq::BudgetCost>(), std::string("memory or macs"));
        QCOMPARE(mpq::wordList<mpq::FirstPointRule>(), std::string("l2, max or output-best"));
        QCOMPARE(mpq::wordList<mpq::SearchMethod>(), std::string("exact or grid"));
        QCOMPARE(mpq::wordList<mpq::Rounding>(), std::string("nearest or output-aware"));
        QCOMPARE(mpq::wordList<mpq::Method>(),
                 std::string("multipoint, rtn, rtn-tensor, mse, ocs, mixed, rtn-next or mse-next"));
        QCOMPARE(std::string(mpq::toWord(mpq::LayerOverride::Kind::Float)), std::string("float"));
        // allMethods() is every method in the order of the words; methodName agrees
        QCOMPARE(mpq::allMethods(), kMethods);
        for (mpq::Method m : kMethods) {
            QCOMPARE(std::string(mpq::methodName(m)), std::string(mpq::toWord(m)));
            QVERIFY(mpq::methodFromName(mpq::toWord(m)) == m);
        }
    }

    void exportFormatWords()
    {
        const std::vector<mpq::ExportFormat> formats{
            mpq::ExportFormat::FakeQuant,     mpq::ExportFormat::Expanded,
            mpq::ExportFormat::Package,       mpq::ExportFormat::Report,
            mpq::ExportFormat::OnnxFakeQuant, mpq::ExportFormat::OnnxQdq};
        const std::vector<std::string> expected{"fakequant", "expanded",       "package",
                                                "report",    "onnx-fakequant", "onnx-qdq"};
        for (std::size_t i = 0; i < formats.size(); ++i) {
            QCOMPARE(std::string(mpq::toWord(formats[i])), expected[i]);
            QVERIFY(mpq::exportFormatFromWord(expected[i]) == formats[i]);
        }
        QCOMPARE(invalidArgument([] { mpq::exportFormatFromWord("onnx"); }),
                 std::string("unknown export format 'onnx': use fakequant, expanded, package, "
                             "report, onnx-fakequant or onnx-qdq"));
    }

    void overridesRoundTrip()
    {
        const auto overrides = everyKind();
        const std::string text = mpq::overridesToJson(overrides);
        compareOverrides(mpq::overridesFromJson(text, "overrides.json"), overrides);
        // the documented form: "float", {"points": N}, {"bits": B}
        const QJsonObject o = jsonObject(text);
        QCOMPARE(o.size(), qsizetype(overrides.size()));
        QCOMPARE(o["fc"].toString(), QString("float"));
        QCOMPARE(o["layer1.0.conv1"].toObject(), QJsonObject({{"points", 7}}));
        QCOMPARE(o[QString::fromUtf8("features.3 \"dw\" \xc3\xa9")].toObject(),
                 QJsonObject({{"bits", 6}}));
        // none is the empty object, and reads back as none
        QCOMPARE(jsonObject(mpq::overridesToJson({})), QJsonObject());
        QVERIFY(mpq::overridesFromJson("{}", "x").empty());
    }

    void earlierOverrideFormReads()
    {
        const auto got = mpq::overridesFromJson(
            R"({"a": {"kind": "points", "points": 3, "bits": 0},
                "b": {"kind": "bits", "points": 1, "bits": 6},
                "c": {"kind": "float", "points": 1, "bits": 0},
                "d": {"kind": "points", "points": 16}})",
            "project.mpqproj");
        compareOverrides(got, {{"a", pin(mpq::LayerOverride::Kind::Points, 3, 0)},
                               {"b", pin(mpq::LayerOverride::Kind::Bits, 1, 6)},
                               {"c", pin(mpq::LayerOverride::Kind::Float, 1, 0)},
                               {"d", pin(mpq::LayerOverride::Kind::Points, 16, 0)}});
    }

    void allocationSettingsRoundTrip()
    {
        mpq::AllocationSettings a;
        a.bits = 6;
        a.rule = mpq::AllocationRule::Budget;
        a.epsilon = 3.7e-4 / 3.0; // no short decimal: must survive exactly
        a.budget = 0.1 + 0.2;
        a.cost = mpq::BudgetCost::Macs;
        a.overrides = everyKind();
        const std::string text = mpq::allocationSettingsToJson(a);
        const mpq::AllocationSettings b = mpq::allocationSettingsFromJson(text, "project");
        QCOMPARE(b.bits, 6);
        QVERIFY(b.rule == mpq::AllocationRule::Budget);
        QCOMPARE(b.epsilon, a.epsilon);
        QCOMPARE(b.budget, a.budget);
        QVERIFY(b.cost == mpq::BudgetCost::Macs);
        compareOverrides(b.overrides, a.overrides);
        // the documented keys and words
        const QJsonObject o = jsonObject(text);
        QCOMPARE(keySet(o), QSet<QString>({"bits", "rule", "epsilon", "budget", "cost", "overrides",
                                           "sensitivity_weighted", "mac_cap", "bias_correction"}));
        QCOMPARE(o["rule"].toString(), QString("budget"));
        QCOMPARE(o["cost"].toString(), QString("macs"));

        // the other words of each enum round-trip too
        mpq::AllocationSettings c;
        c.rule = mpq::AllocationRule::Threshold;
        c.cost = mpq::BudgetCost::Memory;
        c.epsilon = 1e-6;
        c.budget = 0.0; // a budget of zero is allowed
        c.bits = 2;
        const mpq::AllocationSettings d =
            mpq::allocationSettingsFromJson(mpq::allocationSettingsToJson(c), "project");
        QVERIFY(d.rule == mpq::AllocationRule::Threshold);
        QVERIFY(d.cost == mpq::BudgetCost::Memory);
        QCOMPARE(d.epsilon, 1e-6);
        QCOMPARE(d.budget, 0.0);
        QCOMPARE(d.bits, 2);
        QVERIFY(d.overrides.empty());

        // a missing key keeps the default
        const mpq::AllocationSettings defaults;
        const mpq::AllocationSettings e =
            mpq::allocationSettingsFromJson(R"({"budget": 0.25})", "project");
        QCOMPARE(e.budget, 0.25);
        QCOMPARE(e.bits, defaults.bits);
        QVERIFY(e.rule == defaults.rule);
        QCOMPARE(e.epsilon, defaults.epsilon);
        QVERIFY(e.cost == defaults.cost);
    }

    void analysisSettingsRoundTrip()
    {
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 16;
        s.search = mpq::SearchMethod::Grid;
        s.firstPoint = mpq::FirstPointRule::OutputBest;
        s.calibCount = 123;
        s.batchSize = 7;
        s.seed = (std::uint64_t(1) << 63) + 12345; // above the largest signed 64-bit integer
        s.activationBits = 6;
        s.rounding = mpq::Rounding::OutputAware;
        s.extraPointBits = 1;
        s.halfStepPair = true;
        const std::string text = mpq::analysisSettingsToJson(s);
        const mpq::AnalysisSettings t = mpq::analysisSettingsFromJson(text, "analysis");
        QCOMPARE(t.bits, 2);
        QCOMPARE(t.maxPoints, 16);
        QVERIFY(t.search == mpq::SearchMethod::Grid);
        QVERIFY(t.firstPoint == mpq::FirstPointRule::OutputBest);
        QCOMPARE(t.calibCount, 123);
        QCOMPARE(t.batchSize, 7);
        QCOMPARE(t.seed, s.seed);
        QCOMPARE(t.activationBits, 6);
        QVERIFY(t.rounding == mpq::Rounding::OutputAware);
        QCOMPARE(t.extraPointBits, 1);
        QVERIFY(t.halfStepPair);
        const QJsonObject o = jsonObject(text);
        QCOMPARE(keySet(o),
                 QSet<QString>({"bits", "max_points", "search", "first_point", "calib_count",
                                "batch_size", "seed", "activation_bits", "sensitivity", "rounding",
                                "extra_point_bits", "half_step_pair"}));
        QCOMPARE(o["extra_point_bits"].toInt(), 1);
        QCOMPARE(o["half_step_pair"].toBool(), true);
        // settings from before the half-step pair (docs/multipoint.md section 12): off
        QVERIFY(!mpq::analysisSettingsFromJson("{\"bits\": 3}", "analysis").halfStepPair);
        // settings from before extra-point bits (docs/multipoint.md section 11): the same as the
        // bits; more than the bits is refused, naming the key
        QCOMPARE(mpq::analysisSettingsFromJson("{\"bits\": 3}", "analysis").extraPointBits, 0);
        try {
            mpq::analysisSettingsFromJson("{\"bits\": 3, \"extra_point_bits\": 4}", "analysis");
            QFAIL("extra-point bits above the bits were accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(std::string(e.what()).find("extra_point_bits") != std::string::npos, e.what());
        }
        QCOMPARE(o["rounding"].toString(), QString("output-aware"));
        // settings from before the rounding setting (docs/multipoint.md section 10) round to
        // nearest; an unknown word is refused with the words it may be
        QVERIFY(mpq::analysisSettingsFromJson("{\"bits\": 3}", "analysis").rounding ==
                mpq::Rounding::Nearest);
        try {
            mpq::analysisSettingsFromJson("{\"rounding\": \"up\"}", "analysis");
            QFAIL("an unknown rounding was accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(std::string(e.what()).find("nearest or output-aware") != std::string::npos,
                     e.what());
        }
        QCOMPARE(o["search"].toString(), QString("grid"));
        QCOMPARE(o["first_point"].toString(), QString("output-best"));

        for (mpq::FirstPointRule rule : kFirstPoints)
            for (mpq::SearchMethod search : kSearches) {
                mpq::AnalysisSettings u;
                u.firstPoint = rule;
                u.search = search;
                u.seed = 0;
                const mpq::AnalysisSettings v =
                    mpq::analysisSettingsFromJson(mpq::analysisSettingsToJson(u), "analysis");
                QVERIFY(v.firstPoint == rule);
                QVERIFY(v.search == search);
                QCOMPARE(v.seed, std::uint64_t(0));
            }

        const mpq::AnalysisSettings defaults;
        const mpq::AnalysisSettings w = mpq::analysisSettingsFromJson(R"({"seed": 5})", "a");
        QCOMPARE(w.seed, std::uint64_t(5));
        QCOMPARE(w.bits, defaults.bits);
        QCOMPARE(w.maxPoints, defaults.maxPoints);
        QCOMPARE(w.calibCount, defaults.calibCount);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("codec");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message"); // exact, or a prefix when it ends in "..."

        // allocation settings: "<where>: <key>: <problem>"
        QTest::newRow("epsilon 0") << "allocation"
                                   << R"({"epsilon": 0})"
                                   << "project.json: epsilon: must be > 0";
        QTest::newRow("epsilon negative") << "allocation"
                                          << R"({"epsilon": -1e-3})"
                                          << "project.json: epsilon: must be > 0";
        QTest::newRow("epsilon string") << "allocation"
                                        << R"({"epsilon": "1e-3"})"
                                        << "project.json: epsilon: must be a number";
        QTest::newRow("budget negative") << "allocation"
                                         << R"({"budget": -0.01})"
                                         << "project.json: budget: must be >= 0";
        QTest::newRow("bits 9") << "allocation"
                                << R"({"bits": 9})"
                                << "project.json: bits: must be an integer from 2 to 8";
        QTest::newRow("bits 1") << "allocation"
                                << R"({"bits": 1})"
                                << "project.json: bits: must be an integer from 2 to 8";
        QTest::newRow("bits fractional") << "allocation"
                                         << R"({"bits": 4.5})"
                                         << "project.json: bits: must be an integer from 2 to 8";
        QTest::newRow("bits string") << "allocation"
                                     << R"({"bits": "4"})"
                                     << "project.json: bits: must be an integer from 2 to 8";
        QTest::newRow("unknown rule")
            << "allocation"
            << R"({"rule": "greedy"})"
            << "project.json: rule: unknown allocation rule 'greedy': use threshold or budget";
        QTest::newRow("rule not a string")
            << "allocation"
            << R"({"rule": 1})"
            << "project.json: rule: must be a string: threshold or budget";
        QTest::newRow("unknown cost")
            << "allocation"
            << R"({"cost": "time"})"
            << "project.json: cost: unknown budget cost 'time': use memory or macs";
        QTest::newRow("allocation not JSON") << "allocation"
                                             << R"({"bits": 4,)"
                                             << "project.json: not valid JSON (...";
        QTest::newRow("allocation not an object")
            << "allocation"
            << "[4]"
            << "project.json: the allocation must be a JSON object";
        QTest::newRow("allocation override bits 9")
            << "allocation"
            << R"({"overrides": {"fc": {"bits": 9}}})"
            << "project.json: overrides: fc: bits must be 2..8";
        QTest::newRow("allocation overrides not an object")
            << "allocation"
            << R"({"overrides": ["fc"]})"
            << "project.json: overrides: the overrides must be a JSON object";

        // overrides: "<where>: <layer>: <problem>"
        const QString expected = R"(expected "float", {"points": N} or {"bits": B})";
        QTest::newRow("points 0") << "overrides"
                                  << R"({"conv1": {"points": 0}})"
                                  << "overrides.json: conv1: points must be 1..16";
        QTest::newRow("points 17") << "overrides"
                                   << R"({"conv1": {"points": 17}})"
                                   << "overrides.json: conv1: points must be 1..16";
        QTest::newRow("points as a string") << "overrides"
                                            << R"({"conv1": {"points": "3"}})"
                                            << "overrides.json: conv1: " + expected;
        QTest::newRow("bits 9 override") << "overrides"
                                         << R"({"conv1": {"bits": 9}})"
                                         << "overrides.json: conv1: bits must be 2..8";
        QTest::newRow("bits 1 override") << "overrides"
                                         << R"({"conv1": {"bits": 1}})"
                                         << "overrides.json: conv1: bits must be 2..8";
        QTest::newRow("unknown word") << "overrides"
                                      << R"({"conv1": "half"})"
                                      << "overrides.json: conv1: " + expected;
        QTest::newRow("two keys") << "overrides"
                                  << R"({"conv1": {"points": 2, "bits": 4}})"
                                  << "overrides.json: conv1: " + expected;
        QTest::newRow("a number") << "overrides"
                                  << R"({"conv1": 4})"
                                  << "overrides.json: conv1: " + expected;
        QTest::newRow("earlier form, points as a string")
            << "overrides"
            << R"({"conv1": {"kind": "points", "points": "3"}})"
            << "overrides.json: conv1: points: must be an integer from 1 to 16";
        QTest::newRow("earlier form, bits missing") << "overrides"
                                                    << R"({"conv1": {"kind": "bits"}})"
                                                    << "overrides.json: conv1: bits must be 2..8";
        QTest::newRow("earlier form, bits 9")
            << "overrides"
            << R"({"conv1": {"kind": "bits", "bits": 9}})"
            << "overrides.json: conv1: bits: must be an integer from 2 to 8";
        QTest::newRow("earlier form, unknown kind")
            << "overrides"
            << R"({"conv1": {"kind": "int8"}})"
            << "overrides.json: conv1: unknown override kind 'int8': use points, bits or float";
        QTest::newRow("overrides not JSON") << "overrides"
                                            << "conv1: float"
                                            << "overrides.json: not valid JSON (...";
        QTest::newRow("overrides an array")
            << "overrides"
            << R"(["conv1"])"
            << "overrides.json: the overrides must be a JSON object";

        // analysis settings
        QTest::newRow("max_points 0") << "analysis"
                                      << R"({"max_points": 0})"
                                      << "analysis.json: max_points: must be an integer from 1 "
                                         "to 16";
        QTest::newRow("max_points as a string")
            << "analysis"
            << R"({"max_points": "4"})"
            << "analysis.json: max_points: must be an integer from 1 to 16";
        QTest::newRow("analysis bits 9") << "analysis"
                                         << R"({"bits": 9})"
                                         << "analysis.json: bits: must be an integer from 2 to 8";
        QTest::newRow("unknown search")
            << "analysis"
            << R"({"search": "fast"})"
            << "analysis.json: search: unknown scale search 'fast': use exact or grid";
        QTest::newRow("unknown first point")
            << "analysis"
            << R"({"first_point": "L2"})"
            << "analysis.json: first_point: unknown first-point rule 'L2': use l2, max or "
               "output-best";
        QTest::newRow("calib_count 0") << "analysis"
                                       << R"({"calib_count": 0})"
                                       << "analysis.json: calib_count: must be an integer from "
                                          "1 to 1000000";
        QTest::newRow("seed negative") << "analysis"
                                       << R"({"seed": -1})"
                                       << "analysis.json: seed: must be a non-negative integer";
        QTest::newRow("seed fractional") << "analysis"
                                         << R"({"seed": 1.5})"
                                         << "analysis.json: seed: must be a non-negative integer";
        QTest::newRow("analysis not JSON") << "analysis"
                                           << ""
                                           << "analysis.json: not valid JSON (...";
    }

    void malformed()
    {
        QFETCH(QString, codec);
        QFETCH(QString, text);
        QFETCH(QString, message);
        const std::string t = text.toStdString();
        std::string got;
        if (codec == "allocation")
            got = invalidArgument([&] { mpq::allocationSettingsFromJson(t, "project.json"); });
        else if (codec == "overrides")
            got = invalidArgument([&] { mpq::overridesFromJson(t, "overrides.json"); });
        else
            got = invalidArgument([&] { mpq::analysisSettingsFromJson(t, "analysis.json"); });
        if (message.endsWith("..."))
            QVERIFY2(QString::fromStdString(got).startsWith(message.chopped(3)), got.c_str());
        else
            QCOMPARE(QString::fromStdString(got), message);
    }
};

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
