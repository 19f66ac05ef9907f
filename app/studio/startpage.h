#pragma once

#include <QWidget>

class QListWidget;

namespace mpq::studio {

/// What the window shows with no model open: the built-in demo, Open model, the recent models
/// with their last cost figures, and a drag-and-drop hint (ui.md).
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    /// Re-reads RecentFiles.
    void refresh();

signals:
    void demoRequested();
    void openRequested();
    void recentRequested(const QString &modelPath, const QString &imagesDir);

private:
    QListWidget *m_recent;
};

} // namespace mpq::studio
