// The Preview's "why did this prediction flip" (docs/ui.md): explaining, applying the
// explanation, and keeping it true to the model, analysis and allocation it was made for.
#include "previewcontroller.h"

#include "jobrunner.h"
#include "undocommands.h"

#include "mpq/error.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/previewview.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>

namespace mpq::studio {

void PreviewController::setOverrideTarget(QUndoStack *undo, OverrideApply apply)
{
    m_undo = undo;
    m_applyOverride = std::move(apply);
    m_preview->setApplyAvailable(m_undo && m_applyOverride);
}

void PreviewController::runExplain(int row, mpq::ExplainMode mode)
{
    if (!m_request.opened.model || !m_request.quantization)
        return;
    const mpq::ui::PreviewModel *model = m_preview->model();
    if (row < 0 || row >= model->rowCount())
        return;
    const QString file = model->data(model->index(row), mpq::ui::PreviewModel::FileRole).toString();
    EvaluationRequest request = m_request;
    mpq::ExplainOptions options;
    // what the page compares at: its threshold, over boxes kept above the profile's
    if (model->preview().result && model->preview().result->task == mpq::Task::Detection)
        options.scoreThreshold =
            std::max(model->scoreThreshold(), request.opened.profile.output.scoreThreshold);
    m_explanationApplied = false;
    m_preview->setExplainRunning(
        true, tr("Explaining %1 at %2...").arg(QFileInfo(file).fileName(), request.setting));
    m_explainJob = m_explainRunner->start(
        tr("Explaining the prediction"),
        [request, file, mode, options](const mpq::JobControl &control) {
            return std::make_shared<const mpq::FlipExplanation>(mpq::explainFlip(
                request.opened, *request.quantization, file.toStdString(), mode, control, options));
        },
        [this, request, file](std::shared_ptr<const mpq::FlipExplanation> e) {
            m_explainJob = 0;
            m_explanation = std::move(e);
            m_explainFile = file;
            m_explainModel = request.opened.model;
            m_explainAnalysis = request.quantization->analysis;
            m_explainKey = explainKey(request);
            m_preview->setExplainRunning(false);
            m_preview->setExplanation(*m_explanation, file, request.setting);
            updateRaiseOffer();
            checkExplanation(); // the allocation may have moved on while it ran
            emit explanationUpdated();
        });
}

void PreviewController::cancelExplain()
{
    if (m_explainJob != 0)
        m_explainRunner->cancel();
}

void PreviewController::applyExplanation()
{
    if (!m_explanation || m_explanation->outcome != mpq::ExplainOutcome::Explained || !m_undo ||
        !m_applyOverride || !m_request.quantization)
        return;
    const auto &current = m_request.quantization->settings.overrides;
    OverridesCommand::Overrides before, after;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = current.find(layer);
        before[layer] =
            it == current.end() ? std::nullopt : std::optional<mpq::LayerOverride>(it->second);
        after[layer] = o;
    }
    m_explanationApplied = true;
    m_appliedCheck = m_explainFile; // the next Preview of this allocation says whether it did
    const int n = int(after.size());
    m_undo->push(new OverridesCommand(std::move(before), std::move(after), m_applyOverride,
                                      tr("Apply the explanation's %n override(s)", nullptr, n)));
    m_preview->setExplanationApplied();
}

void PreviewController::setRuleTarget(RuleApply apply)
{
    m_applyRule = std::move(apply);
    updateRaiseOffer();
}

std::optional<double> PreviewController::raisedBudget() const
{
    if (!m_explanation || m_explanation->outcome != mpq::ExplainOutcome::Explained ||
        !m_applyRule || !m_request.quantization ||
        m_request.quantization->settings.rule != mpq::AllocationRule::Budget)
        return std::nullopt;
    // the set's cost at its pins against what its layers cost now (docs/multipoint.md
    // section 4: the budget rule charges the pins first, so the other layers lose exactly that)
    const mpq::Quantization &q = *m_request.quantization;
    mpq::AllocationSettings pinned = q.settings;
    for (const auto &[layer, o] : m_explanation->overrides)
        pinned.overrides[layer] = o;
    mpq::Allocation then;
    try {
        then = mpq::reallocate(q.analysis, q.atBits, pinned).allocation;
    } catch (const mpq::Error &) {
        return std::nullopt; // a layer of the set no longer exists: nothing to offer
    }
    const mpq::Allocation &now = q.allocation;
    const auto find = [](const mpq::Allocation &a, const std::string &name) {
        const auto it = std::find_if(a.layers.begin(), a.layers.end(),
                                     [&](const mpq::LayerAllocation &l) { return l.name == name; });
        return it == a.layers.end() ? nullptr : &*it;
    };
    const bool memory = q.settings.cost == mpq::BudgetCost::Memory;
    const double unit = memory ? double(now.bits) * double(now.allWeights)
                               : double(std::max<std::int64_t>(1, now.allMacs));
    double delta = 0.0;
    for (const auto &entry : m_explanation->overrides) {
        const mpq::LayerAllocation *a = find(now, entry.first), *b = find(then, entry.first);
        if (!a || !b)
            return std::nullopt;
        delta += memory ? double(b->costBits - a->costBits) : double(b->extraMacs - a->extraMacs);
    }
    if (delta <= 0.0) // e.g. float pins under a MAC budget: they free MACs, plain Apply it is
        return std::nullopt;
    return q.settings.budget + delta / std::max(unit, 1.0);
}

