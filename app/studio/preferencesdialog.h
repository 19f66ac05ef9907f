#pragma once
// Preferences (QSettings): default bits and points of a new analysis, worker threads, language,
// the size limit of the analysis cache.

#include <QDialog>

#include <cstdint>

class QComboBox;
class QSpinBox;

namespace mpq::studio {

/// The QSettings keys, in one place.
struct Preferences
{
    int bits = 4;
    int maxPoints = 8;
    int threads = 0;  ///< 0: all cores but one
    QString language; ///< "" follows the system; "en", "de", "zh_CN"
    /// The most the shared analysis cache (mpq::AnalysisCache) keeps, in MiB; 0 keeps nothing.
    int cacheLimitMiB = 512;
    std::uint64_t cacheLimitBytes() const { return std::uint64_t(cacheLimitMiB) << 20; }
    static Preferences load();
    void save() const;
};

class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    Preferences preferences() const;

private:
    QSpinBox *m_bits, *m_points, *m_threads, *m_cacheLimit;
    QComboBox *m_language;
};

} // namespace mpq::studio
