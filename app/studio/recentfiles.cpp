#include "recentfiles.h"

#include "mpq/vocabulary.h"

#include <QSettings>

namespace mpq::studio {

QList<RecentEntry> RecentFiles::entries()
{
    QSettings settings;
    QList<RecentEntry> list;
    const int n = settings.beginReadArray(QStringLiteral("recent"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        RecentEntry e;
        e.modelPath = settings.value(QStringLiteral("model")).toString();
        e.imagesDir = settings.value(QStringLiteral("images")).toString();
        e.hasCost = settings.contains(QStringLiteral("effectiveBits"));
        e.memoryOverhead = settings.value(QStringLiteral("memoryOverhead")).toDouble();
        e.macOverhead = settings.value(QStringLiteral("macOverhead")).toDouble();
        e.effectiveBits = settings.value(QStringLiteral("effectiveBits")).toDouble();
        e.testImagesDir = settings.value(QStringLiteral("testImages")).toString();
        if (settings.contains(QStringLiteral("rule"))) {
            try {
                mpq::AllocationSettings r;
                r.rule = mpq::fromWord<mpq::AllocationRule>(
                    settings.value(QStringLiteral("rule")).toString().toStdString());
                r.cost = mpq::fromWord<mpq::BudgetCost>(
                    settings.value(QStringLiteral("cost")).toString().toStdString());
                r.epsilon = settings.value(QStringLiteral("epsilon"), r.epsilon).toDouble();
                r.budget = settings.value(QStringLiteral("budget"), r.budget).toDouble();
                if (r.epsilon > 0 && r.budget >= 0)
                    e.rule = r;
            } catch (const std::exception &) {
                // an unreadable rule: the model opens on the default one
            }
        }
        if (!e.modelPath.isEmpty())
            list.append(e);
    }
    settings.endArray();
    return list;
}

void RecentFiles::save(const QList<RecentEntry> &list)
{
    QSettings settings;
    settings.remove(QStringLiteral("recent"));
    settings.beginWriteArray(QStringLiteral("recent"), static_cast<int>(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings.setArrayIndex(i);
        const RecentEntry &e = list[i];
        settings.setValue(QStringLiteral("model"), e.modelPath);
        settings.setValue(QStringLiteral("images"), e.imagesDir);
        if (e.hasCost) {
            settings.setValue(QStringLiteral("memoryOverhead"), e.memoryOverhead);
            settings.setValue(QStringLiteral("macOverhead"), e.macOverhead);
            settings.setValue(QStringLiteral("effectiveBits"), e.effectiveBits);
        }
        if (!e.testImagesDir.isEmpty())
            settings.setValue(QStringLiteral("testImages"), e.testImagesDir);
        if (e.rule) {
            settings.setValue(QStringLiteral("rule"),
                              QString::fromLatin1(mpq::toWord(e.rule->rule)));
            settings.setValue(QStringLiteral("cost"),
                              QString::fromLatin1(mpq::toWord(e.rule->cost)));
            settings.setValue(QStringLiteral("epsilon"), e.rule->epsilon);
            settings.setValue(QStringLiteral("budget"), e.rule->budget);
        }
    }
    settings.endArray();
}

void RecentFiles::add(const QString &modelPath, const QString &imagesDir)
{
    QList<RecentEntry> list = entries();
    RecentEntry entry;
    entry.modelPath = modelPath;
    entry.imagesDir = imagesDir;
    for (int i = 0; i < list.size(); ++i) {
        if (list[i].modelPath == modelPath) {
            entry = list.takeAt(i);
            if (!imagesDir.isEmpty())
                entry.imagesDir = imagesDir;
            break;
        }
    }
    list.prepend(entry);
    while (list.size() > maxEntries)
        list.removeLast();
    save(list);
}

void RecentFiles::setCost(const QString &modelPath, double memoryOverhead, double macOverhead,
                          double effectiveBits)
{
    QList<RecentEntry> list = entries();
    for (RecentEntry &e : list) {
        if (e.modelPath == modelPath) {
            e.hasCost = true;
            e.memoryOverhead = memoryOverhead;
            e.macOverhead = macOverhead;
            e.effectiveBits = effectiveBits;
            save(list);
            return;
        }
    }
}

QString RecentFiles::imagesFor(const QString &modelPath)
{
    for (const RecentEntry &e : entries())
        if (e.modelPath == modelPath)
            return e.imagesDir;
    return {};
}

} // namespace mpq::studio

namespace mpq::studio {

namespace {

template <class Change> void changeEntry(const QString &modelPath, Change change)
{
    QList<RecentEntry> list = RecentFiles::entries();
    for (RecentEntry &e : list)
        if (e.modelPath == modelPath) {
            change(e);
            RecentFiles::replace(list);
            return;
        }
}

} // namespace

void RecentFiles::setTestImages(const QString &modelPath, const QString &testImagesDir)
{
    changeEntry(modelPath, [&](RecentEntry &e) { e.testImagesDir = testImagesDir; });
}

QString RecentFiles::testImagesFor(const QString &modelPath)
{
    for (const RecentEntry &e : entries())
        if (e.modelPath == modelPath)
            return e.testImagesDir;
    return {};
}

void RecentFiles::setRule(const QString &modelPath, const mpq::AllocationSettings &rule)
{
    mpq::AllocationSettings r;
    r.rule = rule.rule;
    r.epsilon = rule.epsilon;
    r.budget = rule.budget;
    r.cost = rule.cost;
    changeEntry(modelPath, [&](RecentEntry &e) { e.rule = r; });
}

std::optional<mpq::AllocationSettings> RecentFiles::ruleFor(const QString &modelPath)
{
    for (const RecentEntry &e : entries())
        if (e.modelPath == modelPath)
            return e.rule;
    return std::nullopt;
}

} // namespace mpq::studio
