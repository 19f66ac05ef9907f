// The run diff on the Preview page and the budget-rule Apply of an explanation (issue 15,
// docs/ui.md "Run diff on Preview" and "Explain a flipped prediction"):
// - marks: for a constructed pair of runs that differ on one known image, PreviewController
//   marks that image (badge and frame on its thumbnail, a caption line "A: ... → B: ..."), the
//   page names the two runs, "Differs between the runs" shows only it, Clear removes the marks,
//   a live run's marks are flagged once the allocation moves, and another model clears them;
// - the Runs dock's "Mark differences on Preview" button;
// - "Raise the budget by the set's cost and apply" on the demo classifier under the budget rule:
//   one undo step that sets the overrides and the raised budget (undo restores both), the other
//   layers keep their points, and the re-evaluated Preview shows the image's float prediction;
//   under the threshold rule it is not offered; in the window, the document's budget and
//   overrides change together and one Edit > Undo restores both.
#include "jobrunner.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "runspanel.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/snapshot.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/previewview.h"

#include <QCheckBox>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStyleOptionViewItem>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using mpq::studio::MainWindow;
using mpq::ui::PreviewModel;

namespace {

const QString kSamples = QStringLiteral(MPQ_SAMPLES_DIR);

/// A classifier's Preview on three images of `dir` (float and quantized agree on each).
mpq::ui::PreviewData threeImages(const QString &dir)
{
    auto result = std::make_shared<mpq::EvaluationResult>();
    result->task = mpq::Task::Classification;
    for (const char *name : {"cat.png", "dog.png", "bird.png"}) {
        mpq::ImagePrediction p;
        p.file = (dir + "/" + name).toStdString();
        p.floatProbabilities = p.quantizedProbabilities = {0.2f, 0.7f, 0.1f};
        result->images.push_back(p);
    }
    mpq::ui::PreviewData data;
    data.result = result;
    data.profile.labels = {"dog", "cat", "bird"};
    QImage grey(28, 28, QImage::Format_RGB32);
    grey.fill(QColor(128, 128, 128));
    data.images = {grey, grey, grey};
    data.scales = {1.0, 1.0, 1.0};
    data.setting = QStringLiteral("constructed");
    return data;
}

/// Two evaluated runs that differ on cat.png only (A: cat 91 %, B: dog 55 %).
std::pair<mpq::RunSnapshot, mpq::RunSnapshot> runsDifferingOnCat(const QString &dir)
{
    mpq::RunSnapshot a;
    a.name = "A run";
    a.evaluated = true;
    a.metricName = "top-1";
    a.imageRoot = (dir + "/").toStdString();
    mpq::RunSnapshot b = a;
    b.name = "B run";
    a.predictions["cat.png"] = {1, 0.91f, {}};
    b.predictions["cat.png"] = {0, 0.55f, {}};
    a.predictions["dog.png"] = b.predictions["dog.png"] = {0, 0.8f, {}};
    a.predictions["bird.png"] = b.predictions["bird.png"] = {2, 0.7f, {}};
    return {a, b};
}

mpq::studio::EvaluationRequest noAllocation(std::shared_ptr<const mpq::Model> model,
                                            const QString &setting)
{
    mpq::studio::EvaluationRequest r;
    r.opened.model = std::move(model);
    r.setting = setting;
    return r;
}

int rowOf(const PreviewModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->data(model->index(row), PreviewModel::FileRole).toString().endsWith(name))
            return row;
    return -1;
}

bool near(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) < 12 && std::abs(a.green() - b.green()) < 12 &&
           std::abs(a.blue() - b.blue()) < 12;
}

} // namespace

