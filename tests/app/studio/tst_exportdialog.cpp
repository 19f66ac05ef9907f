// The Export dialog on a small model: every format written in the background, reloaded and
// matching the in-app quantized model; a destination that cannot be written shows the error and
// leaves nothing behind.
#include "../../core/testmodels.h"

#include "exportdialog.h"

#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"

#include "testimages.h"
#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <QtTest>

class TestExportDialog : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpq::studio::ExportRequest m_request;
    std::vector<std::string> m_images;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(path("images"), 6, 14, 12, 3));
        m_images = mpq::findImages(path("images").toStdString());
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 4);
        auto model =
            std::make_shared<const mpq::Model>(mpq::Model::load(path("conv.pt").toStdString()));
        mpq::ModelProfile profile;
        profile.input.width = 12;
        profile.input.height = 10;
        profile.input.mean.assign(3, 0.5);
        profile.input.std.assign(3, 0.25);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        auto analysis =
            std::make_shared<const mpq::Analysis>(mpq::analyze(*model, profile, m_images, s));
        mpq::AllocationSettings a;
        a.bits = 3;
        a.epsilon = 1e-3;
        m_request.opened.model = model;
        m_request.opened.hasProfile = true;
        m_request.opened.profile = profile;
        m_request.quantization =
            std::make_shared<const mpq::Quantization>(mpq::reallocate(analysis, nullptr, a));
        m_request.baseName = "conv-mpq";
        m_request.toolVersion = "test";
    }

    void exportsEveryFormat()
    {
        mpq::studio::ExportDialog dialog(m_request);
        dialog.setFolder(path("out"));
        dialog.setFormats(mpq::studio::FakeQuantFormat | mpq::studio::ExpandedFormat |
                          mpq::studio::PackageFormat | mpq::studio::ReportFormat);
        QSignalSpy finished(&dialog, &mpq::studio::ExportDialog::finished);
        dialog.startExport();
        QVERIFY(dialog.isRunning());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY2(!dialog.failed(), qPrintable(dialog.resultText()));
        const auto &files = dialog.summary().files;
        QCOMPARE(files.size(), size_t(5));
        for (const auto &f : files) {
            QVERIFY2(QFileInfo::exists(f.path), qPrintable(f.path));
            QVERIFY(f.bytes > 0);
            QVERIFY(dialog.resultText().contains(QFileInfo(f.path).fileName()));
        }
        QVERIFY(dialog.summary().verified);
        QVERIFY(dialog.summary().maxRelativeDifference <= 1e-5);
        QVERIFY(dialog.resultText().contains("Verification passed"));
        // both TorchScript files reload and compute what the in-app quantized model computes
        std::vector<mpq::PreparedImage> batch;
        for (const std::string &f : m_images)
            batch.push_back(mpq::prepareImage(f, m_request.opened.profile.input));
        mpq::ModelRunner inApp =
            mpq::quantizedRunner(*m_request.opened.model, *m_request.quantization->analysis,
                                 m_request.quantization->allocation, {});
        const std::vector<mpq::OutputTensor> expected = inApp.run(batch);
        for (const char *name : {"out/conv-mpq.pt", "out/conv-mpq-expanded.pt"}) {
            mpq::ModelRunner reloaded = mpq::loadRunner(path(name).toStdString());
            const std::vector<mpq::OutputTensor> got = reloaded.run(batch);
            QCOMPARE(got.size(), expected.size());
            for (std::size_t k = 0; k < got[0].data.size(); ++k)
                QVERIFY(std::abs(got[0].data[k] - expected[0].data[k]) <=
                        1e-5f * (1.0f + std::abs(expected[0].data[k])));
        }
        QVERIFY(QFileInfo(path("out/conv-mpq-package/manifest.json")).isFile());
    }

    void unwritableDestination()
    {
        QFile blocker(path("blocker"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.write("a file, not a folder");
        blocker.close();
        mpq::studio::ExportDialog dialog(m_request);
        dialog.setFolder(path("blocker/out"));
        dialog.setFormats(mpq::studio::FakeQuantFormat | mpq::studio::ReportFormat);
        QSignalSpy finished(&dialog, &mpq::studio::ExportDialog::finished);
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(dialog.failed());
        QVERIFY2(dialog.resultText().contains("The export failed"),
                 qPrintable(dialog.resultText()));
        QVERIFY2(dialog.resultText().contains("blocker"), qPrintable(dialog.resultText()));
        QVERIFY(QFileInfo(path("blocker")).isFile());
        QCOMPARE(QDir(m_dir.path()).entryList({"blocker*"}, QDir::AllEntries | QDir::Hidden).size(),
                 1);
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
