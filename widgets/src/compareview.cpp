#include "mpqwidgets/compareview.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedLayout>
#include <QTableView>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace mpq::ui {

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_model(new CompareModel(this))
    , m_plot(new QCustomPlot(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(this))
    , m_setting(new QLabel(this))
    , m_run(new QPushButton(tr("Run comparison"), this))
{
    m_run->setToolTip(tr("Quantize the model with every method at the current multipoint "
                         "allocation's memory overhead and evaluate each on the sample images"));
    connect(m_run, &QPushButton::clicked, this, &CompareView::runRequested);
    QFont bold = m_setting->font();
    bold.setBold(true);
    m_setting->setFont(bold);
    m_setting->setWordWrap(true);

    addPlotTitle(m_plot, tr("Task metric against effective bits, per method"));
    m_plot->xAxis->setLabel(tr("Effective bits (per quantized weight)"));
    m_plot->legend->setVisible(true);
    moveLegendBelow(m_plot, 2, 4);
    stylePlot(m_plot);

    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(m_setting, 1);
    top->addWidget(m_run);
    m_stack = new QStackedLayout;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(m_stack, 1);
    setEmptyState(tr("Run the analysis, then Run comparison: every method is measured on the "
                     "sample images at the same memory overhead, to show whether multipoint is "
                     "worth it for this model."));
    setRunEnabled(false);
}

void CompareView::setEmptyState(const QString &text)
{
    m_empty->setText(text);
    m_stack->setCurrentIndex(0);
    m_model->setFigures({}, {});
    m_setting->clear();
    m_setting->setStyleSheet({});
    m_stale = false;
    replot();
}

void CompareView::setStale(const QString &note)
{
    m_stale = true;
    m_setting->setText(note);
    m_setting->setStyleSheet(QStringLiteral("QLabel { color: #D55E00; }"));
}

QString CompareView::caption() const
{
    return m_setting->text();
}

QString CompareView::emptyText() const
{
    return m_empty->text();
}

bool CompareView::isShowingFigures() const
{
    return m_stack->currentIndex() == 1;
}

void CompareView::setRunning(bool running, const QString &note)
{
    m_run->setText(running ? tr("Running...") : tr("Run comparison"));
    m_run->setEnabled(!running);
    if (!note.isEmpty())
        m_setting->setText(note);
}

void CompareView::setRunEnabled(bool enabled)
{
    m_run->setEnabled(enabled);
}

void CompareView::setFigures(std::vector<MethodFigures> figures, const QString &metricName,
                             const QString &setting)
{
    m_model->setFigures(std::move(figures), metricName);
    m_table->resizeColumnsToContents();
    m_setting->setText(tr("Figures for %1").arg(setting));
    m_setting->setStyleSheet({});
    m_stale = false;
    m_stack->setCurrentIndex(m_model->rowCount() > 0 ? 1 : 0);
    replot();
}

void CompareView::replot()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    const auto &figures = m_model->figures();
    if (figures.empty()) {
        m_plot->replot();
        return;
    }
    m_plot->yAxis->setLabel(tr("%1 (%)").arg(m_model->metricName()));
    double lo = figures.front().reference * 100, hi = lo;
    double left = figures.front().effectiveBits, right = left;
    for (const MethodFigures &f : figures) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(methodTitle(f.method) +
                   QStringLiteral(": %1 %").arg(QLocale().toString(f.metric * 100, 'f', 2)));
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c = methodColor(f.method);
        const double size = fontMetrics().height() * 0.8;
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ScatterShape(methodShape(f.method)),
                                           QPen(c, 2), QBrush(c), size));
        g->setPen(QPen(c));
        g->addData(f.effectiveBits, f.metric * 100);
        lo = std::min(lo, f.metric * 100);
        hi = std::max(hi, f.metric * 100);
        left = std::min(left, f.effectiveBits);
        right = std::max(right, f.effectiveBits);
    }
    // the float model as a dashed reference line across the plot
    QCPGraph *ref = m_plot->addGraph();
    ref->setName(
        tr("float: %1 %").arg(QLocale().toString(figures.front().reference * 100, 'f', 2)));
    QPen pen(floatColor(), 2, Qt::DashLine);
    ref->setPen(pen);
    const double margin = std::max(0.25, (right - left) * 0.15);
    ref->addData(left - margin, figures.front().reference * 100);
    ref->addData(right + margin, figures.front().reference * 100);
    m_plot->xAxis->setRange(left - margin, right + margin);
    const double pad = std::max(1.0, (hi - lo) * 0.1);
    m_plot->yAxis->setRange(std::max(0.0, lo - pad), std::min(100.0 + pad, hi + pad));
    m_plot->replot();
}

void CompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        stylePlot(m_plot);
        replot();
    }
}

} // namespace mpq::ui
