// The Settings dock's panel on its own: which controls are enabled for which settings, and what
// they give back (the window's use of them: tst_mainwindow).

#include "settingspanel.h"

#include "mpq/analysis.h"

#include <QCheckBox>
#include <QTest>

class TestSettingsPanel : public QObject
{
    Q_OBJECT
private slots:
    // the Settings dock's "Half-step pair" (docs/multipoint.md section 12): offered with 1-bit
    // extra points only, part of the analysis settings, and an analysis made without it is out
    // of date once it is ticked
    void halfStepPairCheckBox()
    {
        mpq::studio::SettingsPanel panel;
        QCheckBox *box = nullptr;
        for (QCheckBox *b : panel.findChildren<QCheckBox *>())
            if (b->text() == mpq::studio::SettingsPanel::tr("&Half-step pair"))
                box = b;
        QVERIFY(box);
        QVERIFY(!box->toolTip().isEmpty());
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.extraPointBits = 0;
        panel.setAnalysisSettings(s);
        QVERIFY(!box->isEnabled());
        s.extraPointBits = 1;
        panel.setAnalysisSettings(s);
        QVERIFY(box->isEnabled());
        QVERIFY(!panel.analysisSettings().halfStepPair);
        panel.setApplied(panel.analysisSettings(), QString());
        QVERIFY(!panel.isChanged());
        box->click();
        QVERIFY(panel.analysisSettings().halfStepPair);
        QVERIFY(panel.isChanged());
        // 2-bit extra points: the box is off the table, and so is the setting
        s.extraPointBits = 2;
        panel.setAnalysisSettings(s);
        QVERIFY(!box->isEnabled());
        QVERIFY(!panel.analysisSettings().halfStepPair);
        // a saved analysis' setting comes back into the box
        s.extraPointBits = 1;
        s.halfStepPair = true;
        panel.setAnalysisSettings(s);
        QVERIFY(box->isChecked() && box->isEnabled());
        QVERIFY(panel.analysisSettings().halfStepPair);
    }
};

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
