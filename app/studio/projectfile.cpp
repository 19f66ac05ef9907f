#include "projectfile.h"

#include "mpq/error.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace mpq::studio {

namespace {

[[noreturn]] void bad(const QString &path, const QString &key, const QString &problem)
{
    throw mpq::Error(mpq::ErrorCode::BadProfile,
                     QStringLiteral("%1: %2: %3").arg(path, key, problem).toStdString());
}

QJsonValue pathValue(const QString &absolute, const QDir &base)
{
    if (absolute.isEmpty())
        return QJsonValue();
    QJsonObject o{{"absolute", absolute}};
    const QString relative = base.relativeFilePath(absolute);
    if (!relative.startsWith(QLatin1String("..")))
        o["relative"] = relative;
    return o;
}

// The relative path wins when it exists (the project folder moved with its files).
QString readPath(const QJsonObject &root, const char *key, const QDir &base, const QString &file)
{
    const QJsonValue v = root.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject())
        bad(file, key, QStringLiteral("must be an object with \"absolute\""));
    const QJsonObject o = v.toObject();
    const QString relative = o.value("relative").toString();
    if (!relative.isEmpty() && QFileInfo::exists(base.filePath(relative)))
        return QDir::cleanPath(base.absoluteFilePath(relative));
    if (!o.value("absolute").isString())
        bad(file, QString(key) + ".absolute", QStringLiteral("must be a string"));
    return o.value("absolute").toString();
}

int readInt(const QJsonObject &o, const QString &key, const QString &file, int lo, int hi,
            int fallback)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < lo || v.toInt() > hi)
        bad(file, key, QStringLiteral("must be a whole number in %1..%2").arg(lo).arg(hi));
    return v.toInt();
}

double readDouble(const QJsonObject &o, const QString &key, const QString &file, double fallback)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble())
        bad(file, key, QStringLiteral("must be a number"));
    return v.toDouble();
}

const char *overrideKind(mpq::LayerOverride::Kind k)
{
    switch (k) {
    case mpq::LayerOverride::Kind::Points:
        return "points";
    case mpq::LayerOverride::Kind::Bits:
        return "bits";
    case mpq::LayerOverride::Kind::Float:
        return "float";
    }
    return "points";
}

} // namespace

