#pragma once
// Autosave of the open project and recovery after a crash: while a project is open and changed,
// a snapshot is written (atomically) to the autosave folder every few seconds; a clean close
// removes it. At the next start, a snapshot left by a session that is no longer running (its
// lock file is stale) is offered for recovery.

#include "projectfile.h"

#include <QLockFile>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace mpq::studio {

class Autosave : public QObject
{
    Q_OBJECT
public:
    /// snapshot returns the current project, or nothing when no model is open.
    Autosave(const QString &folder, std::function<std::optional<Project>()> snapshot,
             QObject *parent = nullptr);
    ~Autosave() override;

    /// Something changed: a snapshot follows after the interval (coalescing changes).
    void markDirty();
    /// Writes the snapshot now (or removes it when there is no project). Errors are reported
    /// through failed(), never thrown: autosave must not interrupt the user.
    void saveNow();
    /// The project was saved or closed on purpose: no recovery needed.
    void discard();
    void setInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
    QString snapshotPath() const;

    /// A snapshot left by a session that ended without discarding it (a crash), unless that
    /// session still runs. Call before constructing this session's Autosave on `folder`.
    static std::optional<Project> pendingRecovery(const QString &folder);
    /// Removes a pending snapshot (the user declined the recovery).
    static void dropRecovery(const QString &folder);

signals:
    void saved(const QString &path);
    void failed(const QString &message);

private:
    QString m_folder;
    std::function<std::optional<Project>()> m_snapshot;
    QTimer m_timer;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace mpq::studio
