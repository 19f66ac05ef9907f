#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace mpq::studio {

class JobRunner;

/// The status bar's job area: stage, progress bar, time left and Cancel. Hidden while idle.
class JobProgressWidget : public QWidget
{
    Q_OBJECT
public:
    explicit JobProgressWidget(JobRunner *runner, QWidget *parent = nullptr);

    QString stageText() const;
    int progressPercent() const;

private:
    void onStarted(int id, const QString &title);
    void onProgress(int id, const QString &stage, double fraction, double secondsLeft);

    JobRunner *m_runner;
    QLabel *m_stage;
    QProgressBar *m_bar;
    QLabel *m_left;
    QToolButton *m_cancel;
};

} // namespace mpq::studio
