#pragma once
// Shared pieces of the mpq commands: exit codes, output streams, option parsing helpers.

#include "mpq/vocabulary.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QString>
#include <QTextStream>

#include <string>
#include <vector>

/// Exit codes of the mpq tool, shared by every command.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitBadInput = 2, ExitCancelled = 3 };

/// A JSON array of the strings, in order (layer names in the commands' JSON).
QJsonArray stringsJson(const std::vector<std::string> &strings);

QTextStream &out();
QTextStream &err();

/// Process-wide signal handling, installed first thing in main(). SIGINT and SIGTERM set a flag
/// that long computations poll (they stop with Error(Cancelled), exit 3, and leave no partial
/// file); a second SIGINT kills at once. SIGXFSZ (a write past RLIMIT_FSIZE) is ignored, so that
/// such a write fails with EFBIG and is reported like a full disk instead of killing the process
/// with a half-written temporary file left behind.
void installSignalHandlers();
/// Whether SIGINT or SIGTERM arrived. Async-signal-safe to set; cheap to poll from any thread.
bool interrupted();
/// Throws mpq::Error(Cancelled, "cancelled") when interrupted() is true; the commands print
/// it as "<command>: cancelled" and exit 3.
void throwIfInterrupted();
/// Writes bytes to path atomically (mpq::writeTextFile: temporary file, then rename). On failure
/// prints "<command>: cannot write <path>: <reason>" and returns false; nothing is left behind.
/// (QSaveFile is not used: Qt 6.4 commits a truncated file when a write stops short, as at
/// the file-size limit.)
bool writeOutputFile(const QString &command, const QString &path, const QByteArray &bytes);
/// Announces a stage of a command on stderr ("mpq export: exporting"), one line each.
/// For the hardening tests, MPQ_TEST_INTERRUPT_AT=<stage> raises SIGINT in the process as that
/// stage begins, which makes "cancelled during <stage>" reproducible without timing races.
void beginStage(const QString &command, const QString &stage);

/// Parses a command's arguments (without the program name and the command): prints the error
/// (usage) or the help text. Returns -1 when the command should go on, else its exit code.
int parseCommandLine(QCommandLineParser &p, const QString &command, const QStringList &arguments);

/// Reads option `name` as an integer in [low, high]; prints "<command>: --name must be ..." and
/// returns false otherwise.
bool parseInt(const QCommandLineParser &p, const QString &command, const QString &name, int low,
              int high, int &value);
/// The same for a floating-point value in [low, high].
bool parseDouble(const QCommandLineParser &p, const QString &command, const QString &name,
                 double low, double high, double &value);
/// Reads option `name` as one of `words`; returns its index, or -1 after printing an error.
int parseChoice(const QCommandLineParser &p, const QString &command, const QString &name,
                const QStringList &words);
/// Reads option `name` as a word of the core's vocabulary (mpq/vocabulary.h) into value; prints
/// "<command>: --name must be one of ..." and returns false otherwise.
template <class E>
bool parseWord(const QCommandLineParser &p, const QString &command, const QString &name, E &value)
{
    QStringList list;
    for (const std::string &w : mpq::words<E>())
        list << QString::fromStdString(w);
    const int index = parseChoice(p, command, name, list);
    if (index >= 0)
        value = mpq::fromWord<E>(list[index].toStdString());
    return index >= 0;
}
