#include "mpqwidgets/figureexport.h"

#include <QAbstractItemView>
#include <QAction>
#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <qcustomplot.h>

namespace mpq::ui {

namespace {

QString csvField(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n'))) {
        text.replace(QLatin1String("\""), QLatin1String("\"\""));
        text = QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

} // namespace

QString saveBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return path + QStringLiteral(": ") + file.errorString();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return path + QStringLiteral(": ") + file.errorString();
    return {};
}

QString exportPlot(QCustomPlot *plot, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = plot->width(), h = plot->height();
    if (suffix == QLatin1String("svg")) {
        QBuffer buffer;
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(QFileInfo(path).completeBaseName());
        QCPPainter painter;
        if (!painter.begin(&svg))
            return path + QObject::tr(": cannot draw the SVG");
        plot->toPainter(&painter, w, h);
        painter.end();
        return saveBytes(path, buffer.data());
    }
    // QCustomPlot writes PNG and PDF to a path itself: write beside the target, then rename
    // through QSaveFile so an existing file is replaced whole or not at all
    QTemporaryDir dir(QFileInfo(path).absolutePath() + QStringLiteral("/.export-XXXXXX"));
    if (!dir.isValid())
        return path + QObject::tr(": cannot write in this folder");
    const QString temp = dir.filePath(QStringLiteral("plot.") + suffix);
    bool ok = false;
    if (suffix == QLatin1String("png"))
        ok = plot->savePng(temp, w, h, 2.0);
    else if (suffix == QLatin1String("pdf"))
        ok = plot->savePdf(temp, w, h);
    else
        return path + QObject::tr(": choose a .png, .svg or .pdf file name");
    QFile written(temp);
    if (!ok || !written.open(QIODevice::ReadOnly))
        return path + QObject::tr(": cannot render the plot");
    return saveBytes(path, written.readAll());
}

QString exportTableCsv(const QAbstractItemModel *model, const QString &path)
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < model->columnCount(); ++c)
        header << csvField(model->headerData(c, Qt::Horizontal).toString());
    lines << header.join(QLatin1Char(','));
    for (int r = 0; r < model->rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < model->columnCount(); ++c)
            fields << csvField(model->index(r, c).data().toString());
        lines << fields.join(QLatin1Char(','));
    }
    return saveBytes(path, (lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
}

void exportPlotInteractively(QCustomPlot *plot, QWidget *parent, const QString &suggestedName)
{
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export plot"), suggestedName + QStringLiteral(".png"),
        QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    const QString error = exportPlot(plot, path);
    if (!error.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Export plot"), error);
}

void exportTableInteractively(const QAbstractItemModel *model, QWidget *parent,
                              const QString &suggestedName)
{
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export table"),
                                                      suggestedName + QStringLiteral(".csv"),
                                                      QObject::tr("CSV table (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportTableCsv(model, path);
    if (!error.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Export table"), error);
}

void addPlotExportMenu(QCustomPlot *plot, const QString &suggestedName)
{
    plot->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *action = new QAction(QObject::tr("Export plot..."), plot);
    QObject::connect(action, &QAction::triggered, plot, [plot, suggestedName] {
        exportPlotInteractively(plot, plot->window(), suggestedName);
    });
    plot->addAction(action);
}

void addTableExportMenu(QAbstractItemView *view, const QString &suggestedName)
{
    if (view->contextMenuPolicy() != Qt::ActionsContextMenu &&
        view->contextMenuPolicy() != Qt::CustomContextMenu)
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *action = new QAction(QObject::tr("Export table as CSV..."), view);
    QObject::connect(action, &QAction::triggered, view, [view, suggestedName] {
        exportTableInteractively(view->model(), view->window(), suggestedName);
    });
    view->addAction(action);
}

} // namespace mpq::ui
