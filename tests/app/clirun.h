#pragma once
// Shared by the tests that run the mpq command-line tool as a user runs it: one run of mpq with
// its exit code and output, JSON and file helpers, and the small classifier they run it on.
#include "../core/testmodels.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace clitest {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline Run mpq(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MPQ_CLI_PATH), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

inline void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

/// In `dir`: conv.pt (mpqtest::saveConvNet, seed 1), its profile conv.profile.json (a 12x10
/// classifier reading logits), and images/0.png .. images/<count-1>.png (14x9 patterns).
inline void writeConvClassifier(const QDir &dir, int count)
{
    mpqtest::saveConvNet(dir.filePath("conv.pt").toStdString(), 1);
    writeFile(
        dir.filePath("conv.profile.json"),
        R"({"task": "classification", "input": {"width": 12, "height": 10, "mean": [0.5, 0.5, 0.5],
                      "std": [0.25, 0.25, 0.25]}, "output": {"decoder": "logits"}})");
    QVERIFY(dir.mkpath("images"));
    for (int i = 0; i < count; ++i) {
        QImage img(14, 9, QImage::Format_RGB32);
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                img.setPixel(
                    x, y, qRgb((x * 37 + i * 11) % 256, (y * 53 + i) % 256, (x * y + i * 7) % 256));
        QVERIFY(img.save(dir.filePath(QString("images/%1.png").arg(i))));
    }
}

/// A suite's temporary folder with the small classifier in it (writeConvClassifier) and, with
/// `broken`, an unreadable image among its images.
class CliFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// What initTestCase does.
    void setUpClassifier(int count, bool broken)
    {
        QVERIFY(m_dir.isValid());
        writeConvClassifier(QDir(m_dir.path()), count);
        if (broken)
            writeFile(path("images/broken.jpg"), "not an image");
    }
};

} // namespace clitest
