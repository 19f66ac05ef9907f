#pragma once
// Undoable edits of the allocation (QUndoStack): the threshold or budget (one command per
// gesture: consecutive moves within a second merge) and per-layer overrides.

#include "mpq/allocation.h"

#include <QElapsedTimer>
#include <QUndoCommand>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace mpq::studio {

/// The rule, epsilon, budget and cost (overrides excluded). apply sets them everywhere.
class RuleCommand : public QUndoCommand
{
public:
    using Apply = std::function<void(const mpq::AllocationSettings &)>;
    RuleCommand(mpq::AllocationSettings before, mpq::AllocationSettings after, Apply apply);
    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    mpq::AllocationSettings m_before, m_after;
    Apply m_apply;
    QElapsedTimer m_age;
};

/// One layer's override (std::nullopt: none).
class OverrideCommand : public QUndoCommand
{
public:
    using Apply = std::function<void(const std::string &, std::optional<mpq::LayerOverride>)>;
    OverrideCommand(std::string layer, std::optional<mpq::LayerOverride> before,
                    std::optional<mpq::LayerOverride> after, Apply apply);
    void undo() override;
    void redo() override;

private:
    std::string m_layer;
    std::optional<mpq::LayerOverride> m_before, m_after;
    Apply m_apply;
};

/// Several layers' overrides as one step (the Preview's "Apply as overrides" of an explanation,
/// issue 15): redo applies `after`, undo `before`, layer by layer (std::nullopt: none).
class OverridesCommand : public QUndoCommand
{
public:
    using Overrides = std::map<std::string, std::optional<mpq::LayerOverride>>;
    OverridesCommand(Overrides before, Overrides after, OverrideCommand::Apply apply,
                     const QString &text);
    void undo() override;
    void redo() override;

private:
    Overrides m_before, m_after;
    OverrideCommand::Apply m_apply;
};

/// Several layers' overrides and the rule (budget) as one step: the Preview's "Raise the budget
/// by the set's cost and apply" (issue 15). redo sets the rule, then the overrides; undo the
/// overrides back, then the rule.
class OverridesAndRuleCommand : public QUndoCommand
{
public:
    OverridesAndRuleCommand(OverridesCommand::Overrides before, OverridesCommand::Overrides after,
                            OverrideCommand::Apply applyOverride,
                            mpq::AllocationSettings ruleBefore, mpq::AllocationSettings ruleAfter,
                            RuleCommand::Apply applyRule, const QString &text);
    void undo() override;
    void redo() override;

private:
    OverridesCommand::Overrides m_before, m_after;
    OverrideCommand::Apply m_applyOverride;
    mpq::AllocationSettings m_ruleBefore, m_ruleAfter;
    RuleCommand::Apply m_applyRule;
};

} // namespace mpq::studio
