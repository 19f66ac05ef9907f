// The GUI translations: the committed translations/*.ts are complete (nothing unfinished or
// empty, the same placeholders and accelerators as the source), up to date with the tr() strings
// of app/studio and widgets (lupdate is run into a scratch file and compared), and the built .qm
// files translate through installTranslations().

#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

const QString kSourceDir = QStringLiteral(MPQ_SOURCE_DIR);
const QString kLupdate = QStringLiteral(MPQ_LUPDATE);
const QString kQmDir = QStringLiteral(MPQ_BUILD_TRANSLATIONS_DIR);

struct Message
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type;      // translation type: "", "unfinished", "obsolete", "vanished"
    QStringList forms; // the translation, or its numerus forms
    int line = 0;      // in the .ts file

    QString key() const
    {
        return context + QLatin1String(" | ") + source +
               (comment.isEmpty() ? QString() : QLatin1String(" | //") + comment);
    }
    bool live() const
    {
        return type != QLatin1String("obsolete") && type != QLatin1String("vanished");
    }
};

struct TsFile
{
    QString language;
    QList<Message> messages;
    QString error;
};

TsFile readTs(const QString &path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = path + QLatin1String(": ") + file.errorString();
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message m;
    bool inMessage = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("TS")) {
                ts.language = xml.attributes().value(QLatin1String("language")).toString();
            } else if (name == QLatin1String("name") && !inMessage) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                inMessage = true;
                m = Message();
                m.context = context;
                m.numerus =
                    xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
                m.line = int(xml.lineNumber());
            } else if (inMessage && name == QLatin1String("source")) {
                m.source = xml.readElementText();
            } else if (inMessage && name == QLatin1String("comment")) {
                m.comment = xml.readElementText();
            } else if (inMessage && name == QLatin1String("translation")) {
                m.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!m.numerus)
                    m.forms << xml.readElementText(QXmlStreamReader::IncludeChildElements);
            } else if (inMessage && name == QLatin1String("numerusform")) {
                m.forms << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            inMessage = false;
            ts.messages << m;
        }
    }
    if (xml.hasError())
        ts.error =
            QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return ts;
}

QString tsPath(const QString &language)
{
    return kSourceDir + QStringLiteral("/translations/mpq-studio_%1.ts").arg(language);
}

/// %1..%9 and %n (also %L1), as a sorted list with repeats collapsed
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?([1-9]|n)"));
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(QLatin1Char('%') + it.next().captured(1));
    QStringList list(found.begin(), found.end());
    list.sort();
    return list;
}

/// keyboard accelerators: '&' before a character other than '&' or a space; "&&" is a literal '&'
int accelerators(const QString &text)
{
    int count = 0;
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&'))
            continue;
        if (text[i + 1] == QLatin1Char('&')) {
            ++i;
            continue;
        }
        if (!text[i + 1].isSpace())
            ++count;
    }
    return count;
}

/// runs lupdate on the same sources as translations/README.md into a scratch .ts
bool runLupdate(const QString &ts, QStringList extraArgs, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(kSourceDir);
    QStringList args = {QStringLiteral("-locations"), QStringLiteral("none"),
                        QStringLiteral("-no-obsolete")};
    args << extraArgs;
    args << QStringLiteral("app/studio") << QStringLiteral("widgets") << QStringLiteral("-ts")
         << ts;
    p.start(kLupdate, args);
    if (!p.waitForFinished(120000)) {
        *output = QStringLiteral("lupdate did not finish: ") + p.errorString();
        return false;
    }
    *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void complete_data();
    void complete();
    void englishPlurals();
    void upToDate_data();
    void upToDate();
    void contextsResolved();
    void qmFilesTranslate();
    void installTranslations();

private:
    QString m_lupdateOutput;
    QMap<QString, Message> m_extracted; // key -> message, from the sources
};

