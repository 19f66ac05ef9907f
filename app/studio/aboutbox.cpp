#include "aboutbox.h"

#include "mpq/versions.h"
#include "mpqwidgets/glossary.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace mpq::studio {

void showAboutBox(QWidget *parent)
{
    const mpq::LibraryVersions v = mpq::libraryVersions();
    QMessageBox::about(
        parent, QCoreApplication::translate("mpq::studio::MainWindow", "About MPQ Studio"),
        QCoreApplication::translate(
            "mpq::studio::MainWindow",
            "<b>MPQ Studio %1</b><p>Multipoint post-training quantization: per-channel points "
            "allocated from measured output errors (Liu et al., AAAI 2021).</p>"
            "<p>Qt %2, LibTorch %3, OpenCV %4, QCustomPlot %5</p>")
            .arg(QStringLiteral(MPQ_VERSION), QString::fromLatin1(qVersion()),
                 QString::fromStdString(v.torch), QString::fromStdString(v.opencv),
                 QStringLiteral(QCUSTOMPLOT_VERSION_STR)));
}

QWidget *showGlossary(QWidget *parent)
{
    const QString name = QStringLiteral("glossaryWindow");
    auto *dialog = parent ? parent->findChild<QDialog *>(name) : nullptr;
    if (!dialog) {
        dialog = new QDialog(parent);
        dialog->setObjectName(name);
        dialog->setWindowTitle(
            QCoreApplication::translate("mpq::studio::MainWindow", "Glossary — MPQ Studio"));
        auto *text = new QTextBrowser(dialog);
        text->setObjectName(QStringLiteral("glossaryText"));
        text->setHtml(mpq::ui::glossaryHtml());
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::hide);
        auto *layout = new QVBoxLayout(dialog);
        layout->addWidget(text);
        layout->addWidget(buttons);
        const QFontMetrics fm(dialog->font());
        dialog->resize(fm.averageCharWidth() * 80, fm.lineSpacing() * 30);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

} // namespace mpq::studio
