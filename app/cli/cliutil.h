#pragma once
// Shared pieces of the mpq commands: exit codes, output streams, option parsing helpers.

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

/// Exit codes of the mpq tool, shared by every command.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitBadInput = 2, ExitCancelled = 3 };

QTextStream &out();
QTextStream &err();

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
