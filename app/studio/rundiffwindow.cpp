#include "rundiffwindow.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"
#include "mpqwidgets/predictionrender.h"

#include <QFileInfo>
#include <QHBoxLayout>

#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace mpq::studio {

namespace {

QString pointsText(const mpq::SnapshotLayer &l)
{
    return l.isFloat ? QCoreApplication::translate("mpq::studio::RunDiffWindow", "float")
                     : QString::number(l.meanPoints, 'f', 2);
}

QString signedNumber(double v, int precision, char format = 'f')
{
    if (std::isnan(v))
        return QStringLiteral("–");
    return (v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, format, precision);
}

QString className(int c, const std::vector<std::string> &labels)
{
    if (c >= 0 && c < int(labels.size()))
        return QString::fromStdString(labels[std::size_t(c)]);
    return QCoreApplication::translate("mpq::studio::RunDiffWindow", "class %1").arg(c);
}

QString predictionText(const mpq::SnapshotPrediction &p, mpq::Task task,
                       const std::vector<std::string> &labels)
{
    if (task == mpq::Task::Classification)
        return QStringLiteral("%1 (%2)")
            .arg(className(p.topClass, labels))
            .arg(p.topScore, 0, 'f', 2);
    QStringList parts;
    for (const mpq::Detection &d : p.detections)
        parts << QStringLiteral("%1 %2").arg(className(d.label, labels)).arg(d.score, 0, 'f', 2);
    return QCoreApplication::translate("mpq::studio::RunDiffWindow", "%n box(es)", nullptr,
                                       int(p.detections.size())) +
           (parts.isEmpty() ? QString() : QStringLiteral(": ") + parts.join(QStringLiteral(", ")));
}

} // namespace

// ---- LayerChangeModel

void LayerChangeModel::setChanges(std::vector<mpq::LayerChange> changes)
{
    beginResetModel();
    m_changes = std::move(changes);
    m_errorScale = m_memoryScale = 0.0;
    for (const mpq::LayerChange &c : m_changes) {
        if (!c.inA || !c.inB)
            continue;
        m_errorScale = std::max(m_errorScale, std::abs(c.errorDelta));
        m_memoryScale = std::max(m_memoryScale, std::abs(c.overheadDelta));
    }
    endResetModel();
}

int LayerChangeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int LayerChangeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerChangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LayerColumn:
        return tr("Layer");
    case PointsColumn:
        return tr("Points A → B");
    case ErrorColumn:
        return tr("Relative error A → B");
    case MemoryColumn:
        return tr("Memory change");
    case SqnrColumn:
        return tr("SQNR change");
    }
    return {};
}

QVariant LayerChangeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const mpq::LayerChange &c = m_changes[std::size_t(index.row())];
    const bool both = c.inA && c.inB;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (role == BarRole) {
        if (!both)
            return nan;
        if (index.column() == ErrorColumn)
            return c.errorDelta;
        if (index.column() == MemoryColumn)
            return c.overheadDelta;
        return nan;
    }
    if (role == BarScaleRole)
        return index.column() == ErrorColumn ? m_errorScale : m_memoryScale;
    if (role == Qt::TextAlignmentRole && index.column() != LayerColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && both)
        return tr("%1: points %2 → %3, relative error %4 → %5, cost %6 bits")
            .arg(QString::fromStdString(c.name), pointsText(c.a), pointsText(c.b))
            .arg(c.a.relativeError, 0, 'e', 3)
            .arg(c.b.relativeError, 0, 'e', 3)
            .arg(signedNumber(double(c.costBitsDelta), 0));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case LayerColumn:
        return QString::fromStdString(c.name);
    case PointsColumn:
        if (!both)
            return c.inA ? tr("only in A") : tr("only in B");
        return QStringLiteral("%1 → %2").arg(pointsText(c.a), pointsText(c.b));
    case ErrorColumn:
        if (!both)
            return {};
        return QStringLiteral("%1 → %2").arg(mpq::ui::formatRelativeError(c.a.relativeError),
                                             mpq::ui::formatRelativeError(c.b.relativeError));
    case MemoryColumn:
        return both ? signedNumber(c.overheadDelta * 100.0, 2) + tr(" pp") : QVariant();
    case SqnrColumn:
        return both ? signedNumber(c.sqnrDelta, 1) + tr(" dB") : QVariant();
    }
    return {};
}

