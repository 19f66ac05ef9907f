#pragma once
// Project files in the window: File > Open project (Ctrl+Shift+O), Save project (Ctrl+S),
// Save project as (Ctrl+Shift+S); autosave of the open project and the recovery offered after
// a crash. Restoring a project reopens the model, applies its settings, loads its saved
// analysis (no recomputation when it still matches) and re-applies the allocation, overrides,
// page and selection; a moved or changed model is reported.

#include "projectfile.h"

#include <QObject>

#include <optional>

class QMenu;

namespace mpq::studio {

class Autosave;
class MainWindow;

class ProjectActions : public QObject
{
    Q_OBJECT
public:
    /// autosaveFolder empty: no autosave (tests that do not want one).
    ProjectActions(MainWindow *window, const QString &autosaveFolder);

    void addActions(QMenu *menu);
    /// The current state as a project (nothing when no model is open).
    std::optional<Project> snapshot() const;
    /// Saves to `path` (the analysis beside it as <name>.mpqa). Returns false after showing why.
    bool saveTo(const QString &path);
    /// Opens a project file; errors (unreadable, moved or changed model) are shown.
    void open(const QString &path);
    /// Applies a project (from a file or a recovered autosave).
    void restore(const Project &project);
    /// Offers the snapshot a crashed session left, if any (call once at start).
    void offerRecovery();
    /// The current state changed: the autosave follows after a few seconds.
    void markDirty();
    /// A clean close: no recovery will be offered.
    void closeCleanly();
    QString currentPath() const { return m_path; }
    Autosave *autosave() const { return m_autosave; }

signals:
    /// A restored project is fully applied (analysis and allocation included).
    void restored();
    /// A problem was shown to the user (the message box's text).
    void warned(const QString &message);

private:
    void warn(const QString &title, const QString &text);
    void finishRestore(const Project &project);

    MainWindow *m_window;
    Autosave *m_autosave = nullptr;
    QString m_path;
    std::optional<Project> m_recovery; ///< read before this session's autosave took the lock
};

} // namespace mpq::studio
