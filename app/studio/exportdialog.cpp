#include "exportdialog.h"

#include "jobrunner.h"

#include "mpqwidgets/numberformat.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace mpq::studio {

ExportDialog::ExportDialog(ExportRequest request, QWidget *parent)
    : QDialog(parent)
    , m_request(std::move(request))
    , m_runner(new JobRunner(this))
{
    setWindowTitle(tr("Export the quantized model"));
    m_fakeQuant = new QCheckBox(tr("Fake-quant TorchScript (original architecture)"), this);
    m_expanded = new QCheckBox(tr("Expanded TorchScript (common operands)"), this);
    m_package = new QCheckBox(tr("Integer package (int8 rows, scales, manifest)"), this);
    m_report = new QCheckBox(tr("Report (JSON and CSV)"), this);
    m_onnxFakeQuant = new QCheckBox(tr("Fake-quant ONNX (original graph)"), this);
    m_onnxQdq = new QCheckBox(tr("QDQ ONNX (int8 weights, deployable)"), this);
    // docs/onnx.md section 5: the ONNX exports rewrite the source ONNX graph; the model says
    // what it was read from (a file's content decides, not its extension)
    const bool onnxSource =
        m_request.opened.model && m_request.opened.model->format() == mpq::ModelFormat::Onnx;
    for (QCheckBox *box : {m_onnxFakeQuant, m_onnxQdq}) {
        box->setEnabled(onnxSource);
        if (!onnxSource)
            box->setToolTip(tr("ONNX export needs an ONNX source model"));
    }
    m_verify = new QCheckBox(tr("Reload and verify the TorchScript exports"), this);
    m_fakeQuant->setChecked(true);
    m_report->setChecked(true);
    m_verify->setChecked(true);
    m_verify->setToolTip(tr("Runs each written model beside the in-app quantized model on the "
                            "calibration images and reports the largest difference"));

    auto *formats = new QGroupBox(tr("Formats"), this);
    auto *formatsLayout = new QVBoxLayout(formats);
    for (QCheckBox *box :
         {m_fakeQuant, m_expanded, m_package, m_report, m_onnxFakeQuant, m_onnxQdq}) {
        formatsLayout->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &ExportDialog::updatePaths);
    }

    m_folder = new QLineEdit(m_request.folder, this);
    m_baseName = new QLineEdit(m_request.baseName, this);
    auto *browse = new QPushButton(tr("Browse..."), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Export to folder"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::updatePaths);
    connect(m_baseName, &QLineEdit::textChanged, this, &ExportDialog::updatePaths);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Folder"), folderRow);
    form->addRow(tr("File name"), m_baseName);
    m_paths = new QLabel(this);
    m_paths->setWordWrap(true);
    m_paths->setForegroundRole(QPalette::PlaceholderText);
    m_paths->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Writes"), m_paths);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_result = new QTextBrowser(this);
    m_result->setVisible(false);
    m_result->setMinimumHeight(fontMetrics().height() * 12);

    m_buttons = new QDialogButtonBox(this);
    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_openFolder = m_buttons->addButton(tr("Open folder"), QDialogButtonBox::ActionRole);
    m_openFolder->setEnabled(false);
    m_cancel = m_buttons->addButton(QDialogButtonBox::Close);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_openFolder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_folder->text())); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_runner->isBusy())
            m_runner->cancel();
        else
            reject();
    });

    connect(m_runner, &JobRunner::progressChanged, this,
            [this](int, const QString &stage, double fraction, double) {
                m_progress->setValue(int(fraction * 1000));
                m_progress->setFormat(stage + QStringLiteral(" %p%"));
            });
    connect(m_runner, &JobRunner::jobFailed, this,
            [this](int, int, const QString &message) { showError(message); });
    connect(m_runner, &JobRunner::jobCancelled, this, [this](int) {
        showError(tr("Cancelled. Files finished before the cancel stay; "
                     "nothing half-written is left."));
    });
    connect(m_runner, &JobRunner::busyChanged, this, [this](bool busy) {
        m_export->setEnabled(!busy);
        m_cancel->setText(busy ? tr("Cancel") : tr("Close"));
        m_progress->setVisible(busy);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(formats);
    layout->addWidget(m_verify);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_result, 1);
    layout->addWidget(m_buttons);
    resize(fontMetrics().averageCharWidth() * 90, sizeHint().height());
    updatePaths();
}

ExportDialog::~ExportDialog()
{
    m_runner->cancel();
    m_runner->waitForWorkers();
}

void ExportDialog::setFolder(const QString &folder)
{
    m_folder->setText(folder);
}

