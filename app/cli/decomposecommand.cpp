#include "decomposecommand.h"

#include "mpq/error.h"
#include "mpq/multipoint.h"
#include "mpq/parallel.h"
#include "mpq/synthetic.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>

int runDecompose(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QCoreApplication::translate(
        "mpq", "Decompose a synthetic weight matrix (Laplace-distributed values, the usual shape "
               "of trained weights) into multipoint sums and show how the weight error falls "
               "with the number of points."));
    p.addHelpOption();
    p.addOptions({
        {"rows", "Output channels (rows).", "N", "256"},
        {"cols", "Weights per channel (d).", "D", "1152"},
        {"bits", "Bits of each point, 2..8.", "B", "4"},
        {"points", "Points per channel, 1..16.", "N", "8"},
        {"search", "Scale search: exact or grid.", "METHOD", "exact"},
        {"first-point", "First point: l2 or max.", "RULE", "l2"},
        {"seed", "Random seed of the synthetic weights.", "S", "1"},
        {"threads", "Worker threads (results do not depend on it).", "N", "1"},
        {"json", "Also write the figures as JSON to FILE.", "FILE"},
    });
    if (const int exit = parseCommandLine(p, "mpq decompose", arguments); exit >= 0)
        return exit;
    if (!p.positionalArguments().isEmpty()) {
        err() << "mpq decompose: unexpected argument '" << p.positionalArguments().first() << "'"
              << Qt::endl;
        return ExitUsage;
    }
    int rows, cols, bits, points, seed, threads;
    if (!parseInt(p, "mpq decompose", "rows", 1, 1 << 20, rows) ||
        !parseInt(p, "mpq decompose", "cols", 1, 1 << 20, cols) ||
        !parseInt(p, "mpq decompose", "bits", 2, 8, bits) ||
        !parseInt(p, "mpq decompose", "points", 1, 16, points) ||
        !parseInt(p, "mpq decompose", "seed", 0, 1 << 30, seed) ||
        !parseInt(p, "mpq decompose", "threads", 1, 256, threads))
        return ExitUsage;
    mpq::DecomposeOptions options;
    options.bits = bits;
    options.maxPoints = points;
    const QString search = p.value("search");
    if (search == "exact")
        options.search = mpq::SearchMethod::Exact;
    else if (search == "grid")
        options.search = mpq::SearchMethod::Grid;
    else {
        err() << "mpq decompose: --search must be exact or grid, got '" << search << "'"
              << Qt::endl;
        return ExitUsage;
    }
    const QString first = p.value("first-point");
    if (first == "l2")
        options.firstPoint = mpq::FirstPoint::L2;
    else if (first == "max")
        options.firstPoint = mpq::FirstPoint::Max;
    else {
        err() << "mpq decompose: --first-point must be l2 or max, got '" << first << "'"
              << Qt::endl;
        return ExitUsage;
    }
    if (static_cast<qint64>(rows) * cols * points > (qint64(1) << 31)) {
        err() << "mpq decompose: rows x cols x points is too large for one run" << Qt::endl;
        return ExitUsage;
    }

    try {
        mpq::setThreadCount(threads);
        const std::vector<float> w =
            mpq::laplaceMatrix(rows, cols, 0.02, static_cast<std::uint64_t>(seed));
        QElapsedTimer timer;
        timer.start();
        mpq::JobControl control; // Ctrl-C stops the decomposition between rows (exit 3)
        control.isCancelled = [] { return interrupted(); };
        beginStage(QStringLiteral("mpq decompose"), QStringLiteral("decomposing"));
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, options, control);
        throwIfInterrupted();
        const double seconds = timer.nsecsElapsed() / 1e9;
        const std::vector<mpq::PointSummary> summary = mpq::summarize(d);

        out() << QString(
                     "%1 x %2 Laplace weights, %3 bits, %4 search, %5 s (%6 M weight-points/s)\n")
                     .arg(rows)
                     .arg(cols)
                     .arg(bits)
                     .arg(search)
                     .arg(seconds, 0, 'f', 3)
                     .arg(double(rows) * cols * points / seconds / 1e6, 0, 'f', 2);
        out() << QString("%1  %2  %3  %4  %5\n")
                     .arg("points", 6)
                     .arg("mean rel. residual", 18)
                     .arg("max rel. residual", 17)
                     .arg("SQNR dB", 8)
                     .arg("eff. bits", 9);
        QJsonArray rowsJson;
        for (const mpq::PointSummary &s : summary) {
            const double sqnr =
                s.relativeError > 0 ? -10.0 * std::log10(s.relativeError) : INFINITY;
            out() << QString("%1  %2  %3  %4  %5\n")
                         .arg(s.points, 6)
                         .arg(s.meanRelativeResidual, 18, 'e', 3)
                         .arg(s.maxRelativeResidual, 17, 'e', 3)
                         .arg(sqnr, 8, 'f', 1)
                         .arg(s.effectiveBits, 9, 'f', 2);
            rowsJson.append(QJsonObject{{"points", s.points},
                                        {"mean_relative_residual", s.meanRelativeResidual},
                                        {"max_relative_residual", s.maxRelativeResidual},
                                        {"relative_error", s.relativeError},
                                        {"effective_bits", s.effectiveBits}});
        }
        out().flush();
        if (p.isSet("json")) {
            const QJsonObject doc{{"rows", rows},       {"cols", cols},         {"bits", bits},
                                  {"search", search},   {"first_point", first}, {"seed", seed},
                                  {"seconds", seconds}, {"per_point", rowsJson}};
            if (!writeOutputFile(QStringLiteral("mpq decompose"), p.value("json"),
                                 QJsonDocument(doc).toJson()))
                return ExitBadInput;
        }
    } catch (const mpq::Error &e) {
        err() << "mpq decompose: " << e.what() << Qt::endl;
        return e.code() == mpq::ErrorCode::Cancelled ? ExitCancelled : ExitBadInput;
    }
    return ExitOk;
}
