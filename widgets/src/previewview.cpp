#include "previewparts.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"
#include "mpqwidgets/plotstyle.h"
#include "mpqwidgets/predictionrender.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QStackedLayout>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>

namespace mpq::ui {

namespace preview {

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;&nbsp;%2</td></tr>")
        .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

} // namespace preview

using preview::row;

namespace {

// "89.84 %" and, for the quantized figure, the change in points: "89.24 % (-0.60)".
QString accuracy(double fraction, double reference = -1.0)
{
    QString text = QLocale().toString(fraction * 100.0, 'f', 2) + QStringLiteral(" %");
    if (reference >= 0.0) {
        const double change = (fraction - reference) * 100.0;
        text += QStringLiteral(" (%1%2)")
                    .arg(change >= 0 ? QStringLiteral("+") : QString())
                    .arg(QLocale().toString(change, 'f', 2));
    }
    return text;
}

QString swatch(const QColor &c, const QString &style)
{
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(c.name(), style);
}

/// Lays a caption out to the view's icon box, not to its thumbnail: a thumbnail smaller than the
/// box (a 28 px classifier sample enlarged to 112 px, a photo in a wide page) would otherwise wrap
/// and clip the caption lines to its own width, while updateGrid sized the box to the widest line.
class CaptionDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (const auto *view = qobject_cast<const QAbstractItemView *>(option->widget))
            option->decorationSize = view->iconSize(); // the thumbnail is drawn centred in it
    }
};

} // namespace

