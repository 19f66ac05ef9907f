#include "outputactions.h"

#include "exportdialog.h"
#include "layerspanel.h"
#include "modeldocument.h"
#include "previewcontroller.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpqwidgets/figureexport.h"
#include "mpqwidgets/numberformat.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <qcustomplot.h>

namespace mpq::studio {

OutputActions::OutputActions(ModelDocument *document, WorkspaceTabs *tabs, SettingsPanel *settings,
                             LayersPanel *layers, QWidget *window)
    : QObject(window)
    , m_document(document)
    , m_tabs(tabs)
    , m_settings(settings)
    , m_layers(layers)
    , m_window(window)
    , m_preview(new PreviewController(tabs->previewView(), tabs->compareView(), this))
{
    // evaluations run only while the Preview page is shown; other pages stay responsive
    m_preview->setActive(tabs->currentIndex() == WorkspaceTabs::Preview);
    connect(tabs, &QTabWidget::currentChanged, this,
            [this](int page) { m_preview->setActive(page == WorkspaceTabs::Preview); });
    connect(m_preview, &PreviewController::failed, this, &OutputActions::failed);
    connect(m_preview, &PreviewController::evaluationWarnings, this,
            &OutputActions::evaluationWarnings);
}

void OutputActions::addActions(QMenu *menu)
{
    m_export = menu->addAction(QIcon::fromTheme(QStringLiteral("document-export")),
                               tr("&Export quantized model…"), this, &OutputActions::exportModel);
    m_export->setShortcut(Qt::CTRL | Qt::Key_E);
    m_export->setEnabled(false);
    menu->addAction(tr("Export &plot…"), this, [this] {
        const QList<QCustomPlot *> plots = m_tabs->currentPlots();
        if (plots.isEmpty()) {
            QMessageBox::information(m_window, tr("Export plot"),
                                     tr("The current page shows no plot yet."));
            return;
        }
        mpq::ui::exportPlotInteractively(plots.front(), m_window,
                                         m_tabs->tabText(m_tabs->currentIndex()).toLower());
    });
    menu->addAction(tr("Export &layers table as CSV…"), this, [this] {
        mpq::ui::exportTableInteractively(m_layers->view()->model(), m_window,
                                          QStringLiteral("layers"));
    });
}

QString OutputActions::settingText() const
{
    const mpq::AllocationSettings &s = m_document->allocationSettings();
    const auto &analysis = m_document->analysis();
    const int bits = analysis ? analysis->settings.bits : s.bits;
    QString rule = s.rule == mpq::AllocationRule::Threshold
                       ? tr("epsilon %1").arg(s.epsilon, 0, 'e', 2)
                       : tr("a %1 %2 budget")
                             .arg(mpq::ui::formatPercent(s.budget),
                                  s.cost == mpq::BudgetCost::Memory ? tr("memory") : tr("MAC"));
    if (!s.overrides.empty())
        rule += tr(" with %n override(s)", nullptr, int(s.overrides.size()));
    return tr("%1 at %2 bits").arg(rule).arg(bits);
}

void OutputActions::refresh()
{
    EvaluationRequest r;
    r.opened = m_document->opened();
    r.quantization = m_document->quantization();
    // the test images when set (and a folder), else the calibration images; the pages say which
    const QString test = m_settings->testImagesDir();
    const bool useTest = !test.isEmpty() && QFileInfo(test).isDir();
    const QString images = useTest ? test : m_settings->imagesDir();
    if (!images.isEmpty() && QFileInfo(images).isDir())
        r.imagesDir = QFileInfo(images).absoluteFilePath();
    r.testImages = useTest;
    r.setting = settingText();
    if (!r.imagesDir.isEmpty())
        r.setting += useTest ? tr(", on the test images in %1").arg(r.imagesDir)
                             : tr(", on the calibration images");
    if (m_export)
        m_export->setEnabled(r.opened.model && r.quantization);
    m_preview->setRequest(std::move(r));
}

void OutputActions::exportModel()
{
    if (!m_document->model() || !m_document->quantization()) {
        QMessageBox::information(m_window, tr("Export"),
                                 tr("Analyze the model first: the export writes the current "
                                    "allocation."));
        return;
    }
    ExportRequest r;
    r.opened = m_document->opened();
    r.quantization = m_document->quantization();
    r.toolVersion = QStringLiteral(MPQ_VERSION);
    const QFileInfo model(m_document->path());
    // the user's own writable folder (never the samples folder beside a model), until they choose
    r.folder =
        QSettings()
            .value(QStringLiteral("export/folder"),
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation).isEmpty()
                       ? QDir::homePath()
                       : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString();
    r.baseName = model.completeBaseName() + QStringLiteral("-mpq");
    auto *dialog = new ExportDialog(std::move(r), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::finished, dialog, [dialog](bool ok) {
        if (ok && !dialog->summary().files.empty())
            QSettings().setValue(QStringLiteral("export/folder"),
                                 QFileInfo(dialog->summary().files.front().path).absolutePath());
    });
    dialog->open();
}

} // namespace mpq::studio