void ExportDialog::setFormats(int formats)
{
    m_fakeQuant->setChecked(formats & FakeQuantFormat);
    m_expanded->setChecked(formats & ExpandedFormat);
    m_package->setChecked(formats & PackageFormat);
    m_report->setChecked(formats & ReportFormat);
    m_onnxFakeQuant->setChecked((formats & OnnxFakeQuantFormat) && m_onnxFakeQuant->isEnabled());
    m_onnxQdq->setChecked((formats & OnnxQdqFormat) && m_onnxQdq->isEnabled());
}

void ExportDialog::setVerify(bool verify)
{
    m_verify->setChecked(verify);
}

bool ExportDialog::isRunning() const
{
    return m_runner->isBusy();
}

QString ExportDialog::resultText() const
{
    return m_result->toPlainText();
}

ExportRequest ExportDialog::currentRequest() const
{
    ExportRequest r = m_request;
    r.formats = (m_fakeQuant->isChecked() ? FakeQuantFormat : 0) |
                (m_expanded->isChecked() ? ExpandedFormat : 0) |
                (m_package->isChecked() ? PackageFormat : 0) |
                (m_report->isChecked() ? ReportFormat : 0) |
                (m_onnxFakeQuant->isChecked() ? OnnxFakeQuantFormat : 0) |
                (m_onnxQdq->isChecked() ? OnnxQdqFormat : 0);
    r.folder = m_folder->text();
    r.baseName = m_baseName->text().trimmed();
    r.verify = m_verify->isChecked();
    return r;
}

void ExportDialog::updatePaths()
{
    const ExportRequest r = currentRequest();
    QStringList names;
    for (const QString &p : exportPaths(r))
        names << QFileInfo(p).fileName();
    m_paths->setText(names.isEmpty() ? tr("choose at least one format") : names.join(", "));
    m_export->setEnabled(!names.isEmpty() && !r.baseName.isEmpty() && !r.folder.isEmpty() &&
                         !m_runner->isBusy());
}

void ExportDialog::startExport()
{
    const ExportRequest r = currentRequest();
    if (r.formats == 0 || r.baseName.isEmpty() || r.folder.isEmpty())
        return;
    m_failed = false;
    m_result->setVisible(false);
    m_openFolder->setEnabled(false);
    m_runner->start(
        tr("Exporting"), [r](const mpq::JobControl &c) { return runExports(r, c); },
        [this](const ExportSummary &summary) { showSummary(summary); });
}

void ExportDialog::showSummary(const ExportSummary &s)
{
    m_summary = s;
    QString html = QStringLiteral("<b>%1</b><table>").arg(tr("Written"));
    for (const ExportedFile &f : s.files)
        html += QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;%2&nbsp;</td><td>%3</td></tr>")
                    .arg(QFileInfo(f.path).fileName().toHtmlEscaped(),
                         QLocale().formattedDataSize(f.bytes), f.note.toHtmlEscaped());
    html += QStringLiteral("</table>");
    // the cost of what was written, in the cost model of docs/multipoint.md section 4: the same
    // figures as the status bar and the Compare page
    if (m_request.quantization) {
        const mpq::Allocation &a = m_request.quantization->allocation;
        int floatLayers = 0;
        for (const mpq::LayerAllocation &l : a.layers)
            floatLayers += l.isFloat ? 1 : 0;
        html +=
            QStringLiteral("<p><b>%1</b> ").arg(tr("Cost:")) +
            tr("memory overhead %1, MAC overhead %2, effective bits %3")
                .arg(mpq::ui::formatPercent(a.memoryOverhead),
                     mpq::ui::formatPercent(a.macOverhead), mpq::ui::formatBits(a.effectiveBits));
        if (floatLayers > 0)
            html += tr("; %n layer(s) kept float (%1 of the MACs, run in float, not charged)",
                       nullptr, floatLayers)
                        .arg(mpq::ui::formatPercent(a.floatMacShare));
        else
            html += tr("; no layer kept float");
        html += QStringLiteral("</p>");
    }
    if (s.verified)
        html += QStringLiteral("<p>") +
                (s.maxRelativeDifference <= 1e-4
                     ? tr("Verification passed: the largest relative difference from the in-app "
                          "model is %1 (limit 1e-4).")
                     : tr("<b>Verification failed</b>: the largest relative difference from the "
                          "in-app model is %1 (limit 1e-4)."))
                    .arg(s.maxRelativeDifference, 0, 'g', 2) +
                QStringLiteral("</p>");
    m_failed = s.verified && s.maxRelativeDifference > 1e-4;
    m_result->setHtml(html);
    m_result->setVisible(true);
    m_openFolder->setEnabled(true);
    emit finished(!m_failed);
}

void ExportDialog::showError(const QString &message)
{
    m_failed = true;
    m_result->setHtml(QStringLiteral("<p><b>%1</b></p><p>%2</p>")
                          .arg(tr("The export failed."), message.toHtmlEscaped()));
    m_result->setVisible(true);
    emit finished(false);
}

} // namespace mpq::studio
