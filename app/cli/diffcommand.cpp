#include "diffcommand.h"

#include "mpq/error.h"
#include "mpq/snapshot.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

QString percentText(double fraction)
{
    return QString::number(fraction * 100, 'f', 2) + " %";
}

QString signedText(double v, int precision, char format = 'f')
{
    if (std::isnan(v))
        return QStringLiteral("-");
    return (v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, format, precision);
}

QString pointsText(const mpq::SnapshotLayer &l)
{
    return l.isFloat ? QStringLiteral("float") : QString::number(l.meanPoints, 'f', 2);
}

QString predictionText(const mpq::SnapshotPrediction &p, mpq::Task task)
{
    if (task == mpq::Task::Classification)
        return QStringLiteral("class %1 (%2)").arg(p.topClass).arg(p.topScore, 0, 'f', 2);
    return QStringLiteral("%1 detections").arg(p.detections.size());
}

QString changeText(const mpq::PredictionChange &c, mpq::Task task)
{
    if (task == mpq::Task::Classification)
        return QStringLiteral("%1 -> %2").arg(predictionText(c.a, task), predictionText(c.b, task));
    QStringList parts;
    if (c.lost)
        parts << QStringLiteral("%1 lost").arg(c.lost);
    if (c.added)
        parts << QStringLiteral("%1 added").arg(c.added);
    if (c.moved)
        parts << QStringLiteral("%1 moved or reclassified").arg(c.moved);
    return parts.join(", ") + QStringLiteral(" (%1 -> %2 detections)")
                                  .arg(c.a.detections.size())
                                  .arg(c.b.detections.size());
}

QJsonObject layerJson(const mpq::SnapshotLayer &l)
{
    return {{"float", l.isFloat},
            {"bits", l.bits},
            {"mean_points", l.meanPoints},
            {"rel_error", l.relativeError},
            {"sqnr_db", std::isfinite(l.sqnrDb) ? QJsonValue(l.sqnrDb) : QJsonValue()},
            {"cost_bits", qint64(l.costBits)}};
}

QJsonObject totalsJson(const mpq::SnapshotTotals &t)
{
    return {{"overhead", t.memoryOverhead},
            {"mac_overhead", t.macOverhead},
            {"effective_bits", t.effectiveBits},
            {"total_error", std::isfinite(t.totalError) ? QJsonValue(t.totalError) : QJsonValue()},
            {"float_mac_share", t.floatMacShare}};
}