// ---- ChangeBarDelegate

QColor ChangeBarDelegate::worseColor()
{
    return QColor(0xD5, 0x5E, 0x00); // Okabe-Ito vermillion (docs/ui.md, visual language)
}

QColor ChangeBarDelegate::betterColor()
{
    return QColor(0x00, 0x9E, 0x73); // Okabe-Ito bluish green
}

void ChangeBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    const double value = index.data(LayerChangeModel::BarRole).toDouble();
    const double scale = index.data(LayerChangeModel::BarScaleRole).toDouble();
    if (std::isfinite(value) && value != 0.0 && scale > 0.0) {
        QStyleOptionViewItem background = option;
        initStyleOption(&background, index);
        background.text.clear();
        QStyledItemDelegate::paint(painter, background, QModelIndex());
        const QRect r = option.rect.adjusted(2, 3, -2, -3);
        const int width = std::max(2, int(std::lround(r.width() * std::abs(value) / scale)));
        QColor color = value > 0 ? worseColor() : betterColor();
        color.setAlpha(150);
        painter->fillRect(QRect(r.left(), r.top(), width, r.height()), color);
    }
    QStyledItemDelegate::paint(painter, option, index);
}

// ---- RunDiffWindow

RunDiffWindow::RunDiffWindow(QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_header(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_totals(new QTableWidget(this))
    , m_layers(new LayerChangeModel(this))
    , m_layerView(new QTableView(this))
    , m_plot(new QCustomPlot(this))
    , m_plotNote(new QLabel(this))
    , m_imagesNote(new QLabel(this))
    , m_images(new QTreeWidget(this))
{
    setWindowTitle(tr("Diff of two runs"));
    setObjectName(QStringLiteral("runDiffWindow"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_notes->setWordWrap(true);
    m_plotNote->setWordWrap(true);
    m_imagesNote->setWordWrap(true);
    m_totals->setColumnCount(3);
    m_totals->setHorizontalHeaderLabels({tr("A"), tr("B"), tr("B − A")});
    m_totals->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_totals->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_layerView->setModel(m_layers);
    m_layerView->setItemDelegate(new ChangeBarDelegate(m_layerView));
    m_layerView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layerView->verticalHeader()->hide();
    m_layerView->horizontalHeader()->setStretchLastSection(true);
    m_layerView->setObjectName(QStringLiteral("layerChanges"));
    m_images->setColumnCount(4);
    m_images->setHeaderLabels({tr("Image"), tr("Change"), tr("A"), tr("B")});
    m_images->setRootIsDecorated(false);
    m_images->setObjectName(QStringLiteral("imageChanges"));
    m_images->setToolTip(tr("Double-click an image to see both predictions drawn on it"));
    connect(m_images, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem *item) { showImage(m_images->indexOfTopLevelItem(item)); });

    mpq::ui::addPlotTitle(m_plot, tr("Both runs on the trade-off"));
    m_plot->xAxis->setLabel(tr("Total relative output error (sum over layers)"));
    m_plot->yAxis->setLabel(tr("Memory overhead (%)"));
    mpq::ui::setLogAxis(m_plot->xAxis);
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    mpq::ui::stylePlot(m_plot);
    m_plot->setMinimumHeight(240);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_totals);
    leftLayout->addWidget(new QLabel(tr("Changed layers, largest change first (red: more error "
                                        "or more memory; green: less)"),
                                     left));
    leftLayout->addWidget(m_layerView, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_plot, 1);
    rightLayout->addWidget(m_plotNote);
    rightLayout->addWidget(m_imagesNote);
    rightLayout->addWidget(m_images, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({720, 560});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_notes);
    layout->addWidget(split, 1);
    resize(1280, 760);
}

QString RunDiffWindow::imagesNote() const
{
    return m_imagesNote->text();
}

QWidget *RunDiffWindow::showImage(int row)
{
    if (row < 0 || row >= int(m_diff.images.size()))
        return nullptr;
    const mpq::PredictionChange &c = m_diff.images[std::size_t(row)];
    // where the run evaluated it: B's folder first (often the live state), else A's
    QString path;
    for (const mpq::RunSnapshot *s : {&m_b, &m_a})
        if (path.isEmpty() && !s->imageRoot.empty() &&
            QFileInfo::exists(QString::fromStdString(s->imageRoot + c.image)))
            path = QString::fromStdString(s->imageRoot + c.image);
    double scale = 1.0;
    QString error;
    const QImage image = path.isEmpty()
                             ? QImage()
                             : mpq::ui::loadScaledImage(path.toStdString(), 520, &scale, &error);
    if (image.isNull()) {
        m_imagesNote->setText(path.isEmpty() ? tr("%1 is no longer where the runs evaluated it.")
                                                   .arg(QString::fromStdString(c.image))
                                             : error);
        return nullptr;
    }
    auto *window = new QWidget(this, Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setObjectName(QStringLiteral("diffImage"));
    window->setWindowTitle(QString::fromStdString(c.image));
    auto *layout = new QHBoxLayout(window);
    const std::vector<mpq::Detection> none;
    for (const auto &[label, run, prediction] : {std::tuple{QStringLiteral("A"), &m_a, &c.a},
                                                 std::tuple{QStringLiteral("B"), &m_b, &c.b}}) {
        auto *column = new QVBoxLayout;
        auto *picture = new QLabel(window);
        picture->setObjectName(QStringLiteral("prediction") + label);
        // the run's boxes drawn as the Preview draws quantized ones (dashed, labelled)
        picture->setPixmap(QPixmap::fromImage(
            run->task == mpq::Task::Detection
                ? mpq::ui::drawDetections(image, scale, none, prediction->detections, m_labels, 0.0,
                                          mpq::ui::DetectionPanes::Quantized)
                : image));
        auto *caption =
            new QLabel(QStringLiteral("<b>%1</b>: %2<br>%3")
                           .arg(label, QString::fromStdString(run->name).toHtmlEscaped(),
                                predictionText(*prediction, run->task, m_labels).toHtmlEscaped()),
                       window);
        caption->setWordWrap(true);
        column->addWidget(picture);
        column->addWidget(caption);
        layout->addLayout(column);
    }
    window->show();
    return window;
}

QString RunDiffWindow::headerText() const
{
    return m_header->text() + QLatin1Char('\n') + m_notes->text();
}

void RunDiffWindow::setRuns(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                            std::optional<mpq::TradeOffCurves> backdrop,
                            const std::vector<std::string> &labels, const QStringList &notes)
{
    m_diff = mpq::diffSnapshots(a, b);
    m_a = a;
    m_b = b;
    m_labels = labels;
    setWindowTitle(
        tr("Diff: %1 ↔ %2").arg(QString::fromStdString(a.name), QString::fromStdString(b.name)));
    QString header =
        tr("<b>A</b>: %1 <i>(%2)</i> &nbsp; <b>B</b>: %3 <i>(%4)</i>")
            .arg(QString::fromStdString(a.name).toHtmlEscaped(), QString::fromStdString(a.time),
                 QString::fromStdString(b.name).toHtmlEscaped(), QString::fromStdString(b.time));
    if (!m_diff.sameModel)
        header += QStringLiteral("<br><span style=\"color:#D55E00\"><b>%1</b></span>")
                      .arg(tr("These runs are of different models (%1); layers are matched by "
                              "name.")
                               .arg(QString::fromStdString(m_diff.modelNote).toHtmlEscaped()));
    m_header->setText(header);
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!notes.isEmpty());
    fillTotals(a, b);
    m_layers->setChanges(m_diff.layers);
    m_layerView->resizeColumnsToContents();
    fillPlot(a, b, backdrop);
    fillImages(a, labels);
}

void RunDiffWindow::fillTotals(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b)
{
    struct Row
    {
        QString label, a, b, delta;
    };
    const mpq::SnapshotTotals &x = m_diff.a, &y = m_diff.b;
    QList<Row> rows{{tr("Memory overhead"), mpq::ui::formatPercent(x.memoryOverhead),
                     mpq::ui::formatPercent(y.memoryOverhead),
                     signedNumber((y.memoryOverhead - x.memoryOverhead) * 100, 2) + tr(" pp")},
                    {tr("MAC overhead"), mpq::ui::formatPercent(x.macOverhead),
                     mpq::ui::formatPercent(y.macOverhead),
                     signedNumber((y.macOverhead - x.macOverhead) * 100, 2) + tr(" pp")},
                    {tr("Effective bits"), QString::number(x.effectiveBits, 'f', 3),
                     QString::number(y.effectiveBits, 'f', 3),
                     signedNumber(y.effectiveBits - x.effectiveBits, 3)},
                    {tr("Total error"), QString::number(x.totalError, 'e', 3),
                     QString::number(y.totalError, 'e', 3),
                     signedNumber(y.totalError - x.totalError, 2, 'e')},
                    {tr("Float MAC share"), mpq::ui::formatPercent(x.floatMacShare),
                     mpq::ui::formatPercent(y.floatMacShare),
                     signedNumber((y.floatMacShare - x.floatMacShare) * 100, 2) + tr(" pp")},
                    {tr("Layers changed"), QString(), QString(),
                     tr("%1 of %2")
                         .arg(m_diff.layers.size())
                         .arg(m_diff.layers.size() + std::size_t(m_diff.unchangedLayers))}};
    if (m_diff.metricCompared)
        rows << Row{QString::fromStdString(m_diff.metricName),
                    QString::number(m_diff.metricA, 'f', 4),
                    QString::number(m_diff.metricB, 'f', 4),
                    signedNumber(m_diff.metricB - m_diff.metricA, 4)};
    else
        rows << Row{tr("Task metric"),
                    a.evaluated ? QString::number(a.metricValue, 'f', 4) : tr("not evaluated"),
                    b.evaluated ? QString::number(b.metricValue, 'f', 4) : tr("not evaluated"),
                    QString()};
    m_totals->setRowCount(int(rows.size()));
    QStringList labels;
    for (int i = 0; i < rows.size(); ++i) {
        labels << rows[i].label;
        m_totals->setItem(i, 0, new QTableWidgetItem(rows[i].a));
        m_totals->setItem(i, 1, new QTableWidgetItem(rows[i].b));
        m_totals->setItem(i, 2, new QTableWidgetItem(rows[i].delta));
    }
    m_totals->setVerticalHeaderLabels(labels);
    m_totals->resizeRowsToContents();
    const int height = m_totals->horizontalHeader()->sizeHint().height() +
                       m_totals->verticalHeader()->length() + 2 * m_totals->frameWidth() + 2;
    m_totals->setMinimumHeight(height);
    m_totals->setMaximumHeight(height);
}

void RunDiffWindow::fillPlot(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                             const std::optional<mpq::TradeOffCurves> &backdrop)
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    const QColor grey = palette().color(QPalette::Mid);
    if (backdrop) {
        QCPGraph *threshold = m_plot->addGraph();
        threshold->setName(tr("Threshold rule"));
        threshold->setPen(QPen(grey, 1.5, Qt::DashLine));
        QCPGraph *budget = m_plot->addGraph();
        budget->setName(tr("Memory budget rule"));
        budget->setPen(QPen(grey, 1.5));
        for (const mpq::TradeOffPoint &p : backdrop->threshold)
            threshold->addData(mpq::ui::logAxisValue(p.totalError), p.memoryOverhead * 100.0);
        for (const mpq::TradeOffPoint &p : backdrop->budget)
            budget->addData(mpq::ui::logAxisValue(p.totalError), p.memoryOverhead * 100.0);
        m_plotNote->setText(tr("Curves: the current analysis at %1 bits with A's settings.")
                                .arg(a.allocation.bits));
    } else {
        m_plotNote->setText(tr("The trade-off curves are not shown: the current analysis is not "
                               "the one these runs were made from."));
    }
    const auto addRun = [&](const mpq::RunSnapshot &s, const QString &label, QColor color,
                            QCPScatterStyle::ScatterShape shape) {
        QCPGraph *g = m_plot->addGraph();
        g->setName(QStringLiteral("%1: %2").arg(label, QString::fromStdString(s.name)));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(shape, color, color, 11));
        g->addData(mpq::ui::logAxisValue(s.totals.totalError), s.totals.memoryOverhead * 100.0);
        auto *text = new QCPItemText(m_plot);
        text->setText(label);
        text->setColor(color);
        QFont f = font();
        f.setBold(true);
        text->setFont(f);
        text->position->setCoords(mpq::ui::logAxisValue(s.totals.totalError),
                                  s.totals.memoryOverhead * 100.0);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        text->setPadding(QMargins(8, 0, 0, 6));
    };
    addRun(a, QStringLiteral("A"), mpq::ui::floatColor(), QCPScatterStyle::ssCircle);
    addRun(b, QStringLiteral("B"), mpq::ui::quantizedColor(), QCPScatterStyle::ssDiamond);
    // around the two runs: the curves reach overheads far above any budget one would pin
    double xlo = qInf(), xhi = -qInf(), yhi = 0.0;
    for (const mpq::RunSnapshot *s : {&a, &b}) {
        const double x = mpq::ui::logAxisValue(s->totals.totalError);
        if (std::isfinite(x)) {
            xlo = std::min(xlo, x);
            xhi = std::max(xhi, x);
        }
        yhi = std::max(yhi, s->totals.memoryOverhead * 100.0);
    }
    double ytop = std::max(2.0, yhi * 2.5);
    if (backdrop) {
        // reach down to the curves when they start above the runs, and span them sideways
        double lowest = qInf();
        for (const auto *curve : {&backdrop->threshold, &backdrop->budget})
            for (const mpq::TradeOffPoint &p : *curve)
                lowest = std::min(lowest, p.memoryOverhead * 100.0);
        if (std::isfinite(lowest) && lowest > ytop)
            ytop = lowest * 1.3;
        for (const auto *curve : {&backdrop->threshold, &backdrop->budget})
            for (const mpq::TradeOffPoint &p : *curve) {
                const double x = mpq::ui::logAxisValue(p.totalError);
                if (std::isfinite(x) && p.memoryOverhead * 100.0 <= ytop) {
                    xlo = std::min(xlo, x);
                    xhi = std::max(xhi, x);
                }
            }
    }
    if (std::isfinite(xlo))
        m_plot->xAxis->setRange(xlo / 3.0, xhi * 3.0);
    m_plot->yAxis->setRange(0.0, ytop);
    m_plot->replot();
}

