#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

class QCPBars;
class QCPColorMap;
class QCPGraph;
class QCPItemRect;
class QCPItemStraightLine;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QStackedLayout;

namespace mpq::ui {

/// One layer's channels (the Channels page).
/// - Top: two heat strips over the output channels (x = channel index): the points each
///   channel got (ordinal orange ramp, 1..N_max) and its relative output error
///   rho_c(n_c) = e_c(n_c) / s_c (log colour scale, viridis); without an allocation the error
///   strip shows n = 1 and the points strip is blank. Clicking a strip selects that channel.
/// - Bottom left: the selected channel's folded weights as a histogram (float colour) with the
///   first point's grid levels a_1 * q, q = -L..L, as dashed vertical lines (quantized colour;
///   for L > 15 only the levels the channel's code uses).
/// - Bottom right: the error after each point n = 1..N_max, both as the relative weight residual
///   ||r_n||^2 / ||w_c||^2 (from MatrixDecomposition::residualNorm) and as the relative output
///   error rho_c(n), log axis, with the allocated n_c marked.
/// Empty state when no layer is set. GUI thread only; data shared read-only.
class ChannelView : public QWidget
{
    Q_OBJECT
public:
    explicit ChannelView(QWidget *parent = nullptr);

    /// Shows `layer` (index into analysis->layers/curves/decompositions) of `analysis`, with
    /// its points from `allocation` (may be nullptr) matched by layer name. foldedWeight is the
    /// layer's BN-folded weight, C_out x d row-major (Model::foldedWeight); empty hides the
    /// histogram. A null analysis or out-of-range layer shows the empty state. Keeps the
    /// selected channel when it still exists, else selects channel 0. Emits nothing.
    void setLayer(std::shared_ptr<const mpq::Analysis> analysis,
                  std::shared_ptr<const mpq::Allocation> allocation, int layer,
                  std::vector<float> foldedWeight);
    /// Selects a channel (clamped to the layer's channels); emits nothing.
    void setChannel(int channel);
    int layer() const { return m_layer; }
    int channel() const { return m_channel; }

    /// For tests and export.
    QCustomPlot *stripPlot() const { return m_strips; }
    QCustomPlot *histogramPlot() const { return m_histogram; }
    QCustomPlot *errorPlot() const { return m_errors; }
    QCPColorMap *pointsMap() const { return m_pointsMap; }
    QCPColorMap *errorMap() const { return m_errorMap; }
    QCPBars *histogramBars() const { return m_histogramBars; }
    /// The x positions of the grid-level lines drawn for the selected channel.
    QVector<double> gridLevels() const { return m_gridLevels; }
    QCPGraph *weightErrorGraph() const { return m_weightError; }
    QCPGraph *outputErrorGraph() const { return m_outputError; }
    bool isShowingEmptyState() const;
    QString emptyStateText() const;

signals:
    /// The user clicked channel `channel` in a strip (already selected when this is emitted).
    void channelClicked(int channel);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupStrips();
    void setupHistogram();
    void setupErrors();
    void restyle();
    void updateStrips();
    void updateChannel();
    void updateHistogram(int points);
    void updateErrors(int points);
    int channelPoints(int channel) const; ///< n_c from the allocation, 0 when none or float
    double channelSignal(int channel) const;
    const mpq::MatrixDecomposition *decomposition() const; ///< of m_layer, nullptr when unusable
    void onStripClick(QMouseEvent *event);
    void onStripHover(QMouseEvent *event);

    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::shared_ptr<const mpq::Allocation> m_allocation;
    const mpq::LayerAllocation *m_layerAllocation = nullptr; ///< into m_allocation
    std::vector<float> m_weight;
    int m_layer = -1;
    int m_channel = -1;
    QVector<double> m_gridLevels;

    QStackedLayout *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QWidget *m_content = nullptr;
    QCustomPlot *m_strips = nullptr;
    QCustomPlot *m_histogram = nullptr;
    QCustomPlot *m_errors = nullptr;
    QCPTextElement *m_stripsTitle = nullptr;
    QCPTextElement *m_histogramTitle = nullptr;
    QCPTextElement *m_errorsTitle = nullptr;
    QCPColorMap *m_pointsMap = nullptr;
    QCPColorMap *m_errorMap = nullptr;
    QCPItemRect *m_pointsCursor = nullptr;
    QCPItemRect *m_errorCursor = nullptr;
    QCPBars *m_histogramBars = nullptr;
    QList<QCPItemStraightLine *> m_levelLines;
    QCPGraph *m_weightError = nullptr;
    QCPGraph *m_outputError = nullptr;
    QCPItemStraightLine *m_chosenLine = nullptr;
};

} // namespace mpq::ui
