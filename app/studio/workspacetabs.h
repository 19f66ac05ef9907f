#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QList>
#include <QTabWidget>

#include <memory>

class QCustomPlot;

namespace mpq::ui {
class AllocationPlot;
class ChannelView;
class CompareView;
class GraphPage;
class PreviewView;
class SensitivityPlot;
class SensitivityRankView;
} // namespace mpq::ui

namespace mpq::studio {

class EmptyStateStack;
class ModelDocument;

/// The centre of the workspace: the Sensitivity page (the curves over the ranked sensitivity
/// view), the Allocation and Channels pages, kept in step
/// with the document, and the Preview and Compare pages (fed by the PreviewController). Refreshing
/// after a threshold move is synchronous and cheap; the Channels page (which copies a layer's
/// weights) and the Allocation page (whose trade-off curves cost an allocation per sample)
/// refresh only while they are visible.
class WorkspaceTabs : public QTabWidget
{
    Q_OBJECT
public:
    enum Page { Sensitivity, Allocation, Channels, Preview, Compare, Graph, PageCount };

    explicit WorkspaceTabs(ModelDocument *document, QWidget *parent = nullptr);

    mpq::ui::SensitivityPlot *sensitivityPlot() const { return m_sensitivity; }
    mpq::ui::SensitivityRankView *rankView() const { return m_rank; }
    mpq::ui::AllocationPlot *allocationPlot() const { return m_allocation; }
    mpq::ui::ChannelView *channelView() const { return m_channels; }
    mpq::ui::PreviewView *previewView() const { return m_preview; }
    mpq::ui::CompareView *compareView() const { return m_compare; }
    /// The Graph page (issue 15): laid out by Graphviz's dot when the model changes and the page
    /// is shown; recoloured on every allocation change.
    mpq::ui::GraphPage *graphPage() const { return m_graph; }
    EmptyStateStack *graphPageStack() const { return m_graphPage; }
    /// The visible plots of the current page, largest first (File > Export plot).
    QList<QCustomPlot *> currentPlots() const;
    /// The layers chosen in the Layers table; empty means the most sensitive ones (Sensitivity)
    /// or none (Channels). The ranking mirrors it.
    void setSelectedLayers(const QList<int> &layers);
    void setEpsilon(double epsilon);
    int channelLayer() const { return m_channelLayer; }

signals:
    /// The user chose layers on a page (a row of the ranking, a curve of the sensitivity plot):
    /// the window selects them everywhere (the Layers table, then setSelectedLayers()).
    void layersChosen(const QList<int> &layers);

private:
    void onAnalysisChanged();
    void onAllocationChanged();
    void refreshChannels();
    /// Brings the Allocation page up to date (only while it is shown: its trade-off is costly).
    void refreshAllocation();
    void updateEmptyStates();
    /// Builds the open model's graph and starts its layout (only while the Graph page is shown).
    void refreshGraph();

    ModelDocument *m_document;
    mpq::ui::SensitivityPlot *m_sensitivity;
    mpq::ui::SensitivityRankView *m_rank;
    mpq::ui::AllocationPlot *m_allocation;
    mpq::ui::ChannelView *m_channels;
    mpq::ui::PreviewView *m_preview;
    mpq::ui::CompareView *m_compare;
    EmptyStateStack *m_allocationPage;
    EmptyStateStack *m_channelsPage;
    mpq::ui::GraphPage *m_graph;
    EmptyStateStack *m_graphPage;
    bool m_graphDirty = true; ///< the Graph page misses a new model
    QList<int> m_selected;
    int m_channelLayer = -1;
    bool m_channelsDirty = true;
    bool m_allocationDirty = true;         ///< the Allocation page misses a change
    bool m_allocationAnalysisStale = true; ///< ... and it is a new analysis
    bool m_allocationCurvesStale = false;  ///< ... or new curves at other bits
};

} // namespace mpq::studio
