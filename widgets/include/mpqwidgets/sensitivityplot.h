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
/// With no layer selected it draws the kDefaultLayers layers with the largest one-point error
/// (what round-to-nearest does to them) and says so in its title. The legend sits below the axis
/// rect, never over the data. The y axis spans the drawn errors, always epsilon, but reaches at
/// most kDecadesBelow decades below the lower of epsilon and the smallest one-point error (each
/// extra point divides the error by about 2^(2b), so at 8 points curves reach 1e-18; that part
/// is far below any threshold and would squash the useful range). Clicking a layer's curve emits
/// layerClicked(). Without an analysis the widget shows a plain-words empty state instead. GUI
/// thread only; the analysis is shared read-only.
class SensitivityPlot : public QWidget
{
    Q_OBJECT
public:
    /// The per-channel statistics drawn for a single selected layer.
    enum Spread { Min, P10, Median, P90, Max, SpreadCount };
    /// Layers drawn when none is selected: the most sensitive ones.
    static constexpr int kDefaultLayers = 6;
    /// The y axis reaches at most this many decades below min(epsilon, smallest 1-point error).
    static constexpr double kDecadesBelow = 3.0;
    /// The lowest error the y axis shows for these drawn layers and epsilon (before margins).
    double yFloor() const;

    explicit SensitivityPlot(QWidget *parent = nullptr);

    /// nullptr shows the empty state. Keeps the selection (indices into analysis->curves).
    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    /// Layer indices into Analysis::curves; out-of-range entries are ignored.
    void setSelectedLayers(const QList<int> &layers);
    QList<int> selectedLayers() const { return m_selected; }
    /// Moves the epsilon line (> 0, relative error); emits nothing.
    void setEpsilon(double epsilon);
    double epsilon() const { return m_epsilon; }
    /// Shows or hides the epsilon line and its label (hidden under a budget rule, where no
    /// threshold applies: docs/ui.md "only where it applies").
    void setEpsilonVisible(bool visible);
    bool isEpsilonVisible() const { return m_epsilonVisible; }
    /// The layers drawn now: the selection, or the most sensitive ones when none is selected.
    QList<int> drawnLayers() const { return m_drawn; }
    /// True when nothing is selected and the plot shows the most sensitive layers.
    bool isShowingDefaultLayers() const { return m_defaultLayers; }
    /// The kDefaultLayers (or fewer) layers of `analysis` with the largest relative error at one
    /// point (mpq::layerRelativeError(curves, 1)), largest first; layers without points and
    /// non-finite errors are left out.
    static QList<int> mostSensitiveLayers(const mpq::Analysis &analysis, int count);

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
    /// The user clicked a layer's curve (an index into Analysis::curves).
    void layerClicked(int layer);

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
    /// The graph with a point nearest `pos` in its column, within a few text lines, or nullptr.
    QCPGraph *graphAt(const QPointF &pos, double *value = nullptr) const;

    std::shared_ptr<const mpq::Analysis> m_analysis;
    QList<int> m_selected; ///< as given
    QList<int> m_drawn;    ///< the valid selected layers, in order
    double m_epsilon = 1e-3;
    bool m_dragging = false;
    bool m_epsilonVisible = true;
    bool m_defaultLayers = false;

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