class TestRunMarks : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpq::OpenedModel m_opened;
    std::shared_ptr<const mpq::Analysis> m_analysis;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toLocal8Bit());
        qputenv("XDG_CACHE_HOME", m_dir.filePath("cache").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath("config"));
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_runmarks"));
        QLocale::setDefault(QLocale::c());
        m_opened.model = std::make_shared<const mpq::Model>(
            mpq::Model::load((kSamples + "/fashion/fashion_resnet.pt").toStdString()));
        m_opened.hasProfile = true;
        m_opened.profile =
            mpq::loadProfile((kSamples + "/fashion/fashion_resnet.profile.json").toStdString());
    }

    void marksFilterClearAndModelChange()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        PreviewModel *model = preview.model();
        controller.setRequest(noAllocation(m_opened.model, "epsilon 1"));
        preview.setPreview(threeImages(m_dir.path()));
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(preview.runMarksText(), QString());
        QVERIFY(!preview.differsBox()->isVisibleTo(&preview));
        const int cat = rowOf(model, "cat.png"), dog = rowOf(model, "dog.png");
        QVERIFY(cat >= 0 && dog >= 0);
        const QColor plain = model->data(model->index(cat), PreviewModel::ThumbnailRole)
                                 .value<QImage>()
                                 .pixelColor(1, 1);

        const auto [a, b] = runsDifferingOnCat(m_dir.path());
        QSignalSpy changed(&controller, &mpq::studio::PreviewController::runDiffChanged);
        controller.setRunDiff(a, b, {"dog", "cat", "bird"});
        QCOMPARE(changed.count(), 1);
        QVERIFY(controller.runDiff());
        QCOMPARE(model->markedCount(), 1);
        QVERIFY(model->data(model->index(cat), PreviewModel::DiffersRole).toBool());
        QVERIFY(!model->data(model->index(dog), PreviewModel::DiffersRole).toBool());
        QCOMPARE(model->data(model->index(cat), PreviewModel::RunDiffRole).toString(),
                 QString("A: cat 91 % → B: dog 55 %"));
        QVERIFY(model->data(model->index(cat), Qt::DisplayRole)
                    .toString()
                    .endsWith("\n≠ A: cat 91 % → B: dog 55 %"));
        QVERIFY(!model->data(model->index(dog), Qt::DisplayRole).toString().contains("≠"));
        QVERIFY(model->data(model->index(cat), Qt::ToolTipRole).toString().contains("A run"));
        // the thumbnail is framed in the mark's colour; the others are not
        const QImage marked =
            model->data(model->index(cat), PreviewModel::ThumbnailRole).value<QImage>();
        QVERIFY(near(marked.pixelColor(1, 1), mpq::ui::runDiffColor()));
        QVERIFY(near(plain, QColor(128, 128, 128)));
        QVERIFY(near(model->data(model->index(dog), PreviewModel::ThumbnailRole)
                         .value<QImage>()
                         .pixelColor(1, 1),
                     QColor(128, 128, 128)));
        // the page names the runs and offers the filter
        QVERIFY2(preview.runMarksText().contains("A run") &&
                     preview.runMarksText().contains("B run") &&
                     preview.runMarksText().contains("1 image") &&
                     preview.runMarksText().contains("of 3 compared"),
                 qPrintable(preview.runMarksText()));
        QVERIFY(preview.differsBox()->isVisibleTo(&preview));
        QVERIFY(preview.clearMarksButton()->isVisibleTo(&preview));
        QCOMPARE(preview.proxy()->rowCount(), 3);
        preview.differsBox()->setChecked(true);
        QCOMPARE(preview.proxy()->rowCount(), 1);
        QCOMPARE(preview.proxy()->index(0, 0).data(PreviewModel::FileRole).toString(),
                 model->data(model->index(cat), PreviewModel::FileRole).toString());
        // with "Only changed" too: cat's float and quantized agree, so nothing
        preview.onlyChangedBox()->setChecked(true);
        QCOMPARE(preview.proxy()->rowCount(), 0);
        preview.onlyChangedBox()->setChecked(false);
        // the caption is laid out to the grid's icon box, not to the smaller thumbnail (112 px
        // here), so the mark's line is neither wrapped nor clipped
        {
            QStyleOptionViewItem option;
            option.initFrom(preview.view());
            option.widget = preview.view();
            option.decorationSize = preview.view()->iconSize();
            option.decorationPosition = QStyleOptionViewItem::Top;
            option.displayAlignment = Qt::AlignHCenter | Qt::AlignBottom;
            option.features |= QStyleOptionViewItem::WrapText | QStyleOptionViewItem::HasDisplay |
                               QStyleOptionViewItem::HasDecoration;
            const QModelIndex shown = preview.proxy()->index(0, 0);
            const QSize hint = preview.view()->itemDelegate()->sizeHint(option, shown);
            const int caption = preview.view()->fontMetrics().horizontalAdvance(
                QStringLiteral("≠ A: cat 91 % → B: dog 55 %"));
            QVERIFY2(hint.width() >= caption,
                     qPrintable(QStringLiteral("%1 < %2").arg(hint.width()).arg(caption)));
        }
        // a new evaluation keeps the marks (matched to its images again)
        preview.setPreview(threeImages(m_dir.path()));
        QCOMPARE(model->markedCount(), 1);
        QCOMPARE(preview.proxy()->rowCount(), 1);

        // Clear: the controller drops the diff, the page follows
        preview.clearMarksButton()->click();
        QVERIFY(!controller.runDiff());
        QCOMPARE(model->markedCount(), 0);
        QCOMPARE(preview.runMarksText(), QString());
        QVERIFY(!preview.differsBox()->isChecked());
        QVERIFY(!preview.differsBox()->isVisibleTo(&preview));
        QCOMPARE(preview.proxy()->rowCount(), 3);
        QVERIFY(!model->data(model->index(cat), Qt::DisplayRole).toString().contains("≠"));

        // the live state as B: flagged once the allocation moves, current again when it returns
        controller.setRunDiff(a, b, {"dog", "cat", "bird"}, true);
        QVERIFY(!preview.runMarksText().contains("Out of date"));
        controller.setRequest(noAllocation(m_opened.model, "epsilon 2"));
        QVERIFY2(preview.runMarksText().contains("Out of date"),
                 qPrintable(preview.runMarksText()));
        QCOMPARE(model->markedCount(), 1); // flagged, still shown
        controller.setRequest(noAllocation(m_opened.model, "epsilon 1"));
        QVERIFY(!preview.runMarksText().contains("Out of date"));

        // another model: the marks go
        auto other = std::make_shared<const mpq::Model>(
            mpq::Model::load((kSamples + "/fashion/fashion_resnet.pt").toStdString()));
        changed.clear();
        controller.setRequest(noAllocation(other, "epsilon 1"));
        QVERIFY(!controller.runDiff());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model->markedCount(), 0);
        QCOMPARE(preview.runMarksText(), QString());
    }

    void detectorCaption()
    {
        // a detector's runs: B lost two of A's boxes on dog.png and added one elsewhere
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setRequest(noAllocation(m_opened.model, "budget 5 %"));
        mpq::ui::PreviewData data = threeImages(m_dir.path());
        auto result = std::make_shared<mpq::EvaluationResult>(*data.result);
        result->task = mpq::Task::Detection;
        data.result = result;
        preview.setPreview(data);
        const auto box = [](float x, int label) {
            mpq::Detection d;
            d.x1 = x;
            d.y1 = 0;
            d.x2 = x + 10;
            d.y2 = 10;
            d.label = label;
            d.score = 0.9f;
            return d;
        };
        auto [a, b] = runsDifferingOnCat(m_dir.path());
        a.task = b.task = mpq::Task::Detection;
        a.predictions.clear();
        b.predictions.clear();
        a.predictions["dog.png"] = {-1, 0.0f, {box(0, 1), box(20, 1), box(40, 2)}};
        b.predictions["dog.png"] = {-1, 0.0f, {box(40, 2), box(80, 1)}};
        a.predictions["cat.png"] = b.predictions["cat.png"] = {-1, 0.0f, {box(0, 1)}};
        controller.setRunDiff(a, b, {"dog", "cat", "bird"});
        const PreviewModel *model = preview.model();
        QCOMPARE(model->markedCount(), 1);
        const int dog = rowOf(model, "dog.png");
        QCOMPARE(model->data(model->index(dog), PreviewModel::RunDiffRole).toString(),
                 QString("A → B: 2 detection(s) lost, 1 added"));
    }

    void marksMatchMovedImagesByRelativePath()
    {
        // the runs evaluated the images elsewhere: matched by the path below the folder
        PreviewModel model;
        model.setPreview(threeImages(m_dir.path() + "/moved/test"));
        mpq::ui::RunMarks marks;
        marks.nameA = "A";
        marks.nameB = "B";
        marks.images.push_back({"dog.png", {"/gone/dog.png"}, "A: dog 80 % → B: cat 60 %"});
        marks.images.push_back({"og.png", {}, "not a file of the preview"});
        model.setRunMarks(marks);
        QCOMPARE(model.markedCount(), 1);
        QVERIFY(
            model.data(model.index(rowOf(&model, "/dog.png")), PreviewModel::DiffersRole).toBool());
        model.setRunMarks({});
        QCOMPARE(model.markedCount(), 0);
    }

    void runsDockMarkButton()
    {
        mpq::studio::RunsPanel panel;
        const auto [a, b] = runsDifferingOnCat(m_dir.path());
        panel.model()->add(a);
        panel.model()->add(b);
        QSignalSpy mark(&panel, &mpq::studio::RunsPanel::markDifferencesRequested);
        QVERIFY(!panel.markButton()->isEnabled()); // nothing selected
        panel.view()->selectionModel()->select(panel.model()->index(0),
                                               QItemSelectionModel::ClearAndSelect);
        QVERIFY(!panel.markButton()->isEnabled()); // against the current state: nothing to pin
        panel.setPinAvailable(true);
        QVERIFY(panel.markButton()->isEnabled());
        panel.markButton()->click();
        QCOMPARE(mark.count(), 1);
        QCOMPARE(mark.last().at(0).toInt(), 0);
        QCOMPARE(mark.last().at(1).toInt(), -1);
        panel.view()->selectAll();
        panel.markButton()->click();
        QCOMPARE(mark.count(), 2);
        QCOMPARE(mark.last().at(0).toInt(), 0);
        QCOMPARE(mark.last().at(1).toInt(), 1);
    }

    void raiseBudgetAndApply()
    {
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 4;
        s.calibCount = 32;
        m_analysis = std::make_shared<const mpq::Analysis>(
            mpq::analyze(*m_opened.model, m_opened.profile,
                         mpq::findImages((kSamples + "/fashion/test").toStdString()), s));

        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(10);
        // what the window holds: the settings, changed by the two targets
        mpq::AllocationSettings settings;
        settings.bits = 4;
        settings.rule = mpq::AllocationRule::Budget;
        settings.budget = 0.02; // a few extra points: flips some images
        const auto requestNow = [&] {
            mpq::studio::EvaluationRequest r;
            r.opened = m_opened;
            r.quantization = std::make_shared<const mpq::Quantization>(
                mpq::reallocate(m_analysis, nullptr, settings));
            r.imagesDir = kSamples + "/fashion/test";
            r.setting = QStringLiteral("budget %1, %2 override(s)")
                            .arg(settings.budget)
                            .arg(settings.overrides.size());
            r.thumbnailSide = 64;
            return r;
        };
        QUndoStack undo;
        controller.setOverrideTarget(
            &undo, [&](const std::string &layer, std::optional<mpq::LayerOverride> o) {
                if (o)
                    settings.overrides[layer] = *o;
                else
                    settings.overrides.erase(layer);
            });
        controller.setRuleTarget([&](const mpq::AllocationSettings &rule) {
            const auto overrides = settings.overrides;
            settings = rule;
            settings.overrides = overrides; // the rule part only, as the window's applyRule
        });
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::previewUpdated);
        QSignalSpy explained(&controller, &mpq::studio::PreviewController::explanationUpdated);
        controller.setRequest(requestNow());
        QVERIFY(updated.wait(120000));
        const mpq::Allocation before = mpq::reallocate(m_analysis, nullptr, settings).allocation;

        const PreviewModel *model = preview.model();
        int flipped = -1;
        for (int row = 0; row < model->rowCount() && flipped < 0; ++row)
            if (model->data(model->index(row), PreviewModel::ChangedRole).toBool())
                flipped = row;
        QVERIFY2(flipped >= 0, "one point per channel at 4 bits flips some image");
        const QString file = model->data(model->index(flipped), PreviewModel::FileRole).toString();
        preview.selectRow(flipped);
        QVERIFY(!preview.raiseBudgetButton()->isVisibleTo(&preview)); // no explanation yet
        preview.explainButton()->click();
        QVERIFY(explained.wait(300000));
        const auto e = controller.explanation();
        QVERIFY(e);
        QCOMPARE(int(e->outcome), int(mpq::ExplainOutcome::Explained));

        // under the budget rule: offered, at the budget plus what the set costs
        QPushButton *raise = preview.raiseBudgetButton();
        QVERIFY(raise->isVisibleTo(&preview));
        QVERIFY(raise->isEnabled());
        const std::optional<double> raised = controller.raisedBudget();
        QVERIFY(raised);
        std::int64_t setCost = 0;
        for (const mpq::LayerAllocation &l : before.layers)
            if (e->overrides.count(l.name))
                setCost += (32 - 4) * l.weights - l.costBits; // float against what it costs now
        QVERIFY(setCost > 0);
        QCOMPARE(*raised, 0.02 + double(setCost) / (4.0 * double(before.allWeights)));
        QVERIFY2(raise->text().contains("Raise the budget"), qPrintable(raise->text()));

        // one step: overrides and budget; undo restores both, redo sets both again
        raise->click();
        QCOMPARE(undo.count(), 1);
        QCOMPARE(settings.budget, *raised);
        QCOMPARE(settings.overrides.size(), e->overrides.size());
        for (const auto &[layer, o] : e->overrides)
            QCOMPARE(int(settings.overrides.at(layer).kind), int(mpq::LayerOverride::Kind::Float));
        QVERIFY(!raise->isEnabled());
        QVERIFY(!preview.applyExplanationButton()->isEnabled());
        QVERIFY(preview.explanationText().contains("budget raised"));
        undo.undo();
        QCOMPARE(settings.budget, 0.02);
        QVERIFY(settings.overrides.empty());
        undo.redo();
        QCOMPARE(settings.budget, *raised);
        QCOMPARE(settings.overrides.size(), e->overrides.size());

        // every other layer keeps its points: the set was paid for on top
        const mpq::Allocation after = mpq::reallocate(m_analysis, nullptr, settings).allocation;
        QCOMPARE(after.layers.size(), before.layers.size());
        int extraPoints = 0; // of the other layers: what plain Apply would have taken from
        for (std::size_t i = 0; i < after.layers.size(); ++i)
            if (!e->overrides.count(after.layers[i].name)) {
                QCOMPARE(after.layers[i].points, before.layers[i].points);
                for (int n : before.layers[i].points)
                    extraPoints += n - 1;
            }
        QVERIFY(extraPoints > 0);

        // the window's allocation changes, the Preview re-evaluates: the image is restored
        updated.clear();
        controller.setRequest(requestNow());
        QVERIFY(updated.wait(120000));
        const int row = rowOf(model, file);
        QVERIFY(row >= 0);
        QVERIFY(!model->data(model->index(row), PreviewModel::ChangedRole).toBool());
        QVERIFY2(preview.explanationText().contains("gives the float prediction again"),
                 qPrintable(preview.explanationText()));

        // under the threshold rule it is not offered (Apply as overrides is)
        settings = mpq::AllocationSettings();
        settings.bits = 4;
        settings.epsilon = 0.2;
        updated.clear();
        controller.setRequest(requestNow());
        QVERIFY(updated.wait(120000));
        int again = -1;
        for (int r = 0; r < model->rowCount() && again < 0; ++r)
            if (model->data(model->index(r), PreviewModel::ChangedRole).toBool())
                again = r;
        QVERIFY(again >= 0);
        preview.selectRow(again);
        explained.clear();
        preview.explainButton()->click();
        QVERIFY(explained.wait(300000));
        QVERIFY(preview.applyExplanationButton()->isEnabled());
        QVERIFY(!preview.raiseBudgetButton()->isVisibleTo(&preview));
        QVERIFY(!controller.raisedBudget());
        controller.explainRunner()->waitForWorkers();
        QCOMPARE(controller.explainRunner()->guiThreadViolations(), 0);
    }

    void raiseBudgetInTheWindow()
    {
        // the window's wiring: the budget goes to the document's rule, the overrides to its
        // overrides, one step on the window's undo stack
        MainWindow w;
        mpq::studio::PreviewController *preview = w.outputs()->previewController();
        preview->setDebounceInterval(10);
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.settingsPanel()->setImagesDir(kSamples + "/fashion/test");
        w.openModel(kSamples + "/fashion/fashion_resnet.pt", kSamples + "/fashion/test");
        QVERIFY(opened.wait(120000));
        QSignalSpy previewed(preview, &mpq::studio::PreviewController::previewUpdated);
        w.workspace()->setCurrentIndex(mpq::studio::WorkspaceTabs::Preview);
        QVERIFY(m_analysis); // raiseBudgetAndApply's, of this model
        w.showAnalysis(m_analysis);
        mpq::AllocationSettings rule = w.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Budget;
        rule.budget = 0.02;
        w.document()->setAllocationRule(rule);
        previewed.clear();
        QVERIFY(previewed.wait(300000));
        mpq::ui::PreviewView *page = w.workspace()->previewView();
        int flipped = -1;
        for (int row = 0; row < page->model()->rowCount() && flipped < 0; ++row)
            if (page->model()->data(page->model()->index(row), PreviewModel::ChangedRole).toBool())
                flipped = row;
        QVERIFY(flipped >= 0);
        page->selectRow(flipped);
        QSignalSpy explained(preview, &mpq::studio::PreviewController::explanationUpdated);
        page->explainButton()->click();
        QVERIFY(explained.wait(300000));
        const std::optional<double> raised = preview->raisedBudget();
        QVERIFY(raised && *raised > 0.02);
        const int steps = w.undoStack()->count();
        page->raiseBudgetButton()->click();
        QCOMPARE(w.undoStack()->count(), steps + 1);
        QCOMPARE(w.document()->allocationSettings().budget, *raised);
        QCOMPARE(w.document()->allocationSettings().overrides.size(),
                 preview->explanation()->overrides.size());
        w.undoStack()->undo();
        QCOMPARE(w.document()->allocationSettings().budget, 0.02);
        QVERIFY(w.document()->allocationSettings().overrides.empty());
        preview->explainRunner()->waitForWorkers();
    }
};

QTEST_MAIN(TestRunMarks)
#include "tst_runmarks.moc"
