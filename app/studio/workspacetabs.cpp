#include "workspacetabs.h"

#include "emptystatestack.h"
#include "modeldocument.h"

#include "mpq/graph.h"

#include "mpqwidgets/allocationplot.h"
#include "mpqwidgets/channelview.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/figureexport.h"
#include "mpqwidgets/graphview.h"
#include "mpqwidgets/previewview.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/sensitivityrankview.h"

#include <qcustomplot.h>

#include <QSplitter>
#include <QTableView>

#include <algorithm>

namespace mpq::studio {

WorkspaceTabs::WorkspaceTabs(ModelDocument *document, QWidget *parent)
    : QTabWidget(parent)
    , m_document(document)
    , m_sensitivity(new mpq::ui::SensitivityPlot(this))
    , m_rank(new mpq::ui::SensitivityRankView(this))
    , m_allocation(new mpq::ui::AllocationPlot(this))
    , m_channels(new mpq::ui::ChannelView(this))
    , m_preview(new mpq::ui::PreviewView(this))
    , m_compare(new mpq::ui::CompareView(this))
    , m_allocationPage(new EmptyStateStack(m_allocation, this))
    , m_channelsPage(new EmptyStateStack(m_channels, this))
    , m_graph(new mpq::ui::GraphPage(this))
    , m_graphPage(new EmptyStateStack(m_graph, this))
{
    setDocumentMode(true);
    // the Sensitivity page: the curves above, the ranking below (which layers, what they cost)
    auto *sensitivityPage = new QSplitter(Qt::Vertical, this);
    sensitivityPage->setChildrenCollapsible(false);
    sensitivityPage->addWidget(m_sensitivity);
    sensitivityPage->addWidget(m_rank);
    sensitivityPage->setStretchFactor(0, 3);
    sensitivityPage->setStretchFactor(1, 2);
    addTab(sensitivityPage, tr("Sensitivity"));
    addTab(m_allocationPage, tr("Allocation"));
    addTab(m_channelsPage, tr("Channels"));
    addTab(m_preview, tr("Preview"));
    addTab(m_compare, tr("Compare"));
    addTab(m_graphPage, tr("Graph"));
    setTabToolTip(Sensitivity, tr("How each layer's error falls with more points (Ctrl+1)"));
    setTabToolTip(Allocation, tr("What the current threshold or budget buys (Ctrl+2)"));
    setTabToolTip(Channels, tr("The points of each channel of one layer (Ctrl+3)"));
    setTabToolTip(Preview, tr("Float and quantized predictions on the sample images (Ctrl+4)"));
    setTabToolTip(Compare, tr("Multipoint against the other methods at the same cost (Ctrl+5)"));
    setTabToolTip(Graph, tr("The model's graph, its layers coloured by the allocation (Ctrl+6)"));
    // every plot exports to PNG, SVG or PDF and every table to CSV from its context menu
    const std::pair<QWidget *, QString> pages[] = {{m_sensitivity, QStringLiteral("sensitivity")},
                                                   {m_allocation, QStringLiteral("allocation")},
                                                   {m_channels, QStringLiteral("channels")},
                                                   {m_compare, QStringLiteral("compare")}};
    for (const auto &[page, name] : pages)
        for (QCustomPlot *plot : page->findChildren<QCustomPlot *>())
            mpq::ui::addPlotExportMenu(plot, name);
    mpq::ui::addTableExportMenu(m_compare->table(), QStringLiteral("compare"));
    mpq::ui::addTableExportMenu(m_rank->view(), QStringLiteral("sensitivity-ranking"));
    // A plot's title (a long layer path) must not force the page, and so the docks beside it,
    // to its width: every plot may shrink, its title is clipped instead.
    for (QCustomPlot *plot : findChildren<QCustomPlot *>())
        plot->setMinimumSize(fontMetrics().averageCharWidth() * 30, fontMetrics().height() * 10);
    connect(m_rank, &mpq::ui::SensitivityRankView::layersChosen, this,
            &WorkspaceTabs::layersChosen);
    connect(m_sensitivity, &mpq::ui::SensitivityPlot::layerClicked, this,
            [this](int layer) { emit layersChosen({layer}); });

    connect(m_graph, &mpq::ui::GraphPage::layersChosen, this, &WorkspaceTabs::layersChosen);
    // the graph needs only the model: laid out once per model, when the page is shown
    connect(document, &ModelDocument::modelChanged, this, [this] {
        m_graphDirty = true;
        if (currentIndex() == Graph)
            refreshGraph();
        updateEmptyStates();
    });
    connect(document, &ModelDocument::analysisChanged, this, &WorkspaceTabs::onAnalysisChanged);
    connect(document, &ModelDocument::allocationChanged, this, &WorkspaceTabs::onAllocationChanged);
    connect(document, &ModelDocument::extraCurvesChanged, this, [this] {
        if (currentIndex() == Allocation && !m_allocationDirty) {
            m_allocation->setExtraCurves(m_document->extraCurves());
        } else {
            m_allocationDirty = true;
            m_allocationCurvesStale = true;
        }
    });
    connect(this, &QTabWidget::currentChanged, this, [this](int page) {
        if (page == Channels && m_channelsDirty)
            refreshChannels();
        if (page == Allocation && m_allocationDirty)
            refreshAllocation();
        if (page == Graph && m_graphDirty)
            refreshGraph();
    });
    updateEmptyStates();
}

QList<QCustomPlot *> WorkspaceTabs::currentPlots() const
{
    QList<QCustomPlot *> plots;
    if (QWidget *page = currentWidget())
        for (QCustomPlot *plot : page->findChildren<QCustomPlot *>())
            if (plot->isVisible())
                plots << plot;
    std::sort(plots.begin(), plots.end(), [](QCustomPlot *a, QCustomPlot *b) {
        return a->width() * a->height() > b->width() * b->height();
    });
    return plots;
}

void WorkspaceTabs::setSelectedLayers(const QList<int> &layers)
{
    m_selected = layers;
    // none selected: the plot shows the most sensitive layers and says so
    m_sensitivity->setSelectedLayers(layers);
    m_rank->setSelectedLayers(layers);
    m_graph->view()->setSelectedLayers(layers); // centres the first one
    const int layer = layers.isEmpty() ? -1 : layers.front();
    if (layer != m_channelLayer) {
        m_channelLayer = layer;
        m_channelsDirty = true;
        if (currentIndex() == Channels)
            refreshChannels();
        updateEmptyStates();
    }
}

void WorkspaceTabs::setEpsilon(double epsilon)
{
    m_sensitivity->setEpsilon(epsilon);
    m_rank->setEpsilon(epsilon);
}

void WorkspaceTabs::onAnalysisChanged()
{
    m_sensitivity->setAnalysis(m_document->analysis());
    m_rank->setAnalysis(m_document->analysis());
    // The Allocation page's trade-off curves take hundreds of milliseconds on a detector (an
    // allocation per sample): built only while the page is shown, once per analysis
    // (bench_gui: the event loop stalled 0.5 s when an analysis arrived, two computations).
    m_allocationDirty = true;
    m_allocationAnalysisStale = true;
    if (currentIndex() == Allocation)
        refreshAllocation();
    setSelectedLayers(m_selected);
    m_channelsDirty = true;
    m_graph->setFigures(m_document->analysis(), m_document->allocation());
    updateEmptyStates();
}

void WorkspaceTabs::refreshAllocation()
{
    m_allocationDirty = false;
    const auto &analysis = m_document->analysis();
    if (m_allocationAnalysisStale || !analysis) {
        m_allocationAnalysisStale = false;
        // no analysis first, so that the curves, the overrides and the bits are all in place
        // when the analysis arrives and the trade-off is computed once
        m_allocation->setAnalysis(nullptr);
        m_allocation->setExtraCurves(m_document->extraCurves());
        m_allocation->setAllocation(m_document->allocation(), m_document->allocationSettings());
        m_allocation->setAnalysis(analysis);
    } else if (m_allocationCurvesStale) {
        m_allocation->setExtraCurves(m_document->extraCurves()); // recomputes the trade-off
    }
    m_allocationCurvesStale = false;
    m_allocation->setAllocation(m_document->allocation(), m_document->allocationSettings());
}

void WorkspaceTabs::onAllocationChanged()
{
    // cheap while the trade-off is valid (bars and the marker); deferred while hidden
    if (currentIndex() == Allocation && !m_allocationDirty)
        m_allocation->setAllocation(m_document->allocation(), m_document->allocationSettings());
    else
        m_allocationDirty = true;
    const mpq::AllocationSettings &settings = m_document->allocationSettings();
    m_sensitivity->setEpsilon(settings.epsilon);
    // the epsilon line only where a threshold applies (docs/ui.md, visual language)
    m_sensitivity->setEpsilonVisible(settings.rule == mpq::AllocationRule::Threshold);
    m_rank->setEpsilon(settings.epsilon);
    m_channelsDirty = true;
    if (currentIndex() == Channels)
        refreshChannels();
    // colours only, no new layout (cheap at 300+ nodes)
    m_graph->setFigures(m_document->analysis(), m_document->allocation());
    updateEmptyStates();
}

void WorkspaceTabs::refreshGraph()
{
    m_graphDirty = false;
    const auto &model = m_document->model();
    if (!model) {
        m_graph->clearGraph(QString());
        return;
    }
    try {
        // milliseconds on the demo detector (bench_graph); the layout runs in dot, a subprocess
        m_graph->setGraph(mpq::modelGraph(*model));
    } catch (const std::exception &e) {
        m_graph->clearGraph(
            tr("The model's graph cannot be read: %1").arg(QString::fromUtf8(e.what())));
    }
    m_graph->setFigures(m_document->analysis(), m_document->allocation());
    m_graph->view()->setSelectedLayers(m_selected);
}

void WorkspaceTabs::refreshChannels()
{
    const auto &analysis = m_document->analysis();
    const auto &allocation = m_document->allocation();
    if (!analysis || !allocation || m_channelLayer < 0)
        return;
    std::vector<float> weights;
    const auto &model = m_document->model();
    if (model && m_channelLayer < static_cast<int>(model->layers().size()))
        weights = model->foldedWeight(static_cast<std::size_t>(m_channelLayer));
    m_channels->setLayer(analysis, allocation, m_channelLayer, std::move(weights));
    m_channelsDirty = false;
}

void WorkspaceTabs::updateEmptyStates()
{
    const bool hasAnalysis = m_document->analysis() != nullptr;
    const QString analyzeFirst =
        m_document->model()
            ? tr("Press Analyze (Ctrl+R) in the Settings panel to measure how each layer's error "
                 "falls with more points.")
            : tr("Open a model (Ctrl+O) to begin.");
    if (!hasAnalysis || !m_document->allocation())
        m_allocationPage->showEmptyState(analyzeFirst);
    else
        m_allocationPage->showContent();
    if (!hasAnalysis || !m_document->allocation())
        m_channelsPage->showEmptyState(analyzeFirst);
    else if (m_channelLayer < 0)
        m_channelsPage->showEmptyState(
            tr("Select a layer in the Layers list to see the points of each of its channels."));
    else
        m_channelsPage->showContent();
    if (!m_document->model())
        m_graphPage->showEmptyState(
            hasAnalysis ? tr("The graph is read from the model file: open the model (Ctrl+O) to "
                             "see it.")
                        : tr("Open a model (Ctrl+O) to see its graph."));
    else
        m_graphPage->showContent();
}

} // namespace mpq::studio
