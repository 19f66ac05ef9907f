// Image discovery, seeded choice, preparation (colour order, resize modes, transform) checked
// against a plain per-pixel reference, coordinate mapping, and broken or hostile files.
// OpenCV headers come before any Qt header (Qt's keyword macros clash with them).
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "mpq/error.h"
#include "mpq/images.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace {

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QFileInfo(path).dir().mkpath("."));
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

mpq::InputSpec spec(int w, int h, mpq::ColorOrder color, mpq::ResizeMode mode)
{
    mpq::InputSpec s;
    s.width = w;
    s.height = h;
    s.color = color;
    s.channels = color == mpq::ColorOrder::Gray ? 1 : 3;
    s.scale = 0.5;
    s.mean.assign(s.channels, 0.0);
    s.std.assign(s.channels, 1.0);
    const double means[] = {1, 2, 3}, stds[] = {2, 4, 8};
    for (int c = 0; c < s.channels; ++c) {
        s.mean[c] = means[c];
        s.std[c] = stds[c];
    }
    s.resize = mode;
    return s;
}

/// A w x h BGR image, every byte distinct; gray (equal channels) when asked, so that the
/// BGR -> gray conversion is exact.
cv::Mat pattern(int w, int h, bool grayValues = false)
{
    cv::Mat m(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                m.at<cv::Vec3b>(y, x)[c] =
                    std::uint8_t(grayValues ? 7 + 9 * (y * w + x) : 10 + 7 * ((y * w + x) * 3 + c));
    return m;
}

float transformed(const mpq::InputSpec &s, int c, int v)
{
    return float((v * s.scale - s.mean[c]) / s.std[c]);
}

/// Compares a prepared image with the reference: model pixel (x, y) shows source pixel
/// (x - offX, y - offY), or 0 outside the source, channels reordered per the spec.
void checkShifted(const mpq::PreparedImage &p, const cv::Mat &src, const mpq::InputSpec &s,
                  int offX, int offY)
{
    QCOMPARE(p.channels, s.channels);
    QCOMPARE(p.width, s.width);
    QCOMPARE(p.height, s.height);
    QCOMPARE(p.data.size(), std::size_t(s.channels) * s.width * s.height);
    for (int c = 0; c < s.channels; ++c)
        for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
                const int sx = x - offX, sy = y - offY;
                int v = 0;
                if (sx >= 0 && sy >= 0 && sx < src.cols && sy < src.rows) {
                    const std::uint8_t *px = src.ptr<std::uint8_t>(sy) + sx * src.channels();
                    const int bgr = s.color == mpq::ColorOrder::Rgb ? 2 - c : c;
                    v = src.channels() == 1 ? px[0] : px[bgr]; // gray: all channels equal
                }
                const float got = p.data[(std::size_t(c) * s.height + y) * s.width + x];
                if (got != transformed(s, c, v))
                    QFAIL(qPrintable(QString("channel %1, (%2, %3): got %4, expected %5 (pixel %6)")
                                         .arg(c)
                                         .arg(x)
                                         .arg(y)
                                         .arg(got)
                                         .arg(transformed(s, c, v))
                                         .arg(v)));
            }
}

mpq::PreparedImage prepareMat(const cv::Mat &m, const mpq::InputSpec &s)
{
    return mpq::prepareImage(m.data, m.rows, m.cols, m.channels(), m.step[0], s);
}

quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (char ch : bytes) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray be32(quint32 v)
{
    return QByteArray(1, char(v >> 24)) + char(v >> 16) + char(v >> 8) + char(v);
}

QByteArray le32(quint32 v)
{
    return QByteArray(1, char(v)) + char(v >> 8) + char(v >> 16) + char(v >> 24);
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return be32(quint32(data.size())) + type + data + be32(crc32(type + data));
}

