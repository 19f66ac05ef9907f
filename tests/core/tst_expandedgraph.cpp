// The expanded export's graph (docs/expanded-export.md): at a 0 % budget every quantized layer call
// is one operation with the layer's bias, as in the float model (no scaling, bias or index_add
// pass of its own); with further points each layer adds exactly one extra operation, one
// in-place index_add_ and, with a bias, one in-place add; the stored rows are codes times scales,
// and codes = round(weight / scale) gives back the decomposition's integer codes exactly, for the
// base and the extra rows.
#include "convnetprofile.h"
#include "mpq/analysis.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include <torch/csrc/jit/passes/inliner.h>
#include <torch/script.h>

#include "testimages.h"
#include <QImage>

#include <QtTest>

#include <map>

namespace {

// How many nodes of each kind the (inlined) forward of a TorchScript file runs, in every block.
void countKinds(torch::jit::Block *block, std::map<std::string, int> &kinds)
{
    for (torch::jit::Node *n : block->nodes()) {
        ++kinds[n->kind().toQualString()];
        for (torch::jit::Block *b : n->blocks())
            countKinds(b, kinds);
    }
}

std::map<std::string, int> kindsOf(const std::string &file)
{
    torch::jit::Module m = torch::jit::load(file);
    auto graph = m.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    std::map<std::string, int> kinds;
    countKinds(graph->block(), kinds);
    return kinds;
}

int count(const std::map<std::string, int> &kinds, const std::string &kind)
{
    const auto it = kinds.find(kind);
    return it == kinds.end() ? 0 : it->second;
}

// The layer operations of a graph, whatever form the source wrote them in.
int layerOps(const std::map<std::string, int> &k)
{
    return count(k, "aten::conv1d") + count(k, "aten::conv2d") + count(k, "aten::_convolution") +
           count(k, "aten::linear") + count(k, "aten::addmm");
}

std::string identifier(std::string name)
{
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

at::Tensor attr(torch::jit::Module &m, const std::string &name)
{
    return m.attr(name).toTensor().contiguous();
}

} // namespace

class TestExpandedGraph : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const QString &name) const { return m_dir.filePath(name).toStdString(); }

    struct Prepared
    {
        mpq::Model model;
        mpq::Analysis analysis;
        mpq::AllocationSettings settings;
        mpq::Allocation allocation;
    };

    Prepared prepare(const std::string &model, int bits, mpq::AllocationRule rule, double budget)
    {
        mpq::Model m = mpq::Model::load(model);
        mpq::AnalysisSettings s;
        s.bits = bits;
        s.maxPoints = 4;
        s.calibCount = static_cast<int>(m_images.size());
        s.batchSize = 4;
        mpq::Analysis a = mpq::analyze(m, mpqtest::convNetProfile(), m_images, s);
        mpq::AllocationSettings as;
        as.bits = bits;
        as.rule = rule;
        as.budget = budget;
        as.epsilon = 1e-3;
        mpq::Allocation alloc = mpq::allocate(a.curves, as);
        return {std::move(m), std::move(a), as, std::move(alloc)};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 8, 14, 12, 17));
        m_images = mpq::findImages(path("images"));
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveSharedNet(path("shared.pt"), 2);
        mpqtest::saveLoopNet(path("loop.pt"), 3);
        mpqtest::saveGroupedNet(path("grouped.pt"), 5);
        mpqtest::saveTracedStyleNet(path("traced.pt"), 6);
    }

    void models_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("conv + BN, depthwise, grouped, linear") << "conv.pt";
        QTest::newRow("shared weights + addmm") << "shared.pt";
        QTest::newRow("loops and branches, conv1d") << "loop.pt";
        QTest::newRow("grouped first layer") << "grouped.pt";
        QTest::newRow("traced style, bias") << "traced.pt";
    }

    // At a 0 % budget the expanded graph runs what the fake-quant (= float) graph runs: one
    // operation per layer call, and no multiplication, addition, view or index_add beyond the
    // model's own.
    void singlePointIsOneOperation_data() { models_data(); }
    void singlePointIsOneOperation()
    {
        QFETCH(QString, model);
        const Prepared p = prepare(path(model), 4, mpq::AllocationRule::Budget, 0.0);
        QCOMPARE(p.allocation.extraWeights, std::int64_t(0));
        const std::string stem = path(model + "-0");
        mpq::ModelRunner inApp = mpq::quantizedRunner(p.model, p.analysis, p.allocation, {});
        mpq::exportFakeQuant(
            inApp, stem + "-fq.pt",
            mpq::exportManifest(p.analysis, p.allocation, p.settings, "test", "fakequant"),
            mpqtest::convNetProfile(), {});
        const mpq::ExpandedExport ex = mpq::exportExpanded(
            p.model, p.analysis, p.allocation, {}, stem + "-ex.pt",
            mpq::exportManifest(p.analysis, p.allocation, p.settings, "test", "expanded"),
            mpqtest::convNetProfile(), m_images);
        QVERIFY2(ex.verification.maxRelativeDifference <= 1e-5,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        const auto fq = kindsOf(stem + "-fq.pt"), exk = kindsOf(stem + "-ex.pt");
        QVERIFY(layerOps(fq) > 0);
        QCOMPARE(layerOps(exk), layerOps(fq));
        for (const char *kind : {"aten::mul", "aten::add", "aten::add_", "aten::view",
                                 "aten::index_add", "aten::index_add_", "aten::index_select"})
            QVERIFY2(count(exk, kind) == count(fq, kind),
                     qPrintable(QString("%1: %2 in the expanded graph, %3 in the fake-quant one")
                                    .arg(kind)
                                    .arg(count(exk, kind))
                                    .arg(count(fq, kind))));
    }

    // With further points: per layer that has extra rows, one more operation and one in-place
    // index_add_ per call, still no scaling pass; the stored rows give back the codes exactly.
    void extraRowsAndCodes_data() { models_data(); }
    void extraRowsAndCodes()
    {
        QFETCH(QString, model);
        const Prepared p = prepare(path(model), 2, mpq::AllocationRule::Threshold, 0.0);
        QVERIFY2(p.allocation.extraWeights > 0, "the allocation must give some channels points");
        const std::string stem = path(model + "-t");
        mpq::ModelRunner inApp = mpq::quantizedRunner(p.model, p.analysis, p.allocation, {});
        mpq::exportFakeQuant(
            inApp, stem + "-fq.pt",
            mpq::exportManifest(p.analysis, p.allocation, p.settings, "test", "fakequant"),
            mpqtest::convNetProfile(), {});
        const mpq::ExpandedExport ex = mpq::exportExpanded(
            p.model, p.analysis, p.allocation, {}, stem + "-ex.pt",
            mpq::exportManifest(p.analysis, p.allocation, p.settings, "test", "expanded"),
            mpqtest::convNetProfile(), m_images);
        QVERIFY2(ex.verification.maxRelativeDifference <= 1e-5,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        const auto fq = kindsOf(stem + "-fq.pt"), exk = kindsOf(stem + "-ex.pt");
        const int added = layerOps(exk) - layerOps(fq);
        QVERIFY(added > 0);
        QCOMPARE(count(exk, "aten::index_add_"), added);
        QCOMPARE(count(exk, "aten::index_add"), 0);
        for (const char *kind : {"aten::mul", "aten::add"})
            QCOMPARE(count(exk, kind), count(fq, kind));
        // a layer with extra rows adds its bias after the sum of points: at most one in-place add
        // (and a view of the bias for convolutions) per extra operation
        QVERIFY(count(exk, "aten::add_") <= count(fq, "aten::add_") + added);
        QVERIFY(count(exk, "aten::view") <= count(fq, "aten::view") + added);

        // codes = round(weight / scale), exactly the decomposition's (padding rows: zeros)
        torch::jit::Module m = torch::jit::load(stem + "-ex.pt");
        std::size_t checkedExtra = 0;
        for (std::size_t l = 0; l < p.model.layers().size(); ++l) {
            const std::string id = identifier(p.model.layers()[l].name);
            const mpq::MatrixDecomposition &dec = p.analysis.decompositions[l];
            const std::int64_t d = dec.cols();
            const at::Tensor base = attr(m, id + "__mpq_base").view({dec.rows(), d});
            const at::Tensor baseScale = attr(m, id + "__mpq_base_scale");
            QCOMPARE(baseScale.numel(), dec.rows());
            for (std::int64_t c = 0; c < dec.rows(); ++c) {
                const float s = baseScale[c].item<float>();
                QCOMPARE(s, dec.scale(c, 0));
                for (std::int64_t k = 0; k < d; ++k)
                    QCOMPARE(int(std::lround(base[c][k].item<float>() / s)),
                             int(dec.code(c, 0)[k]));
            }
            if (ex.layers[l].extraRowsRun == 0)
                continue;
            const std::int64_t rows = ex.layers[l].extraRowsRun;
            const at::Tensor extra = attr(m, id + "__mpq_extra").view({rows, d});
            const at::Tensor scale = attr(m, id + "__mpq_extra_scale");
            const at::Tensor channel = attr(m, id + "__mpq_extra_channel");
            // rows of one channel come in point order: count them to know each row's point
            std::map<std::int64_t, int> seen;
            for (std::int64_t r = 0; r < rows; ++r) {
                const float s = scale[r].item<float>();
                const std::int64_t c = channel[r].item<std::int64_t>();
                if (s == 0.0f) { // padding row of a grouped layer
                    QCOMPARE(extra[r].abs().max().item<float>(), 0.0f);
                    continue;
                }
                const int n = ++seen[c];
                QVERIFY(n < p.allocation.layers[l].points[std::size_t(c)]);
                QCOMPARE(s, dec.scale(c, n));
                for (std::int64_t k = 0; k < d; ++k)
                    QCOMPARE(int(std::lround(extra[r][k].item<float>() / s)),
                             int(dec.code(c, n)[k]));
                ++checkedExtra;
            }
        }
        QCOMPARE(std::int64_t(checkedExtra), [&] {
            std::int64_t rows = 0;
            for (const mpq::ExpandedLayer &e : ex.layers)
                rows += e.extraRows;
            return rows;
        }());
    }
};

QTEST_GUILESS_MAIN(TestExpandedGraph)
#include "tst_expandedgraph.moc"
