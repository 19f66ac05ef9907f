// The compared methods (docs/multipoint.md section 6) in the cost model of section 4: every
// method's memory overhead and effective bits over all quantizable layers with a float layer
// present, OCS's expand ratio taken from the allocation, mixed precision matched to the
// allocation's budget and ranked by (R_l(b) - R_l(b+1)) per weight with the MSE-optimal single
// point it applies (issue 12, defect 5).
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/baselines.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/methods.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include "testimages.h"
#include <QImage>

#include <QtTest>

namespace {

mpq::ModelProfile profile()
{
    mpq::ModelProfile p;
    p.input.width = 12;
    p.input.height = 10;
    p.input.channels = 3;
    p.input.color = mpq::ColorOrder::Rgb;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.25);
    return p;
}

double onePointError(const mpq::LayerCurves &c)
{
    double e = 0, s = 0;
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        e += c.errorAt(ch, 1);
        s += c.signal[ch];
    }
    return s > 0 ? e / s : 0.0;
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * (1.0 + std::abs(b));
}

} // namespace

class TestMethods : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }
    std::optional<mpq::Model> m_model;
    mpq::Analysis m_analysis; // 3 bits, 3 points, L2 exact
    std::vector<mpq::LayerAtBits> m_single;

    std::int64_t weightsOf(std::size_t i) const
    {
        return m_model->layers()[i].outChannels * m_model->layers()[i].d;
    }
    std::size_t layerNamed(const std::string &name) const
    {
        for (std::size_t i = 0; i < m_model->layers().size(); ++i)
            if (m_model->layers()[i].name == name)
                return i;
        return m_model->layers().size();
    }
    // the layers mixed precision moved to b+1 bits, read from the weights it returns
    std::vector<bool> promoted(const mpq::MethodWeights &w, int b)
    {
        std::vector<bool> out(m_model->layers().size(), false);
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (w.weights[i].empty())
                continue;
            const mpq::LayerAtBits *lo = mpq::findLayerAtBits(m_single, i, b);
            const mpq::LayerAtBits *hi = mpq::findLayerAtBits(m_single, i, b + 1);
            const bool isLo = w.weights[i] == lo->decomposition.reconstruct(1);
            const bool isHi = w.weights[i] == hi->decomposition.reconstruct(1);
            if (isLo == isHi)
                qFatal("layer %zu: the weights are neither the b nor the b+1 bit single point", i);
            out[i] = isHi;
        }
        // ... and the list the method reports (what the CLI and the Compare page name) holds
        // exactly those layers, once each
        std::vector<bool> listed(out.size(), false);
        for (std::size_t i : w.widerLayers) {
            if (i >= listed.size() || listed[i])
                qFatal("widerLayers names layer %zu twice or out of range", i);
            listed[i] = true;
        }
        if (listed != out)
            qFatal("widerLayers is not the set of layers whose weights are at b+1 bits");
        if (w.detail !=
            std::to_string(w.widerLayers.size()) + " layers at " + std::to_string(b + 1) + " bits")
            qFatal("detail '%s' does not count widerLayers", w.detail.c_str());
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 6, 14, 11, 11, 1));
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
        mpqtest::saveConvNet(path("conv.pt"), 2);
        m_model = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.batchSize = 3;
        // the paper's rounding: mixed precision's single points are then the MSE-optimal ones
        // (output-aware ones: tst_outputrounding)
        s.rounding = mpq::Rounding::Nearest;
        m_analysis = mpq::analyze(*m_model, profile(), m_images, s);
        m_single = mpq::mixedPrecisionInputs(*m_model, profile(), m_analysis);
    }

    void mixedPrecisionInputsAreTheAppliedSinglePoint()
    {
        // every layer at b and b+1 bits with one point: the MSE-optimal per-channel scale, and
        // its curves are the output error of exactly that weight
        const std::size_t layers = m_model->layers().size();
        QCOMPARE(m_single.size(), 2 * layers);
        for (int b : {3, 4})
            for (std::size_t i = 0; i < layers; ++i) {
                const mpq::LayerAtBits *a = mpq::findLayerAtBits(m_single, i, b);
                QVERIFY(a);
                const mpq::LayerInfo &l = m_model->layers()[i];
                QCOMPARE(a->decomposition.points(), 1);
                QCOMPARE(a->curves.maxPoints, 1);
                QCOMPARE(a->curves.name, l.name);
                const std::vector<float> mse =
                    mpq::mseOptimalPerChannel(m_model->foldedWeight(i).data(), l.outChannels, l.d,
                                              b)
                        .dequantize();
                const std::vector<float> w = a->decomposition.reconstruct(1);
                for (std::size_t k = 0; k < w.size(); ++k)
                    QVERIFY(std::abs(w[k] - mse[k]) <= 1e-6f * (1.0f + std::abs(mse[k])));
                if (b == 3) // the analysis at 3 bits is L2 exact: its first point is the same
                    for (std::int64_t c = 0; c < l.outChannels; ++c)
                        QVERIFY(std::abs(a->curves.errorAt(c, 1) -
                                         m_analysis.curves[i].errorAt(c, 1)) <=
                                1e-6 * (1.0 + m_analysis.curves[i].signal[c]));
            }
    }

    void everyMethodInTheHonestDenominators()
    {
        // a float layer and a Bits pin present: every figure over all quantizable layers, the
        // float layer at 32 bits in every method (docs/multipoint.md section 4)
        const int b = 3;
        const std::size_t fc = layerNamed("fc"), pw = layerNamed("pw");
        mpq::AllocationSettings as;
        as.bits = b;
        as.rule = mpq::AllocationRule::Budget;
        as.budget = 0.9; // fc float alone costs (32/3 - 1) * 30 / 528 = 0.55
        as.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        QVERIFY(alloc.layers[fc].isFloat);
        std::int64_t all = 0, rows = 0, quantized = 0;
        double storedBits = 0, scales = 0;
        for (std::size_t i = 0; i < m_model->layers().size(); ++i) {
            all += weightsOf(i);
            if (i == fc) {
                storedBits += 32.0 * weightsOf(i);
                continue;
            }
            quantized += weightsOf(i);
            rows += m_model->layers()[i].outChannels;
            for (int n : alloc.layers[i].points) {
                storedBits += double(b) * n * m_model->layers()[i].d;
                scales += n;
            }
        }
        QCOMPARE(all, std::int64_t(528));
        const double floatBits = 32.0 * weightsOf(fc);
        const double baseBits = double(b) * quantized + floatBits;
        QVERIFY(storedBits > baseBits); // the allocation bought extra points

        const auto check = [&](mpq::Method method, double stored, double scaleCount,
                               mpq::MethodWeights *result = nullptr) {
            const mpq::MethodWeights w =
                mpq::methodWeights(*m_model, m_analysis, alloc, {}, method, m_single);
            QVERIFY2(near(w.memoryOverhead, stored / (double(b) * all) - 1.0),
                     mpq::methodName(method));
            QVERIFY2(near(w.effectiveBits, (stored + 32.0 * scaleCount) / all),
                     mpq::methodName(method));
            QVERIFY(w.weights[fc].empty()); // float in every method
            QCOMPARE(w.weights[pw].size(), std::size_t(weightsOf(pw)));
            if (result)
                *result = w;
        };
        mpq::MethodWeights mp;
        check(mpq::Method::Multipoint, storedBits, scales, &mp);
        // the allocation's own figures are in the same denominators
        QVERIFY(near(mp.memoryOverhead, alloc.memoryOverhead));
        QVERIFY(near(mp.effectiveBits, alloc.effectiveBits));
        check(mpq::Method::RoundToNearest, baseBits, double(rows));
        check(mpq::Method::MseChannel, baseBits, double(rows));
        check(mpq::Method::RoundToNearestTensor, baseBits, 4.0);
        // a model of b-bit layers and one float layer is not free: the float layer's 32 bits
        const mpq::MethodWeights rtn =
            mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::RoundToNearest);
        QVERIFY(near(rtn.memoryOverhead, (32.0 / b - 1.0) * weightsOf(fc) / all));

        // OCS spends the allocation's extra bits on the layers it quantizes
        const double ratio = (storedBits - baseBits) / (double(b) * quantized);
        std::int64_t split = 0;
        for (std::size_t i = 0; i < m_model->layers().size(); ++i) {
            if (i == fc)
                continue;
            const mpq::LayerInfo &l = m_model->layers()[i];
            const std::int64_t kernel = l.d / l.weightShape[1];
            const mpq::OcsResult r =
                mpq::outlierChannelSplit(m_model->foldedWeight(i).data(), l.outChannels,
                                         l.weightShape[1], kernel, l.groups, b, ratio);
            split += l.outChannels * (r.splitInChannels - r.inChannels) * kernel;
        }
        QVERIFY(split > 0);
        mpq::MethodWeights ocs;
        check(mpq::Method::Ocs, baseBits + double(b) * split, double(rows), &ocs);
        QCOMPARE(QString::fromStdString(ocs.detail),
                 QString("expand ratio %1 %").arg(ratio * 100, 0, 'f', 1));
        QVERIFY(ocs.widerLayers.empty());

        // mixed precision: its own stored bits (b or b+1 per weight)
        const mpq::MethodWeights mixed = mpq::methodWeights(*m_model, m_analysis, alloc, {},
                                                            mpq::Method::MixedPrecision, m_single);
        const std::vector<bool> up = promoted(mixed, b);
        double mixedBits = baseBits;
        for (std::size_t i = 0; i < up.size(); ++i)
            mixedBits += up[i] ? double(weightsOf(i)) : 0.0;
        QVERIFY(!up[fc]);
        QVERIFY(near(mixed.memoryOverhead, mixedBits / (double(b) * all) - 1.0));
        QVERIFY(near(mixed.effectiveBits, (mixedBits + 32.0 * rows) / all));
    }

    void nextBitMethodsAreAtBPlusOneBits()
    {
        // round-to-nearest and MSE at b+1 bits (issue 14, Compare at matched cost): every
        // quantized weight at b+1 bits plus one fp32 scale per channel, the float layer at 32
        // bits, the weights exactly those of the b+1-bit baselines, no extra MACs
        const int b = 3;
        const std::size_t fc = layerNamed("fc");
        mpq::AllocationSettings as;
        as.bits = b;
        as.rule = mpq::AllocationRule::Budget;
        as.budget = 0.9;
        as.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        std::int64_t all = 0, quantized = 0, rows = 0;
        for (std::size_t i = 0; i < m_model->layers().size(); ++i) {
            all += weightsOf(i);
            if (i != fc) {
                quantized += weightsOf(i);
                rows += m_model->layers()[i].outChannels;
            }
        }
        const double stored = double(b + 1) * quantized + 32.0 * weightsOf(fc);
        for (mpq::Method method : {mpq::Method::RoundToNearestNext, mpq::Method::MseChannelNext}) {
            const mpq::MethodWeights w =
                mpq::methodWeights(*m_model, m_analysis, alloc, {}, method);
            QVERIFY2(near(w.effectiveBits, (stored + 32.0 * rows) / all), mpq::methodName(method));
            QVERIFY2(near(w.memoryOverhead, stored / (double(b) * all) - 1.0),
                     mpq::methodName(method));
            QCOMPARE(w.macOverhead, 0.0);
            QCOMPARE(mpq::methodMacOverhead(*m_model, m_analysis, alloc, method), 0.0);
            QVERIFY(w.weights[fc].empty());
            QCOMPARE(QString::fromStdString(w.detail), QString("all layers at 4 bits"));
            for (std::size_t i = 0; i < m_model->layers().size(); ++i) {
                if (i == fc)
                    continue;
                const mpq::LayerInfo &l = m_model->layers()[i];
                const float *src = m_model->foldedWeight(i).data();
                const std::vector<float> expected =
                    method == mpq::Method::MseChannelNext
                        ? mpq::mseOptimalPerChannel(src, l.outChannels, l.d, b + 1).dequantize()
                        : mpq::roundToNearest(src, l.outChannels, l.d, b + 1,
                                              mpq::Granularity::PerChannel)
                              .dequantize();
                QCOMPARE(w.weights[i], expected);
            }
        }
        // one more bit per weight: the effective bits exceed the b-bit baseline's by exactly
        // quantized / all weights
        const mpq::MethodWeights rtn =
            mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::RoundToNearest);
        const mpq::MethodWeights next =
            mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::RoundToNearestNext);
        QVERIFY(near(next.effectiveBits - rtn.effectiveBits, double(quantized) / all));
        QVERIFY(next.weights != rtn.weights);
        QCOMPARE(mpq::methodFromName("rtn-next"), mpq::Method::RoundToNearestNext);
        QCOMPARE(mpq::methodFromName("mse-next"), mpq::Method::MseChannelNext);
    }

    void macOverheadOfEachMethod()
    {
        // multipoint: the allocation's; OCS: its split input channels times the layer's output
        // positions over all MACs; the others: none
        mpq::AllocationSettings as;
        as.bits = 3;
        as.rule = mpq::AllocationRule::Budget;
        as.budget = 0.2;
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        QVERIFY(alloc.macOverhead > 0.0);
        int disagreements = 0; // methodMacOverhead against methodWeights
        const auto mac = [&](mpq::Method m) {
            const double w =
                mpq::methodWeights(*m_model, m_analysis, alloc, {}, m, m_single).macOverhead;
            if (m != mpq::Method::MixedPrecision && // needs its inputs to quantize
                mpq::methodMacOverhead(*m_model, m_analysis, alloc, m) != w)
                ++disagreements;
            return w;
        };
        QCOMPARE(mac(mpq::Method::Multipoint), alloc.macOverhead);
        QCOMPARE(mac(mpq::Method::RoundToNearest), 0.0);
        QCOMPARE(mac(mpq::Method::MseChannel), 0.0);
        QCOMPARE(mac(mpq::Method::MixedPrecision), 0.0);
        double split = 0, all = 0;
        const double ratio = alloc.memoryOverhead;
        for (std::size_t i = 0; i < m_model->layers().size(); ++i) {
            const mpq::LayerInfo &l = m_model->layers()[i];
            const std::int64_t kernel = l.d / l.weightShape[1];
            const mpq::OcsResult r =
                mpq::outlierChannelSplit(m_model->foldedWeight(i).data(), l.outChannels,
                                         l.weightShape[1], kernel, l.groups, 3, ratio);
            const double positions = double(m_analysis.curves[i].outputPositions);
            split +=
                double(l.outChannels * (r.splitInChannels - r.inChannels) * kernel) * positions;
            all += double(weightsOf(i)) * positions;
        }
        QVERIFY(split > 0);
        QVERIFY(near(mac(mpq::Method::Ocs), split / all));
        QCOMPARE(disagreements, 0);
    }

    void ocsExpandRatioIsTheAllocationsOverhead()
    {
        // without float layers or Bits pins, the extra bits over b bits per weight are exactly
        // the allocation's memory overhead
        mpq::AllocationSettings as;
        as.bits = 3;
        as.rule = mpq::AllocationRule::Budget;
        as.budget = 0.2;
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        QVERIFY(alloc.memoryOverhead > 0.1 && alloc.memoryOverhead <= 0.2);
        const mpq::MethodWeights ocs =
            mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::Ocs);
        QCOMPARE(QString::fromStdString(ocs.detail),
                 QString("expand ratio %1 %").arg(alloc.memoryOverhead * 100, 0, 'f', 1));
        QVERIFY(ocs.memoryOverhead > 0.0);
        // and the weights differ from plain round-to-nearest: channels were split
        const mpq::MethodWeights rtn =
            mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::RoundToNearest);
        QVERIFY(ocs.weights != rtn.weights);
    }

    void mixedPrecisionMatchesTheBudget()
    {
        // the promoted layers' extra bit per weight stays within what the allocation spends
        // beyond b bits, and no layer left at b bits with a gain would still fit
        const int b = 3;
        const std::size_t fc = layerNamed("fc");
        for (double budget : {0.6, 0.7, 1.0}) { // fc float alone costs 0.55
            mpq::AllocationSettings as;
            as.bits = b;
            as.rule = mpq::AllocationRule::Budget;
            as.budget = budget;
            as.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
            const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
            double extra = 0;
            for (std::size_t i = 0; i < alloc.layers.size(); ++i)
                if (i != fc)
                    for (int n : alloc.layers[i].points)
                        extra += double(b) * (n - 1) * m_model->layers()[i].d;
            const mpq::MethodWeights mixed = mpq::methodWeights(
                *m_model, m_analysis, alloc, {}, mpq::Method::MixedPrecision, m_single);
            const std::vector<bool> up = promoted(mixed, b);
            double used = 0;
            for (std::size_t i = 0; i < up.size(); ++i)
                used += up[i] ? double(weightsOf(i)) : 0.0;
            QVERIFY(used <= extra);
            for (std::size_t i = 0; i < up.size(); ++i) {
                if (up[i] || i == fc)
                    continue;
                const double gain = onePointError(mpq::findLayerAtBits(m_single, i, b)->curves) -
                                    onePointError(mpq::findLayerAtBits(m_single, i, b + 1)->curves);
                QVERIFY2(gain <= 0 || used + weightsOf(i) > extra,
                         qPrintable(QString("budget %1: %2 fits but stays at %3 bits")
                                        .arg(budget)
                                        .arg(m_model->layers()[i].name.c_str())
                                        .arg(b)));
            }
            QVERIFY(mixed.memoryOverhead <= alloc.memoryOverhead + 1e-12);
            QCOMPARE(QString::fromStdString(mixed.detail),
                     QString("%1 layers at 4 bits").arg(std::count(up.begin(), up.end(), true)));
        }
    }

    void mixedPrecisionGreedyOrder()
    {
        // Issue 12, defect 5, on constructed errors (s_c = 1, e_c(1) = R_l in every channel).
        // Weights: conv1 216, dw 72, pw 48, grouped 162, fc 30 (528). Budget: grouped pinned
        // to 2 points at 3 bits = 3 * 162 = 486 extra bits.
        // By one-point error (conv1 0.40 > dw 0.30 > pw 0.20 > grouped 0.10 > fc 0.05), the old
        // rule promoted conv1, dw, pw and fc (366 bits; grouped no longer fit). By
        // (R(3) - R(4)) / W: pw 3.5e-3, dw 3.3e-3, fc 1.3e-3, grouped 6.2e-5, conv1 4.6e-5, so
        // pw, dw, fc and grouped (312 bits); conv1 (216) no longer fits.
        const std::map<std::string, std::pair<double, double>> r = {{"conv1", {0.40, 0.39}},
                                                                    {"dw", {0.30, 0.06}},
                                                                    {"pw", {0.20, 0.03}},
                                                                    {"grouped", {0.10, 0.09}},
                                                                    {"fc", {0.05, 0.01}}};
        std::vector<mpq::LayerAtBits> single = m_single;
        for (mpq::LayerAtBits &a : single) {
            const auto &[lo, hi] = r.at(a.curves.name);
            a.curves.signal.assign(a.curves.channels, 1.0);
            a.curves.error.assign(a.curves.channels, a.bits == 3 ? lo : hi);
        }
        mpq::AllocationSettings as;
        as.bits = 3;
        as.epsilon = 1e9; // one point everywhere...
        as.overrides["grouped"] = {mpq::LayerOverride::Kind::Points, 2, 0}; // ...but here
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        const mpq::MethodWeights mixed = mpq::methodWeights(*m_model, m_analysis, alloc, {},
                                                            mpq::Method::MixedPrecision, single);
        std::vector<bool> up(m_model->layers().size(), false);
        for (std::size_t i = 0; i < up.size(); ++i) {
            const mpq::LayerAtBits *hi = mpq::findLayerAtBits(single, i, 4);
            const mpq::LayerAtBits *lo = mpq::findLayerAtBits(single, i, 3);
            up[i] = mixed.weights[i] == hi->decomposition.reconstruct(1);
            QVERIFY(up[i] || mixed.weights[i] == lo->decomposition.reconstruct(1));
        }
        QVERIFY(!up[layerNamed("conv1")]);
        QVERIFY(up[layerNamed("dw")]);
        QVERIFY(up[layerNamed("pw")]);
        QVERIFY(up[layerNamed("grouped")]);
        QVERIFY(up[layerNamed("fc")]);
        QVERIFY(near(mixed.memoryOverhead, 312.0 / (3.0 * 528)));
        QVERIFY(near(mixed.effectiveBits, (3.0 * 528 + 312 + 32.0 * 33) / 528));
        QCOMPARE(QString::fromStdString(mixed.detail), QString("4 layers at 4 bits"));

        // a layer no better at b+1 bits is never promoted, even when the budget allows
        for (mpq::LayerAtBits &a : single)
            if (a.curves.name == "dw" && a.bits == 4)
                a.curves.error.assign(a.curves.channels, 0.30);
        const mpq::MethodWeights noGain = mpq::methodWeights(*m_model, m_analysis, alloc, {},
                                                             mpq::Method::MixedPrecision, single);
        const std::size_t dw = layerNamed("dw");
        QVERIFY(noGain.weights[dw] ==
                mpq::findLayerAtBits(single, dw, 3)->decomposition.reconstruct(1));
    }

    void mixedPrecisionNeedsItsInputs()
    {
        mpq::AllocationSettings as;
        as.bits = 3;
        const mpq::Allocation alloc = mpq::allocate(m_analysis.curves, as);
        std::vector<mpq::LayerAtBits> partial;
        for (const mpq::LayerAtBits &a : m_single)
            if (!(a.curves.name == "pw" && a.bits == 4))
                partial.push_back(a);
        const std::vector<mpq::LayerAtBits> none;
        using List = std::vector<mpq::LayerAtBits>;
        for (const List *given : std::vector<const List *>{&partial, &none}) {
            try {
                mpq::methodWeights(*m_model, m_analysis, alloc, {}, mpq::Method::MixedPrecision,
                                   *given);
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
                const std::string what = e.what();
                QVERIFY2(what.find(given == &partial ? "pw" : "conv1") != std::string::npos,
                         e.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestMethods)
#include "tst_methods.moc"
