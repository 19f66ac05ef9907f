#include "report.h"

#include "mpq/grid.h"

#include <QStringList>

#include <cmath>

namespace {

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList parts;
    for (std::int64_t v : shape)
        parts << QString::number(v);
    return parts.join('x');
}

QString sqnrText(double db)
{
    return std::isinf(db) ? QStringLiteral("inf") : QString::number(db, 'f', 1);
}

QString percentText(double fraction)
{
    return QString::number(fraction * 100, 'f', 1) + " %";
}

QString ruleText(const mpq::AllocationSettings &s)
{
    // docs/multipoint.md section 9
    const QString corrected = s.biasCorrection ? QStringLiteral(", bias correction") : QString();
    if (s.rule == mpq::AllocationRule::Threshold)
        return QStringLiteral("threshold rule, epsilon %1").arg(s.epsilon, 0, 'g', 3) + corrected;
    return QStringLiteral("budget rule, %1 % %2")
               .arg(s.budget * 100, 0, 'f', 1)
               .arg(s.cost == mpq::BudgetCost::Memory ? "memory" : "MACs") +
           corrected;
}

} // namespace

void printTable(QTextStream &out, const mpq::Analysis &a, const mpq::Allocation &alloc,
                const mpq::AllocationSettings &settings)
{
    int nameWidth = 5;
    for (const mpq::LayerAllocation &l : alloc.layers)
        nameWidth = std::max(nameWidth, int(l.name.size()));
    // overhead and MACs per layer as in docs/multipoint.md section 4: a float layer costs
    // 32/b - 1 of its weights, its MACs run in float and are not charged
    out << QString("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10\n")
               .arg("layer", -nameWidth)
               .arg("kind", -6)
               .arg("shape", -14)
               .arg("ch", 5)
               .arg("mean pts", 8)
               .arg("max", 3)
               .arg("overhead", 8)
               .arg("MACs", 8)
               .arg("rel. error", 10)
               .arg("SQNR dB", 7);
    for (std::size_t i = 0; i < alloc.layers.size(); ++i) {
        const mpq::LayerAllocation &l = alloc.layers[i];
        const mpq::LayerInfo &info = a.layers[i];
        const QString kind = QString(mpq::layerKindName(info.kind));
        if (l.isFloat) {
            out << QString("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10  float (32 bits)\n")
                       .arg(QString::fromStdString(l.name), -nameWidth)
                       .arg(kind, -6)
                       .arg(shapeText(info.weightShape), -14)
                       .arg(info.outChannels, 5)
                       .arg("-", 8)
                       .arg("-", 3)
                       .arg(percentText(l.overhead), 8)
                       .arg("float", 8)
                       .arg("-", 10)
                       .arg("-", 7);
            continue;
        }
        out << QString("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10%11\n")
                   .arg(QString::fromStdString(l.name), -nameWidth)
                   .arg(kind, -6)
                   .arg(shapeText(info.weightShape), -14)
                   .arg(info.outChannels, 5)
                   .arg(l.meanPoints, 8, 'f', 2)
                   .arg(l.maxPoints, 3)
                   .arg(percentText(l.overhead), 8)
                   .arg(percentText(l.macOverhead), 8)
                   .arg(l.relativeError, 10, 'e', 2)
                   .arg(sqnrText(l.sqnrDb), 7)
                   .arg(l.bits != a.settings.bits ? QString("  (%1 bits)").arg(l.bits) : QString());
    }
    // the totals over all quantizable layers against the single-point b-bit model
    // extra points of fewer bits (docs/multipoint.md section 11) are stored at their own bits
    const int extraBits = mpq::extraPointBits(a.settings.bits, a.settings.extraPointBits);
    out << QString("\nmodel: %1 M weights at %2 bits, %3 M extra%4 (%5 memory), %6 MACs, "
                   "effective bits %7")
               .arg(alloc.allWeights / 1e6, 0, 'f', 3)
               .arg(a.settings.bits)
               .arg(alloc.extraWeights / 1e6, 0, 'f', 3)
               .arg(extraBits != a.settings.bits
                        ? QString(" at %1 bit%2%3")
                              .arg(extraBits)
                              .arg(extraBits == 1 ? "" : "s")
                              .arg(a.settings.halfStepPair ? ", half-step pairs" : "")
                        : QString())
               .arg(percentText(alloc.memoryOverhead))
               .arg(percentText(alloc.macOverhead))
               .arg(alloc.effectiveBits, 0, 'f', 2);
    if (alloc.floatWeights > 0)
        out << QString(", %1 M weights kept float (%2 M float MACs, %3 of all MACs, not charged)")
                   .arg(alloc.floatWeights / 1e6, 0, 'f', 3)
                   .arg(alloc.floatMacs / 1e6, 0, 'f', 3)
                   .arg(percentText(alloc.floatMacShare));
    if (alloc.pinnedCostBits != 0 || alloc.pinnedExtraMacs != 0)
        out << QString(", pinned layers %1 memory, %2 MACs")
                   .arg(percentText(alloc.pinnedMemoryOverhead))
                   .arg(percentText(alloc.pinnedMacOverhead));
    out << "\n"
        << ruleText(settings)
        << QString(", %1 layers, analysis %2 s on %3 images\n")
               .arg(alloc.layers.size())
               .arg(a.seconds, 0, 'f', 1)
               .arg(a.calibrationFiles.size());
    out.flush();
}
