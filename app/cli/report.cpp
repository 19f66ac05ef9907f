#include "report.h"

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

QString ruleText(const mpq::AllocationSettings &s)
{
    if (s.rule == mpq::AllocationRule::Threshold)
        return QStringLiteral("threshold rule, epsilon %1").arg(s.epsilon, 0, 'g', 3);
    return QStringLiteral("budget rule, %1 % %2")
        .arg(s.budget * 100, 0, 'f', 1)
        .arg(s.cost == mpq::BudgetCost::Memory ? "memory" : "MACs");
}

} // namespace

void printTable(QTextStream &out, const mpq::Analysis &a, const mpq::Allocation &alloc,
                const mpq::AllocationSettings &settings)
{
    int nameWidth = 5;
    for (const mpq::LayerAllocation &l : alloc.layers)
        nameWidth = std::max(nameWidth, int(l.name.size()));
    out << QString("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
               .arg("layer", -nameWidth)
               .arg("kind", -6)
               .arg("shape", -14)
               .arg("ch", 5)
               .arg("mean pts", 8)
               .arg("max", 3)
               .arg("overhead", 8)
               .arg("rel. error", 10)
               .arg("SQNR dB", 7);
    for (std::size_t i = 0; i < alloc.layers.size(); ++i) {
        const mpq::LayerAllocation &l = alloc.layers[i];
        const mpq::LayerInfo &info = a.layers[i];
        const QString kind = QString(mpq::layerKindName(info.kind));
        if (l.isFloat) {
            out << QString("%1  %2  %3  %4  %5\n")
                       .arg(QString::fromStdString(l.name), -nameWidth)
                       .arg(kind, -6)
                       .arg(shapeText(info.weightShape), -14)
                       .arg(info.outChannels, 5)
                       .arg("float (32 bits)");
            continue;
        }
        out << QString("%1  %2  %3  %4  %5  %6  %7  %8  %9%10\n")
                   .arg(QString::fromStdString(l.name), -nameWidth)
                   .arg(kind, -6)
                   .arg(shapeText(info.weightShape), -14)
                   .arg(info.outChannels, 5)
                   .arg(l.meanPoints, 8, 'f', 2)
                   .arg(l.maxPoints, 3)
                   .arg(QString::number(l.overhead * 100, 'f', 1) + " %", 8)
                   .arg(l.relativeError, 10, 'e', 2)
                   .arg(sqnrText(l.sqnrDb), 7)
                   .arg(l.bits != a.settings.bits ? QString("  (%1 bits)").arg(l.bits) : QString());
    }
    out << QString(
               "\nmodel: %1 M quantized weights at %2 bits, %3 M extra (%4 % memory), %5 % MACs, "
               "effective bits %6")
               .arg(alloc.quantizedWeights / 1e6, 0, 'f', 3)
               .arg(a.settings.bits)
               .arg(alloc.extraWeights / 1e6, 0, 'f', 3)
               .arg(alloc.memoryOverhead * 100, 0, 'f', 1)
               .arg(alloc.macOverhead * 100, 0, 'f', 1)
               .arg(alloc.effectiveBits, 0, 'f', 2);
    if (alloc.floatWeights > 0)
        out << QString(", %1 M weights kept float").arg(alloc.floatWeights / 1e6, 0, 'f', 3);
    out << "\n"
        << ruleText(settings)
        << QString(", %1 layers, analysis %2 s on %3 images\n")
               .arg(alloc.layers.size())
               .arg(a.seconds, 0, 'f', 1)
               .arg(a.calibrationFiles.size());
    out.flush();
}
