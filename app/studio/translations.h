// Run-time translations: Qt's own (qtbase_*.qm) and MPQ Studio's (mpq-studio_*.qm).
#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace mpq::studio {

/// The QSettings key of the language setting: "" follows the system locale, else "en", "de",
/// "zh_CN".
inline constexpr char kLanguageSettingsKey[] = "ui/language";

/// The languages the GUI offers, as settings values: "en", "de", "zh_CN".
QStringList availableLanguages();

/// The folders searched for mpq-studio_*.qm, in order: the installed
/// <bin>/../share/mpq-studio/translations, then the build tree's (MPQ_BUILD_TRANSLATIONS_DIR).
QStringList translationDirectories();

/// Installs the translators for `language` ("" = QLocale::system(); "en", "de", "zh_CN") on
/// `app`: Qt's base translations when present, then ours. English loads the plural-only file, so
/// "%n point(s)" reads "3 points". Calling it again replaces the translators installed before.
/// Returns the language whose translation was loaded ("en" when none matched).
QString installTranslations(QCoreApplication &app, const QString &language);

} // namespace mpq::studio
