// The Export dialog's ONNX formats (docs/onnx.md section 5): offered only for an ONNX source;
// for one, both files are written in the background, verified, and listed with their notes.
// Also the profile form's Layout choice for an NHWC ONNX model (docs/onnx.md).
#include "exportdialog.h"
#include "profiledialog.h"

#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

namespace {
const std::string kData = MPQ_TEST_DATA_DIR "/onnx/";
}

class TestOnnxExportDialog : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;

    mpq::studio::ExportRequest request(const std::string &model)
    {
        mpq::studio::ExportRequest r;
        r.opened.path = model;
        r.opened.model = std::make_shared<const mpq::Model>(mpq::Model::load(model));
        r.opened.hasProfile = true;
        r.opened.profile.input.width = 32;
        r.opened.profile.input.height = 32;
        r.opened.profile.input.mean.assign(3, 0.5);
        r.opened.profile.input.std.assign(3, 0.25);
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        auto analysis = std::make_shared<const mpq::Analysis>(
            mpq::analyze(*r.opened.model, r.opened.profile, m_images, s));
        mpq::AllocationSettings a;
        a.bits = 4;
        a.epsilon = 1e-3;
        r.quantization =
            std::make_shared<const mpq::Quantization>(mpq::reallocate(analysis, nullptr, a));
        r.baseName = "m";
        r.toolVersion = "test";
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::mt19937 rng(3);
        QDir().mkpath(m_dir.filePath("images"));
        for (int i = 0; i < 3; ++i) {
            QImage img(40, 36, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(m_dir.filePath(QString("images/%1.png").arg(i))));
        }
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
    }

    void onnxFormatsOnlyForOnnxSources()
    {
        mpq::studio::ExportDialog dialog(request(kData + "cnn_bn.pt"));
        int onnxBoxes = 0;
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
            if (box->text().contains("ONNX")) {
                ++onnxBoxes;
                QVERIFY(!box->isEnabled());
            }
        QCOMPARE(onnxBoxes, 2);
        dialog.setFormats(mpq::studio::OnnxQdqFormat | mpq::studio::ReportFormat);
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
            if (box->text().contains("ONNX"))
                QVERIFY(!box->isChecked());
    }

    // The model says whether it came from ONNX, not the file's extension: an ONNX file under
    // another name is offered the ONNX formats (it was not, when the extension decided).
    void onnxFormatsFromTheModelNotTheExtension()
    {
        const QString renamed = m_dir.filePath("cnn_bn.model");
        QFile::remove(renamed);
        QVERIFY(QFile::copy(QString::fromStdString(kData + "cnn_bn.onnx"), renamed));
        mpq::studio::ExportDialog dialog(request(renamed.toStdString()));
        int enabled = 0;
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
            if (box->text().contains("ONNX") && box->isEnabled())
                ++enabled;
        QCOMPARE(enabled, 2);
    }

    // The profile form's Layout choice (docs/onnx.md, NHWC inputs): the guess for an NHWC
    // ONNX model shows NHWC and its size, and the profile it saves says "nhwc".
    void profileFormLayout()
    {
        const mpq::Model model = mpq::Model::load(kData + "nhwc.onnx");
        const QString modelPath = m_dir.filePath("nhwc.onnx");
        mpq::studio::ProfileDialog dialog(modelPath, mpq::studio::ProfileDialog::guess(model));
        QComboBox *layout = nullptr;
        for (QComboBox *box : dialog.findChildren<QComboBox *>())
            if (box->findData(int(mpq::InputLayout::Nhwc)) >= 0 &&
                box->itemText(0).contains("NCHW"))
                layout = box;
        QVERIFY(layout);
        QCOMPARE(layout->currentData().toInt(), int(mpq::InputLayout::Nhwc));
        mpq::ModelProfile p = dialog.profile();
        QCOMPARE(int(p.input.layout), int(mpq::InputLayout::Nhwc));
        QCOMPARE(p.input.width, 32);
        QCOMPARE(p.labels.size(), std::size_t(10));
        layout->setCurrentIndex(layout->findData(int(mpq::InputLayout::Nchw)));
        QCOMPARE(int(dialog.profile().input.layout), int(mpq::InputLayout::Nchw));
        layout->setCurrentIndex(layout->findData(int(mpq::InputLayout::Nhwc)));
        dialog.accept();
        QVERIFY(QFile::exists(dialog.profilePath()));
        QCOMPARE(int(mpq::loadProfile(dialog.profilePath().toStdString()).input.layout),
                 int(mpq::InputLayout::Nhwc));
    }

    void writesBothOnnxFormats()
    {
        mpq::studio::ExportDialog dialog(request(kData + "cnn_bn.onnx"));
        dialog.setFolder(m_dir.filePath("out"));
        dialog.setFormats(mpq::studio::OnnxFakeQuantFormat | mpq::studio::OnnxQdqFormat);
        QSignalSpy finished(&dialog, &mpq::studio::ExportDialog::finished);
        dialog.startExport();
        QVERIFY(finished.wait(120000));
        QVERIFY2(!dialog.failed(), qPrintable(dialog.resultText()));
        const auto &files = dialog.summary().files;
        QCOMPARE(files.size(), std::size_t(2));
        QVERIFY(files[0].path.endsWith("m-fakequant.onnx"));
        QVERIFY(files[1].path.endsWith("m-qdq.onnx"));
        for (const auto &f : files) {
            QVERIFY(QFileInfo(f.path).size() > 0);
            QVERIFY2(f.note.contains("verified on 3 images"), qPrintable(f.note));
        }
        QVERIFY(files[1].note.contains("MACs"));
        QVERIFY(dialog.summary().verified);
        QVERIFY(dialog.summary().maxRelativeDifference <= mpq::kVerifyTolerance);
    }
};

QTEST_MAIN(TestOnnxExportDialog)
#include "tst_onnxexportdialog.moc"
