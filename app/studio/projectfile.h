#pragma once
// Project files (*.mpqproj, JSON): everything needed to come back to the exact view - the model
// (path and SHA-256), the image folder, the profile, the analysis and allocation settings with
// overrides, the threshold or budget, the saved analysis' path and the view (page, selection).
// Qt JSON here in the app; the core keeps nlohmann-json.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/profile.h"
#include "mpq/snapshot.h"

#include <QList>
#include <QString>

namespace mpq::studio {

struct Project
{
    /// 2: settings and overrides in the codec of mpq/vocabulary.h; version 1 is still read.
    static constexpr int kVersion = 2;
    QString modelPath;   ///< absolute
    QString modelSha256; ///< of the model file when the project was saved
    QString imagesDir;   ///< absolute; may be empty
    bool hasProfile = false;
    mpq::ModelProfile profile;
    mpq::AnalysisSettings analysis;
    mpq::AllocationSettings allocation; ///< rule, epsilon, budget, cost, overrides
    QString analysisPath;               ///< a saved analysis (mpq::saveAnalysis), may be empty
    int page = 0;                       ///< the workspace page shown
    QList<int> selectedLayers;
    /// Pinned runs (docs/snapshots.md), in the order of the Runs dock; the key "snapshots" is
    /// optional, so project files written before it load with none.
    std::vector<mpq::RunSnapshot> snapshots;
};

/// JSON text of a project. Paths are stored absolute and, when below the project file's
/// folder, also relative to it, so a project folder moved as a whole still opens.
QByteArray projectToJson(const Project &project, const QString &projectPath);
/// Parses a project; throws mpq::Error(BadProfile) "<path>: <key>: <problem>" for malformed
/// JSON, a newer version, or keys of the wrong type.
Project projectFromJson(const QByteArray &json, const QString &projectPath);
/// Atomic write (QSaveFile); throws mpq::Error(Io) "<path>: <reason>", nothing left behind.
void saveProject(const Project &project, const QString &path);
/// Throws mpq::Error(Io) for an unreadable file, BadProfile as projectFromJson.
Project loadProject(const QString &path);

/// Why the project's model cannot be used as saved, or an empty string: "moved" when the file
/// is gone, "changed" when its SHA-256 differs (computed by the caller: currentSha256).
QString modelProblem(const Project &project, bool modelExists, const QString &currentSha256);

} // namespace mpq::studio