void PreviewController::updateRaiseOffer()
{
    const std::optional<double> budget = raisedBudget();
    if (!budget) {
        m_preview->setRaiseBudgetOffer({});
        return;
    }
    const double now = m_request.quantization->settings.budget;
    m_preview->setRaiseBudgetOffer(
        tr("Raise the budget to %1 and apply").arg(mpq::ui::formatPercent(*budget)),
        tr("Under the budget rule the pins are charged first, so other layers lose points to "
           "pay for them and the image may still differ. This raises the budget from %1 by "
           "what the set costs, to %2, and sets the overrides: one step, Edit > Undo reverts "
           "both.")
            .arg(mpq::ui::formatPercent(now), mpq::ui::formatPercent(*budget)));
}

void PreviewController::applyExplanationWithBudget()
{
    const std::optional<double> budget = raisedBudget();
    if (!budget || !m_undo || !m_applyOverride)
        return;
    const mpq::AllocationSettings &settings = m_request.quantization->settings;
    OverridesCommand::Overrides before, after;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = settings.overrides.find(layer);
        before[layer] = it == settings.overrides.end()
                            ? std::nullopt
                            : std::optional<mpq::LayerOverride>(it->second);
        after[layer] = o;
    }
    mpq::AllocationSettings ruleBefore = settings;
    ruleBefore.overrides.clear(); // the rule part only: the overrides have their own half
    mpq::AllocationSettings ruleAfter = ruleBefore;
    ruleAfter.budget = *budget;
    m_explanationApplied = true;
    m_appliedCheck = m_explainFile;
    const int n = int(after.size());
    const QString from = mpq::ui::formatPercent(ruleBefore.budget);
    const QString to = mpq::ui::formatPercent(*budget);
    m_undo->push(new OverridesAndRuleCommand(
        std::move(before), std::move(after), m_applyOverride, ruleBefore, ruleAfter, m_applyRule,
        tr("Raise the budget to %1 and apply the explanation's %n override(s)", nullptr, n)
            .arg(to)));
    m_preview->setExplanationApplied(
        tr("Applied as overrides with the budget raised from %1 to %2 (one step: Edit > Undo "
           "reverts both).")
            .arg(from, to));
}

void PreviewController::checkAppliedImage(const EvaluationRequest &evaluated)
{
    if (m_appliedCheck.isEmpty() || !m_explanationApplied || !m_explanation ||
        evaluated.quantization != m_request.quantization || !evaluated.quantization)
        return;
    // only a Preview of an allocation that has the set's overrides tells
    const auto &overrides = evaluated.quantization->settings.overrides;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = overrides.find(layer);
        if (it == overrides.end() || it->second.kind != o.kind || it->second.points != o.points)
            return;
    }
    const mpq::ui::PreviewModel *model = m_preview->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->data(model->index(row), mpq::ui::PreviewModel::FileRole).toString() !=
            m_appliedCheck)
            continue;
        const QString name = QFileInfo(m_appliedCheck).fileName();
        const bool differs =
            model->data(model->index(row), mpq::ui::PreviewModel::ChangedRole).toBool();
        m_preview->setExplanationCheck(
            differs ? (evaluated.quantization->settings.rule == mpq::AllocationRule::Budget
                           ? tr("Checked on the Preview: %1 still differs from the float "
                                "prediction (other layers paid for the pins).")
                                 .arg(name)
                           : tr("Checked on the Preview: %1 still differs from the float "
                                "prediction.")
                                 .arg(name))
                    : tr("Checked on the Preview: %1 gives the float prediction again.").arg(name));
        m_appliedCheck.clear();
        return;
    }
}

void PreviewController::checkExplanation()
{
    if (!m_explanation)
        return;
    const auto &analysis = m_request.quantization ? m_request.quantization->analysis : nullptr;
    if (m_request.opened.model != m_explainModel || analysis != m_explainAnalysis) {
        m_explanation.reset();
        m_explainModel.reset();
        m_explainAnalysis.reset();
        m_preview->setExplanationMessage(
            tr("The model or its analysis changed: the explanation was removed."));
        return;
    }
    updateRaiseOffer(); // the rule or the budget may have changed
    if (m_explanationApplied)
        return; // says "applied"; the allocation changed because of it
    m_preview->setExplanationStale(
        explainKey(m_request) != m_explainKey
            ? tr("Out of date: the allocation changed since this explanation.")
            : QString());
}

} // namespace mpq::studio
