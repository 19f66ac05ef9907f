#pragma once

#include "mpq/analysis.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mpq::ui {
class ThresholdControl;
}

namespace mpq::studio {

/// The Settings dock: what the next analysis uses (bits, points, search, calibration images,
/// activation bits), Analyze/Cancel, and the threshold/budget control of the allocation.
class SettingsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget *parent = nullptr);

    mpq::AnalysisSettings analysisSettings() const;
    void setAnalysisSettings(const mpq::AnalysisSettings &settings);
    QString imagesDir() const;
    void setImagesDir(const QString &dir);
    /// Optional folder the Preview and Compare evaluate on instead of the calibration images
    /// (empty: the calibration images).
    QString testImagesDir() const;
    void setTestImagesDir(const QString &dir);
    /// What the shown analysis was made with; while the panel's values differ from them, a note
    /// says "Settings changed: Analyze to apply" (so after a cancel the panel never silently
    /// disagrees with the plots). std::nullopt: no analysis shown, no note.
    void setApplied(std::optional<mpq::AnalysisSettings> settings, const QString &imagesDir = {});
    /// The panel's analysis settings or images differ from the shown analysis'.
    bool isChanged() const;
    QLabel *changedNote() const { return m_changed; }
    mpq::ui::ThresholdControl *thresholdControl() const { return m_threshold; }
    /// The "Bias correction" check box of the Allocation group (AllocationSettings::
    /// biasCorrection, docs/multipoint.md section 9). setBiasCorrection emits nothing.
    bool biasCorrection() const;
    void setBiasCorrection(bool on);
    /// "Weight by output sensitivity" (AllocationSettings::sensitivityWeighted) and the "MAC
    /// cap" (AllocationSettings::macCap as a fraction, < 0: none) of the Allocation group
    /// (docs/multipoint.md section 8). The setters emit nothing.
    bool sensitivityWeighted() const;
    void setSensitivityWeighted(bool on);
    double macCap() const;
    void setMacCap(double fraction);

    /// While a job runs: Cancel enabled, Analyze still allowed (it supersedes the job).
    void setBusy(bool busy);
    void setAnalyzeEnabled(bool enabled);

signals:
    void analyzeRequested();
    void cancelRequested();
    void imagesDirChanged(const QString &dir);
    void testImagesDirChanged(const QString &dir);
    /// The user toggled "Bias correction".
    void biasCorrectionToggled(bool on);
    /// The user toggled the sensitivity weighting or changed the MAC cap.
    void taskAwareChanged();

private:
    void browseImages();
    void browseTestImages();
    void updateChanged();

    QSpinBox *m_bits;
    QSpinBox *m_maxPoints;
    QComboBox *m_search;
    QComboBox *m_rounding;
    QSpinBox *m_extraBits;
    QCheckBox *m_halfStepPair;
    QLineEdit *m_images;
    QLineEdit *m_testImages;
    QLabel *m_changed;
    std::optional<mpq::AnalysisSettings> m_applied;
    QString m_appliedImages;
    QSpinBox *m_count;
    QComboBox *m_activationBits;
    mpq::ui::ThresholdControl *m_threshold;
    QCheckBox *m_biasCorrection;
    QCheckBox *m_sensitivityWeighted;
    QDoubleSpinBox *m_macCap;
    QPushButton *m_analyze;
    QPushButton *m_cancel;
};

} // namespace mpq::studio
