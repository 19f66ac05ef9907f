#include "jobprogresswidget.h"

#include "jobrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include <cmath>

namespace mpq::studio {

JobProgressWidget::JobProgressWidget(JobRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_stage(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_left(new QLabel(this))
    , m_cancel(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(fontMetrics().averageCharWidth() * 30);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the running job (Esc)"));
    m_cancel->setIcon(QIcon::fromTheme(QStringLiteral("process-stop"),
                                       style()->standardIcon(QStyle::SP_BrowserStop)));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    layout->addWidget(m_bar);
    layout->addWidget(m_stage);
    layout->addWidget(m_left);
    layout->addWidget(m_cancel);
    layout->addStretch(1);
    m_left->setMinimumWidth(fontMetrics().horizontalAdvance(tr("00:00 left")));
    hide();

    connect(m_cancel, &QToolButton::clicked, runner, [this] {
        m_stage->setText(tr("cancelling…"));
        m_runner->cancel();
    });
    connect(runner, &JobRunner::jobStarted, this, &JobProgressWidget::onStarted);
    connect(runner, &JobRunner::progressChanged, this, &JobProgressWidget::onProgress);
    connect(runner, &JobRunner::busyChanged, this, [this](bool busy) { setVisible(busy); });
}

QString JobProgressWidget::stageText() const
{
    return m_stage->text();
}

int JobProgressWidget::progressPercent() const
{
    return m_bar->value() / 10;
}

void JobProgressWidget::onStarted(int, const QString &title)
{
    m_stage->setText(title);
    m_bar->setValue(0);
    m_bar->setRange(0, 0); // busy indicator until the first progress arrives
    m_left->clear();
    show();
}

void JobProgressWidget::onProgress(int, const QString &stage, double fraction, double secondsLeft)
{
    m_bar->setRange(0, 1000);
    m_bar->setValue(static_cast<int>(std::lround(fraction * 1000)));
    m_stage->setText(tr("%1, %2 %").arg(stage).arg(static_cast<int>(fraction * 100)));
    if (secondsLeft < 0) {
        m_left->clear();
        return;
    }
    const int s = static_cast<int>(std::ceil(secondsLeft));
    m_left->setText(tr("%1:%2 left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0')));
}

} // namespace mpq::studio
