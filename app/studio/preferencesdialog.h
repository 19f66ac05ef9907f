#pragma once
// Preferences (QSettings): default bits and points of a new analysis, worker threads, language.

#include <QDialog>

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
    QSpinBox *m_bits, *m_points, *m_threads;
    QComboBox *m_language;
};

} // namespace mpq::studio
