// The images two pinned runs differ on, marked on the Preview (docs/snapshots.md).
#include "previewcontroller.h"

#include "mpqwidgets/previewview.h"

#include <cmath>

namespace mpq::studio {

namespace {

QString className(int c, const std::vector<std::string> &labels)
{
    return c >= 0 && c < int(labels.size()) ? QString::fromStdString(labels[std::size_t(c)])
                                            : QStringLiteral("#%1").arg(c);
}

/// What changed on one image between run A and run B, as a caption line: "A: cat 91 % → B: dog
/// 55 %", or "A → B: 2 detection(s) lost, 1 added".
QString runChangeCaption(const mpq::PredictionChange &c, mpq::Task task,
                         const std::vector<std::string> &labels)
{
    if (task == mpq::Task::Classification)
        return PreviewController::tr("A: %1 %2 % → B: %3 %4 %")
            .arg(className(c.a.topClass, labels))
            .arg(std::lround(c.a.topScore * 100.0f))
            .arg(className(c.b.topClass, labels))
            .arg(std::lround(c.b.topScore * 100.0f));
    QStringList parts;
    if (c.lost)
        parts << PreviewController::tr("%n detection(s) lost", nullptr, c.lost);
    if (c.added)
        parts << PreviewController::tr("%n added", nullptr, c.added);
    if (c.moved)
        parts << PreviewController::tr("%n moved", nullptr, c.moved);
    return PreviewController::tr("A → B: %1").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

void PreviewController::setRunDiff(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                                   const std::vector<std::string> &labels, bool bIsCurrent)
{
    m_runDiff = mpq::diffSnapshots(a, b);
    m_runA = a;
    m_runB = b;
    m_runLabels = labels;
    m_runDiffModel = m_request.opened.model;
    m_runDiffKey = bIsCurrent ? explainKey(m_request) : QString();
    m_runDiffStale = false;
    showRunMarks();
    emit runDiffChanged();
}

void PreviewController::clearRunDiff()
{
    if (!m_runDiff)
        return;
    m_runDiff.reset();
    m_runA = m_runB = mpq::RunSnapshot();
    m_runLabels.clear();
    m_runDiffModel.reset();
    m_runDiffKey.clear();
    m_runDiffStale = false;
    m_preview->setRunMarks({});
    emit runDiffChanged();
}

void PreviewController::checkRunDiff()
{
    if (!m_runDiff)
        return;
    if (m_request.opened.model != m_runDiffModel) { // another model: the marks mean nothing
        clearRunDiff();
        return;
    }
    const bool stale = !m_runDiffKey.isEmpty() && explainKey(m_request) != m_runDiffKey;
    if (stale == m_runDiffStale)
        return;
    m_runDiffStale = stale;
    showRunMarks();
    emit runDiffChanged();
}

void PreviewController::showRunMarks()
{
    const mpq::SnapshotDiff &d = *m_runDiff;
    mpq::ui::RunMarks marks;
    marks.nameA = QString::fromStdString(m_runA.name);
    marks.nameB = QString::fromStdString(m_runB.name);
    marks.compared = d.imagesCompared;
    for (const mpq::PredictionChange &c : d.images) {
        mpq::ui::RunMark m;
        m.image = QString::fromStdString(c.image);
        for (const mpq::RunSnapshot *s : {&m_runA, &m_runB})
            if (!s->imageRoot.empty())
                m.paths << QString::fromStdString(s->imageRoot + c.image);
        m.caption = runChangeCaption(c, m_runA.task, m_runLabels);
        marks.images.push_back(std::move(m));
    }
    if (!d.predictionsCompared)
        marks.note = tr("Predictions are not compared: both runs must be evaluated on the "
                        "Preview page.");
    else if (m_runDiffStale)
        marks.note = tr("Out of date: B was the current state when marked; the allocation has "
                        "changed since.");
    else if (!d.sameModel)
        marks.note = tr("The runs are of different models.");
    m_preview->setRunMarks(std::move(marks));
}

} // namespace mpq::studio