QByteArray projectToJson(const Project &p, const QString &projectPath)
{
    const QDir base = QFileInfo(projectPath).absoluteDir();
    QJsonObject overrides;
    for (const auto &[name, o] : p.allocation.overrides) {
        QJsonObject e{{"kind", overrideKind(o.kind)}};
        if (o.kind == mpq::LayerOverride::Kind::Points)
            e["points"] = o.points;
        if (o.kind == mpq::LayerOverride::Kind::Bits)
            e["bits"] = o.bits;
        overrides[QString::fromStdString(name)] = e;
    }
    QJsonArray selection;
    for (int l : p.selectedLayers)
        selection.append(l);
    QJsonObject root{
        {"format", "mpq-studio project"},
        {"version", Project::kVersion},
        {"model", pathValue(p.modelPath, base)},
        {"model_sha256", p.modelSha256},
        {"images", pathValue(p.imagesDir, base)},
        {"analysis_file", pathValue(p.analysisPath, base)},
        {"analysis",
         QJsonObject{{"bits", p.analysis.bits},
                     {"max_points", p.analysis.maxPoints},
                     {"search", p.analysis.search == mpq::SearchMethod::Grid ? "grid" : "exact"},
                     {"calib_count", p.analysis.calibCount},
                     {"batch_size", p.analysis.batchSize},
                     {"seed", QString::number(p.analysis.seed)},
                     {"activation_bits", p.analysis.activationBits}}},
        {"allocation",
         QJsonObject{
             {"rule", p.allocation.rule == mpq::AllocationRule::Budget ? "budget" : "threshold"},
             {"bits", p.allocation.bits},
             {"epsilon", p.allocation.epsilon},
             {"budget", p.allocation.budget},
             {"cost", p.allocation.cost == mpq::BudgetCost::Macs ? "macs" : "memory"},
             {"overrides", overrides}}},
        {"view", QJsonObject{{"page", p.page}, {"selected_layers", selection}}}};
    if (p.hasProfile)
        root["profile"] =
            QJsonDocument::fromJson(QByteArray::fromStdString(mpq::profileToJson(p.profile)))
                .object();
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Project projectFromJson(const QByteArray &json, const QString &file)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        bad(file, QStringLiteral("(document)"),
            QStringLiteral("not a project file (%1 at byte %2)")
                .arg(error.errorString())
                .arg(error.offset));
    const QJsonObject root = doc.object();
    if (root.value("format").toString() != QLatin1String("mpq-studio project"))
        bad(file, QStringLiteral("format"), QStringLiteral("not an MPQ Studio project"));
    const int version = readInt(root, "version", file, 1, 1 << 20, 1);
    if (version > Project::kVersion)
        bad(file, QStringLiteral("version"),
            QStringLiteral("made by a newer MPQ Studio (version %1)").arg(version));
    const QDir base = QFileInfo(file).absoluteDir();
    Project p;
    p.modelPath = readPath(root, "model", base, file);
    if (p.modelPath.isEmpty())
        bad(file, QStringLiteral("model"), QStringLiteral("missing"));
    p.modelSha256 = root.value("model_sha256").toString();
    p.imagesDir = readPath(root, "images", base, file);
    p.analysisPath = readPath(root, "analysis_file", base, file);
    if (root.contains("profile")) {
        if (!root.value("profile").isObject())
            bad(file, QStringLiteral("profile"), QStringLiteral("must be an object"));
        p.hasProfile = true;
        p.profile = mpq::parseProfile(
            QJsonDocument(root.value("profile").toObject()).toJson().toStdString(),
            (file + QStringLiteral(": profile")).toStdString(),
            QFileInfo(p.modelPath).absolutePath().toStdString());
    }
    const QJsonObject a = root.value("analysis").toObject();
    p.analysis.bits = readInt(a, "bits", file, 2, 8, 4);
    p.analysis.maxPoints = readInt(a, "max_points", file, 1, 8, 8);
    p.analysis.search = a.value("search").toString() == QLatin1String("grid")
                            ? mpq::SearchMethod::Grid
                            : mpq::SearchMethod::Exact;
    p.analysis.calibCount = readInt(a, "calib_count", file, 1, 1 << 24, 64);
    p.analysis.batchSize = readInt(a, "batch_size", file, 1, 4096, 8);
    p.analysis.seed = a.value("seed").toString().toULongLong();
    p.analysis.activationBits = readInt(a, "activation_bits", file, 0, 16, 0);
    const QJsonObject al = root.value("allocation").toObject();
    p.allocation.rule = al.value("rule").toString() == QLatin1String("budget")
                            ? mpq::AllocationRule::Budget
                            : mpq::AllocationRule::Threshold;
    p.allocation.bits = readInt(al, "bits", file, 2, 8, p.analysis.bits);
    p.allocation.epsilon = readDouble(al, "epsilon", file, 1e-3);
    p.allocation.budget = readDouble(al, "budget", file, 0.05);
    if (!(p.allocation.epsilon > 0) || !(p.allocation.budget >= 0))
        bad(file, QStringLiteral("allocation"),
            QStringLiteral("epsilon must be > 0 and budget >= 0"));
    p.allocation.cost = al.value("cost").toString() == QLatin1String("macs")
                            ? mpq::BudgetCost::Macs
                            : mpq::BudgetCost::Memory;
    const QJsonObject overrides = al.value("overrides").toObject();
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        const QJsonObject e = it.value().toObject();
        const QString kind = e.value("kind").toString();
        mpq::LayerOverride o;
        const QString key = QStringLiteral("allocation.overrides.") + it.key();
        if (kind == QLatin1String("points")) {
            o.kind = mpq::LayerOverride::Kind::Points;
            o.points = readInt(e, "points", file + ": " + key, 1, 8, 1);
        } else if (kind == QLatin1String("bits")) {
            o.kind = mpq::LayerOverride::Kind::Bits;
            o.bits = readInt(e, "bits", file + ": " + key, 2, 8, 4);
        } else if (kind == QLatin1String("float")) {
            o.kind = mpq::LayerOverride::Kind::Float;
        } else {
            bad(file, key + ".kind", QStringLiteral("must be points, bits or float"));
        }
        p.allocation.overrides[it.key().toStdString()] = o;
    }
    const QJsonObject view = root.value("view").toObject();
    p.page = readInt(view, "page", file, 0, 64, 0);
    for (const QJsonValue &v : view.value("selected_layers").toArray())
        if (v.isDouble())
            p.selectedLayers << v.toInt();
    return p;
}

void saveProject(const Project &project, const QString &path)
{
    const QByteArray bytes = projectToJson(project, path);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        throw mpq::Error(mpq::ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(path, f.errorString()).toStdString());
}

Project loadProject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw mpq::Error(mpq::ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(path, f.errorString()).toStdString());
    return projectFromJson(f.readAll(), path);
}

QString modelProblem(const Project &project, bool modelExists, const QString &currentSha256)
{
    if (!modelExists)
        return QCoreApplication::translate("mpq::studio::Project", "%1 was moved or deleted")
            .arg(project.modelPath);
    if (!project.modelSha256.isEmpty() && currentSha256 != project.modelSha256)
        return QCoreApplication::translate(
                   "mpq::studio::Project",
                   "%1 changed since the project was saved (its SHA-256 differs); the saved "
                   "analysis no longer applies")
            .arg(project.modelPath);
    return {};
}

} // namespace mpq::studio
