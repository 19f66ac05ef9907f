#include "projectfile.h"

#include "mpq/error.h"
#include "mpq/vocabulary.h"

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

// A settings object of the shared codec (mpq/vocabulary.h) embedded in the Qt document.
QJsonObject embedded(const std::string &text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

std::string text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

// The codec's Error(InvalidArgument, "<where>: <key>: <problem>") as a project file error.
template <class F> auto decoded(F parse) -> decltype(parse())
{
    try {
        return parse();
    } catch (const mpq::Error &e) {
        if (e.code() != mpq::ErrorCode::InvalidArgument)
            throw;
        throw mpq::Error(mpq::ErrorCode::BadProfile, e.what());
    }
}

QJsonObject objectAt(const QJsonObject &root, const char *key, const QString &file)
{
    const QJsonValue v = root.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject())
        bad(file, key, QStringLiteral("must be an object"));
    return v.toObject();
}

} // namespace

QByteArray projectToJson(const Project &p, const QString &projectPath)
{
    const QDir base = QFileInfo(projectPath).absoluteDir();
    // Settings and overrides in the shared codec (mpq/vocabulary.h). Qt keeps JSON integers
    // only up to 2^63 and a seed is any 64-bit number, so the seed stays a decimal string.
    QJsonObject analysis = embedded(mpq::analysisSettingsToJson(p.analysis));
    analysis["seed"] = QString::number(p.analysis.seed);
    QJsonArray selection;
    for (int l : p.selectedLayers)
        selection.append(l);
    QJsonObject root{{"format", "mpq-studio project"},
                     {"version", Project::kVersion},
                     {"model", pathValue(p.modelPath, base)},
                     {"model_sha256", p.modelSha256},
                     {"images", pathValue(p.imagesDir, base)},
                     {"analysis_file", pathValue(p.analysisPath, base)},
                     {"analysis", analysis},
                     {"allocation", embedded(mpq::allocationSettingsToJson(p.allocation))},
                     {"view", QJsonObject{{"page", p.page}, {"selected_layers", selection}}}};
    if (!p.snapshots.empty()) {
        // each in the snapshot file's own form (docs/snapshots.md)
        QJsonArray snapshots;
        for (const mpq::RunSnapshot &s : p.snapshots) {
            QJsonObject o = embedded(mpq::snapshotToJson(s));
            if (s.hasAnalysisSettings) { // the seed as text, as in "analysis" above
                QJsonObject settings = o.value("analysis_settings").toObject();
                settings["seed"] = QString::number(s.analysis.seed);
                o["analysis_settings"] = settings;
            }
            snapshots.append(o);
        }
        root["snapshots"] = snapshots;
    }
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
    // Version 1 wrote overrides as {"kind", "points" | "bits"}, which the codec still reads, and
    // no first_point (the default then).
    QJsonObject a = objectAt(root, "analysis", file);
    const QJsonValue seed = a.value(QStringLiteral("seed"));
    if (seed.isString()) // a number written by hand goes to the codec
        a.remove(QStringLiteral("seed"));
    p.analysis = decoded([&] {
        return mpq::analysisSettingsFromJson(text(a),
                                             (file + QStringLiteral(": analysis")).toStdString());
    });
    if (seed.isString()) {
        bool ok = false;
        p.analysis.seed = seed.toString().toULongLong(&ok);
        if (!ok)
            bad(file, QStringLiteral("analysis: seed"),
                QStringLiteral("must be a non-negative whole number"));
    }
    QJsonObject al = objectAt(root, "allocation", file);
    if (!al.contains(QStringLiteral("bits")))
        al["bits"] = p.analysis.bits;
    p.allocation = decoded([&] {
        return mpq::allocationSettingsFromJson(
            text(al), (file + QStringLiteral(": allocation")).toStdString());
    });
    const QJsonValue snapshots = root.value("snapshots");
    if (!snapshots.isUndefined() && !snapshots.isNull()) {
        if (!snapshots.isArray())
            bad(file, QStringLiteral("snapshots"), QStringLiteral("must be an array"));
        int i = 0;
        for (const QJsonValue &v : snapshots.toArray()) {
            const QString where = QStringLiteral("%1: snapshots[%2]").arg(file).arg(i++);
            if (!v.isObject())
                bad(where, QStringLiteral("(snapshot)"), QStringLiteral("must be an object"));
            QJsonObject o = v.toObject();
            QJsonObject settings = o.value("analysis_settings").toObject();
            const QJsonValue seed = settings.value(QStringLiteral("seed"));
            if (seed.isString()) {
                settings.remove(QStringLiteral("seed"));
                o["analysis_settings"] = settings;
            }
            mpq::RunSnapshot snapshot =
                decoded([&] { return mpq::snapshotFromJson(text(o), where.toStdString()); });
            if (seed.isString()) {
                bool ok = false;
                snapshot.analysis.seed = seed.toString().toULongLong(&ok);
                if (!ok)
                    bad(where, QStringLiteral("analysis_settings: seed"),
                        QStringLiteral("must be a non-negative whole number"));
            }
            p.snapshots.push_back(std::move(snapshot));
        }
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
