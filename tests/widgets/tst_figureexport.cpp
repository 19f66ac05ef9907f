// Plots to PNG, SVG and PDF and tables to CSV: the files are what they claim to be, and a
// destination that cannot be written gives a message naming it and leaves nothing behind.
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/figureexport.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

class TestFigureExport : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void plots()
    {
        QCustomPlot plot;
        plot.resize(300, 200);
        plot.addGraph()->setData({1, 2, 3}, {3, 1, 2});
        plot.rescaleAxes();
        plot.replot();
        QCOMPARE(mpq::ui::exportPlot(&plot, m_dir.filePath("p.png")), QString());
        const QImage png(m_dir.filePath("p.png"));
        QCOMPARE(png.size(), QSize(600, 400));
        QCOMPARE(mpq::ui::exportPlot(&plot, m_dir.filePath("p.svg")), QString());
        QFile svg(m_dir.filePath("p.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QCOMPARE(mpq::ui::exportPlot(&plot, m_dir.filePath("p.pdf")), QString());
        QFile pdf(m_dir.filePath("p.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(4) == "%PDF");
        QVERIFY(mpq::ui::exportPlot(&plot, m_dir.filePath("p.bmp")).contains(".png, .svg or .pdf"));
        // nothing but the three files (no temporary folders left)
        QCOMPARE(
            QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            (QStringList{"p.pdf", "p.png", "p.svg"}));
    }

    void tables()
    {
        mpq::ui::CompareModel model;
        model.setFigures({{"multipoint", "5 layers, at 5 bits", 4.31, 0.05, 0.9, 0.91}}, "Top-1");
        const QString path = m_dir.filePath("t.csv");
        QCOMPARE(mpq::ui::exportTableCsv(&model, path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("Method,Effective bits,Memory overhead,MAC overhead,Top-1,"));
        QVERIFY2(lines[1].startsWith("Multipoint,") &&
                     lines[1].endsWith(",\"5 layers, at 5 bits\""),
                 lines[1].constData());
    }

    void unwritable()
    {
        QFile blocker(m_dir.filePath("blocker"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QCustomPlot plot;
        mpq::ui::CompareModel model;
        for (const char *name : {"blocker/p.png", "blocker/p.svg"})
            QVERIFY(
                mpq::ui::exportPlot(&plot, m_dir.filePath(name)).startsWith(m_dir.filePath(name)));
        QVERIFY(mpq::ui::exportTableCsv(&model, m_dir.filePath("blocker/t.csv"))
                    .startsWith(m_dir.filePath("blocker/t.csv")));
        QVERIFY(QFileInfo(m_dir.filePath("blocker")).isFile());
    }
};

QTEST_MAIN(TestFigureExport)
#include "tst_figureexport.moc"
