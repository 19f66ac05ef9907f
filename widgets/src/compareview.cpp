#include "mpqwidgets/compareview.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedLayout>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

namespace {

QString percentText(double fraction)
{
    return QLocale().toString(fraction * 100, 'f', 2) + QStringLiteral(" %");
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_model(new CompareModel(this))
    , m_sweepModel(new SweepModel(this))
    , m_plot(new QCustomPlot(this))
    , m_sweepPlot(new QCustomPlot(this))
    , m_table(new QTableView(this))
    , m_plots(new QStackedWidget(this))
    , m_empty(createEmptyStateLabel(this))
    , m_setting(new QLabel(this))
    , m_modeBox(new QComboBox(this))
    , m_axisBox(new QComboBox(this))
    , m_run(new QPushButton(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
{
    m_modeBox->addItem(tr("At this allocation"));
    m_modeBox->addItem(tr("Sweep budgets"));
    m_modeBox->setToolTip(
        tr("At this allocation: every method at the current allocation's memory overhead. "
           "Sweep budgets: every method over memory budgets from 0 to 50 %, one curve each."));
    m_axisBox->addItem(tr("Memory overhead"));
    m_axisBox->addItem(tr("MAC overhead"));
    m_axisBox->setToolTip(tr("What the methods are compared against: the extra weight memory or "
                             "the extra multiply-accumulates, over the b-bit model"));
    auto *axisLabel = new QLabel(tr("Against:"), this);
    axisLabel->setBuddy(m_axisBox);
    connect(m_modeBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setMode(Mode(index)); });
    connect(m_axisBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setAxis(Axis(index)); });
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (m_mode == Sweep)
            emit sweepRequested();
        else
            emit runRequested();
    });
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancelRequested);
    QFont bold = m_setting->font();
    bold.setBold(true);
    m_setting->setFont(bold);
    m_setting->setWordWrap(true);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);

    m_title = addPlotTitle(m_plot, {});
    m_plot->legend->setVisible(true);
    moveLegendBelow(m_plot, 2, 4);
    stylePlot(m_plot);
    m_sweepTitle = addPlotTitle(m_sweepPlot, {});
    m_sweepPlot->legend->setVisible(true);
    moveLegendBelow(m_sweepPlot, 2, 4);
    stylePlot(m_sweepPlot);
    m_plots->addWidget(m_plot);
    m_plots->addWidget(m_sweepPlot);

    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_plots);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_modeBox);
    controls->addSpacing(fontMetrics().averageCharWidth() * 2);
    controls->addWidget(axisLabel);
    controls->addWidget(m_axisBox);
    controls->addStretch(1);
    controls->addWidget(m_run);
    controls->addWidget(m_cancel);
    m_stack = new QStackedLayout;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_setting);
    layout->addWidget(m_progress);
    layout->addLayout(m_stack, 1);
    setEmptyState(tr("Run the analysis, then Run comparison: every method is measured on the "
                     "sample images at the same memory overhead, to show whether multipoint is "
                     "worth it for this model."));
    setEmptyState(tr("Run the analysis, then Run sweep: every method is measured on the sample "
                     "images at memory budgets from 0 to 50 %, one curve per method."),
                  Sweep);
    setRunEnabled(false);
    setAxis(MemoryAxis); // titles and labels
}

void CompareView::setMode(Mode mode)
{
    if (mode != m_mode) {
        m_mode = mode;
        emit modeChanged(mode);
    }
    showPage();
}

void CompareView::setAxis(Axis axis)
{
    m_axis = axis;
    if (m_axisBox->currentIndex() != axis)
        m_axisBox->setCurrentIndex(axis);
    m_title->setText(axis == MemoryAxis ? tr("Task metric against memory overhead, per method")
                                        : tr("Task metric against MAC overhead, per method"));
    m_sweepTitle->setText(axis == MemoryAxis
                              ? tr("Task metric against memory overhead, over memory budgets")
                              : tr("Task metric against MAC overhead, over memory budgets"));
    m_plot->xAxis->setLabel(axisTitle());
    m_sweepPlot->xAxis->setLabel(axisTitle());
    replot();
    replotSweep();
}

QString CompareView::axisTitle() const
{
    return m_axis == MemoryAxis ? tr("Memory overhead (%)") : tr("MAC overhead (%)");
}

double CompareView::xOf(const MethodFigures &f) const
{
    return (m_axis == MemoryAxis ? f.memoryOverhead : f.macOverhead) * 100.0;
}

