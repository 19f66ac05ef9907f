#pragma once

#include "mpq/analysis.h"

#include <QWidget>

class QComboBox;
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
    mpq::ui::ThresholdControl *thresholdControl() const { return m_threshold; }

    /// While a job runs: Cancel enabled, Analyze still allowed (it supersedes the job).
    void setBusy(bool busy);
    void setAnalyzeEnabled(bool enabled);

signals:
    void analyzeRequested();
    void cancelRequested();
    void imagesDirChanged(const QString &dir);

private:
    void browseImages();

    QSpinBox *m_bits;
    QSpinBox *m_maxPoints;
    QComboBox *m_search;
    QLineEdit *m_images;
    QSpinBox *m_count;
    QComboBox *m_activationBits;
    mpq::ui::ThresholdControl *m_threshold;
    QPushButton *m_analyze;
    QPushButton *m_cancel;
};

} // namespace mpq::studio
