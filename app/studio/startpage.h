#pragma once

#include <QWidget>

class QListWidget;

namespace mpq::studio {

/// What the window shows with no model open: the built-in demo, Open model, the recent models
/// with their last cost figures, and a drag-and-drop hint (docs/ui.md).
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    /// Re-reads RecentFiles.
    void refresh();
    /// A saved project rather than a model (the recent list holds both).
    static bool isProject(const QString &path);

signals:
    void demoRequested();
    void openRequested();
    void recentRequested(const QString &modelPath, const QString &imagesDir);
    /// A saved project (.mpqproj) of the recent list was chosen.
    void recentProjectRequested(const QString &projectPath);

private:
    QListWidget *m_recent;
};

} // namespace mpq::studio
