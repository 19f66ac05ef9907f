// Issue 14, "readable at a glance", offscreen: the ranked sensitivity view's order and its
// selection everywhere, a curve click selecting its layer, the threshold line only under the
// threshold rule, window shortcuts with focus in the layer filter, Preview captions that are not
// elided at the default window size, the cache limit preference reaching the cache, the glossary.
#include "aboutbox.h"
#include "layerspanel.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "preferencesdialog.h"
#include "settingspanel.h"
#include "statussummary.h"
#include "warningspanel.h"
#include "workspacetabs.h"

#include "mpqwidgets/allocationplot.h"
#include "mpqwidgets/glossary.h"
#include "mpqwidgets/layertablemodel.h"
#include "mpqwidgets/previewview.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/sensitivityrankmodel.h"
#include "mpqwidgets/sensitivityrankview.h"
#include "mpqwidgets/thresholdcontrol.h"
#include "syntheticanalysis.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QtTest>
#include <qcustomplot.h>

using mpq::studio::MainWindow;
using mpq::ui::SensitivityRankModel;

class TestGlance : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpqtest::SyntheticAnalysis m_data;

    QAction *actionWithShortcut(MainWindow &w, const QKeySequence &key)
    {
        for (QAction *a : w.findChildren<QAction *>())
            if (a->shortcuts().contains(key))
                return a;
        return nullptr;
    }