void CompareView::showPage()
{
    if (m_modeBox->currentIndex() != m_mode)
        m_modeBox->setCurrentIndex(m_mode);
    const Page &page = m_pages[m_mode];
    m_setting->setText(page.caption);
    m_setting->setVisible(!page.caption.isEmpty());
    m_setting->setStyleSheet(page.warn ? QStringLiteral("QLabel { color: #D55E00; }") : QString());
    m_empty->setText(page.empty);
    m_stack->setCurrentIndex(page.figures ? 1 : 0);
    m_plots->setCurrentIndex(m_mode);
    QAbstractItemModel *model =
        m_mode == Sweep ? static_cast<QAbstractItemModel *>(m_sweepModel) : m_model;
    if (m_table->model() != model) {
        m_table->setModel(model);
        m_table->resizeColumnsToContents();
    }
    m_run->setText(page.running      ? tr("Running...")
                   : m_mode == Sweep ? tr("Run sweep")
                                     : tr("Run comparison"));
    m_run->setToolTip(
        m_mode == Sweep
            ? tr("Quantize the model with every method at memory budgets from 0 to 50 % and "
                 "evaluate each on the sample images (in the background)")
            : tr("Quantize the model with every method at the current multipoint allocation's "
                 "memory overhead and evaluate each on the sample images"));
    m_run->setEnabled(m_runEnabled && !page.running);
    m_cancel->setVisible(page.running);
    m_progress->setVisible(page.running);
    m_progress->setValue(int(std::lround(page.fraction * 1000)));
    // stage, percent and time left as the window's progress line shows them (issue 14)
    QString format =
        page.stage.isEmpty() ? QStringLiteral("%p %") : page.stage + QStringLiteral(": %p %");
    if (page.secondsLeft >= 0.0) {
        const int s = static_cast<int>(std::ceil(page.secondsLeft));
        format += QStringLiteral(", ") +
                  tr("%1:%2 left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    m_progress->setFormat(format);
}

void CompareView::setEmptyState(const QString &text, Mode mode)
{
    Page &page = m_pages[mode];
    page.empty = text;
    page.figures = false;
    page.caption.clear();
    page.stale = false;
    page.warn = false;
    if (mode == Sweep) {
        m_sweepModel->setPoints({}, {});
        replotSweep();
    } else {
        m_model->setFigures({}, {});
        replot();
    }
    showPage();
}

void CompareView::setStale(const QString &note, Mode mode)
{
    Page &page = m_pages[mode];
    page.stale = true;
    page.warn = true;
    page.caption = note;
    showPage();
}

void CompareView::setCurrent(const QString &caption, Mode mode)
{
    Page &page = m_pages[mode];
    page.stale = false;
    page.warn = false;
    page.caption = caption;
    showPage();
}

void CompareView::setRunning(bool running, const QString &note, Mode mode)
{
    Page &page = m_pages[mode];
    page.running = running;
    page.fraction = 0.0;
    page.stage.clear();
    page.secondsLeft = -1.0;
    if (!note.isEmpty()) {
        page.caption = note;
        page.warn = false;
    }
    showPage();
}

void CompareView::setProgress(double fraction, const QString &stage, Mode mode, double secondsLeft)
{
    Page &page = m_pages[mode];
    page.fraction = std::clamp(fraction, 0.0, 1.0);
    page.stage = stage;
    page.secondsLeft = secondsLeft;
    if (mode == m_mode)
        showPage();
}

void CompareView::setRunEnabled(bool enabled)
{
    m_runEnabled = enabled;
    showPage();
}

void CompareView::setFigures(std::vector<MethodFigures> figures, const QString &metricName,
                             const QString &setting)
{
    m_model->setFigures(std::move(figures), metricName);
    Page &page = m_pages[AtAllocation];
    page.caption = tr("Figures for %1").arg(setting);
    page.warn = false;
    page.stale = false;
    page.figures = m_model->rowCount() > 0;
    if (m_mode == AtAllocation)
        m_table->resizeColumnsToContents();
    replot();
    showPage();
}

void CompareView::setSweep(std::vector<MethodFigures> points, const QString &metricName,
                           const QString &setting)
{
    m_sweepModel->setPoints(std::move(points), metricName);
    Page &page = m_pages[Sweep];
    page.caption = tr("Sweep for %1").arg(setting);
    page.warn = false;
    page.stale = false;
    page.figures = m_sweepModel->rowCount() > 0;
    if (m_mode == Sweep)
        m_table->resizeColumnsToContents();
    replotSweep();
    showPage();
}

namespace {

/// The float model as a dashed reference line across [left, right] (x in %).
void addReferenceLine(QCustomPlot *plot, double reference, double left, double right)
{
    QCPGraph *ref = plot->addGraph();
    ref->setName(QCoreApplication::translate("mpq::ui::CompareView", "float: %1")
                     .arg(percentText(reference)));
    ref->setPen(QPen(floatColor(), 2, Qt::DashLine));
    ref->addData(left, reference * 100);
    ref->addData(right, reference * 100);
}

/// Axis ranges around [left, right] x [lo, hi] (x in %, y in %).
void setRanges(QCustomPlot *plot, double left, double right, double lo, double hi)
{
    const double margin = std::max(1.0, (right - left) * 0.08);
    plot->xAxis->setRange(left - margin, right + margin);
    const double pad = std::max(1.0, (hi - lo) * 0.1);
    plot->yAxis->setRange(std::max(0.0, lo - pad), std::min(100.0 + pad, hi + pad));
}

} // namespace

void CompareView::replot()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    const auto &figures = m_model->figures();
    if (figures.empty()) {
        m_plot->replot();
        return;
    }
    // compare at matched cost (issue 14): the metric against memory or MAC overhead
    m_plot->yAxis->setLabel(tr("%1 (%)").arg(m_model->metricName()));
    double lo = figures.front().reference * 100, hi = lo;
    double left = xOf(figures.front()), right = left;
    for (const MethodFigures &f : figures) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(methodTitle(f.method) + QStringLiteral(": ") + percentText(f.metric));
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c = methodColor(f.method);
        const double size = fontMetrics().height() * 0.8;
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ScatterShape(methodShape(f.method)),
                                           QPen(c, 2), QBrush(c), size));
        g->setPen(QPen(c));
        g->addData(xOf(f), f.metric * 100);
        lo = std::min(lo, f.metric * 100);
        hi = std::max(hi, f.metric * 100);
        left = std::min(left, xOf(f));
        right = std::max(right, xOf(f));
    }
    const double margin = std::max(1.0, (right - left) * 0.08);
    addReferenceLine(m_plot, figures.front().reference, left - margin, right + margin);
    setRanges(m_plot, left, right, lo, hi);
    m_plot->replot();
}