QJsonValue finite(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

QByteArray diffJson(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                    const mpq::SnapshotDiff &d, int top)
{
    QJsonArray layers;
    for (std::size_t i = 0; i < d.layers.size() && (top == 0 || int(i) < top); ++i) {
        const mpq::LayerChange &c = d.layers[i];
        QJsonObject o{{"name", QString::fromStdString(c.name)},
                      {"a", c.inA ? QJsonValue(layerJson(c.a)) : QJsonValue()},
                      {"b", c.inB ? QJsonValue(layerJson(c.b)) : QJsonValue()},
                      {"magnitude", finite(c.magnitude)}};
        if (c.inA && c.inB) {
            o["points_delta"] = c.pointsDelta;
            o["error_delta"] = c.errorDelta;
            o["sqnr_delta"] = finite(c.sqnrDelta);
            o["cost_bits_delta"] = qint64(c.costBitsDelta);
            o["overhead_delta"] = c.overheadDelta;
        }
        layers.append(o);
    }
    QJsonArray images;
    for (std::size_t i = 0; i < d.images.size() && (top == 0 || int(i) < top); ++i) {
        const mpq::PredictionChange &c = d.images[i];
        images.append(QJsonObject{{"image", QString::fromStdString(c.image)},
                                  {"class_changed", c.classChanged},
                                  {"lost", c.lost},
                                  {"added", c.added},
                                  {"moved", c.moved},
                                  {"a", predictionText(c.a, a.task)},
                                  {"b", predictionText(c.b, a.task)}});
    }
    QJsonObject root{{"a", QJsonObject{{"name", QString::fromStdString(a.name)},
                                       {"model", QString::fromStdString(a.modelPath)},
                                       {"sha256", QString::fromStdString(a.modelSha256)},
                                       {"totals", totalsJson(d.a)}}},
                     {"b", QJsonObject{{"name", QString::fromStdString(b.name)},
                                       {"model", QString::fromStdString(b.modelPath)},
                                       {"sha256", QString::fromStdString(b.modelSha256)},
                                       {"totals", totalsJson(d.b)}}},
                     {"same_model", d.sameModel},
                     {"layers_changed", int(d.layers.size())},
                     {"layers_unchanged", d.unchangedLayers},
                     {"layers", layers}};
    if (!d.sameModel)
        root["model_note"] = QString::fromStdString(d.modelNote);
    if (d.metricCompared)
        root["metric"] = QJsonObject{
            {"name", QString::fromStdString(d.metricName)}, {"a", d.metricA}, {"b", d.metricB}};
    if (d.predictionsCompared) {
        root["images_compared"] = d.imagesCompared;
        root["images_differing"] = int(d.images.size());
        root["images"] = images;
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

void printText(QTextStream &out, const QString &pathA, const QString &pathB,
               const mpq::RunSnapshot &a, const mpq::RunSnapshot &b, const mpq::SnapshotDiff &d,
               int top)
{
    out << QStringLiteral("A: %1 (%2), model %3 %4\n")
               .arg(QString::fromStdString(a.name), QFileInfo(pathA).fileName(),
                    QFileInfo(QString::fromStdString(a.modelPath)).fileName(),
                    QString::fromStdString(a.modelSha256.substr(0, 8)));
    out << QStringLiteral("B: %1 (%2), model %3 %4\n")
               .arg(QString::fromStdString(b.name), QFileInfo(pathB).fileName(),
                    QFileInfo(QString::fromStdString(b.modelPath)).fileName(),
                    QString::fromStdString(b.modelSha256.substr(0, 8)));
    if (!d.sameModel)
        out << "note: " << QString::fromStdString(d.modelNote) << "; layers are matched by name\n";
    out << "\n"
        << QStringLiteral("%1  %2  %3  %4\n")
               .arg("", -16)
               .arg("A", 12)
               .arg("B", 12)
               .arg("B - A", 12);
    auto row = [&](const QString &label, const QString &x, const QString &y, const QString &delta) {
        out << QStringLiteral("%1  %2  %3  %4\n")
                   .arg(label, -16)
                   .arg(x, 12)
                   .arg(y, 12)
                   .arg(delta, 12);
    };
    // totals over all quantizable layers (docs/multipoint.md section 4)
    row("memory overhead", percentText(d.a.memoryOverhead), percentText(d.b.memoryOverhead),
        signedText((d.b.memoryOverhead - d.a.memoryOverhead) * 100, 2) + " pp");
    row("MAC overhead", percentText(d.a.macOverhead), percentText(d.b.macOverhead),
        signedText((d.b.macOverhead - d.a.macOverhead) * 100, 2) + " pp");
    row("effective bits", QString::number(d.a.effectiveBits, 'f', 3),
        QString::number(d.b.effectiveBits, 'f', 3),
        signedText(d.b.effectiveBits - d.a.effectiveBits, 3));
    row("total error", QString::number(d.a.totalError, 'e', 3),
        QString::number(d.b.totalError, 'e', 3),
        signedText(d.b.totalError - d.a.totalError, 3, 'e'));
    row("float MAC share", percentText(d.a.floatMacShare), percentText(d.b.floatMacShare),
        signedText((d.b.floatMacShare - d.a.floatMacShare) * 100, 2) + " pp");
    if (d.metricCompared)
        row(QString::fromStdString(d.metricName), QString::number(d.metricA, 'f', 4),
            QString::number(d.metricB, 'f', 4), signedText(d.metricB - d.metricA, 4));
    else if (a.evaluated != b.evaluated)
        out << QStringLiteral("task metric: only %1 was evaluated\n").arg(a.evaluated ? "A" : "B");

    out << QStringLiteral("\n%1 layers changed, %2 unchanged")
               .arg(d.layers.size())
               .arg(d.unchangedLayers);
    if (d.layers.empty()) {
        out << "\n";
    } else {
        out << " (largest change first: share of the total error plus memory overhead moved)\n";
        int nameWidth = 5;
        for (const mpq::LayerChange &c : d.layers)
            nameWidth = std::max(nameWidth, int(c.name.size()));
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                   .arg("layer", -nameWidth)
                   .arg("points A", 8)
                   .arg("points B", 8)
                   .arg("rel.err A", 10)
                   .arg("rel.err B", 10)
                   .arg("change", 10)
                   .arg("SQNR dB", 7)
                   .arg("memory", 9);
        for (std::size_t i = 0; i < d.layers.size() && (top == 0 || int(i) < top); ++i) {
            const mpq::LayerChange &c = d.layers[i];
            if (!c.inA || !c.inB) {
                out << QStringLiteral("%1  only in %2\n")
                           .arg(QString::fromStdString(c.name), -nameWidth)
                           .arg(c.inA ? "A" : "B");
                continue;
            }
            out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                       .arg(QString::fromStdString(c.name), -nameWidth)
                       .arg(pointsText(c.a), 8)
                       .arg(pointsText(c.b), 8)
                       .arg(c.a.relativeError, 10, 'e', 2)
                       .arg(c.b.relativeError, 10, 'e', 2)
                       .arg(signedText(c.errorDelta, 2, 'e'), 10)
                       .arg(signedText(c.sqnrDelta, 1), 7)
                       .arg(signedText(c.overheadDelta * 100, 2) + " pp", 9);
        }
        if (top > 0 && int(d.layers.size()) > top)
            out << QStringLiteral("... %1 more (--top 0 shows all)\n")
                       .arg(int(d.layers.size()) - top);
    }

    if (!d.predictionsCompared) {
        out << "\npredictions: not compared ("
            << (a.evaluated || b.evaluated ? "only one run was evaluated"
                                           : "neither run was evaluated")
            << ")\n";
    } else {
        out << QStringLiteral("\n%1 of %2 images differ in their predictions\n")
                   .arg(d.images.size())
                   .arg(d.imagesCompared);
        for (std::size_t i = 0; i < d.images.size() && (top == 0 || int(i) < top); ++i)
            out << "  " << QString::fromStdString(d.images[i].image) << ": "
                << changeText(d.images[i], a.task) << "\n";
        if (top > 0 && int(d.images.size()) > top)
            out << QStringLiteral("  ... %1 more\n").arg(int(d.images.size()) - top);
    }
    out.flush();
}

} // namespace

int runDiff(const QStringList &arguments)
{
    const QString command = QStringLiteral("mpq diff");
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "mpq", "Compare two runs: run snapshots saved by MPQ Studio or reports of "
               "'mpq export --format report' and 'mpq analyze --json'. Prints the totals side by "
               "side, the layers whose points, error or cost changed (largest change first) and "
               "the images whose predictions differ."));
    p.addHelpOption();
    p.addPositionalArgument("A", "The first snapshot or report (JSON).");
    p.addPositionalArgument("B", "The second snapshot or report (JSON).");
    p.addOptions({
        {"json", "Print the comparison as JSON instead of text."},
        {"top", "Show at most N layers and N images (0: all; default 20).", "N", "20"},
    });
    if (const int exit = parseCommandLine(p, command, arguments); exit >= 0)
        return exit;
    if (p.positionalArguments().size() != 2) {
        err() << command << ": give exactly two files, A and B (see --help)" << Qt::endl;
        return ExitUsage;
    }
    int top = 20;
    if (!parseInt(p, command, "top", 0, 1000000, top))
        return ExitUsage;
    const QString pathA = p.positionalArguments()[0], pathB = p.positionalArguments()[1];
    try {
        const mpq::RunSnapshot a = mpq::loadSnapshot(pathA.toStdString());
        const mpq::RunSnapshot b = mpq::loadSnapshot(pathB.toStdString());
        const mpq::SnapshotDiff d = mpq::diffSnapshots(a, b);
        if (p.isSet("json")) {
            out() << QString::fromUtf8(diffJson(a, b, d, top));
            out().flush();
        } else {
            printText(out(), pathA, pathB, a, b, d, top);
        }
        if (!d.sameModel)
            err() << command << ": warning: " << QString::fromStdString(d.modelNote) << Qt::endl;
    } catch (const mpq::Error &e) {
        err() << command << ": " << e.what() << Qt::endl;
        return ExitBadInput;
    }
    return ExitOk;
}