PreviewView::PreviewView(QWidget *parent)
    : QWidget(parent)
    , m_model(new PreviewModel(this))
    , m_proxy(new Filter(this))
    , m_changedFirst(new QCheckBox(tr("Changed first"), this))
    , m_onlyChanged(new QCheckBox(tr("Only changed"), this))
    , m_differs(new QCheckBox(tr("Differs between the runs"), this))
    , m_marksBar(new QWidget(this))
    , m_marksText(new QLabel(m_marksBar))
    , m_clearMarks(new QPushButton(tr("Clear marks"), m_marksBar))
    , m_view(new QListView(this))
    , m_empty(createEmptyStateLabel(this))
    , m_setting(new QLabel(this))
    , m_pending(new QLabel(this))
    , m_metrics(new QLabel(this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_thresholdLabel(new QLabel(tr("Score threshold"), this))
    , m_explainBox(new QGroupBox(tr("Why did this prediction flip?"), this))
    , m_explainMode(new QComboBox(m_explainBox))
    , m_explain(new QPushButton(tr("Explain"), m_explainBox))
    , m_cancelExplain(new QPushButton(tr("Cancel"), m_explainBox))
    , m_explainProgress(new QProgressBar(m_explainBox))
    , m_explanation(new QLabel(m_explainBox))
    , m_applyExplanation(new QPushButton(tr("Apply as overrides"), m_explainBox))
    , m_raiseBudget(new QPushButton(m_explainBox))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(PreviewModel::ChangedRole);
    m_proxy->setDynamicSortFilter(true);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new CaptionDelegate(m_view));
    m_view->setTextElideMode(Qt::ElideNone);
    m_changedFirst->setToolTip(tr("Images whose quantized prediction differs from the float one "
                                  "first"));
    m_onlyChanged->setToolTip(tr("Show only the images whose quantized prediction differs"));
    connect(m_changedFirst, &QCheckBox::toggled, this, [this] { applyOrder(); });
    connect(m_onlyChanged, &QCheckBox::toggled, this, [this] { applyOrder(); });
    // the images two runs differ on (issue 15, docs/ui.md "Run diff on Preview")
    m_differs->setToolTip(tr("Show only the images whose predictions differ between the two runs "
                             "of the diff"));
    m_differs->setVisible(false);
    connect(m_differs, &QCheckBox::toggled, this, [this] { applyOrder(); });
    m_marksText->setTextFormat(Qt::RichText);
    m_marksText->setWordWrap(true);
    m_clearMarks->setToolTip(tr("Remove the run diff's marks from the Preview"));
    connect(m_clearMarks, &QPushButton::clicked, this, &PreviewView::clearRunMarksRequested);
    {
        auto *bar = new QHBoxLayout(m_marksBar);
        bar->setContentsMargins(0, 0, 0, 0);
        bar->addWidget(m_marksText, 1);
        bar->addWidget(m_clearMarks);
        m_marksBar->setVisible(false);
    }
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);
    m_view->setWordWrap(true);
    m_view->setSpacing(6);
    m_view->setSelectionMode(QListView::SingleSelection);
    const int em = fontMetrics().height();
    // small enough for two or three columns beside the docks; a double click shows one large
    m_view->setIconSize(QSize(10 * em, 7 * em));
    m_view->setGridSize(QSize(11 * em, 11 * em));
    connect(m_view, &QListView::activated, this, [this](const QModelIndex &i) {
        const int row = m_proxy->mapToSource(i).row();
        emit imageActivated(row);
        openLarge(row);
    });
    // captions change with the score threshold (box counts): the grid follows
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { updateGrid(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { updateGrid(); });

    QFont bold = m_setting->font();
    bold.setBold(true);
    m_setting->setFont(bold);
    m_setting->setWordWrap(true);
    m_pending->setForegroundRole(QPalette::PlaceholderText);
    m_metrics->setTextFormat(Qt::RichText);
    m_metrics->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_metrics->setMinimumWidth(13 * em);
    m_metrics->setMaximumWidth(19 * em);
    m_metrics->setWordWrap(true);
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_threshold->setRange(0.05, 0.95);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_threshold->setToolTip(tr("Boxes below this score are neither drawn nor counted here"));
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        m_thresholdTouched = true;
        m_model->setScoreThreshold(v);
        updateMetrics();
        updateExplainButton();
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_setting, 1);
    top->addWidget(m_pending);
    top->addSpacing(em);
    top->addWidget(m_changedFirst);
    top->addWidget(m_onlyChanged);
    top->addWidget(m_differs);
    top->addWidget(m_thresholdLabel);
    top->addWidget(m_threshold);

    auto *content = new QWidget(this);
    auto *body = new QHBoxLayout(content);
    body->setContentsMargins(0, 0, 0, 0);
    body->addWidget(m_view, 1);
    auto *side = new QVBoxLayout;
    side->addWidget(m_metrics);
    side->addWidget(m_explainBox);
    side->addStretch(1);
    body->addLayout(side);

    // why did this prediction flip (issue 15, docs/ui.md "Explain a flipped prediction")
    m_explainMode->addItem(tr("Restore layers to float"), int(mpq::ExplainMode::RestoreFloat));
    m_explainMode->addItem(tr("Add one point per channel"), int(mpq::ExplainMode::AddPoint));
    m_explainMode->setToolTip(tr("What a tested layer gets: its float weights, or one more point "
                                 "on every channel (up to the analysis' maximum)"));
    m_explainBox->setMaximumWidth(19 * em);
    m_explainBox->setMinimumWidth(13 * em);
    m_cancelExplain->setVisible(false);
    m_explainProgress->setVisible(false);
    m_explainProgress->setRange(0, 100);
    m_explanation->setTextFormat(Qt::RichText);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_applyExplanation->setEnabled(false);
    m_applyExplanation->setToolTip(
        tr("Sets these overrides on the layers found, as one step Edit > Undo reverts"));
    auto *explainLayout = new QVBoxLayout(m_explainBox);
    explainLayout->addWidget(m_explainMode);
    auto *explainButtons = new QHBoxLayout;
    explainButtons->addWidget(m_explain);
    explainButtons->addWidget(m_cancelExplain);
    explainLayout->addLayout(explainButtons);
    explainLayout->addWidget(m_explainProgress);
    explainLayout->addWidget(m_explanation);
    explainLayout->addWidget(m_applyExplanation);
    explainLayout->addWidget(m_raiseBudget);
    m_raiseBudget->setVisible(false);
    m_raiseBudget->setEnabled(false);
    connect(m_raiseBudget, &QPushButton::clicked, this, &PreviewView::raiseBudgetRequested);
    connect(m_explain, &QPushButton::clicked, this, [this] {
        const int row = selectedRow();
        if (row >= 0)
            emit explainRequested(row, explainMode());
    });
    connect(m_cancelExplain, &QPushButton::clicked, this, &PreviewView::explainCancelRequested);
    connect(m_applyExplanation, &QPushButton::clicked, this,
            &PreviewView::applyExplanationRequested);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateExplainButton(); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { updateExplainButton(); });
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, [this] { updateExplainButton(); });
    updateExplainButton();

    m_stack = new QStackedLayout;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_marksBar);
    layout->addLayout(m_stack, 1);
    setEmptyState(tr("Run the analysis: the Preview then shows what the float and the quantized "
                     "model say about the sample images at the current setting."));
}

void PreviewView::setEmptyState(const QString &text)
{
    m_empty->setText(text);
    m_stack->setCurrentIndex(0);
    m_setting->clear();
    m_pending->clear();
    m_threshold->setVisible(false);
    m_thresholdLabel->setVisible(false);
}

void PreviewView::setPending(const QString &text)
{
    m_pending->setText(text);
}

