#pragma once
// What leaves the workspace: the Preview and Compare pages' evaluations (PreviewController),
// the Export dialog (Ctrl+E), and plots and tables exported for reports. Owned by MainWindow,
// which tells it when the model, analysis, allocation or image folder change.

#include <QObject>

class QMenu;
class QAction;
class QWidget;

namespace mpq::studio {

class LayersPanel;
class ModelDocument;
class PreviewController;
class SettingsPanel;
class WorkspaceTabs;

class OutputActions : public QObject
{
    Q_OBJECT
public:
    OutputActions(ModelDocument *document, WorkspaceTabs *tabs, SettingsPanel *settings,
                  LayersPanel *layers, QWidget *window);

    /// Adds Export model (Ctrl+E), Export plot and Export layers table to `menu`.
    void addActions(QMenu *menu);
    /// The model, analysis, allocation or image folder changed: the Preview and Compare pages
    /// get the new setting (the Preview re-evaluates once the user pauses).
    void refresh();
    /// Opens the Export dialog for the current allocation.
    void exportModel();
    PreviewController *previewController() const { return m_preview; }
    QAction *exportAction() const { return m_export; }

signals:
    /// A Preview or Compare evaluation failed; the message names the file and the problem.
    void failed(const QString &message);
    /// The warnings of the latest Preview or Compare evaluation (see PreviewController).
    void evaluationWarnings(const QStringList &warnings);

private:
    QString settingText() const;

    ModelDocument *m_document;
    WorkspaceTabs *m_tabs;
    SettingsPanel *m_settings;
    LayersPanel *m_layers;
    QWidget *m_window;
    PreviewController *m_preview;
    QAction *m_export = nullptr;
};

} // namespace mpq::studio
