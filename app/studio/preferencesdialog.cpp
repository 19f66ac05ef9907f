#include "preferencesdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QThread>

#include <algorithm>

namespace mpq::studio {

namespace {
constexpr int kMaxCacheMiB = 64 * 1024;
} // namespace

Preferences Preferences::load()
{
    QSettings s;
    Preferences p;
    p.bits = std::clamp(s.value(QStringLiteral("defaults/bits"), 4).toInt(), 2, 8);
    p.maxPoints = std::clamp(s.value(QStringLiteral("defaults/maxPoints"), 8).toInt(), 1, 8);
    p.threads = std::max(0, s.value(QStringLiteral("jobs/threads"), 0).toInt());
    p.language = s.value(QStringLiteral("ui/language")).toString();
    p.cacheLimitMiB =
        std::clamp(s.value(QStringLiteral("cache/limitMiB"), 512).toInt(), 0, kMaxCacheMiB);
    return p;
}

void Preferences::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("defaults/bits"), bits);
    s.setValue(QStringLiteral("defaults/maxPoints"), maxPoints);
    s.setValue(QStringLiteral("jobs/threads"), threads);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("cache/limitMiB"), cacheLimitMiB);
}

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_bits(new QSpinBox(this))
    , m_points(new QSpinBox(this))
    , m_threads(new QSpinBox(this))
    , m_cacheLimit(new QSpinBox(this))
    , m_language(new QComboBox(this))
{
    setWindowTitle(tr("Preferences"));
    const Preferences p = Preferences::load();
    m_bits->setRange(2, 8);
    m_bits->setValue(p.bits);
    m_bits->setSuffix(tr(" bits"));
    m_points->setRange(1, 8);
    m_points->setValue(p.maxPoints);
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("all cores but one"));
    m_threads->setValue(p.threads);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("中文 (简体)"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(p.language)));
    m_cacheLimit->setRange(0, kMaxCacheMiB);
    m_cacheLimit->setSingleStep(64);
    m_cacheLimit->setSuffix(tr(" MiB"));
    m_cacheLimit->setSpecialValueText(tr("keep nothing"));
    m_cacheLimit->setValue(p.cacheLimitMiB);
    m_cacheLimit->setToolTip(
        tr("Finished analyses are kept on disk (shared with the mpq command), so the same model "
           "with the same settings and images is analysed once. The least recently used go "
           "first when the cache would exceed this size."));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Default bits"), m_bits);
    form->addRow(tr("Default max points"), m_points);
    form->addRow(tr("Worker threads"), m_threads);
    form->addRow(tr("Language"), m_language);
    form->addRow(tr("Analysis cache limit"), m_cacheLimit);
    auto *note = new QLabel(tr("The language applies at the next start."), this);
    note->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        preferences().save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.bits = m_bits->value();
    p.maxPoints = m_points->value();
    p.threads = m_threads->value();
    p.language = m_language->currentData().toString();
    p.cacheLimitMiB = m_cacheLimit->value();
    return p;
}

} // namespace mpq::studio
