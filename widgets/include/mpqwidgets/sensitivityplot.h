#pragma once

#include "mpq/analysis.h"

#include <QList>
#include <QWidget>

#include <memory>

class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QStackedLayout;

namespace mpq::ui {

/// How a layer's output error falls with the number of points (the Sensitivity page).
///
/// x: points per channel (1..N_max, integer ticks); y: relative output error, log scale, with
/// the matching SQNR in dB on the right axis. Several selected layers: one line per layer of
/// R_l(n) = sum_c e_c(n) / sum_c s_c (LayerCurves::errorAt). One selected layer: that line plus
/// the spread over its channels of rho_c(n) = e_c(n) / s_c (bands min..max and 10th..90th
/// percentile, and the median). Non-positive errors cannot sit on a log axis and are gaps.
/// The epsilon (a channel's relative error threshold) is a dashed horizontal line that the user
/// drags vertically; dragging emits epsilonDragged(), never setEpsilon() itself.
/// Without an analysis or a selection the widget shows a plain-words empty state instead.
/// GUI thread only; the analysis is shared read-only.
class SensitivityPlot : public QWidget
{
    Q_OBJECT
public:
    /// The per-channel statistics drawn for a single selected layer.
    enum Spread { Min, P10, Median, P90, Max, SpreadCount };

    explicit SensitivityPlot(QWidget *parent = nullptr);

    /// nullptr shows the empty state. Keeps the selection (indices into analysis->curves).
    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    /// Layer indices into Analysis::curves; out-of-range entries are ignored.
    void setSelectedLayers(const QList<int> &layers);
    QList<int> selectedLayers() const { return m_selected; }
    /// Moves the epsilon line (> 0, relative error); emits nothing.
    void setEpsilon(double epsilon);
    double epsilon() const { return m_epsilon; }

    /// For tests and export: the plot, the line of a selected layer's R_l(n) (nullptr when the
    /// layer is not drawn), a spread line (single selection only, else nullptr), the epsilon line.
    QCustomPlot *plot() const { return m_plot; }
    QCPGraph *layerGraph(int layer) const;
    QCPGraph *spreadGraph(Spread which) const;
    QCPItemStraightLine *epsilonLine() const { return m_epsilonLine; }
    /// True while the empty-state text is shown instead of the plot; emptyStateText() says what.
    bool isShowingEmptyState() const;
    QString emptyStateText() const;

    /// Percentile p in [0, 1] of sorted values, linear between neighbours (numpy's default).
    static double percentile(const std::vector<double> &sorted, double p);

signals:
    /// The user drags the epsilon line; epsilon clamped to [1e-6, 1]. Emitted on every move.
    void epsilonDragged(double epsilon);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void buildLayerLines();
    void buildSpread(int layer);
    void rescaleY();
    void updateEpsilonItems();
    void updateSqnrAxis();
    void onMousePress(QMouseEvent *event);
    void onMouseMove(QMouseEvent *event);
    void onMouseRelease(QMouseEvent *event);
    bool nearEpsilonLine(const QPointF &pos) const;

    std::shared_ptr<const mpq::Analysis> m_analysis;
    QList<int> m_selected; ///< as given
    QList<int> m_drawn;    ///< the valid selected layers, in order
    double m_epsilon = 1e-3;
    bool m_dragging = false;

    QStackedLayout *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPItemStraightLine *m_epsilonLine = nullptr;
    QCPItemText *m_epsilonLabel = nullptr;
    QList<QCPGraph *> m_layerGraphs;  ///< parallel to m_drawn
    QList<QCPGraph *> m_spreadGraphs; ///< SpreadCount entries when one layer is drawn
};

} // namespace mpq::ui
