#pragma once
// Sharing results: every plot to PNG, SVG or PDF and every table to CSV, from a context menu or
// the File menu, so findings go straight into a report.

#include <QString>

class QAbstractItemModel;
class QAbstractItemView;
class QCustomPlot;
class QWidget;

namespace mpq::ui {

/// Writes `bytes` to `path` atomically (a temporary file, then a rename); "" on success, else
/// "<path>: <reason>". What every export of a figure, table or graph writes with.
QString saveBytes(const QString &path, const QByteArray &bytes);

/// Writes the plot as the file's suffix says (.png at twice the widget's size, .svg, .pdf),
/// atomically (QSaveFile). Returns an empty string, or "<path>: <reason>".
QString exportPlot(QCustomPlot *plot, const QString &path);

/// Writes the model's display text as CSV (a header row from the horizontal headers, then one
/// row per top-level row; fields with commas, quotes or line breaks quoted), atomically.
/// Returns an empty string, or "<path>: <reason>".
QString exportTableCsv(const QAbstractItemModel *model, const QString &path);

/// Asks for a file name (PNG, SVG or PDF) and exports; errors in a message box.
void exportPlotInteractively(QCustomPlot *plot, QWidget *parent, const QString &suggestedName);
/// Asks for a file name and writes the CSV; errors in a message box.
void exportTableInteractively(const QAbstractItemModel *model, QWidget *parent,
                              const QString &suggestedName);

/// Adds "Export plot..." to the plot's context menu.
void addPlotExportMenu(QCustomPlot *plot, const QString &suggestedName);
/// Adds "Export table as CSV..." to the view's context menu (keeps its own menu entries when it
/// uses Qt::ActionsContextMenu).
void addTableExportMenu(QAbstractItemView *view, const QString &suggestedName);

} // namespace mpq::ui
