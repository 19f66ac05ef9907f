#pragma once
// Shared by tst_taskaware and tst_taskawarerules (issue 16, docs/multipoint.md section 8): the
// profile of a small image model, the extra points a layer was given, and sixteen random 16x16
// images in a temporary folder. Include it after torch's headers: Qt's `slots` macro breaks them.
#include "mpq/allocation.h"
#include "mpq/images.h"
#include "mpq/profile.h"

#include "testimages.h"

#include <QTemporaryDir>
#include <QtTest>

#include <numeric>
#include <string>
#include <vector>

namespace taskawaretest {

inline mpq::ModelProfile imageProfile(mpq::Task task, int size)
{
    mpq::ModelProfile p;
    p.task = task;
    p.input.width = size;
    p.input.height = size;
    p.input.channels = 3;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.5);
    if (task == mpq::Task::Detection)
        p.output.decoder = mpq::DecoderKind::CenterNet;
    return p;
}

inline int extraPoints(const mpq::LayerAllocation &l)
{
    return std::accumulate(l.points.begin(), l.points.end(), 0) - int(l.points.size());
}

/// A temporary folder per suite with sixteen random 16x16 images in images/.
class TaskAwareFixture : public QObject
{
protected:
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

    /// What initTestCase does: the images, and their files in m_images.
    void setUpImages()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 16, 16, 16, 7));
        m_images = mpq::imageFiles(path("images"));
        QCOMPARE(m_images.size(), std::size_t(16));
    }
};

} // namespace taskawaretest
