#pragma once
// The Preview page: sample images with float and quantized predictions side by side, the task
// metrics of both, the cost of the quantized model, and the setting the figures belong to.

#include "mpqwidgets/previewmodel.h"

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QListView;
class QStackedLayout;

namespace mpq::ui {

class PreviewView : public QWidget
{
    Q_OBJECT
public:
    explicit PreviewView(QWidget *parent = nullptr);

    /// New figures (an evaluation finished). Keeps the user's score threshold.
    void setPreview(PreviewData data);
    /// Nothing to show yet: the plain-words hint replaces the grid.
    void setEmptyState(const QString &text);
    /// While a re-evaluation runs: says so beside the (still shown) figures of the last one.
    void setPending(const QString &text);

    PreviewModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    /// The metrics panel's text (tests read it).
    QString metricsText() const;
    QString settingText() const;
    /// What the page says while no current result is shown (waiting, progress, a failure).
    QString pendingText() const;

signals:
    /// The user asked for an image large (double click or Enter).
    void imageActivated(int row);

private:
    void updateMetrics();
    void openLarge(int row);

    PreviewModel *m_model;
    QListView *m_view;
    QStackedLayout *m_stack;
    QLabel *m_empty;
    QLabel *m_setting;
    QLabel *m_pending;
    QLabel *m_metrics;
    QDoubleSpinBox *m_threshold;
    QLabel *m_thresholdLabel;
    bool m_thresholdTouched = false;
};

} // namespace mpq::ui
