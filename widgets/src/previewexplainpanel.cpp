// The Preview's "why did this prediction flip" panel (docs/ui.md): the selected image, the
// explanation, its state (running, stale, applied) and its offers.
#include "previewparts.h"

#include "mpqwidgets/numberformat.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace mpq::ui {

using preview::row;

int PreviewView::selectedRow() const
{
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    if (selected.isEmpty())
        return -1;
    return m_proxy->mapToSource(selected.first()).row();
}

void PreviewView::selectRow(int row)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row));
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
    m_view->setCurrentIndex(index);
}

mpq::ExplainMode PreviewView::explainMode() const
{
    return mpq::ExplainMode(m_explainMode->currentData().toInt());
}

void PreviewView::updateExplainButton()
{
    const int row = selectedRow();
    QString why;
    if (m_explainRunning)
        why = tr("An explanation is running: wait for it or cancel it.");
    else if (row < 0)
        why = tr("Select an image whose quantized prediction differs from the float one.");
    else if (!m_model->data(m_model->index(row), PreviewModel::ChangedRole).toBool())
        why = tr("The quantized prediction on this image is the same as the float one: there is "
                 "nothing to explain.");
    m_explain->setEnabled(why.isEmpty());
    m_explain->setToolTip(why.isEmpty() ? tr("Find the fewest layers whose quantization changes "
                                             "this prediction (delta debugging, one forward per "
                                             "test, on this image only)")
                                        : why);
}

void PreviewView::setExplainRunning(bool running, const QString &text)
{
    m_explainRunning = running;
    m_cancelExplain->setVisible(running);
    m_explainProgress->setVisible(running);
    m_explainProgress->setValue(0);
    m_explainProgress->setFormat(QStringLiteral("%p %"));
    m_explainMode->setEnabled(!running);
    if (running) {
        m_hasExplanation = false;
        m_explanation->setText(text.toHtmlEscaped());
        updateApplyButtons();
    }
    updateExplainButton();
}

void PreviewView::setExplainProgress(double fraction, const QString &stage)
{
    m_explainProgress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 100));
    if (!stage.isEmpty())
        m_explainProgress->setFormat(stage + QStringLiteral(" %p %"));
}

namespace {

QString predictionWords(const mpq::FlipExplanation &e, const std::vector<float> &probabilities,
                        const std::vector<mpq::Detection> &boxes,
                        const std::vector<std::string> &labels)
{
    if (e.task == mpq::Task::Classification) {
        if (probabilities.empty())
            return QStringLiteral("-");
        const auto top = std::max_element(probabilities.begin(), probabilities.end());
        const std::size_t k = std::size_t(top - probabilities.begin());
        const QString name =
            k < labels.size() ? QString::fromStdString(labels[k]) : QStringLiteral("#%1").arg(k);
        return QStringLiteral("%1 (%2)").arg(name, formatPercent(*top));
    }
    return PreviewView::tr("%n box(es)", nullptr, int(boxes.size()));
}

} // namespace

