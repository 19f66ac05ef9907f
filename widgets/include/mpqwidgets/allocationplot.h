#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpqwidgets/tradeoff.h"

#include <QWidget>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QStackedLayout;

namespace mpq::ui {

/// What an allocation buys (the Allocation page), two plots one above the other:
/// - top: per layer (x = layer index, names as tick labels, thinned when crowded) stacked bars
///   of how many channels got 1, 2, 3... points, a "float" bar for layers kept in float, and
///   the layer's memory overhead in % on the right axis;
/// - bottom: the model's trade-off curve, memory overhead (%) against total error
///   (Allocation::totalError, log axis), of the threshold rule over a log grid of epsilons and
///   of the memory-budget rule over the overheads that grid reaches, with a marker at the
///   current allocation and, under a memory budget, a dashed line at the budget.
/// Cost contract: the curves are computed (about 2 x tradeOffSamples() calls of mpq::allocate,
/// milliseconds each, a few hundred ms on a large model) only when the analysis, the bits, the
/// overrides, the weighting, the bias correction or the extra curves change, on a worker thread:
/// the plot says "computing" until they arrive, and a result for superseded inputs is dropped.
/// setAllocation() otherwise only updates bars and marker, so it may be called on every slider
/// move. Failing allocations (a Bits override without curves) leave the curve empty. Called from
/// the GUI thread only; the analysis and allocation are shared read-only.
class AllocationPlot : public QWidget
{
    Q_OBJECT
public:
    explicit AllocationPlot(QWidget *parent = nullptr);

    /// nullptr shows the empty state. Clears the allocation shown.
    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    /// The allocation made from the analysis with `settings` (nullptr: bars and marker cleared).
    void setAllocation(std::shared_ptr<const mpq::Allocation> allocation,
                       const mpq::AllocationSettings &settings);
    /// Curves at other bits for layers with Bits overrides (from mpq::curvesAtBits), used with
    /// the analysis' curves for the trade-off curve. Recomputes it.
    void setExtraCurves(std::vector<mpq::LayerCurves> curves);

    /// Epsilons of the trade-off grid: log-spaced over [1e-6, 1] (tradeoff.h).
    static constexpr int tradeOffSamples() { return 40; }

    /// For tests and export.
    QCustomPlot *barsPlot() const { return m_bars; }
    QCustomPlot *tradeOffPlot() const { return m_tradeOff; }
    /// The bars of channels with `points` points (1..N_max), or nullptr.
    QCPBars *pointsBars(int points) const;
    QCPBars *floatBars() const { return m_floatBars; }
    QCPGraph *overheadGraph() const { return m_overheadGraph; }
    QCPGraph *thresholdCurve() const { return m_thresholdCurve; }
    const TradeOffCurves &tradeOffCurves() const { return m_curves; }
    QCPGraph *budgetCurve() const { return m_budgetCurve; }
    QCPGraph *currentMarker() const { return m_marker; }
    /// Horizontal line at the budget, visible while the rule is a memory budget.
    QCPItemStraightLine *budgetLine() const { return m_budgetLine; }
    /// How many times the trade-off curves were computed (tests check setAllocation is cheap).
    int tradeOffComputations() const { return m_tradeOffComputations; }
    /// True while the latest trade-off computation runs on its worker thread.
    bool isComputingTradeOff() const { return m_tradeOffPending > 0; }
    /// Blocks until the latest trade-off computation has arrived and is shown (tests, export).
    void waitForTradeOff();
    bool isShowingEmptyState() const;
    QString emptyStateText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupBarsPlot();
    void setupTradeOffPlot();
    void rebuildBarSeries();
    void updateBars();
    void updateTickLabels();
    void recomputeTradeOff();
    void showTradeOff(TradeOffCurves curves);
    void updateMarker();
    void restyle();
    void onBarsHover(QMouseEvent *event);
    void onTradeOffHover(QMouseEvent *event);

    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::shared_ptr<const mpq::Allocation> m_allocation;
    mpq::AllocationSettings m_settings;
    std::vector<mpq::LayerCurves> m_extraCurves;
    TradeOffCurves m_curves; ///< what the trade-off plot shows (empty when allocate failed)
    bool m_tradeOffValid = false;
    int m_curveBits = 0;
    bool m_curveWeighted = false;  ///< the shown curve's sensitivityWeighted
    bool m_curveCorrected = false; ///< the shown curve's biasCorrection
    std::map<std::string, mpq::LayerOverride> m_curveOverrides; ///< those of the shown curve
    int m_tradeOffComputations = 0;
    int m_tradeOffPending = 0; ///< the generation computing, 0 when none
    int m_tradeOffGeneration = 0;
    int m_tickStep = 0;   ///< layers per tick label shown; 0: relabel at the next layout
    int m_tickLayers = 0; ///< layer count the labels were made for

    QStackedLayout *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QWidget *m_content = nullptr;
    QCustomPlot *m_bars = nullptr;
    QCustomPlot *m_tradeOff = nullptr;
    QCPTextElement *m_barsTitle = nullptr;
    QCPTextElement *m_tradeOffTitle = nullptr;
    std::vector<QCPBars *> m_pointsBars; ///< [n - 1] for n = 1..N_max
    QCPBars *m_floatBars = nullptr;
    QCPGraph *m_overheadGraph = nullptr;
    QCPGraph *m_thresholdCurve = nullptr;
    QCPGraph *m_budgetCurve = nullptr;
    QCPGraph *m_marker = nullptr;
    QCPItemStraightLine *m_budgetLine = nullptr;
};

} // namespace mpq::ui