void CompareView::replotSweep()
{
    m_sweepPlot->clearPlottables();
    m_sweepPlot->clearItems();
    const auto &points = m_sweepModel->points();
    if (points.empty()) {
        m_sweepPlot->replot();
        return;
    }
    m_sweepPlot->yAxis->setLabel(tr("%1 (%)").arg(m_sweepModel->metricName()));
    double lo = points.front().reference * 100, hi = lo;
    double left = xOf(points.front()), right = left;
    const double size = fontMetrics().height() * 0.7;
    for (const QString &method : m_sweepModel->methods()) {
        std::vector<const MethodFigures *> mine;
        for (const MethodFigures &p : points)
            if (p.method == method)
                mine.push_back(&p);
        // in budget order: on the MAC axis a method's x need not grow with its budget
        std::stable_sort(mine.begin(), mine.end(),
                         [](const auto *a, const auto *b) { return a->budget < b->budget; });
        auto *curve = new QCPCurve(m_sweepPlot->xAxis, m_sweepPlot->yAxis);
        const QColor c = methodColor(method);
        curve->setPen(QPen(c, 2));
        curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ScatterShape(methodShape(method)),
                                               QPen(c, 2), QBrush(c), size));
        const bool single = mine.size() == 1 && mine.front()->budget < 0;
        if (mine.size() == 1)
            curve->setLineStyle(QCPCurve::lsNone);
        curve->setName(single ? tr("%1 (any budget)").arg(methodTitle(method))
                              : methodTitle(method));
        for (std::size_t i = 0; i < mine.size(); ++i) {
            const MethodFigures &p = *mine[i];
            curve->addData(double(i), xOf(p), p.metric * 100);
            lo = std::min(lo, p.metric * 100);
            hi = std::max(hi, p.metric * 100);
            left = std::min(left, xOf(p));
            right = std::max(right, xOf(p));
        }
    }
    const double margin = std::max(1.0, (right - left) * 0.08);
    addReferenceLine(m_sweepPlot, points.front().reference, left - margin, right + margin);
    setRanges(m_sweepPlot, left, right, lo, hi);
    m_sweepPlot->replot();
}

void CompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        stylePlot(m_plot);
        stylePlot(m_sweepPlot);
        replot();
        replotSweep();
    }
}

} // namespace mpq::ui