private slots:
    void warningsKeepTheirSource()
    {
        // the model's and the analysis' lines stay while evaluations replace only their own
        mpq::studio::WarningsPanel panel;
        QSignalSpy counts(&panel, &mpq::studio::WarningsPanel::countChanged);
        panel.setModelAndAnalysis({"shared weight left float"}, {"skipped image: a.png"});
        QCOMPARE(panel.count(), 2);
        panel.setEvaluation({"skipped image: b.png", "unknown class: zebra"});
        QCOMPARE(panel.count(), 4);
        panel.setEvaluation({"Evaluation failed: c.png: cannot decode"});
        QCOMPARE(panel.count(), 3);
        QVERIFY(panel.item(0)->text().contains("shared weight left float"));
        QVERIFY(panel.item(2)->text().contains("c.png: cannot decode"));
        // the allocation's lines replace the previous allocation's, the rest stays
        panel.setAllocation({"Bits overrides: skipped image: d.png", "pins exceed the budget"});
        QCOMPARE(panel.count(), 5);
        QVERIFY(panel.item(3)->text().startsWith("Allocation: Bits overrides: skipped image"));
        panel.setAllocation({"pins exceed the budget"});
        QCOMPARE(panel.count(), 4);
        QVERIFY(panel.item(2)->text().contains("c.png: cannot decode"));
        QVERIFY(panel.item(3)->text().contains("pins exceed the budget"));
        panel.setEvaluation({});
        QCOMPARE(panel.count(), 3);
        QVERIFY(panel.item(2)->text().contains("pins exceed the budget"));
        panel.setModelAndAnalysis({}, {});
        QCOMPARE(panel.count(), 0);
        QCOMPARE(counts.count(), 7);
        QCOMPARE(counts.last().first().toInt(), 0);
    }

    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toLocal8Bit());
        qputenv("XDG_CACHE_HOME", m_dir.filePath("cache").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath("config"));
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_glance"));
        QLocale::setDefault(QLocale::c());
        std::vector<mpqtest::SyntheticLayer> layers;
        for (int i = 0; i < 9; ++i)
            layers.push_back({"model.backbone.features." + std::to_string(i) + ".block.0.conv",
                              mpq::LayerKind::Conv2d, 4 + 2 * i, 3 + (i * 5) % 7, 3});
        m_data = mpqtest::makeAnalysis(layers, 4, 5, 3);
    }

    void rankedViewOrderAndSelection()
    {
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        mpq::ui::SensitivityRankView *rank = w.workspace()->rankView();
        SensitivityRankModel *model = rank->model();
        QCOMPARE(model->rowCount(), 9);
        // ranked by the one-point error, largest first
        for (int r = 1; r < model->rowCount(); ++r)
            QVERIFY(model->index(r - 1, SensitivityRankModel::OnePointError)
                        .data(SensitivityRankModel::RawValueRole)
                        .toDouble() >= model->index(r, SensitivityRankModel::OnePointError)
                                           .data(SensitivityRankModel::RawValueRole)
                                           .toDouble());
        // the figures follow the document's epsilon
        QCOMPARE(model->epsilon(), w.document()->allocationSettings().epsilon);
        // nothing selected: the plot shows the top of the ranking
        const mpq::ui::SensitivityPlot *plot = w.workspace()->sensitivityPlot();
        QVERIFY(plot->isShowingDefaultLayers());
        QCOMPARE(plot->drawnLayers().front(), model->layerIndex(0));

        // the user clicks the third row: the layer is selected in the Layers table, the plot
        // and the ranking
        w.resize(1400, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QModelIndex third = rank->proxy()->index(2, SensitivityRankModel::Name);
        const int layer = model->layerIndex(rank->proxy()->mapToSource(third).row());
        rank->view()->scrollTo(third);
        QTest::mouseClick(rank->view()->viewport(), Qt::LeftButton, {},
                          rank->view()->visualRect(third).center());
        QCOMPARE(w.layersPanel()->selectedLayers(), QList<int>{layer});
        QCOMPARE(plot->selectedLayers(), QList<int>{layer});
        QCOMPARE(rank->selectedLayers(), QList<int>{layer});

        // a selection in the Layers table shows in the ranking; a filtered-out layer chosen on a
        // page clears the filter so it can be selected
        w.layersPanel()->selectLayers({0, 5});
        QList<int> mirrored = rank->selectedLayers();
        std::sort(mirrored.begin(), mirrored.end());
        QCOMPARE(mirrored, (QList<int>{0, 5}));
        w.layersPanel()->filter()->setText(QStringLiteral("features.1.*"));
        emit w.workspace()->layersChosen({7});
        QCOMPARE(w.layersPanel()->selectedLayers(), QList<int>{7});
        QVERIFY(w.layersPanel()->filter()->text().isEmpty());
    }

    void curveClickSelectsLayer()
    {
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        w.resize(1400, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        mpq::ui::SensitivityPlot *plot = w.workspace()->sensitivityPlot();
        w.layersPanel()->selectLayers({2, 6});
        QCustomPlot *p = plot->plot();
        p->replot();
        QCPGraph *g = plot->layerGraph(6);
        QVERIFY(g);
        const QPointF at(p->xAxis->coordToPixel(1.0),
                         p->yAxis->coordToPixel(g->data()->at(0)->value));
        QTest::mouseClick(p, Qt::LeftButton, {}, at.toPoint());
        QCOMPARE(w.layersPanel()->selectedLayers(), QList<int>{6});
        QCOMPARE(plot->selectedLayers(), QList<int>{6});
    }

    void thresholdLineOnlyUnderTheThresholdRule()
    {
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        mpq::AllocationSettings rule = w.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Threshold;
        w.document()->setAllocationRule(rule);
        QVERIFY(w.workspace()->sensitivityPlot()->epsilonLine()->visible());
        rule.rule = mpq::AllocationRule::Budget;
        rule.budget = 0.05;
        w.document()->setAllocationRule(rule);
        QVERIFY(!w.workspace()->sensitivityPlot()->epsilonLine()->visible());
        QVERIFY(!w.workspace()->sensitivityPlot()->isEpsilonVisible());
        rule.rule = mpq::AllocationRule::Threshold;
        w.document()->setAllocationRule(rule);
        QVERIFY(w.workspace()->sensitivityPlot()->epsilonLine()->visible());
    }

    void shortcutsWorkWithFocusInTheFilter()
    {
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QAction *exportAction = actionWithShortcut(w, QKeySequence(Qt::CTRL | Qt::Key_E));
        QVERIFY(exportAction);
        exportAction->setEnabled(true); // as after an analysis of an opened model
        QLineEdit *filter = w.layersPanel()->filter();
        w.layersPanel()->focusFilter();
        QTRY_VERIFY(filter->hasFocus());
        filter->setText(QStringLiteral("conv"));
        filter->setCursorPosition(0);
        // Ctrl+2 switches pages from the filter
        QTest::keyClick(filter, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w.workspace()->currentIndex(), int(mpq::studio::WorkspaceTabs::Allocation));
        QTest::keyClick(filter, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(w.workspace()->currentIndex(), int(mpq::studio::WorkspaceTabs::Sensitivity));
        // text editing keys stay the filter's: Ctrl+A selects its text
        QTest::keyClick(filter, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(filter->selectedText(), QStringLiteral("conv"));
        filter->setCursorPosition(0);
        // Ctrl+E exports (the line edit's "end of line" binding gives way)
        QSignalSpy triggered(exportAction, &QAction::triggered);
        // the export has nothing to write and says so in a message box: close it
        QTimer closer;
        connect(&closer, &QTimer::timeout, [] {
            if (QWidget *modal = QApplication::activeModalWidget())
                modal->close();
        });
        closer.start(50);
        QTest::keyClick(filter, Qt::Key_E, Qt::ControlModifier);
        QTRY_COMPARE(triggered.count(), 1);
        QCOMPARE(filter->cursorPosition(), 0);
    }

    void previewCaptionsAreNotElided()
    {
        // long class names, at the default window size
        QImage photo(400, 200, QImage::Format_RGB32);
        photo.fill(Qt::white);
        const QString file = m_dir.filePath("a_rather_long_image_name_0001.png");
        QVERIFY(photo.save(file));
        auto result = std::make_shared<mpq::EvaluationResult>();
        result->task = mpq::Task::Classification;
        for (int i = 0; i < 6; ++i) {
            mpq::ImagePrediction p;
            p.file = file.toStdString();
            p.floatProbabilities = {0.9f, 0.1f};
            p.quantizedProbabilities =
                i % 2 ? std::vector<float>{0.2f, 0.8f} : std::vector<float>{0.85f, 0.15f};
            result->images.push_back(p);
        }
        mpq::ui::PreviewData data;
        data.result = result;
        data.profile.labels = {"Ankle_boot_with_a_very_long_label", "Pullover_or_sweater"};
        for (int i = 0; i < 6; ++i) {
            data.images.push_back(photo.scaled(112, 56));
            data.scales.push_back(112.0 / 400.0);
        }
        data.setting = QStringLiteral("test");
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        w.resize(1400, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.workspace()->setCurrentIndex(mpq::studio::WorkspaceTabs::Preview);
        mpq::ui::PreviewView *view = w.workspace()->previewView();
        view->setPreview(data);
        QApplication::processEvents();
        QListView *list = view->view();
        const QFontMetrics fm = list->fontMetrics();
        const QSize grid = list->gridSize();
        for (int r = 0; r < view->proxy()->rowCount(); ++r) {
            const QModelIndex index = view->proxy()->index(r, 0);
            const QStringList lines = index.data().toString().split('\n');
            QCOMPARE(lines.size(), 3);
            QVERIFY(lines[2].startsWith("Q: "));
            for (const QString &line : lines)
                // the style wraps a caption to the icon's width, so it must fit both
                QVERIFY2(fm.horizontalAdvance(line) < grid.width() &&
                             fm.horizontalAdvance(line) < list->iconSize().width(),
                         qPrintable(line));
            QVERIFY(grid.height() >= list->iconSize().height() + 3 * fm.lineSpacing());
        }
        QCOMPARE(list->textElideMode(), Qt::ElideNone);
        // changed predictions first, then only them
        view->changedFirstBox()->setChecked(true);
        for (int r = 0; r < 3; ++r)
            QVERIFY(view->proxy()->index(r, 0).data(mpq::ui::PreviewModel::ChangedRole).toBool());
        QVERIFY(!view->proxy()->index(3, 0).data(mpq::ui::PreviewModel::ChangedRole).toBool());
        view->onlyChangedBox()->setChecked(true);
        QCOMPARE(view->proxy()->rowCount(), 3);
        view->onlyChangedBox()->setChecked(false);
        view->changedFirstBox()->setChecked(false);
        QCOMPARE(view->proxy()->rowCount(), 6);
        QVERIFY(!view->proxy()->index(0, 0).data(mpq::ui::PreviewModel::ChangedRole).toBool());
    }

    void cacheLimitPreferenceReachesTheCache()
    {
        {
            MainWindow w;
            QCOMPARE(w.analysisCache().limitBytes(), std::uint64_t(512) << 20);
        }
        mpq::studio::Preferences p = mpq::studio::Preferences::load();
        p.cacheLimitMiB = 3;
        p.save();
        QCOMPARE(mpq::studio::Preferences::load().cacheLimitMiB, 3);
        MainWindow w;
        QCOMPARE(w.analysisCache().limitBytes(), std::uint64_t(3) << 20);
        // the dialog shows it and gives it back
        mpq::studio::PreferencesDialog dialog;
        QCOMPARE(dialog.preferences().cacheLimitMiB, 3);
        p.cacheLimitMiB = 512;
        p.save();
    }

    void glossaryFromHelpAndTooltips()
    {
        MainWindow w;
        QAction *glossary = w.findChild<QAction *>(QStringLiteral("glossaryAction"));
        QVERIFY(glossary);
        glossary->trigger();
        auto *window = w.findChild<QDialog *>(QStringLiteral("glossaryWindow"));
        QVERIFY(window && window->isVisible());
        const QString text = window->findChild<QTextBrowser *>()->toPlainText();
        for (const char *word : {"Point", "epsilon", "Budget", "Memory overhead", "MAC overhead",
                                 "Effective bits", "SQNR"})
            QVERIFY2(text.contains(QLatin1String(word)), word);
        QCOMPARE(mpq::studio::showGlossary(&w), window); // one window
        // the words carry their definition as tooltips in the tables
        QVERIFY(
            w.layersPanel()
                ->tableModel()
                ->headerData(mpq::ui::LayerTableModel::EffectiveBits, Qt::Horizontal,
                             Qt::ToolTipRole)
                .toString()
                .contains(mpq::ui::termDefinition(mpq::ui::Term::EffectiveBits).toHtmlEscaped()));
    }

    // Issue 14: "tooltips on those words" beyond the table headers: the status bar's cost
    // figures and the Settings panel's Bits, Max points, epsilon and budget controls.
    void glossaryTooltipsOnTheStatusBarAndSettings()
    {
        using mpq::ui::Term;
        const auto has = [](const QWidget *widget, Term term) {
            return widget &&
                   widget->toolTip().contains(mpq::ui::termDefinition(term).toHtmlEscaped());
        };
        MainWindow w;
        w.showAnalysis(m_data.analysis);
        auto *summary = w.findChild<mpq::studio::StatusSummary *>();
        QVERIFY(summary);
        const auto label = [summary](const QString &text) -> QLabel * {
            for (QLabel *l : summary->findChildren<QLabel *>())
                if (!text.isEmpty() && l->text() == text)
                    return l;
            return nullptr;
        };
        QVERIFY(has(label(summary->memoryText()), Term::MemoryOverhead));
        QVERIFY(has(label(summary->macText()), Term::MacOverhead));
        QVERIFY(has(label(summary->bitsText()), Term::EffectiveBits));
        // the figure's own explanation stays beside the definition
        QVERIFY(label(summary->memoryText())->toolTip().contains("pinned layers"));

        mpq::studio::SettingsPanel *settings = w.settingsPanel();
        const auto formLabel = [settings](const QString &text) -> QLabel * {
            for (QLabel *l : settings->findChildren<QLabel *>())
                if (l->text() == text)
                    return l;
            return nullptr;
        };
        QLabel *bits = formLabel(mpq::studio::SettingsPanel::tr("&Bits:"));
        QLabel *maxPoints = formLabel(mpq::studio::SettingsPanel::tr("&Max points:"));
        QVERIFY(bits && maxPoints);
        QVERIFY(has(bits, Term::Point) && has(bits->buddy(), Term::Point));
        QVERIFY(has(maxPoints, Term::Point) && has(maxPoints->buddy(), Term::Point));
        mpq::ui::ThresholdControl *control = settings->thresholdControl();
        QVERIFY(has(control->epsilonSlider(), Term::Epsilon));
        QVERIFY(has(control->thresholdButton(), Term::Epsilon));
        QVERIFY(has(control->budgetButton(), Term::Budget));
        QVERIFY(has(control->budgetSlider(), Term::Budget));
        QVERIFY(has(control->budgetSpin(), Term::Budget));
        QVERIFY(has(control->costCombo(), Term::MemoryOverhead));
        QVERIFY(has(control->costCombo(), Term::MacOverhead));
        QLabel *overhead = nullptr;
        for (QLabel *l : control->findChildren<QLabel *>())
            if (l->text() == mpq::ui::ThresholdControl::tr("Overhead"))
                overhead = l;
        QVERIFY(has(overhead, Term::MemoryOverhead));
    }

    // Issue 14, the event loop when an analysis arrives (bench_gui: 0.5 s, two trade-off
    // computations): the Allocation page's trade-off is computed only when the page is shown,
    // once, and is then current.
    void allocationPageIsBuiltWhenShown()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.show();
        mpq::studio::WorkspaceTabs *tabs = w.workspace();
        tabs->setCurrentIndex(mpq::studio::WorkspaceTabs::Sensitivity);
        const mpq::ui::AllocationPlot *plot = tabs->allocationPlot();
        const int before = plot->tradeOffComputations();
        w.showAnalysis(m_data.analysis);
        mpq::AllocationSettings rule = w.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Threshold;
        rule.epsilon = 1e-3;
        w.document()->setAllocationRule(rule);
        QCOMPARE(plot->tradeOffComputations(), before); // hidden: nothing computed
        tabs->setCurrentIndex(mpq::studio::WorkspaceTabs::Allocation);
        QCOMPARE(plot->tradeOffComputations(), before + 1); // shown: once
        QCOMPARE(plot->currentMarker()->data()->size(), 1);
        QCOMPARE(plot->currentMarker()->data()->at(0)->value,
                 w.document()->allocation()->memoryOverhead * 100.0);
        // hidden again: a new rule reaches the page when it is shown, without a recomputation
        tabs->setCurrentIndex(mpq::studio::WorkspaceTabs::Sensitivity);
        rule.epsilon = 1e-5;
        w.document()->setAllocationRule(rule);
        tabs->setCurrentIndex(mpq::studio::WorkspaceTabs::Allocation);
        QCOMPARE(plot->tradeOffComputations(), before + 1);
        QCOMPARE(plot->currentMarker()->data()->at(0)->value,
                 w.document()->allocation()->memoryOverhead * 100.0);
        // shown: a new analysis is built at once, once
        w.showAnalysis(m_data.analysis);
        QCOMPARE(plot->tradeOffComputations(), before + 2);
        // ... on a worker thread: the delivery of an analysis does not wait for the curves
        QVERIFY(plot->isComputingTradeOff());
        QTRY_VERIFY(!plot->isComputingTradeOff());
        QCOMPARE(plot->thresholdCurve()->data()->size(),
                 mpq::ui::AllocationPlot::tradeOffSamples());
        QCOMPARE(plot->currentMarker()->data()->at(0)->value,
                 w.document()->allocation()->memoryOverhead * 100.0);
    }
};

QTEST_MAIN(TestGlance)
#include "tst_glance.moc"