/// A PNG claiming w x h RGB pixels with a valid but tiny image data stream (a stored zlib
/// block of 5 zero bytes). Without a header check OpenCV 4.6 allocates the whole w x h image
/// (1.2 GB for 20000 x 20000) before libpng finds the data short.
QByteArray hugePng(quint32 w, quint32 h)
{
    const QByteArray ihdr = be32(w) + be32(h) + QByteArray("\x08\x02\x00\x00\x00", 5);
    const QByteArray zlib("\x78\x01\x01\x05\x00\xfa\xff\x00\x00\x00\x00\x00\x00\x05\x00\x01", 16);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", zlib) +
           pngChunk("IEND", {});
}

QByteArray encoded(const cv::Mat &m, const char *ext, std::vector<int> params = {})
{
    std::vector<std::uint8_t> buf;
    if (!cv::imencode(ext, m, buf, params))
        return {};
    return QByteArray(reinterpret_cast<const char *>(buf.data()), int(buf.size()));
}

} // namespace

Q_DECLARE_METATYPE(mpq::ColorOrder)
Q_DECLARE_METATYPE(mpq::ResizeMode)

class TestImages : public QObject
{
    Q_OBJECT
private slots:
    void findImagesRecursiveSortedFiltered()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QStringList images = {
            "b.png",      "A.JPG",     "sub/c.jpeg",        "sub/deeper/d.Bmp",
            "sub/e.webp", "z/y/x.PnG", "dir.png/inside.jpg"};
        const QStringList others = {"notes.txt", "a.png.bak", "f.gif", "g.tiff", "png", "h.jpe"};
        for (const QString &f : images + others)
            writeBytes(tmp.filePath(f), "x");
        QVERIFY(QDir(tmp.path()).mkpath("empty/folder.jpg")); // a folder, not a file

