#pragma once
// Recently opened models with the cost of their last allocation, kept in QSettings.

#include "mpq/allocation.h"

#include <QList>
#include <QString>

#include <optional>

namespace mpq::studio {

struct RecentEntry
{
    QString modelPath;
    QString imagesDir;
    bool hasCost = false;
    double memoryOverhead = 0.0; ///< fractions, as in mpq::Allocation
    double macOverhead = 0.0;
    double effectiveBits = 0.0;
    QString testImagesDir; ///< the Preview's and Compare's folder when not the calibration one
    /// The rule the model was left with (rule, epsilon, budget, cost; no overrides)
    std::optional<mpq::AllocationSettings> rule;
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
    /// The model's own settings (issue 14: they belong to the model, never to the previous
    /// one): its test images folder and its allocation rule.
    static void setTestImages(const QString &modelPath, const QString &testImagesDir);
    static QString testImagesFor(const QString &modelPath);
    static void setRule(const QString &modelPath, const mpq::AllocationSettings &rule);
    static std::optional<mpq::AllocationSettings> ruleFor(const QString &modelPath);

    /// Writes the whole list (internal; public for the helpers of recentfiles.cpp).
    static void replace(const QList<RecentEntry> &entries) { save(entries); }

private:
    static void save(const QList<RecentEntry> &entries);
};

} // namespace mpq::studio
