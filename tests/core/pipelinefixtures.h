#pragma once
// Shared by tst_pipeline and tst_analysiscache: a small ConvNet built in C++ ("conv.pt", and
// "other.pt" with other weights) with its profile, eight random images and its analysis; the
// analysis settings both use, the stage names a JobControl reports and the error a call throws.
#include "convnetprofile.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "testmodels.h"

#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace pipelinetest {

inline mpq::AnalysisSettings smallSettings()
{
    mpq::AnalysisSettings s;
    s.bits = 4;
    s.maxPoints = 3;
    s.calibCount = 8;
    s.batchSize = 4;
    return s;
}

inline bool writeRandomImage(const QString &file, int width, int height, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    QImage img(width, height, QImage::Format_RGB32);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
    return img.save(file);
}

/// Stage names a JobControl reports, in order.
struct Stages
{
    std::vector<std::string> names;
    mpq::JobControl control()
    {
        mpq::JobControl c;
        c.stage = [this](const std::string &name) { names.push_back(name); };
        return c;
    }
    int count(const std::string &name) const
    {
        return int(std::count(names.begin(), names.end(), name));
    }
    int countStartingWith(const std::string &prefix) const
    {
        return int(std::count_if(names.begin(), names.end(),
                                 [&](const std::string &n) { return n.rfind(prefix, 0) == 0; }));
    }
};

/// The code and message of the Error `f` throws; code EmptyInput with "<no error>" when none.
template <class F> std::pair<mpq::ErrorCode, std::string> errorOf(F &&f)
{
    try {
        f();
    } catch (const mpq::Error &e) {
        return {e.code(), e.what()};
    }
    return {mpq::ErrorCode::EmptyInput, "<no error>"};
}

inline QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

/// The ConvNets, their images and conv's analysis, in one temporary folder per suite.
class PipelineFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    mpq::OpenedModel m_conv, m_other;
    std::shared_ptr<const mpq::Analysis> m_convAnalysis;

    QString qpath(const QString &name) const { return m_dir.filePath(name); }
    std::string path(const QString &name) const { return qpath(name).toStdString(); }

    /// What initTestCase does first: eight random images in images/, conv.pt and other.pt with
    /// the small profile, both opened, and conv analysed on the images.
    void setUpConvNets()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(qpath("images")));
        for (int i = 0; i < 8; ++i)
            QVERIFY(writeRandomImage(qpath(QString("images/%1.png").arg(i)), 14, 12, 11 + i));
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveConvNet(path("other.pt"), 2);
        mpq::saveProfile(mpqtest::convNetProfile(), mpq::defaultProfilePath(path("conv.pt")));
        mpq::saveProfile(mpqtest::convNetProfile(), mpq::defaultProfilePath(path("other.pt")));
        m_conv = mpq::openModel(path("conv.pt"));
        m_other = mpq::openModel(path("other.pt"));
        QVERIFY(m_conv.hasProfile && m_conv.profileError.empty());
        m_convAnalysis =
            mpq::analyzeModel(m_conv, path("images"), smallSettings(), nullptr).analysis;
        QCOMPARE(m_convAnalysis->calibrationFiles.size(), std::size_t(8));
    }
};

} // namespace pipelinetest