void RunDiffWindow::fillImages(const mpq::RunSnapshot &a, const std::vector<std::string> &labels)
{
    m_images->clear();
    if (!m_diff.predictionsCompared) {
        m_imagesNote->setText(tr("Predictions are not compared: both runs must be evaluated on "
                                 "the Preview page."));
        return;
    }
    m_imagesNote->setText(tr("%1 of %2 images differ in their predictions, largest change first.")
                              .arg(m_diff.images.size())
                              .arg(m_diff.imagesCompared));
    for (const mpq::PredictionChange &c : m_diff.images) {
        QString change;
        if (c.classChanged) {
            change = tr("class changed");
        } else {
            QStringList parts;
            if (c.lost)
                parts << tr("%1 lost").arg(c.lost);
            if (c.added)
                parts << tr("%1 added").arg(c.added);
            if (c.moved)
                parts << tr("%1 moved").arg(c.moved);
            change = parts.join(QStringLiteral(", "));
        }
        auto *item = new QTreeWidgetItem(m_images, {QString::fromStdString(c.image), change,
                                                    predictionText(c.a, a.task, labels),
                                                    predictionText(c.b, a.task, labels)});
        for (int col = 2; col <= 3; ++col)
            item->setToolTip(col, item->text(col));
    }
    for (int col = 0; col < 2; ++col)
        m_images->resizeColumnToContents(col);
    for (int col = 2; col < 4; ++col)
        m_images->setColumnWidth(col, 240);
}

} // namespace mpq::studio
