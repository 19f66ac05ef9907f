#include "mpqwidgets/thresholdcontrol.h"

#include "mpqwidgets/glossary.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

namespace {

constexpr int kBudgetStepsPerPercent = 10;

QString epsilonText(double epsilon)
{
    return QLocale().toString(epsilon, 'e', 2);
}

/// A plain sentence as a paragraph of a rich-text tooltip that also holds glossary entries.
QString tipParagraph(const QString &plain)
{
    return QStringLiteral("<p>%1</p>").arg(plain.toHtmlEscaped());
}

} // namespace

ThresholdControl::ThresholdControl(QWidget *parent)
    : QWidget(parent)
{
    m_thresholdButton = new QRadioButton(tr("&Threshold"), this);
    // glossary tooltips on the words where they appear (issue 14: "tooltips on those words")
    m_thresholdButton->setToolTip(
        termToolTip(Term::Epsilon) +
        tipParagraph(tr("Each channel gets the fewest points whose relative output error is at "
                        "most \u03b5")));
    m_budgetButton = new QRadioButton(tr("&Budget"), this);
    m_budgetButton->setToolTip(
        termToolTip(Term::Budget) +
        tipParagraph(tr("Extra points go where they lower the error most, until the total "
                        "overhead reaches the budget")));
    m_ruleGroup = new QButtonGroup(this);
    m_ruleGroup->addButton(m_thresholdButton, int(mpq::AllocationRule::Threshold));
    m_ruleGroup->addButton(m_budgetButton, int(mpq::AllocationRule::Budget));
    auto *rules = new QHBoxLayout;
    rules->addWidget(m_thresholdButton);
    rules->addWidget(m_budgetButton);
    rules->addStretch();

    // Threshold page: log10(epsilon) in hundredths of a decade.
    auto *thresholdPage = new QWidget(this);
    m_epsilonSlider = new QSlider(Qt::Horizontal, thresholdPage);
    m_epsilonSlider->setRange(sliderValue(kMinEpsilon), sliderValue(kMaxEpsilon));
    m_epsilonSlider->setSingleStep(1);
    m_epsilonSlider->setPageStep(kStepsPerDecade);
    m_epsilonSlider->setTickPosition(QSlider::TicksBelow);
    m_epsilonSlider->setTickInterval(kStepsPerDecade);
    m_epsilonSlider->setToolTip(
        termToolTip(Term::Epsilon) +
        tipParagraph(tr("Relative output error allowed per channel, log scale from 1e-6 (left) "
                        "to 1 (right)")));
    m_epsilonField = new QLineEdit(thresholdPage);
    auto *validator = new QDoubleValidator(kMinEpsilon, kMaxEpsilon, 6, m_epsilonField);
    validator->setNotation(QDoubleValidator::ScientificNotation);
    m_epsilonField->setValidator(validator);
    m_epsilonField->setMaxLength(12);
    m_epsilonField->setMaximumWidth(
        m_epsilonField->fontMetrics().horizontalAdvance(QStringLiteral("0.000e-000")) +
        m_epsilonField->fontMetrics().height());
    m_epsilonField->setToolTip(termToolTip(Term::Epsilon) +
                               tipParagraph(tr("\u03b5 in scientific notation, e.g. 1e-3")));
    auto *thresholdLayout = new QHBoxLayout(thresholdPage);
    thresholdLayout->setContentsMargins(0, 0, 0, 0);
    auto *epsLabel = new QLabel(tr("\u03b5"), thresholdPage);
    epsLabel->setBuddy(m_epsilonField);
    epsLabel->setToolTip(termToolTip(Term::Epsilon));
    thresholdLayout->addWidget(epsLabel);
    thresholdLayout->addWidget(m_epsilonSlider, 1);
    thresholdLayout->addWidget(m_epsilonField);

    // Budget page: total overhead in tenths of a percent, and what it counts.
    auto *budgetPage = new QWidget(this);
    m_budgetSlider = new QSlider(Qt::Horizontal, budgetPage);
    m_budgetSlider->setRange(0, 100 * kBudgetStepsPerPercent);
    m_budgetSlider->setSingleStep(1);
    m_budgetSlider->setPageStep(10 * kBudgetStepsPerPercent);
    m_budgetSlider->setToolTip(termToolTip(Term::Budget) +
                               tipParagraph(tr("Total overhead allowed, 0 to 100 %")));
    m_budgetSpin = new QDoubleSpinBox(budgetPage);
    m_budgetSpin->setRange(0.0, 100.0);
    m_budgetSpin->setDecimals(1);
    m_budgetSpin->setSingleStep(0.5);
    m_budgetSpin->setSuffix(tr(" %"));
    m_costCombo = new QComboBox(budgetPage);
    m_costCombo->addItem(tr("Memory (extra weights)"), int(mpq::BudgetCost::Memory));
    m_costCombo->addItem(tr("Compute (extra MACs)"), int(mpq::BudgetCost::Macs));
    m_costCombo->setToolTip(
        tipParagraph(tr("What the budget limits: extra low-bit weights relative to all quantized "
                        "weights, or extra multiply-accumulates")) +
        termToolTip(Term::MemoryOverhead) + termToolTip(Term::MacOverhead));
    auto *budgetRow = new QHBoxLayout;
    budgetRow->addWidget(m_budgetSlider, 1);
    budgetRow->addWidget(m_budgetSpin);
    auto *budgetLayout = new QFormLayout(budgetPage);
    budgetLayout->setContentsMargins(0, 0, 0, 0);
    m_budgetSpin->setToolTip(m_budgetSlider->toolTip());
    auto *overheadLabel = new QLabel(tr("Overhead"), budgetPage);
    overheadLabel->setToolTip(termToolTip(Term::Budget) + termToolTip(Term::MemoryOverhead) +
                              termToolTip(Term::MacOverhead));
    overheadLabel->setBuddy(m_budgetSpin);
    budgetLayout->addRow(overheadLabel, budgetRow);
    auto *costLabel = new QLabel(tr("Cost"), budgetPage);
    costLabel->setToolTip(m_costCombo->toolTip());
    budgetLayout->addRow(costLabel, m_costCombo);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(thresholdPage);
    m_pages->addWidget(budgetPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(rules);
    layout->addWidget(m_pages);

    connect(m_ruleGroup, &QButtonGroup::idToggled, this, [this](int id, bool checked) {
        if (!checked)
            return;
        m_rule = mpq::AllocationRule(id);
        showPage();
        emit settingsChanged();
    });
    connect(m_epsilonSlider, &QSlider::valueChanged, this, &ThresholdControl::onEpsilonSlider);
    connect(m_epsilonField, &QLineEdit::editingFinished, this, &ThresholdControl::onEpsilonEdited);
    connect(m_budgetSlider, &QSlider::valueChanged, this, &ThresholdControl::onBudgetSlider);
    connect(m_budgetSpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &ThresholdControl::onBudgetSpin);
    connect(m_costCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { emit settingsChanged(); });

    showRule();
    showEpsilon();
    showBudget();
}

int ThresholdControl::sliderValue(double epsilon)
{
    epsilon = std::clamp(epsilon, kMinEpsilon, kMaxEpsilon);
    return int(std::lround(std::log10(epsilon) * kStepsPerDecade));
}

double ThresholdControl::sliderEpsilon(int value)
{
    return std::clamp(std::pow(10.0, double(value) / kStepsPerDecade), kMinEpsilon, kMaxEpsilon);
}

void ThresholdControl::setSettings(const mpq::AllocationSettings &settings)
{
    m_rule = settings.rule;
    m_epsilon = std::clamp(settings.epsilon, kMinEpsilon, kMaxEpsilon);
    m_budget = std::clamp(settings.budget, 0.0, 1.0);
    {
        const QSignalBlocker blocker(m_costCombo);
        m_costCombo->setCurrentIndex(m_costCombo->findData(int(settings.cost)));
    }
    showRule();
    showEpsilon();
    showBudget();
    emit settingsShown();
}

mpq::AllocationSettings ThresholdControl::settings() const
{
    mpq::AllocationSettings s;
    s.rule = m_rule;
    s.epsilon = m_epsilon;
    s.budget = m_budget;
    s.cost = mpq::BudgetCost(m_costCombo->currentData().toInt());
    return s;
}

void ThresholdControl::setEpsilon(double epsilon)
{
    if (!(epsilon > 0.0))
        return;
    m_epsilon = std::clamp(epsilon, kMinEpsilon, kMaxEpsilon);
    showEpsilon();
}

void ThresholdControl::showRule()
{
    const QSignalBlocker blocker(m_ruleGroup);
    (m_rule == mpq::AllocationRule::Threshold ? m_thresholdButton : m_budgetButton)
        ->setChecked(true);
    showPage();
}

void ThresholdControl::showPage()
{
    // Only the visible page counts for the size, so the dock does not keep a gap for the other.
    const int current = m_rule == mpq::AllocationRule::Threshold ? 0 : 1;
    for (int i = 0; i < m_pages->count(); ++i)
        m_pages->widget(i)->setSizePolicy(
            QSizePolicy::Preferred, i == current ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_pages->setCurrentIndex(current);
    m_pages->adjustSize();
}

void ThresholdControl::showEpsilon()
{
    const QSignalBlocker sliderBlocker(m_epsilonSlider);
    const QSignalBlocker fieldBlocker(m_epsilonField);
    m_epsilonSlider->setValue(sliderValue(m_epsilon));
    m_epsilonField->setText(epsilonText(m_epsilon));
}

void ThresholdControl::showBudget()
{
    const QSignalBlocker sliderBlocker(m_budgetSlider);
    const QSignalBlocker spinBlocker(m_budgetSpin);
    m_budgetSlider->setValue(int(std::lround(m_budget * 100.0 * kBudgetStepsPerPercent)));
    m_budgetSpin->setValue(m_budget * 100.0);
}

void ThresholdControl::onEpsilonSlider(int value)
{
    m_epsilon = sliderEpsilon(value);
    const QSignalBlocker fieldBlocker(m_epsilonField);
    m_epsilonField->setText(epsilonText(m_epsilon));
    emit settingsChanged();
}

void ThresholdControl::onEpsilonEdited()
{
    bool ok = false;
    const double value = QLocale().toDouble(m_epsilonField->text(), &ok);
    if (!ok || !(value > 0.0)) {
        showEpsilon(); // put the last good value back
        return;
    }
    const double clamped = std::clamp(value, kMinEpsilon, kMaxEpsilon);
    if (clamped == m_epsilon) {
        showEpsilon();
        return;
    }
    m_epsilon = clamped;
    showEpsilon();
    emit settingsChanged();
}

void ThresholdControl::onBudgetSlider(int value)
{
    m_budget = double(value) / (100.0 * kBudgetStepsPerPercent);
    const QSignalBlocker spinBlocker(m_budgetSpin);
    m_budgetSpin->setValue(m_budget * 100.0);
    emit settingsChanged();
}

void ThresholdControl::onBudgetSpin(double percent)
{
    m_budget = percent / 100.0;
    const QSignalBlocker sliderBlocker(m_budgetSlider);
    m_budgetSlider->setValue(int(std::lround(percent * kBudgetStepsPerPercent)));
    emit settingsChanged();
}

} // namespace mpq::ui