void PreviewView::setExplanation(const mpq::FlipExplanation &e, const QString &file,
                                 const QString &setting)
{
    const std::vector<std::string> &labels = m_model->preview().profile.labels;
    const QString mode = e.mode == mpq::ExplainMode::RestoreFloat ? tr("restored to float")
                                                                  : tr("with one more point");
    QString html = tr("<b>%1</b> at %2")
                       .arg(QFileInfo(file).fileName().toHtmlEscaped(), setting.toHtmlEscaped());
    html += QStringLiteral("<br>");
    m_hasExplanation = e.outcome == mpq::ExplainOutcome::Explained;
    m_explanation->setToolTip({});
    if (e.outcome == mpq::ExplainOutcome::NotFlipped) {
        html += tr("The quantized prediction on this image already matches the float one.");
    } else if (e.outcome == mpq::ExplainOutcome::CannotExplain) {
        html += tr("Cannot be explained this way: %1.")
                    .arg(QString::fromStdString(e.reason).toHtmlEscaped());
    } else {
        // full module paths elided in the middle to the box, in full in the tooltip (docs/ui.md)
        QStringList names, full;
        QFont bold = m_explanation->font();
        bold.setBold(true); // as the names are shown
        const QFontMetrics metrics(bold);
        const int width = std::max(8 * metrics.height(), m_explanation->width() - 8);
        for (const std::string &l : e.layers) {
            const QString name = QString::fromStdString(l);
            full << name;
            names << metrics.elidedText(name, Qt::ElideMiddle, width).toHtmlEscaped();
        }
        m_explanation->setToolTip(full.join(QLatin1Char('\n')));
        html += tr("The float prediction comes back with %n layer(s) %1:", nullptr,
                   int(e.layers.size()))
                    .arg(mode);
        html += QStringLiteral("<br><b>") + names.join(QStringLiteral("<br>")) +
                QStringLiteral("</b><br>");
        html += e.oneMinimal ? tr("1-minimal: without any one of them it flips again.")
                             : tr("Not verified 1-minimal.");
        html += QStringLiteral("<table>");
        html += row(tr("float"), predictionWords(e, e.prediction.floatProbabilities,
                                                 e.prediction.floatDetections, labels));
        html += row(tr("quantized"), predictionWords(e, e.prediction.quantizedProbabilities,
                                                     e.prediction.quantizedDetections, labels));
        html += row(tr("with the set"),
                    predictionWords(e, e.restoredProbabilities, e.restoredDetections, labels));
        html += row(tr("memory overhead"), tr("%1 → %2").arg(formatPercent(e.memoryOverheadBefore),
                                                             formatPercent(e.memoryOverhead)));
        html += row(tr("MAC overhead"), tr("%1 → %2").arg(formatPercent(e.macOverheadBefore),
                                                          formatPercent(e.macOverhead)));
        if (e.floatMacShareBefore > 0.0 || e.floatMacShare > 0.0)
            html += row(tr("MACs in float"), tr("%1 → %2").arg(formatPercent(e.floatMacShareBefore),
                                                               formatPercent(e.floatMacShare)));
        html += QStringLiteral("</table>");
        if (!e.appliedRestores)
            html += tr("As overrides, the allocation moves points elsewhere and this image "
                       "still differs.") +
                    QStringLiteral("<br>");
    }
    html += QStringLiteral("<br>") +
            tr("%n forward(s), %1 layer(s) searched", nullptr, e.forwards).arg(e.candidates);
    m_explanationHtml = html;
    m_appliedNote.clear();
    m_explanation->setText(html);
    updateApplyButtons();
}

void PreviewView::setExplanationStale(const QString &reason)
{
    if (m_explanationHtml.isEmpty())
        return;
    if (reason.isEmpty()) // current again (an undo brought its allocation back)
        m_explanation->setText(m_explanationHtml);
    else
        m_explanation->setText(QStringLiteral("<i>%1</i><br>").arg(reason.toHtmlEscaped()) +
                               m_explanationHtml);
}

void PreviewView::setExplanationApplied(const QString &note)
{
    m_hasExplanation = false;
    updateApplyButtons();
    m_appliedNote = (note.isEmpty() ? tr("Applied as overrides (Edit > Undo reverts them).") : note)
                        .toHtmlEscaped();
    m_explanation->setText(QStringLiteral("<i>%1</i><br>").arg(m_appliedNote) + m_explanationHtml);
}

void PreviewView::setExplanationCheck(const QString &text)
{
    if (m_appliedNote.isEmpty())
        return;
    m_explanation->setText(
        QStringLiteral("<i>%1</i><br><b>%2</b><br>").arg(m_appliedNote, text.toHtmlEscaped()) +
        m_explanationHtml);
}

void PreviewView::setRaiseBudgetOffer(const QString &label, const QString &toolTip)
{
    m_raiseBudget->setText(label);
    m_raiseBudget->setToolTip(toolTip);
    updateApplyButtons();
}

void PreviewView::updateApplyButtons()
{
    m_applyExplanation->setEnabled(m_hasExplanation && m_applyAvailable);
    m_raiseBudget->setVisible(!m_raiseBudget->text().isEmpty() && !m_explanationHtml.isEmpty());
    m_raiseBudget->setEnabled(m_hasExplanation && m_applyAvailable &&
                              !m_raiseBudget->text().isEmpty());
}

void PreviewView::setExplanationMessage(const QString &text)
{
    m_hasExplanation = false;
    m_explanationHtml.clear();
    m_appliedNote.clear();
    updateApplyButtons();
    m_explanation->setText(text.toHtmlEscaped());
}

void PreviewView::clearExplanation()
{
    setExplanationMessage({});
}

QString PreviewView::explanationText() const
{
    return m_explanation->text();
}

void PreviewView::setApplyAvailable(bool available)
{
    m_applyAvailable = available;
    updateApplyButtons();
    if (!available)
        m_applyExplanation->setToolTip(tr("Overrides cannot be set from here in this window"));
}

} // namespace mpq::ui
