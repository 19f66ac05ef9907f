// Why did this prediction flip (issue 15): delta debugging over layers on a constructed model
// where one layer's quantization is known to cause the flip, ddmin on predicates with
// interacting elements, the cases it cannot explain, and cancellation.
// torch before Qt: Qt's `slots` macro breaks LibTorch's headers (docs/building.md)
#include <torch/script.h>

#include "mpq/error.h"
#include "mpq/explain.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"

#include "testimages.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

namespace {

torch::jit::Module linearLayer(const std::string &name, std::vector<float> weight,
                               std::vector<float> bias)
{
    torch::jit::Module m(name);
    const std::int64_t out = std::int64_t(bias.size());
    m.register_parameter(
        "weight", torch::tensor(weight).reshape({out, std::int64_t(weight.size()) / out}), false);
    m.register_parameter("bias", torch::tensor(bias), false);
    m.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    return m;
}

/// FlipNet: h = mean over space of the normalized image (3 values), logits = fc3(fc2(fc1(h))).
/// At 4 bits (grid -7..7) with one point per channel, every row keeps its 1 and loses its small
/// entries: fc1 row 0 loses 0.03 h2, fc3 row 1 loses 0.02 b0 (neither decides a class on the
/// images below), and fc2 row 1 = [1, 0.07, 0.0049] with bias -0.035 loses 0.07 a1 + 0.0049 a2,
/// which flips class 1 to class 0. A second point restores 0.07 (residual step 0.01) but not
/// 0.0049 (below half a step).
void saveFlipNet(const std::string &path)
{
    torch::jit::Module m("FlipNet");
    m.register_module("fc1", linearLayer("Fc1", {1, 0, 0.03f, 0, 1, 0, 0, 0, 1}, {0, 0, 0}));
    m.register_module("fc2",
                      linearLayer("Fc2", {1, 0, 0, 1, 0.07f, 0.0049f, 0, 0, 1}, {0, -0.035f, 0}));
    m.register_module("fc3", linearLayer("Fc3", {1, 0, 0, 0.02f, 1, 0}, {0, 0}));
    m.define(R"(
def forward(self, x):
    return self.fc3.forward(self.fc2.forward(self.fc1.forward(x.mean([2, 3]))))
)");
    m.save(path);
}

/// FlipNet's layers as a detector: one box (input pixels 0, 0, 4, 4) with the softmax of the
/// logits as its per-class scores (boxes-scores decoder). At a score threshold of 0.5 the box
/// carries the top class only: float class 1, quantized class 0 on the images below.
void saveFlipDetector(const std::string &path)
{
    torch::jit::Module m("FlipDetector");
    m.register_module("fc1", linearLayer("Fc1", {1, 0, 0.03f, 0, 1, 0, 0, 0, 1}, {0, 0, 0}));
    m.register_module("fc2",
                      linearLayer("Fc2", {1, 0, 0, 1, 0.07f, 0.0049f, 0, 0, 1}, {0, -0.035f, 0}));
    m.register_module("fc3", linearLayer("Fc3", {1, 0, 0, 0.02f, 1, 0}, {0, 0}));
    m.register_buffer("box", torch::tensor({0.0f, 0.0f, 4.0f, 4.0f}));
    m.define(R"(
def forward(self, x):
    logits = self.fc3.forward(self.fc2.forward(self.fc1.forward(x.mean([2, 3]))))
    scores = torch.softmax(logits, 1).unsqueeze(1)
    boxes = self.box.reshape([1, 1, 4]).repeat([x.size(0), 1, 1])
    return (boxes, scores)
)");
    m.save(path);
}

bool writeSolid(const QString &path, int r, int g, int b)
{
    QImage img(8, 8, QImage::Format_RGB32);
    img.fill(qRgb(r, g, b));
    return img.save(path);
}

// the code of the mpq::Error that f throws, -1 when it throws none
template <class F> int errorOf(F &&f)
{
    try {
        f();
    } catch (const mpq::Error &e) {
        return int(e.code());
    }
    return -1;
}

} // namespace

