// Hardening of the core against bad data files and destinations: corrupt, empty, lying and
// hostile images, image folders, malformed annotations, and destinations that cannot be written
// or fill up. Each case must end in mpq::Error with the documented code and a message that names
// the file and the problem; nothing may crash or leave a partial file. Image and write cases run
// in a forked child, so that a crash fails one row instead of the suite and the child's peak
// memory can be measured.
#include "badfiles.h"
#include "hardeningfixture.h"

#include "mpq/error.h"
#include "mpq/eval.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <QtTest>

#include <cmath>
#include <functional>

Q_DECLARE_METATYPE(mpq::ErrorCode)

using namespace hardening;

class TestHardeningFiles : public HardeningFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpCase(); }
    void cleanupTestCase() { qInfo("hardening (files): %d bad-input cases run", m_cases); }

    void badImage_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("maxGrowthMb"); // peak memory the attempt may take
        const auto bytes = [](const std::string &s) { return QByteArray::fromStdString(s); };
        const QString undecodable = "cannot decode";
        const QString tooLarge = "more than the limit of 100 megapixels";
        QTest::newRow("zero bytes") << "zero.png" << QByteArray() << "empty file" << 64;
        QTest::newRow("random bytes as png")
            << "random.png" << bytes(badfiles::randomBytes(4000, 3)) << undecodable << 64;
        QTest::newRow("text as jpg")
            << "text.jpg" << QByteArray("this is not an image\n") << undecodable << 64;
        QTest::newRow("model as webp") << "model.webp" << bytes(m_model) << undecodable << 64;
        QTest::newRow("png signature only")
            << "sig.png" << QByteArray("\x89PNG\r\n\x1a\n", 8) << undecodable << 64;
        QTest::newRow("png header 20000x20000")
            << "huge.png" << bytes(badfiles::pngWithHeader(20000, 20000)) << tooLarge << 64;
        QTest::newRow("png header 2^31 x 1")
            << "wide.png" << bytes(badfiles::pngWithHeader(0x7fffffffu, 1)) << tooLarge << 64;
        QTest::newRow("png header 0x0")
            << "nothing.png" << bytes(badfiles::pngWithHeader(0, 0)) << "empty image" << 64;
        // Within the limit, but the data is missing: the decoder may allocate the stated
        // 48 megapixels (144 MB), never more.
        QTest::newRow("png header 8000x6000, no data")
            << "lie.png" << bytes(badfiles::pngWithHeader(8000, 6000)) << undecodable << 400;
        QTest::newRow("jpeg header 60000x60000")
            << "huge.jpg" << bytes(badfiles::jpegWithHeader(60000, 60000)) << tooLarge << 64;
        QTest::newRow("jpeg without end") << "cut.jpg" << bytes(badfiles::jpegWithHeader(64, 64))
                                          << "truncated or corrupt JPEG" << 64;
        QTest::newRow("bmp header 50000x50000")
            << "huge.bmp" << bytes(badfiles::bmpWithHeader(50000, 50000)) << tooLarge << 64;
        QTest::newRow("bmp header 16x16, 16 bytes")
            << "short.bmp" << bytes(badfiles::bmpWithHeader(16, 16)) << undecodable << 64;
        QTest::newRow("folder named .png")
            << "dir.png" << QByteArray() << "not a regular file" << 64;
        QTest::newRow("missing") << "gone.png" << QByteArray() << "no such file" << 64;
    }

    void badImage()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QFETCH(int, maxGrowthMb);
        const QString p = path("images/" + file);
        QVERIFY(QDir().mkpath(path("images")));
        if (file == "dir.png")
            QVERIFY(QDir().mkpath(p));
        else if (file != "gone.png")
            writeBytes(p, bytes.toStdString());
        ++m_cases;
        const mpq::InputSpec spec;
        const ChildOutcome o = inChild([&] { mpq::prepareImage(p.toStdString(), spec); });
        QVERIFY2(o.exited, qPrintable(QString("the reader crashed, signal %1").arg(o.signal)));
        QVERIFY2(o.threw, o.foreign ? o.message.c_str() : "no error for a bad image");
        QCOMPARE(mpq::ErrorCode(o.code), mpq::ErrorCode::BadImage);
        const QString what = QString::fromStdString(o.message);
        QVERIFY2(what.startsWith(p + ": "), qPrintable(what));
        QVERIFY2(what.contains(problem), qPrintable(what));
        QVERIFY2(o.peakGrowthKb < maxGrowthMb * 1024L,
                 qPrintable(QString("peak memory grew by %1 MB").arg(o.peakGrowthKb / 1024)));
    }

    void imageFolder()
    {
        // Non-image files and folders with image names are not listed; a missing folder or a
        // file given as folder is an error naming it.
        ++m_cases;
        const QString dir = path("mixed");
        QVERIFY(QDir().mkpath(dir + "/sub.png"));
        writeBytes(dir + "/notes.txt", "text");
        writeBytes(dir + "/model.pt", m_model);
        writeBytes(dir + "/noext", badfiles::pngWithHeader(4, 4));
        writeBytes(dir + "/a.PNG", badfiles::pngWithHeader(4, 4));
        const std::vector<std::string> found = mpq::findImages(dir.toStdString());
        QCOMPARE(found.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(found[0]).endsWith("a.PNG"));
        expectError([&] { mpq::findImages(path("nothere").toStdString()); },
                    mpq::ErrorCode::BadImage, path("nothere"), "no such folder");
        expectError([&] { mpq::findImages((dir + "/notes.txt").toStdString()); },
                    mpq::ErrorCode::BadImage, dir + "/notes.txt", "not a folder");
    }

    void badAnnotation_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("problem");
        const QByteArray box = "<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax>"
                               "</bndbox>";
        QTest::newRow("empty") << QByteArray() << "not a Pascal VOC annotation";
        QTest::newRow("binary") << QByteArray::fromStdString(badfiles::randomBytes(3000, 4))
                                << "not a Pascal VOC annotation";
        QTest::newRow("object not closed")
            << "<annotation><object><name>cat</name>" + box << "<object> is not closed";
        QTest::newRow("no name") << "<annotation><object>" + box + "</object></annotation>"
                                 << "without <name>";
        QTest::newRow("no bndbox")
            << QByteArray("<annotation><object><name>cat</name></object></annotation>")
            << "without <bndbox>";
        QTest::newRow("xmin text")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>left</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "<xmin> is not a number: 'left'";
        QTest::newRow("xmax nan")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>2"
                          "</ymin><xmax>nan</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "<xmax> is not a number: 'nan'";
        QTest::newRow("ymax inf")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>1e39</ymax></bndbox></object></annotation>")
            << "<ymax> is not a number";
        QTest::newRow("inverted box")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>5</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "xmax < xmin";
    }

    void badAnnotation()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, problem);
        const QString p = path("annotation.xml");
        writeBytes(p, xml.toStdString());
        std::vector<std::string> unknown;
        expectError([&] { mpq::readVocAnnotation(p.toStdString(), {"cat"}, unknown); },
                    mpq::ErrorCode::BadAnnotation, p, problem);
        expectError(
            [&] { mpq::parseVocAnnotation(xml.toStdString(), "in-memory.xml", {"cat"}, unknown); },
            mpq::ErrorCode::BadAnnotation, "in-memory.xml", problem);
    }

    void badAnnotationFile()
    {
        std::vector<std::string> unknown;
        expectError([&] { mpq::readVocAnnotation(path("none.xml").toStdString(), {}, unknown); },
                    mpq::ErrorCode::BadAnnotation, path("none.xml"), "cannot open");
        expectError([&] { mpq::readVocAnnotation(path("folder.pt").toStdString(), {}, unknown); },
                    mpq::ErrorCode::BadAnnotation, path("folder.pt"), "is a folder");
    }

    void unwritableDestination()
    {
        // CI runs as root, so permissions do not stop a write; a parent that is a regular file
        // does, for everyone.
        QTemporaryDir dir;
        writeBytes(dir.filePath("file"), "x");
        const QString target = dir.filePath("file/model.profile.json");
        expectError([&] { mpq::saveProfile(mpq::ModelProfile{}, target.toStdString()); },
                    mpq::ErrorCode::Io, target, "cannot create a temporary file");
        QCOMPARE(entries(dir.path()), QStringList{"file"});
    }

    void fullDestination()
    {
        // A full disk, simulated by the file-size limit: a write past it fails with EFBIG once
        // SIGXFSZ is ignored (the front ends ignore it; by default it kills the process).
        ++m_cases;
        QTemporaryDir dir;
        mpq::ModelProfile profile;
        for (int i = 0; i < 2000; ++i)
            profile.labels.push_back("label number " + std::to_string(i));
        const QString target = dir.filePath("big.profile.json");
        const ChildOutcome o = inChild([&] { mpq::saveProfile(profile, target.toStdString()); },
                                       [] {
                                           signal(SIGXFSZ, SIG_IGN);
                                           struct rlimit limit = {4096, 4096};
                                           setrlimit(RLIMIT_FSIZE, &limit);
                                       });
        QVERIFY2(o.exited, qPrintable(QString("the writer died, signal %1").arg(o.signal)));
        QVERIFY2(o.threw, "no error for a write past the size limit");
        QCOMPARE(mpq::ErrorCode(o.code), mpq::ErrorCode::Io);
        const QString what = QString::fromStdString(o.message);
        QVERIFY2(what.startsWith(target + ": cannot write: File too large"), qPrintable(what));
        QCOMPARE(entries(dir.path()), QStringList{});
    }
};

QTEST_GUILESS_MAIN(TestHardeningFiles)
#include "tst_hardening_files.moc"
