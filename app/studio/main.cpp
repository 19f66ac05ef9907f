// mpq-studio: the desktop front end. `mpq-studio` shows the start page; `mpq-studio MODEL
// [--images DIR]` opens a model directly.

#include "mainwindow.h"
#include "projectactions.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("mpq-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("MPQ Studio"));
    QApplication::setOrganizationName(QStringLiteral("mpq-studio"));
    QApplication::setApplicationVersion(QStringLiteral(MPQ_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("mpq-studio"));
    // before any tr(): the language setting ("" follows the system locale)
    mpq::studio::installTranslations(
        app, QSettings().value(QLatin1String(mpq::studio::kLanguageSettingsKey)).toString());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Multipoint post-training quantization, interactively."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("model"),
        QApplication::translate("main", "TorchScript model or project (.mpqproj) to open."),
        QStringLiteral("[MODEL]"));
    const QCommandLineOption images(
        QStringLiteral("images"),
        QApplication::translate("main", "Folder of calibration images for the model."),
        QStringLiteral("DIR"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QApplication::translate("main", "Open the built-in demo model."));
    parser.addOption(images);
    parser.addOption(demo);
    parser.process(app);
    if (parser.positionalArguments().size() > 1)
        parser.showHelp(2);

    mpq::studio::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        const QString file = parser.positionalArguments().front();
        const QString dir = parser.value(images);
        if (file.endsWith(QLatin1String(".mpqproj")))
            QTimer::singleShot(0, &window, [&window, file] { window.project()->open(file); });
        else
            QTimer::singleShot(0, &window, [&window, file, dir] { window.openModel(file, dir); });
    } else if (parser.isSet(demo)) {
        QTimer::singleShot(0, &window, [&window] { window.openDemo(); });
    } else {
        // nothing asked for: offer what a crashed session left behind, if anything
        QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    }
    return app.exec();
}