        std::vector<std::string> expected;
        for (const QString &f : images)
            expected.push_back(tmp.filePath(f).toStdString());
        std::sort(expected.begin(), expected.end());
        const std::vector<std::string> found = mpq::findImages(tmp.path().toStdString());
        QCOMPARE(found, expected);
        QVERIFY(std::is_sorted(found.begin(), found.end()));
        // the byte order of paths: upper case first, folders interleaved by name
        QVERIFY(found.front().find("A.JPG") != std::string::npos);
    }

    void findImagesErrors()
    {
        QTemporaryDir tmp;
        const std::string missing = tmp.filePath("no-such-folder").toStdString();
        const std::string file = tmp.filePath("file.png").toStdString();
        writeBytes(QString::fromStdString(file), "x");
        for (const std::string &dir : {missing, file}) {
            try {
                mpq::findImages(dir);
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::BadImage);
                QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(dir) + ": "),
                         e.what());
            }
        }
        QVERIFY(mpq::findImages(tmp.filePath("").toStdString()).size() == 1);
    }

    void chooseImagesSeeded()
    {
        std::vector<std::string> files;
        for (int i = 0; i < 50; ++i)
            files.push_back("img" + std::to_string(1000 + i) + ".png");
        const auto a = mpq::chooseImages(files, 10, 7);
        QCOMPARE(a.size(), std::size_t(10));
        QCOMPARE(mpq::chooseImages(files, 10, 7), a);
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        QCOMPARE(std::set<std::string>(a.begin(), a.end()).size(), a.size());
        for (const auto &f : a)
            QVERIFY(std::find(files.begin(), files.end(), f) != files.end());
        QVERIFY(mpq::chooseImages(files, 10, 8) != a);
        QVERIFY(mpq::chooseImages(files, 10, 0) != a);

        // the listing order does not matter, only the set of files
        std::vector<std::string> shuffled = files;
        std::reverse(shuffled.begin(), shuffled.end());
        QCOMPARE(mpq::chooseImages(shuffled, 10, 7), a);

        // no more files than asked for: all of them, sorted
        QCOMPARE(mpq::chooseImages(shuffled, 50, 3), files);
        QCOMPARE(mpq::chooseImages(shuffled, 80, 3), files);
        QVERIFY(mpq::chooseImages(files, 0, 3).empty());
        QVERIFY(mpq::chooseImages({}, 5, 3).empty());
        QVERIFY_THROWS_EXCEPTION(mpq::Error, mpq::chooseImages(files, -1, 3));

        // mt19937_64 and the rejection sampler are fully specified, so this choice is the same
        // with every compiler and standard library (value from an independent Python
        // implementation of both, checked against the standard's 10000th mt19937_64 output)
        QCOMPARE(mpq::chooseImages(files, 3, 42),
                 (std::vector<std::string>{"img1006.png", "img1012.png", "img1039.png"}));
    }

    void chooseImagesUniform()
    {
        // one of four files over 4000 seeds: each about 1000 times (binomial sd ~27)
        const std::vector<std::string> files = {"a", "b", "c", "d"};
        std::map<std::string, int> hits;
        for (std::uint64_t seed = 0; seed < 4000; ++seed)
            ++hits[mpq::chooseImages(files, 1, seed).at(0)];
        for (const auto &f : files)
            QVERIFY2(hits[f] > 880 && hits[f] < 1120, f.c_str());
    }

    void prepareExact_data()
    {
        QTest::addColumn<int>("srcW");
        QTest::addColumn<int>("srcH");
        QTest::addColumn<int>("srcChannels");
        QTest::addColumn<int>("dstW");
        QTest::addColumn<int>("dstH");
        QTest::addColumn<mpq::ColorOrder>("color");
        QTest::addColumn<mpq::ResizeMode>("mode");
        QTest::addColumn<int>("offX"); // where the source's top-left pixel lands
        QTest::addColumn<int>("offY");
        using C = mpq::ColorOrder;
        using R = mpq::ResizeMode;
        // sizes chosen so that no resampling happens: every value is known exactly
        QTest::newRow("stretch rgb") << 4 << 2 << 3 << 4 << 2 << C::Rgb << R::Stretch << 0 << 0;
        QTest::newRow("stretch bgr") << 4 << 2 << 3 << 4 << 2 << C::Bgr << R::Stretch << 0 << 0;
        QTest::newRow("stretch gray") << 4 << 2 << 3 << 4 << 2 << C::Gray << R::Stretch << 0 << 0;
        QTest::newRow("letterbox 4x2 in 4x4 rgb")
            << 4 << 2 << 3 << 4 << 4 << C::Rgb << R::Letterbox << 0 << 1;
        QTest::newRow("letterbox 4x2 in 4x4 bgr")
            << 4 << 2 << 3 << 4 << 4 << C::Bgr << R::Letterbox << 0 << 1;
        QTest::newRow("letterbox 2x4 in 4x4 gray")
            << 2 << 4 << 3 << 4 << 4 << C::Gray << R::Letterbox << 1 << 0;
        QTest::newRow("letterbox odd padding") // remainder to the bottom
            << 4 << 1 << 3 << 4 << 4 << C::Rgb << R::Letterbox << 0 << 1;
        QTest::newRow("center-crop wide")
            << 8 << 4 << 3 << 4 << 4 << C::Rgb << R::CenterCrop << -2 << 0;
        QTest::newRow("center-crop tall gray")
            << 2 << 6 << 3 << 2 << 2 << C::Gray << R::CenterCrop << 0 << -2;
        QTest::newRow("gray source to rgb")
            << 4 << 2 << 1 << 4 << 4 << C::Rgb << R::Letterbox << 0 << 1;
        QTest::newRow("gray source to gray")
            << 4 << 2 << 1 << 4 << 2 << C::Gray << R::Stretch << 0 << 0;
        QTest::newRow("bgra source to rgb") // alpha dropped
            << 4 << 2 << 4 << 4 << 4 << C::Rgb << R::Letterbox << 0 << 1;
        QTest::newRow("bgra source to gray")
            << 4 << 2 << 4 << 6 << 2 << C::Gray << R::Letterbox << 1 << 0;
    }
    void prepareExact()
    {
        QFETCH(int, srcW);
        QFETCH(int, srcH);
        QFETCH(int, srcChannels);
        QFETCH(int, dstW);
        QFETCH(int, dstH);
        QFETCH(mpq::ColorOrder, color);
        QFETCH(mpq::ResizeMode, mode);
        QFETCH(int, offX);
        QFETCH(int, offY);
        const bool grayOut = color == mpq::ColorOrder::Gray;
        cv::Mat bgr = pattern(srcW, srcH, grayOut), src;
        if (srcChannels == 1)
            cv::extractChannel(bgr, src, 0);
        else if (srcChannels == 4) {
            std::vector<cv::Mat> planes;
            cv::split(bgr, planes);
            planes.push_back(cv::Mat(srcH, srcW, CV_8U, cv::Scalar(77)));
            cv::merge(planes, src);
        } else
            src = bgr;
        const mpq::InputSpec s = spec(dstW, dstH, color, mode);
        const cv::Mat before = src.clone();
        const mpq::PreparedImage p = prepareMat(src, s);
        QVERIFY2(cv::norm(src, before, cv::NORM_INF) == 0, "the source image was changed");
        // a gray source is its own reference; BGRA is compared with its BGR part
        checkShifted(p, srcChannels == 1 ? src : bgr, s, offX, offY);
        QCOMPARE(p.originalWidth, srcW);
        QCOMPARE(p.originalHeight, srcH);
        QCOMPARE(p.offsetX, double(offX));
        QCOMPARE(p.offsetY, double(offY));
        QCOMPARE(p.scaleX, 1.0);
        QCOMPARE(p.scaleY, 1.0);
    }

    void prepareStride()
    {
        // a view into a larger image: rows are further apart than their width
        const cv::Mat big = pattern(7, 5);
        const cv::Mat roi = big(cv::Rect(2, 1, 4, 3));
        const mpq::InputSpec s = spec(4, 3, mpq::ColorOrder::Bgr, mpq::ResizeMode::Stretch);
        const mpq::PreparedImage p = prepareMat(roi, s);
        checkShifted(p, roi.clone(), s, 0, 0);
        QVERIFY_THROWS_EXCEPTION(mpq::Error, mpq::prepareImage(roi.data, 3, 4, 3, 11, s));
        QVERIFY_THROWS_EXCEPTION(mpq::Error, mpq::prepareImage(roi.data, 3, 4, 2, 100, s));
        QVERIFY_THROWS_EXCEPTION(mpq::Error, mpq::prepareImage(nullptr, 3, 4, 3, 100, s));
        mpq::InputSpec bad = s;
        bad.std = {1, 0, 1};
        QVERIFY_THROWS_EXCEPTION(mpq::Error, prepareMat(roi, bad));
    }

    void centerCropExtremeAspect()
    {
        const mpq::InputSpec s = spec(224, 224, mpq::ColorOrder::Rgb, mpq::ResizeMode::CenterCrop);
        // 1000 x 10 scales to 22400 x 224 before the crop: fine
        const cv::Mat banner(10, 1000, CV_8UC3, cv::Scalar(9, 9, 9));
        const mpq::PreparedImage p = prepareMat(banner, s);
        QCOMPARE(p.data.front(), transformed(s, 0, 9));
        QCOMPARE(p.data.back(), transformed(s, 2, 9));
        // 4000 x 1 would scale to 896000 x 224 (200 megapixels): refused, not allocated
        const cv::Mat line(1, 4000, CV_8UC3, cv::Scalar(9, 9, 9));
        try {
            prepareMat(line, s);
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadImage);
            QVERIFY2(QString(e.what()).contains("4000 x 1 image to over 100 megapixels"), e.what());
        }
        // letterbox and stretch never exceed the input size
        QCOMPARE(prepareMat(line, spec(224, 224, mpq::ColorOrder::Rgb, mpq::ResizeMode::Letterbox))
                     .data.size(),
                 std::size_t(3 * 224 * 224));
    }

    void prepareResampled()
    {
        // stretch 2x1 -> 4x1, bilinear with pixel centres aligned (half-pixel): 0 25 75 100
        const cv::Mat line = (cv::Mat_<std::uint8_t>(1, 2) << 0, 100);
        mpq::InputSpec s = spec(4, 1, mpq::ColorOrder::Gray, mpq::ResizeMode::Stretch);
        s.scale = 1.0;
        s.mean = {0};
        s.std = {1};
        const mpq::PreparedImage up = prepareMat(line, s);
        QCOMPARE(up.data, (std::vector<float>{0, 25, 75, 100}));
        QCOMPARE(up.scaleX, 2.0);
        QCOMPARE(up.scaleY, 1.0);

        // letterbox 8x4 (uniform 2x2 blocks) into 4x4: halved, rows 0 and 3 padding
        cv::Mat blocks(4, 8, CV_8U);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 8; ++x)
                blocks.at<std::uint8_t>(y, x) = std::uint8_t(20 + 30 * ((y / 2) * 4 + x / 2));
        s.width = 4;
        s.height = 4;
        s.resize = mpq::ResizeMode::Letterbox;
        s.mean = {10};
        s.std = {2};
        const mpq::PreparedImage down = prepareMat(blocks, s);
        std::vector<float> expected(16, -5.0f); // (0 - 10) / 2
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 4; ++x)
                expected[(y + 1) * 4 + x] = float((20 + 30 * (y * 4 + x) - 10) / 2.0);
        QCOMPARE(down.data, expected);
        QCOMPARE(down.scaleX, 0.5);
        QCOMPARE(down.offsetY, 1.0);
    }

    void toOriginalCorners_data()
    {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("W");
        QTest::addColumn<int>("H");
        QTest::addColumn<mpq::ResizeMode>("mode");
        // the model-input rectangle covered by the whole resized image (worked out by hand)
        QTest::addColumn<QRectF>("content");
        using R = mpq::ResizeMode;
        QTest::newRow("stretch") << 640 << 480 << 512 << 512 << R::Stretch
                                 << QRectF(0, 0, 512, 512);
        QTest::newRow("stretch up") << 20 << 10 << 28 << 28 << R::Stretch << QRectF(0, 0, 28, 28);
        QTest::newRow("letterbox landscape")
            << 640 << 480 << 512 << 512 << R::Letterbox << QRectF(0, 64, 512, 384);
        QTest::newRow("letterbox portrait")
            << 480 << 640 << 512 << 512 << R::Letterbox << QRectF(64, 0, 384, 512);
        // 100x30 * 0.64 = 64 x 19.2 -> 64 x 19, padding 45 = 22 + 23
        QTest::newRow("letterbox rounded")
            << 100 << 30 << 64 << 64 << R::Letterbox << QRectF(0, 22, 64, 19);
        QTest::newRow("letterbox up")
            << 10 << 20 << 640 << 640 << R::Letterbox << QRectF(160, 0, 320, 640);
        // 640x480 * 224/480 = 298.67 x 224 -> 299 x 224, cropped from x = 37
        QTest::newRow("center-crop landscape")
            << 640 << 480 << 224 << 224 << R::CenterCrop << QRectF(-37, 0, 299, 224);
        QTest::newRow("center-crop portrait")
            << 480 << 640 << 224 << 224 << R::CenterCrop << QRectF(0, -37, 224, 299);
        QTest::newRow("center-crop square")
            << 300 << 300 << 224 << 224 << R::CenterCrop << QRectF(0, 0, 224, 224);
    }
    void toOriginalCorners()
    {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, W);
        QFETCH(int, H);
        QFETCH(mpq::ResizeMode, mode);
        QFETCH(QRectF, content);
        const cv::Mat img(h, w, CV_8UC3, cv::Scalar(1, 2, 3));
        const mpq::PreparedImage p = prepareMat(img, spec(W, H, mpq::ColorOrder::Rgb, mode));
        double x0 = content.left(), y0 = content.top();
        double x1 = content.right(), y1 = content.bottom();
        p.toOriginal(x0, y0);
        p.toOriginal(x1, y1);
        const double eps = 1e-9;
        QVERIFY2(std::abs(x0) < eps && std::abs(y0) < eps,
                 qPrintable(QString("%1 %2").arg(x0).arg(y0)));
        QVERIFY2(std::abs(x1 - w) < eps && std::abs(y1 - h) < eps,
                 qPrintable(QString("%1 %2").arg(x1).arg(y1)));
        QCOMPARE(p.originalWidth, w);
        QCOMPARE(p.originalHeight, h);
    }

    void prepareFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("lossless");
        QTest::newRow("png") << "a.png" << true;
        QTest::newRow("bmp") << "b.BMP" << true;
        QTest::newRow("webp lossless") << "c.webp" << true;
        QTest::newRow("jpeg") << "d.jpg" << false;
        // several scans: the end-of-image check must look past the first one
        QTest::newRow("jpeg progressive") << "e-progressive.JPEG" << false;
    }
    void prepareFiles()
    {
        QFETCH(QString, name);
        QFETCH(bool, lossless);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(name);
        // a smooth image for the lossy format, so that its error stays small
        cv::Mat img = lossless ? pattern(6, 4) : cv::Mat(4, 6, CV_8UC3, cv::Scalar(40, 120, 200));
        std::vector<int> params;
        if (name.endsWith(".webp"))
            params = {cv::IMWRITE_WEBP_QUALITY, 101}; // above 100: lossless
        if (name.contains("progressive"))
            params = {cv::IMWRITE_JPEG_PROGRESSIVE, 1};
        QVERIFY(cv::imwrite(path.toStdString(), img, params));
        for (mpq::ColorOrder color : {mpq::ColorOrder::Rgb, mpq::ColorOrder::Bgr}) {
            const mpq::InputSpec s = spec(6, 4, color, mpq::ResizeMode::Stretch);
            const mpq::PreparedImage p = mpq::prepareImage(path.toStdString(), s);
            QCOMPARE(p.originalWidth, 6);
            QCOMPARE(p.originalHeight, 4);
            if (lossless) {
                checkShifted(p, img, s, 0, 0);
                continue;
            }
            const int bgr[3] = {40, 120, 200};
            for (int c = 0; c < 3; ++c) {
                const int v = bgr[color == mpq::ColorOrder::Rgb ? 2 - c : c];
                const float tolerance = float(3 * s.scale / s.std[c]);
                for (int i = 0; i < 24; ++i)
                    QVERIFY(std::abs(p.data[c * 24 + i] - transformed(s, c, v)) <= tolerance);
            }
        }
        // gray from a colour file with equal channels: exact
        const QString grayPath = tmp.filePath("gray-" + name);
        const cv::Mat grayish = pattern(6, 4, true);
        if (lossless) {
            QVERIFY(cv::imwrite(grayPath.toStdString(), grayish, params));
            const mpq::InputSpec s = spec(6, 4, mpq::ColorOrder::Gray, mpq::ResizeMode::Stretch);
            checkShifted(mpq::prepareImage(grayPath.toStdString(), s), grayish, s, 0, 0);
        }
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        std::mt19937 rng(5);
        QByteArray noise(4096, 0);
        for (char &b : noise)
            b = char(rng() & 0xff);
        cv::Mat busy(64, 64, CV_8UC3);
        cv::randu(busy, 0, 256);
        const QByteArray png = encoded(busy, ".png"), jpg = encoded(busy, ".jpg");
        const QByteArray bmp = encoded(busy, ".bmp"), webp = encoded(busy, ".webp");
        QVERIFY(!png.isEmpty() && !jpg.isEmpty() && !bmp.isEmpty() && !webp.isEmpty());
        QByteArray bmpHeader = "BM" + le32(54) + le32(0) + le32(54) + le32(40) + le32(20000) +
                               le32(20000) + QByteArray("\x01\x00\x18\x00", 4) + le32(0) + le32(0) +
                               le32(2835) + le32(2835) + le32(0) + le32(0);
        const QByteArray sof("\xff\xd8\xff\xc0\x00\x11\x08\x4e\x20\x4e\x20\x03\x01\x22\x00\x02"
                             "\x11\x01\x03\x11\x01\xff\xd9",
                             23);
        QByteArray vp8x = "VP8X" + le32(10) + le32(0);
        vp8x += QByteArray("\x1f\x4e\x00\x1f\x4e\x00", 6); // 19999 + 1 = 20000, 24-bit LE
        const QByteArray riff = "RIFF" + le32(quint32(4 + vp8x.size())) + "WEBP" + vp8x;

        QTest::newRow("zero bytes") << "empty.png" << QByteArray() << "empty file";
        QTest::newRow("random bytes") << "random.jpg" << noise << "cannot decode";
        QTest::newRow("text") << "text.bmp" << QByteArray("this is not an image\n")
                              << "cannot decode";
        QTest::newRow("truncated png") << "cut.png" << png.left(png.size() / 2) << "cannot decode";
        QTest::newRow("truncated bmp") << "cut.bmp" << bmp.left(bmp.size() / 2) << "cannot decode";
        QTest::newRow("truncated webp")
            << "cut.webp" << webp.left(webp.size() / 2) << "cannot decode";
        // libjpeg would fill the missing part with gray and report success
        QTest::newRow("truncated jpeg")
            << "cut.jpg" << jpg.left(jpg.size() * 3 / 4) << "no end-of-image marker";
        QTest::newRow("png header only") << "sig.png" << png.left(8) << "cannot decode";
        QTest::newRow("huge png") << "huge.png" << hugePng(20000, 20000) << "20000 x 20000";
        QTest::newRow("huge png 2^32-1")
            << "wide.png" << hugePng(0xffffffffu, 0xffffffffu) << "4294967295 x 4294967295";
        QTest::newRow("zero-size png") << "zero.png" << hugePng(0, 10) << "empty image";
        QTest::newRow("huge bmp") << "huge.bmp" << bmpHeader << "20000 x 20000";
        QTest::newRow("huge jpeg") << "huge.jpeg" << sof << "20000 x 20000";
        QTest::newRow("huge webp") << "huge.webp" << riff << "20000 x 20000";
    }
    void brokenFiles()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(name);
        writeBytes(path, bytes);
        for (mpq::ColorOrder color : {mpq::ColorOrder::Rgb, mpq::ColorOrder::Gray}) {
            try {
                mpq::prepareImage(path.toStdString(),
                                  spec(32, 32, color, mpq::ResizeMode::Letterbox));
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::BadImage);
                QVERIFY2(QString(e.what()).startsWith(path + ": "), e.what());
                QVERIFY2(QString(e.what()).contains(reason), e.what());
            }
        }
    }

    void missingAndFolder()
    {
        QTemporaryDir tmp;
        const mpq::InputSpec s = spec(8, 8, mpq::ColorOrder::Rgb, mpq::ResizeMode::Stretch);
        for (const QString &path : {tmp.filePath("missing.png"), tmp.path()}) {
            try {
                mpq::prepareImage(path.toStdString(), s);
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::BadImage);
                QVERIFY2(QString(e.what()).startsWith(path + ": "), e.what());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestImages)
#include "tst_images.moc"
