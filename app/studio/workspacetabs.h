#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QList>
#include <QTabWidget>

#include <memory>

namespace mpq::ui {
class AllocationPlot;
class ChannelView;
class SensitivityPlot;
} // namespace mpq::ui

namespace mpq::studio {

class EmptyStateStack;
class ModelDocument;

/// The centre of the workspace: the Sensitivity, Allocation and Channels pages, kept in step
/// with the document. Refreshing after a threshold move is synchronous and cheap; the Channels
/// page (which copies a layer's weights) refreshes only while it is visible.
class WorkspaceTabs : public QTabWidget
{
    Q_OBJECT
public:
    enum Page { Sensitivity, Allocation, Channels, PageCount };

    explicit WorkspaceTabs(ModelDocument *document, QWidget *parent = nullptr);

    mpq::ui::SensitivityPlot *sensitivityPlot() const { return m_sensitivity; }
    mpq::ui::AllocationPlot *allocationPlot() const { return m_allocation; }
    mpq::ui::ChannelView *channelView() const { return m_channels; }
    /// The layers chosen in the Layers table; empty means all (Sensitivity) or none (Channels).
    void setSelectedLayers(const QList<int> &layers);
    void setEpsilon(double epsilon);
    int channelLayer() const { return m_channelLayer; }

private:
    void onAnalysisChanged();
    void onAllocationChanged();
    void refreshChannels();
    void updateEmptyStates();

    ModelDocument *m_document;
    mpq::ui::SensitivityPlot *m_sensitivity;
    mpq::ui::AllocationPlot *m_allocation;
    mpq::ui::ChannelView *m_channels;
    EmptyStateStack *m_allocationPage;
    EmptyStateStack *m_channelsPage;
    QList<int> m_selected;
    int m_channelLayer = -1;
    bool m_channelsDirty = true;
};

} // namespace mpq::studio
