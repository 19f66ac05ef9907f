#include "aboutbox.h"

#include "mpq/versions.h"

#include <QCoreApplication>
#include <QMessageBox>
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

} // namespace mpq::studio
