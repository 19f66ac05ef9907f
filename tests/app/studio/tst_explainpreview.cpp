// "Why did this prediction flip" on the Preview page (issue 15), driven by PreviewController on
// the demo classifier: Explain is enabled only on an image whose prediction changed, the result
// shows the layers and 1-minimality, "Apply as overrides" is one undo step that undo reverts, a
// new allocation marks the result out of date, and Cancel ends a running explanation.
#include "jobrunner.h"
#include "previewcontroller.h"

#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/previewview.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

namespace {

const QString kSamples = QStringLiteral(MPQ_SAMPLES_DIR);

mpq::studio::EvaluationRequest request(const mpq::OpenedModel &opened,
                                       std::shared_ptr<const mpq::Analysis> analysis,
                                       double epsilon)
{
    mpq::AllocationSettings a;
    a.bits = 4;
    a.epsilon = epsilon;
    mpq::studio::EvaluationRequest r;
    r.opened = opened;
    r.quantization =
        std::make_shared<const mpq::Quantization>(mpq::reallocate(std::move(analysis), nullptr, a));
    r.imagesDir = kSamples + "/fashion/test";
    r.setting = QStringLiteral("epsilon %1").arg(epsilon);
    r.thumbnailSide = 64;
    return r;
}

} // namespace

class TestExplainPreview : public QObject
{
    Q_OBJECT
    mpq::OpenedModel m_opened;
    std::shared_ptr<const mpq::Analysis> m_analysis;

private slots:
    void initTestCase()
    {
        m_opened.model = std::make_shared<const mpq::Model>(
            mpq::Model::load((kSamples + "/fashion/fashion_resnet.pt").toStdString()));
        m_opened.hasProfile = true;
        m_opened.profile =
            mpq::loadProfile((kSamples + "/fashion/fashion_resnet.profile.json").toStdString());
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 4;
        s.calibCount = 32;
        m_analysis = std::make_shared<const mpq::Analysis>(
            mpq::analyze(*m_opened.model, m_opened.profile,
                         mpq::findImages((kSamples + "/fashion/test").toStdString()), s));
    }

    void explainApplyUndo()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(10);
        QUndoStack undo;
        std::map<std::string, mpq::LayerOverride> overrides; // what the window would hold
        controller.setOverrideTarget(
            &undo, [&overrides](const std::string &layer, std::optional<mpq::LayerOverride> o) {
                if (o)
                    overrides[layer] = *o;
                else
                    overrides.erase(layer);
            });
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::previewUpdated);
        QSignalSpy explained(&controller, &mpq::studio::PreviewController::explanationUpdated);
        controller.setRequest(request(m_opened, m_analysis, 0.2));
        QVERIFY(updated.wait(120000));

        // one image whose prediction changed, one whose did not
        const mpq::ui::PreviewModel *model = preview.model();
        int flipped = -1, same = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            const bool changed =
                model->data(model->index(row), mpq::ui::PreviewModel::ChangedRole).toBool();
            if (changed && flipped < 0)
                flipped = row;
            if (!changed && same < 0)
                same = row;
        }
        QVERIFY2(flipped >= 0 && same >= 0, "epsilon 0.2 at 4 bits flips some, not all");
        QPushButton *explain = preview.explainButton();
        QVERIFY(!explain->isEnabled()); // nothing selected
        QVERIFY(explain->toolTip().contains("Select an image"));
        preview.selectRow(same);
        QVERIFY(!explain->isEnabled());
        QVERIFY(explain->toolTip().contains("same as the float one"));
        preview.selectRow(flipped);
        QCOMPARE(preview.selectedRow(), flipped);
        QVERIFY(explain->isEnabled());
        QVERIFY(!preview.applyExplanationButton()->isEnabled());

        QCOMPARE(preview.explainModeBox()->currentIndex(), 0); // restore to float
        explain->click();
        QVERIFY(!explain->isEnabled()); // while it runs
        QVERIFY(explained.wait(300000));
        const auto e = controller.explanation();
        QVERIFY(e);
        QCOMPARE(int(e->outcome), int(mpq::ExplainOutcome::Explained));
        QVERIFY(!e->layers.empty());
        QVERIFY(e->oneMinimal);
        QVERIFY(preview.explanationText().contains("1-minimal"));
        for (const std::string &layer : e->layers)
            QVERIFY(preview.explanationText().contains(QString::fromStdString(layer)));
        QVERIFY(preview.applyExplanationButton()->isEnabled());
        QVERIFY(explain->isEnabled());

        // another allocation: marked out of date; back to the same one: current again
        controller.setRequest(request(m_opened, m_analysis, 0.3));
        QVERIFY(preview.explanationText().contains("Out of date"));
        controller.setRequest(request(m_opened, m_analysis, 0.2));
        QVERIFY(!preview.explanationText().contains("Out of date"));

        // Apply: one undo step setting every override; undo clears them all
        preview.applyExplanationButton()->click();
        QCOMPARE(undo.count(), 1);
        QCOMPARE(overrides.size(), e->layers.size());
        for (const std::string &layer : e->layers)
            QCOMPARE(int(overrides.at(layer).kind), int(mpq::LayerOverride::Kind::Float));
        QVERIFY(!preview.applyExplanationButton()->isEnabled());
        QVERIFY(preview.explanationText().contains("Applied as overrides"));
        undo.undo();
        QVERIFY(overrides.empty());
        undo.redo();
        QCOMPARE(overrides.size(), e->layers.size());

        // Cancel ends a running explanation at once, and says so
        preview.selectRow(flipped);
        preview.explainModeBox()->setCurrentIndex(1); // add a point
        explained.clear();
        explain->click();
        preview.cancelExplainButton()->click();
        QCOMPARE(explained.count(), 1);
        QVERIFY(!controller.explanation());
        QVERIFY(preview.explanationText().contains("cancelled"));
        QVERIFY(explain->isEnabled());
        controller.explainRunner()->waitForWorkers();
        QCOMPARE(controller.explainRunner()->guiThreadViolations(), 0);
    }
};

QTEST_MAIN(TestExplainPreview)
#include "tst_explainpreview.moc"
