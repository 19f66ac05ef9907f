#pragma once

#include "mpq/analysis.h"

#include <QList>
#include <QWidget>

#include <memory>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace mpq::ui {

class SensitivityRankModel;

/// The ranked sensitivity view (a section of the Sensitivity page): a caption that says what
/// the ranking is and the current epsilon, over a sortable table of SensitivityRankModel
/// (through a QSortFilterProxyModel sorting on RawValueRole; rank order until the user sorts).
/// Clicking or selecting rows emits layersChosen() with their layers; setSelectedLayers()
/// mirrors the window's selection without emitting. GUI thread only.
class SensitivityRankView : public QWidget
{
    Q_OBJECT
public:
    explicit SensitivityRankView(QWidget *parent = nullptr);

    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    void setEpsilon(double epsilon);
    /// Selects these layers' rows (indices into Analysis::curves), emitting nothing.
    void setSelectedLayers(const QList<int> &layers);
    /// The layers of the selected rows, in the view's order.
    QList<int> selectedLayers() const;

    SensitivityRankModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLabel *caption() const { return m_caption; }

signals:
    /// The user selected these layers in the ranking.
    void layersChosen(const QList<int> &layers);

private:
    void updateCaption();

    SensitivityRankModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_caption;
    bool m_mirroring = false;
};

} // namespace mpq::ui
