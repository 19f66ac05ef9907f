#include "autosave.h"

#include "mpq/error.h"

#include <QDir>
#include <QFile>

namespace mpq::studio {

namespace {

QString snapshotFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("autosave.mpqproj"));
}

QString lockFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("session.lock"));
}

} // namespace

Autosave::Autosave(const QString &folder, std::function<std::optional<Project>()> snapshot,
                   QObject *parent)
    : QObject(parent)
    , m_folder(folder)
    , m_snapshot(std::move(snapshot))
{
    QDir().mkpath(folder);
    m_lock = std::make_unique<QLockFile>(lockFile(folder));
    m_lock->setStaleLockTime(0); // only a dead owner makes it stale
    m_lock->tryLock(100);
    m_timer.setSingleShot(true);
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &Autosave::saveNow);
}

Autosave::~Autosave() = default;

QString Autosave::snapshotPath() const
{
    return snapshotFile(m_folder);
}

void Autosave::markDirty()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void Autosave::saveNow()
{
    m_timer.stop();
    const std::optional<Project> project = m_snapshot ? m_snapshot() : std::nullopt;
    if (!project) {
        QFile::remove(snapshotPath());
        return;
    }
    try {
        saveProject(*project, snapshotPath());
        emit saved(snapshotPath());
    } catch (const mpq::Error &e) {
        emit failed(QString::fromUtf8(e.what()));
    }
}

void Autosave::discard()
{
    m_timer.stop();
    QFile::remove(snapshotPath());
}

std::optional<Project> Autosave::pendingRecovery(const QString &folder)
{
    if (!QFile::exists(snapshotFile(folder)))
        return std::nullopt;
    QLockFile lock(lockFile(folder));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0))
        return std::nullopt; // the session that wrote it is still running
    lock.unlock();
    try {
        return loadProject(snapshotFile(folder));
    } catch (const mpq::Error &) {
        QFile::remove(snapshotFile(folder)); // a damaged snapshot helps nobody
        return std::nullopt;
    }
}

void Autosave::dropRecovery(const QString &folder)
{
    QFile::remove(snapshotFile(folder));
}

} // namespace mpq::studio