void TestTranslations::initTestCase()
{
    QVERIFY2(QFile::exists(kLupdate), qPrintable(kLupdate + QLatin1String(" is missing")));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ts = dir.filePath(QStringLiteral("extracted_de.ts"));
    QVERIFY2(runLupdate(ts, {}, &m_lupdateOutput), qPrintable(m_lupdateOutput));
    const TsFile extracted = readTs(ts);
    QVERIFY2(extracted.error.isEmpty(), qPrintable(extracted.error));
    for (const Message &m : extracted.messages)
        m_extracted.insert(m.key(), m);
    QVERIFY2(m_extracted.size() > 100, "lupdate found too few strings; wrong source directory?");
}

void TestTranslations::complete_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<int>("numerusForms");
    QTest::newRow("de") << QStringLiteral("de") << 2;
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << 1;
}

void TestTranslations::complete()
{
    QFETCH(QString, language);
    QFETCH(int, numerusForms);
    const TsFile ts = readTs(tsPath(language));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QCOMPARE(ts.language, language);
    QStringList problems;
    int live = 0;
    for (const Message &m : ts.messages) {
        if (!m.live())
            continue;
        ++live;
        const QString where = QStringLiteral("line %1: %2: ").arg(m.line).arg(m.key());
        if (m.type == QLatin1String("unfinished")) {
            problems << where + QLatin1String("unfinished");
            continue;
        }
        if (m.numerus && m.forms.size() != numerusForms)
            problems << where + QStringLiteral("%1 numerus forms, %2 expected")
                                    .arg(m.forms.size())
                                    .arg(numerusForms);
        const QStringList expected = placeholders(m.source);
        const int sourceAccelerators = accelerators(m.source);
        for (const QString &form : m.forms) {
            if (form.trimmed().isEmpty()) {
                problems << where + QLatin1String("empty translation");
                continue;
            }
            if (placeholders(form) != expected)
                problems << where + QStringLiteral("placeholders %1 in \"%2\", the source has %3")
                                        .arg(placeholders(form).join(QLatin1Char(',')), form,
                                             expected.join(QLatin1Char(',')));
            if (sourceAccelerators > 0 && accelerators(form) != 1)
                problems << where +
                                QStringLiteral("\"%1\" needs exactly one & accelerator").arg(form);
        }
    }
    QVERIFY2(live > 0, "no messages");
    QVERIFY2(problems.isEmpty(),
             qPrintable(QStringLiteral("%1 of %2 messages in %3 are not finished "
                                       "(see translations/README.md):\n")
                            .arg(problems.size())
                            .arg(live)
                            .arg(QFileInfo(tsPath(language)).fileName()) +
                        problems.join(QLatin1Char('\n'))));
}