void PreviewView::setPreview(PreviewData data)
{
    const bool detection = data.result && data.result->task == mpq::Task::Detection;
    const double threshold =
        m_thresholdTouched ? m_threshold->value() : data.profile.output.scoreThreshold;
    m_model->setPreview(std::move(data));
    {
        const QSignalBlocker block(m_threshold);
        m_threshold->setValue(threshold);
    }
    m_model->setScoreThreshold(threshold);
    m_threshold->setVisible(detection);
    m_thresholdLabel->setVisible(detection);
    m_pending->clear();
    m_setting->setText(tr("Figures for %1").arg(m_model->preview().setting));
    m_stack->setCurrentIndex(1);
    applyOrder();
    updateGrid();
    updateMetrics();
    updateExplainButton();
}

QSortFilterProxyModel *PreviewView::proxy() const
{
    return m_proxy;
}

void PreviewView::setRunMarks(RunMarks marks)
{
    const bool shown = !marks.empty();
    QString text;
    if (shown) {
        text = tr("<span style='color:%1'><b>A≠B</b></span> %n image(s) whose predictions differ "
                  "between <b>A</b>: %2 and <b>B</b>: %3",
                  nullptr, int(marks.images.size()))
                   .arg(runDiffColor().name(), marks.nameA.toHtmlEscaped(),
                        marks.nameB.toHtmlEscaped());
        text += tr(" (of %1 compared)").arg(marks.compared);
        if (!marks.note.isEmpty())
            text += QStringLiteral("<br><i>%1</i>").arg(marks.note.toHtmlEscaped());
    }
    m_model->setRunMarks(std::move(marks));
    if (shown) {
        const int here = m_model->markedCount();
        if (here < int(m_model->runMarks().images.size()))
            text += QStringLiteral("<br>") +
                    tr("%n of them among the images shown here.", nullptr, here);
    }
    m_marksText->setText(text);
    m_marksBar->setVisible(shown);
    m_differs->setVisible(shown);
    if (!shown) {
        const QSignalBlocker block(m_differs);
        m_differs->setChecked(false);
    }
    applyOrder();
    updateGrid();
    updateExplainButton();
}

QString PreviewView::runMarksText() const
{
    return m_model->runMarks().empty() ? QString() : m_marksText->text();
}

void PreviewView::applyOrder()
{
    m_proxy->setOnly(m_onlyChanged->isChecked(), m_differs->isChecked());
    if (m_changedFirst->isChecked())
        m_proxy->sort(0, Qt::DescendingOrder); // true before false; stable within each
    else
        m_proxy->sort(-1); // the evaluation's order
}

void PreviewView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateGrid();
}

void PreviewView::updateGrid()
{
    const QFontMetrics fm = m_view->fontMetrics();
    const int em = fm.height();
    const int spacing = m_view->spacing();
    // the widest caption line decides the cell's width: nothing of a result is ever elided
    int textWidth = 0, lines = 1;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QStringList parts =
            m_model->data(m_model->index(row), Qt::DisplayRole).toString().split(QLatin1Char('\n'));
        lines = std::max(lines, int(parts.size()));
        for (const QString &line : parts)
            textWidth = std::max(textWidth, fm.horizontalAdvance(line));
    }
    // thumbnails: 10 x 7 em at least, larger while at least three columns still fit
    const int available = std::max(0, m_view->viewport()->width() - 2 * spacing);
    const int iconWidth = std::clamp(available / 3 - 2 * spacing - em, 10 * em, 20 * em);
    // the style wraps (and elides) a caption to the icon's width: the icon box is at least as
    // wide as the widest caption line (the thumbnail keeps its aspect ratio inside it)
    const QSize icon(std::max(iconWidth, textWidth + em / 2), iconWidth * 7 / 10);
    const int cellWidth = std::max(icon.width(), textWidth) + em;
    const int cellHeight = icon.height() + lines * fm.lineSpacing() + em;
    if (m_view->iconSize() != icon)
        m_view->setIconSize(icon);
    if (m_view->gridSize() != QSize(cellWidth, cellHeight))
        m_view->setGridSize(QSize(cellWidth, cellHeight));
}

QString PreviewView::metricsText() const
{
    return m_metrics->text();
}

QString PreviewView::pendingText() const
{
    return m_pending->text();
}

QString PreviewView::settingText() const
{
    return m_setting->text();
}

QString PreviewView::imageCount(std::size_t evaluated, std::size_t found)
{
    // the folder holds more: a seeded choice of kEvaluationImageLimit, or unreadable ones skipped
    if (found <= evaluated)
        return QString::number(evaluated);
    return tr("%1 of the %2 in the folder").arg(evaluated).arg(found);
}

