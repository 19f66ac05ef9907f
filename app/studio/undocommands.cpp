#include "undocommands.h"

#include <QCoreApplication>

namespace mpq::studio {

namespace {

QString describe(const mpq::AllocationSettings &s)
{
    return s.rule == mpq::AllocationRule::Threshold
               ? QCoreApplication::translate("mpq::studio::Undo", "epsilon %1")
                     .arg(s.epsilon, 0, 'e', 2)
               : QCoreApplication::translate("mpq::studio::Undo", "budget %1 %")
                     .arg(s.budget * 100, 0, 'f', 1);
}

} // namespace

RuleCommand::RuleCommand(mpq::AllocationSettings before, mpq::AllocationSettings after, Apply apply)
    : m_before(std::move(before))
    , m_after(std::move(after))
    , m_apply(std::move(apply))
{
    setText(QCoreApplication::translate("mpq::studio::Undo", "Set %1").arg(describe(m_after)));
    m_age.start();
}

void RuleCommand::undo()
{
    m_apply(m_before);
}

void RuleCommand::redo()
{
    m_apply(m_after);
}

bool RuleCommand::mergeWith(const QUndoCommand *other)
{
    // one drag of the slider is one step back; a later, separate move is its own step
    if (m_age.elapsed() > 1000)
        return false;
    m_after = static_cast<const RuleCommand *>(other)->m_after;
    setText(QCoreApplication::translate("mpq::studio::Undo", "Set %1").arg(describe(m_after)));
    m_age.restart();
    return true;
}

OverrideCommand::OverrideCommand(std::string layer, std::optional<mpq::LayerOverride> before,
                                 std::optional<mpq::LayerOverride> after, Apply apply)
    : m_layer(std::move(layer))
    , m_before(before)
    , m_after(after)
    , m_apply(std::move(apply))
{
    setText(after ? QCoreApplication::translate("mpq::studio::Undo", "Override %1")
                        .arg(QString::fromStdString(m_layer))
                  : QCoreApplication::translate("mpq::studio::Undo", "Clear the override of %1")
                        .arg(QString::fromStdString(m_layer)));
}

void OverrideCommand::undo()
{
    m_apply(m_layer, m_before);
}

void OverrideCommand::redo()
{
    m_apply(m_layer, m_after);
}

OverridesCommand::OverridesCommand(Overrides before, Overrides after, OverrideCommand::Apply apply,
                                   const QString &text)
    : m_before(std::move(before))
    , m_after(std::move(after))
    , m_apply(std::move(apply))
{
    setText(text);
}

void OverridesCommand::undo()
{
    for (const auto &[layer, value] : m_before)
        m_apply(layer, value);
}

void OverridesCommand::redo()
{
    for (const auto &[layer, value] : m_after)
        m_apply(layer, value);
}

OverridesAndRuleCommand::OverridesAndRuleCommand(OverridesCommand::Overrides before,
                                                 OverridesCommand::Overrides after,
                                                 OverrideCommand::Apply applyOverride,
                                                 mpq::AllocationSettings ruleBefore,
                                                 mpq::AllocationSettings ruleAfter,
                                                 RuleCommand::Apply applyRule, const QString &text)
    : m_before(std::move(before))
    , m_after(std::move(after))
    , m_applyOverride(std::move(applyOverride))
    , m_ruleBefore(std::move(ruleBefore))
    , m_ruleAfter(std::move(ruleAfter))
    , m_applyRule(std::move(applyRule))
{
    setText(text);
}

void OverridesAndRuleCommand::undo()
{
    for (const auto &[layer, value] : m_before)
        m_applyOverride(layer, value);
    m_applyRule(m_ruleBefore);
}

void OverridesAndRuleCommand::redo()
{
    m_applyRule(m_ruleAfter);
    for (const auto &[layer, value] : m_after)
        m_applyOverride(layer, value);
}

} // namespace mpq::studio
