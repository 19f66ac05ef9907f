#pragma once
// The Export dialog: formats, destination, verification; runs the exports in the background
// with progress and ends with a summary (files, sizes, the largest difference the verification
// found) and a button that opens the folder.

#include "exportjobs.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace mpq::studio {

class JobRunner;

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    /// `request` carries the model, analysis, allocation and settings; the dialog fills in the
    /// formats, folder, base name and verification from its controls.
    explicit ExportDialog(ExportRequest request, QWidget *parent = nullptr);
    ~ExportDialog() override;

    /// For tests and scripted use: the controls' state.
    void setFolder(const QString &folder);
    void setFormats(int formats);
    void setVerify(bool verify);
    /// Starts the export (what the Export button does).
    void startExport();
    bool isRunning() const;
    /// The summary or error text shown after the last run.
    QString resultText() const;
    /// True when the last run ended with an error.
    bool failed() const { return m_failed; }
    const ExportSummary &summary() const { return m_summary; }

signals:
    /// The last run ended (successfully or not).
    void finished(bool ok);

private:
    ExportRequest currentRequest() const;
    void updatePaths();
    void showSummary(const ExportSummary &summary);
    void showError(const QString &message);

    ExportRequest m_request;
    JobRunner *m_runner;
    QCheckBox *m_fakeQuant, *m_expanded, *m_package, *m_report, *m_verify;
    QCheckBox *m_onnxFakeQuant, *m_onnxQdq; ///< enabled for ONNX sources only
    QLineEdit *m_folder, *m_baseName;
    QLabel *m_paths;
    QProgressBar *m_progress;
    QTextBrowser *m_result;
    QPushButton *m_export, *m_cancel, *m_openFolder;
    QDialogButtonBox *m_buttons;
    ExportSummary m_summary;
    bool m_failed = false;
};

} // namespace mpq::studio
