#include "recentfiles.h"

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
    }
    settings.endArray();
}

void RecentFiles::add(const QString &modelPath, const QString &imagesDir)
{
    QList<RecentEntry> list = entries();
    RecentEntry entry{modelPath, imagesDir};
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
