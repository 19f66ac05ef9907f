#pragma once
// Shared by tst_truth and tst_truthcompare (issue 14, "true at every moment", in the window):
// two small classifiers with profiles, calibration and test images and a folder with a broken
// image; every test function its own settings and analysis cache; the window's steps (open,
// analyse, compare, sweep) and the sweep plot's curves.
#include "../../core/testmodels.h"
#include "evaluationjobs.h"
#include "exportdialog.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "settingspanel.h"
#include "timeleft.h"
#include "workspacetabs.h"

#include "mpq/allocation.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/previewview.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

#include <map>
#include <set>

using mpq::studio::MainWindow;

namespace truthtest {

using mpq::studio::MainWindow;

inline void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

inline void writeImages(const QString &dir, int count, int seed)
{
    QVERIFY(QDir().mkpath(dir));
    for (int i = 0; i < count; ++i) {
        QImage img(14, 9, QImage::Format_RGB32);
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                img.setPixel(x, y,
                             qRgb((x * 37 + i * 11 + seed) % 256, (y * 53 + i) % 256,
                                  (x * y + i * 7 + seed * 3) % 256));
        QVERIFY(img.save(QString("%1/%2.png").arg(dir).arg(i)));
    }
}

inline const char *kProfile = R"({"task": "classification", "input": {"width": 12, "height": 10,
    "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}, "output": {"decoder": "logits"}})";

class TruthFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    int m_testIndex = 0;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    void open(MainWindow &w, const QString &model, const QString &images = {})
    {
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 4;
        s.calibCount = 6;
        w.settingsPanel()->setAnalysisSettings(s);
        w.openModel(path(model), images);
        QVERIFY(opened.wait(30000));
    }

    void analyse(MainWindow &w, const QString &model)
    {
        open(w, model, path("images"));
        if (QTest::currentTestFailed())
            return;
        if (!w.document()->analysis()) {
            QSignalSpy finished(&w, &MainWindow::analysisFinished);
            w.analyze();
            QVERIFY(finished.wait(120000));
        }
        QVERIFY(w.document()->allocation());
    }

    static mpq::studio::PreviewController *controller(MainWindow &w)
    {
        return w.outputs()->previewController();
    }

    void compare(MainWindow &w)
    {
        QSignalSpy updated(controller(w), &mpq::studio::PreviewController::compareUpdated);
        controller(w)->runCompare();
        QVERIFY(updated.wait(120000));
    }

    /// Runs the sweep through the Compare page's own controls.
    void sweep(MainWindow &w)
    {
        mpq::ui::CompareView *view = w.workspace()->compareView();
        view->modeBox()->setCurrentIndex(mpq::ui::CompareView::Sweep);
        QCOMPARE(view->runButton()->text(), QString("Run sweep"));
        QSignalSpy updated(controller(w), &mpq::studio::PreviewController::sweepUpdated);
        view->runButton()->click();
        QVERIFY(view->isRunning(mpq::ui::CompareView::Sweep));
        QVERIFY(updated.wait(120000));
        QVERIFY(!view->isRunning(mpq::ui::CompareView::Sweep));
    }

    /// The curve (or single point) of a method on the sweep plot, by its legend name.
    static QCPCurve *curveOf(QCustomPlot *plot, const QString &method)
    {
        for (int i = 0; i < plot->plottableCount(); ++i)
            if (auto *c = qobject_cast<QCPCurve *>(plot->plottable(i));
                c && c->name().startsWith(mpq::ui::methodTitle(method)) &&
                (c->name() == mpq::ui::methodTitle(method) ||
                 c->name().startsWith(mpq::ui::methodTitle(method) + " (")))
                return c;
        return nullptr;
    }

    /// What initTestCase does: the models, images and settings of every test function.
    void setUpCase(const char *application)
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", path("data").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QString::fromLatin1(application));
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 1);
        writeFile(path("conv.profile.json"), kProfile);
        mpqtest::saveConvNet(path("other.pt").toStdString(), 2);
        writeFile(path("other.profile.json"), kProfile);
        writeImages(path("images"), 6, 0);
        writeImages(path("test"), 4, 5);
        QVERIFY(QDir().mkpath(path("broken")));
        writeFile(path("broken/bad.png"), "not an image at all");
    }

    /// What init does: every test function its own settings and analysis cache.
    void setUpTest()
    {
        ++m_testIndex;
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           path(QStringLiteral("config-%1").arg(m_testIndex)));
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache-%1").arg(m_testIndex)).toLocal8Bit());
    }
};

} // namespace truthtest
