#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace mpq::studio {

namespace {

QPointer<QTranslator> g_qtTranslator;
QPointer<QTranslator> g_appTranslator;

void removeInstalled()
{
    for (QPointer<QTranslator> *t : {&g_qtTranslator, &g_appTranslator}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete t->data();
        }
    }
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN")};
}

QStringList translationDirectories()
{
    QStringList dirs;
    dirs << QDir::cleanPath(QCoreApplication::applicationDirPath() +
                            QStringLiteral("/../share/mpq-studio/translations"));
#ifdef MPQ_BUILD_TRANSLATIONS_DIR
    dirs << QStringLiteral(MPQ_BUILD_TRANSLATIONS_DIR);
#endif
    return dirs;
}

QString installTranslations(QCoreApplication &app, const QString &language)
{
    removeInstalled();
    // "" follows the system; an unknown value too (a settings file from a later version)
    const QLocale locale = language.isEmpty() || !availableLanguages().contains(language)
                               ? QLocale::system()
                               : QLocale(language);

    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qtTranslator = qt;
    } else {
        delete qt;
    }

    // QTranslator::load(locale, ...) tries every UI language of the locale (zh_Hans_CN ->
    // zh_CN, de_AT -> de, ...) and falls back to nothing; mpq-studio_en.qm has the plural forms.
    auto *ours = new QTranslator(&app);
    for (const QString &dir : translationDirectories()) {
        if (ours->load(locale, QStringLiteral("mpq-studio"), QStringLiteral("_"), dir)) {
            QCoreApplication::installTranslator(ours);
            g_appTranslator = ours;
            // the .ts language attribute: "de", "zh_CN", "en_US"
            const QString loaded = ours->language();
            for (const QString &l : availableLanguages())
                if (loaded == l || loaded.startsWith(l + QLatin1Char('_')))
                    return l;
            return QStringLiteral("en");
        }
    }
    // no match (e.g. French): English source texts with English plurals
    for (const QString &dir : translationDirectories()) {
        if (ours->load(QStringLiteral("mpq-studio_en"), dir)) {
            QCoreApplication::installTranslator(ours);
            g_appTranslator = ours;
            return QStringLiteral("en");
        }
    }
    delete ours;
    return QStringLiteral("en");
}

} // namespace mpq::studio
