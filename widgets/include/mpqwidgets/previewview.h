#pragma once
// The Preview page: sample images with float and quantized predictions side by side, the task
// metrics of both, the cost of the quantized model, and the setting the figures belong to.

#include "mpqwidgets/previewmodel.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QListView;
class QSortFilterProxyModel;
class QStackedLayout;

namespace mpq::ui {

/// The grid is as wide as the longest caption line, so the float and quantized results are never
/// elided, and its thumbnails grow (up to twice their base size) when the page has room for them.
/// "Changed first" sorts images whose prediction changed to the front, "Only changed" hides the
/// others (a QSortFilterProxyModel between the model and the grid; rows in signals are the
/// model's).
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
    /// What the grid shows: the model through the changed-first sort and only-changed filter.
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QCheckBox *changedFirstBox() const { return m_changedFirst; }
    QCheckBox *onlyChangedBox() const { return m_onlyChanged; }
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
    /// Grid and thumbnail size from the captions and the view's width.
    void updateGrid();
    void applyOrder();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    PreviewModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QCheckBox *m_changedFirst;
    QCheckBox *m_onlyChanged;
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
