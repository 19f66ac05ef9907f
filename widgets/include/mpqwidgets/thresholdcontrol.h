#pragma once

#include "mpq/allocation.h"

#include <QWidget>

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QRadioButton;
class QSlider;
class QStackedWidget;

namespace mpq::ui {

/// The allocation rule control of the settings dock: Threshold (a log-scale epsilon slider over
/// 1e-6 .. 1 in steps of 0.01 decades, beside a field in scientific notation) or Budget (a total
/// overhead slider 0 .. 100 % in 0.1 % steps beside a spin box, and the cost: memory or MACs).
/// Slider and field stay in sync; the value typed in the field is kept exactly (the slider shows
/// it rounded). User changes emit settingsChanged() at once, during slider drags too;
/// programmatic changes (setSettings, setEpsilon) emit no settingsChanged(). The control holds
/// no state of the document: the window writes the document's rule into it (setSettings) and
/// reads a user's change (settings()) to hand to the document (docs/architecture.md, data
/// flow). Opens on a 5 % memory budget. GUI thread only.
class ThresholdControl : public QWidget
{
    Q_OBJECT
public:
    static constexpr double kMinEpsilon = 1e-6;
    static constexpr double kMaxEpsilon = 1.0;
    static constexpr int kStepsPerDecade = 100;

    explicit ThresholdControl(QWidget *parent = nullptr);

    /// Shows rule, epsilon (clamped to [kMinEpsilon, kMaxEpsilon]), budget (clamped to [0, 1])
    /// and cost of `settings`; other fields are ignored. Emits settingsShown() only.
    void setSettings(const mpq::AllocationSettings &settings);
    /// A default AllocationSettings with rule, epsilon, budget and cost set from the controls;
    /// the caller merges bits and overrides.
    mpq::AllocationSettings settings() const;

    /// Moves epsilon without emitting settingsChanged() (e.g. when the sensitivity plot's line
    /// is dragged: the caller re-allocates itself, and no signal loops back). Keeps the rule.
    void setEpsilon(double epsilon);
    double epsilon() const { return m_epsilon; }

    /// For tests.
    QRadioButton *thresholdButton() const { return m_thresholdButton; }
    QRadioButton *budgetButton() const { return m_budgetButton; }
    QSlider *epsilonSlider() const { return m_epsilonSlider; }
    QLineEdit *epsilonField() const { return m_epsilonField; }
    QSlider *budgetSlider() const { return m_budgetSlider; }
    QDoubleSpinBox *budgetSpin() const { return m_budgetSpin; }
    QComboBox *costCombo() const { return m_costCombo; }

    /// The slider position of an epsilon, and back.
    static int sliderValue(double epsilon);
    static double sliderEpsilon(int value);

signals:
    /// The user changed the rule, epsilon, budget or cost.
    void settingsChanged();
    /// setSettings() wrote the control (tests count the writes per user change).
    void settingsShown();

private:
    void showEpsilon(); ///< slider and field from m_epsilon, signals blocked
    void showBudget();  ///< slider and spin box from m_budget, signals blocked
    void showRule();    ///< radio buttons and page from m_rule, signals blocked
    void showPage();
    void onEpsilonSlider(int value);
    void onEpsilonEdited();
    void onBudgetSlider(int value);
    void onBudgetSpin(double percent);

    double m_epsilon = 1e-3;
    double m_budget = 0.05; ///< fraction
    mpq::AllocationRule m_rule = mpq::AllocationRule::Budget;

    QButtonGroup *m_ruleGroup = nullptr;
    QRadioButton *m_thresholdButton = nullptr;
    QRadioButton *m_budgetButton = nullptr;
    QStackedWidget *m_pages = nullptr;
    QSlider *m_epsilonSlider = nullptr;
    QLineEdit *m_epsilonField = nullptr;
    QSlider *m_budgetSlider = nullptr;
    QDoubleSpinBox *m_budgetSpin = nullptr;
    QComboBox *m_costCombo = nullptr;
};

} // namespace mpq::ui