class TestExplain : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpq::OpenedModel m_opened;
    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

    mpq::Quantization quantization(int budgetPoints = 0)
    {
        mpq::AllocationSettings s;
        s.bits = 4;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = budgetPoints; // 0: every channel one point
        return mpq::reallocate(m_analysis, nullptr, s);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        saveFlipNet(path("flip.pt"));
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("calib"), 4, 8, 8, 3));
        QVERIFY(writeSolid(m_dir.filePath("green.png"), 0, 255, 0)); // h = (0, 1, 0)
        QVERIFY(writeSolid(m_dir.filePath("blue.png"), 0, 0, 255));  // h = (0, 0, 10)
        QVERIFY(writeSolid(m_dir.filePath("black.png"), 0, 0, 0));   // h = 0
        m_opened.path = path("flip.pt");
        m_opened.model = std::make_shared<const mpq::Model>(mpq::Model::load(path("flip.pt")));
        m_opened.hasProfile = true;
        mpq::ModelProfile &p = m_opened.profile;
        p.task = mpq::Task::Classification;
        p.labels = {"zero", "one"};
        p.input.width = 8;
        p.input.height = 8;
        p.input.mean = {0, 0, 0};
        p.input.std = {1, 1, 0.1};
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 2;
        s.calibCount = 4;
        s.batchSize = 4;
        s.sensitivity = false;
        m_analysis = std::make_shared<const mpq::Analysis>(mpq::analyze(
            *m_opened.model, p, mpq::findImages(m_dir.filePath("calib").toStdString()), s));
        QCOMPARE(m_analysis->layers.size(), std::size_t(3));
    }

    void restoringFloatFindsExactlyTheFlippingLayer()
    {
        const mpq::Quantization q = quantization();
        for (const mpq::LayerAllocation &l : q.allocation.layers)
            QCOMPARE(l.maxPoints, 1);
        for (const char *image : {"green.png", "blue.png"}) {
            const mpq::FlipExplanation e =
                mpq::explainFlip(m_opened, q, path(image), mpq::ExplainMode::RestoreFloat);
            QCOMPARE(int(e.outcome), int(mpq::ExplainOutcome::Explained));
            // float says class 1, the quantized model class 0
            QVERIFY(e.prediction.floatProbabilities[1] > e.prediction.floatProbabilities[0]);
            QVERIFY(e.prediction.quantizedProbabilities[0] >
                    e.prediction.quantizedProbabilities[1]);
            QCOMPARE(e.candidates, 3); // every layer loses something at one point
            QCOMPARE(e.layers, std::vector<std::string>{"fc2"});
            QVERIFY(e.oneMinimal);
            QCOMPARE(int(e.overrides.at("fc2").kind), int(mpq::LayerOverride::Kind::Float));
            QVERIFY(e.restoredProbabilities[1] > e.restoredProbabilities[0]);
            QVERIFY(e.appliedRestores);
            // fc2 in float: (32 - 4) bits on its 9 of the model's 9 + 9 + 6 weights, nothing else
            QCOMPARE(e.memoryOverheadBefore, 0.0);
            QCOMPARE(e.memoryOverhead, 28.0 * 9 / (4.0 * 24));
            QCOMPARE(e.macOverhead, 0.0);
            // float, as allocated, all restored, then ddmin (3 candidates: a few), then applied
            QVERIFY2(e.forwards >= 5 && e.forwards <= 12, std::to_string(e.forwards).c_str());
        }
    }

    void addingAPointExplainsOnlyWhatAPointFixes()
    {
        const mpq::Quantization q = quantization();
        // green: fc2's second point brings back 0.07
        const mpq::FlipExplanation green =
            mpq::explainFlip(m_opened, q, path("green.png"), mpq::ExplainMode::AddPoint);
        QCOMPARE(int(green.outcome), int(mpq::ExplainOutcome::Explained));
        QCOMPARE(green.layers, std::vector<std::string>{"fc2"});
        QVERIFY(green.oneMinimal);
        QCOMPARE(int(green.overrides.at("fc2").kind), int(mpq::LayerOverride::Kind::Points));
        QCOMPARE(green.overrides.at("fc2").points, 2);
        QVERIFY(green.appliedRestores);
        QVERIFY(green.memoryOverhead > 0.0);
        QVERIFY(green.macOverhead > 0.0);
        // blue: the flip comes from 0.0049, which no second point restores
        const mpq::FlipExplanation blue =
            mpq::explainFlip(m_opened, q, path("blue.png"), mpq::ExplainMode::AddPoint);
        QCOMPARE(int(blue.outcome), int(mpq::ExplainOutcome::CannotExplain));
        QVERIFY(blue.layers.empty());
        QVERIFY(QString::fromStdString(blue.reason).contains("does not restore"));
        QCOMPARE(blue.forwards, 3); // float, as allocated, every layer with a point more
    }

    void detectorBoxChangesClass()
    {
        // a detector: the box's class flips; the explanation compares boxes (one to one, same
        // class, IoU >= 0.5) at the threshold given
        saveFlipDetector(path("detector.pt"));
        mpq::OpenedModel opened;
        opened.path = path("detector.pt");
        opened.model = std::make_shared<const mpq::Model>(mpq::Model::load(path("detector.pt")));
        opened.hasProfile = true;
        opened.profile = m_opened.profile;
        opened.profile.task = mpq::Task::Detection;
        opened.profile.output.decoder = mpq::DecoderKind::BoxesScores;
        opened.profile.output.scoreThreshold = 0.5;
        mpq::AnalysisSettings s = m_analysis->settings;
        const auto analysis = std::make_shared<const mpq::Analysis>(
            mpq::analyze(*opened.model, opened.profile,
                         mpq::findImages(m_dir.filePath("calib").toStdString()), s));
        mpq::AllocationSettings a;
        a.bits = 4;
        a.rule = mpq::AllocationRule::Budget;
        a.budget = 0;
        const mpq::Quantization q = mpq::reallocate(analysis, nullptr, a);
        const mpq::FlipExplanation e =
            mpq::explainFlip(opened, q, path("green.png"), mpq::ExplainMode::RestoreFloat);
        QCOMPARE(int(e.outcome), int(mpq::ExplainOutcome::Explained));
        QCOMPARE(e.scoreThreshold, 0.5);
        QCOMPARE(e.prediction.floatDetections.size(), std::size_t(1));
        QCOMPARE(e.prediction.floatDetections[0].label, 1);
        QCOMPARE(e.prediction.quantizedDetections.size(), std::size_t(1));
        QCOMPARE(e.prediction.quantizedDetections[0].label, 0);
        QCOMPARE(e.layers, std::vector<std::string>{"fc2"});
        QVERIFY(e.oneMinimal);
        QCOMPARE(e.restoredDetections.size(), std::size_t(1));
        QCOMPARE(e.restoredDetections[0].label, 1);
        // at a threshold of 0.05 both classes' boxes show in float and quantized alike
        mpq::ExplainOptions low;
        low.scoreThreshold = 0.05;
        const mpq::FlipExplanation same =
            mpq::explainFlip(opened, q, path("green.png"), mpq::ExplainMode::RestoreFloat, {}, low);
        QCOMPARE(int(same.outcome), int(mpq::ExplainOutcome::NotFlipped));
        QCOMPARE(same.prediction.floatDetections.size(), std::size_t(2));
    }

    void anUnflippedImageIsSaidToBeSo()
    {
        const mpq::FlipExplanation e = mpq::explainFlip(m_opened, quantization(), path("black.png"),
                                                        mpq::ExplainMode::RestoreFloat);
        QCOMPARE(int(e.outcome), int(mpq::ExplainOutcome::NotFlipped));
        QCOMPARE(e.forwards, 2);
        QVERIFY(e.layers.empty());
    }

    void noPointLeftToAdd()
    {
        // with every channel at the analysis' maximum there is nothing to add
        mpq::AllocationSettings s;
        s.bits = 4;
        for (const char *layer : {"fc1", "fc2", "fc3"})
            s.overrides[layer] = {mpq::LayerOverride::Kind::Points, 2, 0};
        const mpq::Quantization q = mpq::reallocate(m_analysis, nullptr, s);
        // (channels whose row is exact at one point stay at one: a second point adds nothing)
        for (const mpq::LayerAllocation &l : q.allocation.layers)
            QCOMPARE(l.maxPoints, 2);
        const mpq::FlipExplanation e =
            mpq::explainFlip(m_opened, q, path("blue.png"), mpq::ExplainMode::AddPoint);
        QCOMPARE(int(e.outcome), int(mpq::ExplainOutcome::CannotExplain));
        QCOMPARE(e.candidates, 0);
    }

    void cancelling()
    {
        int polls = 0;
        mpq::JobControl control;
        control.isCancelled = [&polls] { return ++polls > 3; };
        const int code = errorOf([&] {
            mpq::explainFlip(m_opened, quantization(), path("green.png"),
                             mpq::ExplainMode::RestoreFloat, control);
        });
        QCOMPARE(code, int(mpq::ErrorCode::Cancelled));
        QVERIFY(polls > 3);
        // progress never goes back and ends at 1
        std::vector<double> seen;
        mpq::JobControl watch;
        watch.progress = [&seen](double f) { seen.push_back(f); };
        mpq::explainFlip(m_opened, quantization(), path("green.png"),
                         mpq::ExplainMode::RestoreFloat, watch);
        QVERIFY(!seen.empty());
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);
    }

    void ddminFindsTwoInteractingElements()
    {
        // restored only when both 2 and 7 are in the set (neither alone does it)
        int calls = 0;
        const auto test = [&calls](const std::vector<std::size_t> &s) {
            ++calls;
            return std::count(s.begin(), s.end(), 2) && std::count(s.begin(), s.end(), 7);
        };
        const mpq::DeltaDebugResult r = mpq::deltaDebug(16, test);
        QCOMPARE(r.set, (std::vector<std::size_t>{2, 7}));
        QVERIFY(r.oneMinimal);
        QCOMPARE(r.tests, calls); // nothing tested twice
        QVERIFY(r.tests < 40);
    }

    void ddminTakesOneOfTwoAlternatives()
    {
        // either 3 or 12 alone does it: a single one is 1-minimal
        const auto test = [](const std::vector<std::size_t> &s) {
            return std::count(s.begin(), s.end(), 3) || std::count(s.begin(), s.end(), 12);
        };
        const mpq::DeltaDebugResult r = mpq::deltaDebug(16, test);
        QCOMPARE(r.set.size(), std::size_t(1));
        QVERIFY(r.set[0] == 3 || r.set[0] == 12);
        QVERIFY(r.oneMinimal);
    }

    void ddminNeedsEverything()
    {
        // only the whole set does it: ddmin keeps all, and it is 1-minimal
        const auto test = [](const std::vector<std::size_t> &s) { return s.size() == 5; };
        const mpq::DeltaDebugResult r = mpq::deltaDebug(5, test);
        QCOMPARE(r.set.size(), std::size_t(5));
        QVERIFY(r.oneMinimal);
    }

    void ddminIsCancellable()
    {
        mpq::JobControl control;
        int polls = 0;
        control.isCancelled = [&polls] { return ++polls > 2; };
        const int code = errorOf([&] {
            mpq::deltaDebug(
                32, [](const std::vector<std::size_t> &s) { return s.size() > 20; }, control);
        });
        QCOMPARE(code, int(mpq::ErrorCode::Cancelled));
    }
};

QTEST_GUILESS_MAIN(TestExplain)
#include "tst_explain.moc"
