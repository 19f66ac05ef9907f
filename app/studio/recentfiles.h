#pragma once
// Recently opened models with the cost of their last allocation, kept in QSettings.

#include <QList>
#include <QString>

namespace mpq::studio {

struct RecentEntry
{
    QString modelPath;
    QString imagesDir;
    bool hasCost = false;
    double memoryOverhead = 0.0; ///< fractions, as in mpq::Allocation
    double macOverhead = 0.0;
    double effectiveBits = 0.0;
};

/// GUI-thread only (QSettings of the application). At most maxEntries, newest first.
class RecentFiles
{
public:
    static constexpr int maxEntries = 8;

    static QList<RecentEntry> entries();
    /// Moves (or adds) the model to the front, keeping its last cost.
    static void add(const QString &modelPath, const QString &imagesDir);
    static void setCost(const QString &modelPath, double memoryOverhead, double macOverhead,
                        double effectiveBits);
    /// The images folder last used with this model, or empty.
    static QString imagesFor(const QString &modelPath);

private:
    static void save(const QList<RecentEntry> &entries);
};

} // namespace mpq::studio