void PreviewView::updateMetrics()
{
    const PreviewData &d = m_model->preview();
    if (!d.result)
        return;
    const mpq::EvaluationResult &r = *d.result;
    QString html = QStringLiteral("<b>%1</b><table>").arg(tr("Task"));
    if (r.task == mpq::Task::Classification) {
        const mpq::ClassificationMetrics &m = r.classification;
        html += row(tr("images"), imageCount(std::size_t(m.images), r.imagesFound));
        if (m.labelled > 0) {
            html += row(tr("top-1 float"), accuracy(m.top1Float));
            html += row(tr("top-1 quantized"), accuracy(m.top1Quantized, m.top1Float));
            html += row(tr("top-5 float"), accuracy(m.top5Float));
            html += row(tr("top-5 quantized"), accuracy(m.top5Quantized, m.top5Float));
        } else {
            html += row(tr("labels"), tr("none (folder names are not classes)"));
        }
        html += row(tr("top-1 agreement"), accuracy(m.agreement));
        html += row(tr("mean KL"), QLocale().toString(m.meanKl, 'g', 3) + tr(" nats"));
    } else {
        html += row(tr("images"), imageCount(r.images.size(), r.imagesFound));
        html += row(tr("mAP@0.5 vs float"), accuracy(r.map50VsFloat));
        if (r.annotatedImages > 0) {
            html += row(tr("mAP@0.5 float (annotations)"), accuracy(r.map50Float));
            html += row(tr("mAP@0.5 quantized (annotations)"),
                        accuracy(r.map50Quantized, r.map50Float));
        }
    }
    html += row(tr("predictions changed"),
                QStringLiteral("%1 / %2").arg(m_model->changedCount()).arg(m_model->rowCount()));
    html += QStringLiteral("</table><br><b>%1</b><table>").arg(tr("Cost"));
    html += row(tr("memory overhead"), formatPercent(d.memoryOverhead));
    html += row(tr("MAC overhead"), formatPercent(d.macOverhead));
    html += row(tr("effective bits"), formatBits(d.effectiveBits));
    html += QStringLiteral("</table><br>");
    if (r.task == mpq::Task::Detection)
        html += tr("%1 float boxes solid, %2 quantized boxes dashed")
                    .arg(swatch(floatColor(), QStringLiteral("&#9632;")),
                         swatch(quantizedColor(), QStringLiteral("&#9633;")));
    else
        html += tr("F: float, Q: quantized. Tinted: the quantized top-1 differs from the float "
                   "one.");
    if (!r.warnings.empty())
        html += QStringLiteral("<br><br>") +
                tr("%n warning(s), see the Warnings panel", nullptr, int(r.warnings.size()));
    m_metrics->setText(html);
}

void PreviewView::openLarge(int row)
{
    const PreviewData &d = m_model->preview();
    if (!d.result || row < 0 || row >= int(d.result->images.size()))
        return;
    const mpq::ImagePrediction &p = d.result->images[row];
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QFileInfo(QString::fromStdString(p.file)).fileName());
    auto *panes = new QHBoxLayout;
    const bool classification = d.result->task == mpq::Task::Classification;
    for (bool quantized : {false, true}) {
        double scale = 1.0;
        QString error;
        QImage image = loadScaledImage(p.file, 720, &scale, &error);
        if (!classification && !image.isNull())
            image = drawDetections(image, scale, p.floatDetections, p.quantizedDetections,
                                   d.profile.labels, m_model->scoreThreshold(),
                                   quantized ? DetectionPanes::Quantized : DetectionPanes::Float);
        else if (!image.isNull() && image.width() < 280)
            image = image.scaled(280, 280, Qt::KeepAspectRatio, Qt::FastTransformation);
        auto *column = new QVBoxLayout;
        auto *title = new QLabel(quantized ? tr("Quantized") : tr("Float"), dialog);
        QFont f = title->font();
        f.setBold(true);
        title->setFont(f);
        column->addWidget(title);
        auto *picture = new QLabel(dialog);
        if (image.isNull())
            picture->setText(error);
        else
            picture->setPixmap(QPixmap::fromImage(image));
        column->addWidget(picture);
        const QStringList lines =
            m_model
                ->data(m_model->index(row), quantized ? PreviewModel::QuantizedSummaryRole
                                                      : PreviewModel::FloatSummaryRole)
                .toStringList();
        auto *text =
            new QLabel(lines.isEmpty() ? tr("nothing detected") : lines.join('\n'), dialog);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        column->addWidget(text);
        column->addStretch(1);
        panes->addLayout(column);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addLayout(panes);
    layout->addWidget(buttons);
    dialog->show();
}

} // namespace mpq::ui