void TestTranslations::englishPlurals()
{
    const TsFile ts = readTs(tsPath(QStringLiteral("en")));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QStringList problems;
    QSet<QString> keys;
    for (const Message &m : ts.messages) {
        if (!m.live())
            continue;
        keys.insert(m.key());
        if (!m.numerus)
            problems << m.key() +
                            QLatin1String(": not a numerus message (use lupdate -pluralonly)");
        else if (m.type == QLatin1String("unfinished") || m.forms.size() != 2 ||
                 m.forms[0].isEmpty() || m.forms[1].isEmpty())
            problems << m.key() + QLatin1String(": needs its two English forms");
    }
    for (const Message &m : std::as_const(m_extracted))
        if (m.numerus && !keys.contains(m.key()))
            problems << m.key() + QLatin1String(": missing from mpq-studio_en.ts");
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::upToDate_data()
{
    complete_data();
}

void TestTranslations::upToDate()
{
    QFETCH(QString, language);
    const TsFile ts = readTs(tsPath(language));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QSet<QString> committed;
    QStringList stale;
    for (const Message &m : ts.messages) {
        if (m.live())
            committed.insert(m.key());
        else
            stale << m.key() + QLatin1String(" (obsolete)");
    }
    QStringList missing;
    for (auto it = m_extracted.cbegin(); it != m_extracted.cend(); ++it)
        if (!committed.contains(it.key()))
            missing << it.key();
    for (const QString &key : std::as_const(committed))
        if (!m_extracted.contains(key))
            stale << key;
    stale.sort();
    QString report = QFileInfo(tsPath(language)).fileName() +
                     QLatin1String(" is not up to date with the sources; run lupdate and "
                                   "translate (translations/README.md).");
    if (!missing.isEmpty())
        report += QLatin1String("\nNew strings:\n  ") + missing.join(QLatin1String("\n  "));
    if (!stale.isEmpty())
        report += QLatin1String("\nStrings no longer in the sources:\n  ") +
                  stale.join(QLatin1String("\n  "));
    QVERIFY2(missing.isEmpty() && stale.isEmpty(), qPrintable(report));
}

void TestTranslations::contextsResolved()
{
    // lupdate names the context of a tr() it cannot attribute to a Q_OBJECT class after the
    // enclosing namespace, which is not the context the code asks for at run time: such strings
    // are translated in the .ts but never shown translated.
    QStringList warnings;
    for (const QString &line : m_lupdateOutput.split(QLatin1Char('\n')))
        if (line.contains(QLatin1String("lacks Q_OBJECT")) ||
            line.contains(QLatin1String("unknown namespace/class")))
            warnings << line.trimmed().replace(kSourceDir + QLatin1Char('/'), QString());
    QVERIFY2(
        warnings.isEmpty(),
        qPrintable(QLatin1String("tr() calls whose context lupdate cannot resolve; use "
                                 "QCoreApplication::translate(\"Context\", \"text\") there:\n") +
                   warnings.join(QLatin1Char('\n'))));
}

void TestTranslations::qmFilesTranslate()
{
    struct Case
    {
        const char *language, *context, *source, *translation;
    };
    const Case cases[] = {
        {"de", "mpq::studio::MainWindow", "&File", "&Datei"},
        {"de", "mpq::studio::WorkspaceTabs", "Preview", "Vorschau"},
        {"de", "mpq::studio::WorkspaceTabs", "Compare", "Vergleich"},
        {"de", "mpq::studio::ExportDialog", "Export", "Exportieren"},
        {"zh_CN", "mpq::studio::MainWindow", "&File", "文件(&F)"},
        {"zh_CN", "mpq::studio::WorkspaceTabs", "Preview", "预览"},
        {"zh_CN", "mpq::studio::WorkspaceTabs", "Compare", "比较"},
        {"zh_CN", "mpq::studio::ExportDialog", "Export", "导出"},
    };
    for (const Case &c : cases) {
        const QString qm =
            kQmDir + QStringLiteral("/mpq-studio_%1.qm").arg(QLatin1String(c.language));
        QTranslator translator;
        QVERIFY2(translator.load(qm), qPrintable(qm + QLatin1String(" does not load; built?")));
        QCOMPARE(translator.language(), QLatin1String(c.language));
        QCOMPARE(translator.translate(c.context, c.source), QString::fromUtf8(c.translation));
    }
}

void TestTranslations::installTranslations()
{
    auto &app = *QCoreApplication::instance();
    const auto points = [](int n) {
        return QCoreApplication::translate("mpq::ui::AllocationPlot", "%n point(s)", nullptr, n);
    };
    QCOMPARE(mpq::studio::installTranslations(app, QStringLiteral("de")), QStringLiteral("de"));
    QCOMPARE(QCoreApplication::translate("mpq::studio::MainWindow", "&File"),
             QStringLiteral("&Datei"));
    QCOMPARE(points(1), QStringLiteral("1 Punkt"));
    QCOMPARE(points(3), QStringLiteral("3 Punkte"));

    QCOMPARE(mpq::studio::installTranslations(app, QStringLiteral("zh_CN")),
             QStringLiteral("zh_CN"));
    QCOMPARE(QCoreApplication::translate("mpq::studio::MainWindow", "&File"),
             QString::fromUtf8("文件(&F)"));
    QCOMPARE(points(3), QString::fromUtf8("3 个点"));

    QCOMPARE(mpq::studio::installTranslations(app, QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("mpq::studio::MainWindow", "&File"),
             QStringLiteral("&File"));
    QCOMPARE(points(1), QStringLiteral("1 point"));
    QCOMPARE(points(3), QStringLiteral("3 points"));

    // "" follows the system locale: whatever it is, some translation (at least English) loads
    const QString system = mpq::studio::installTranslations(app, QString());
    QVERIFY2(mpq::studio::availableLanguages().contains(system), qPrintable(system));
    QVERIFY(points(3) != QLatin1String("3 point(s)"));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
