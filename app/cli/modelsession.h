#pragma once
// What every model command of mpq shares: the options that define an analysis, loading the
// model, its profile and the analysis (computed, or loaded from a file and checked), and the
// allocation options.

#include "cliutil.h"

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/model.h"
#include "mpq/pipeline.h"
#include "mpq/profile.h"

#include <QString>

struct SessionOptions
{
    mpq::AnalysisSettings settings;
    QString calibDir;
    QString profilePath;  ///< empty: MODEL.profile.json beside the model
    QString analysisPath; ///< non-empty: load this analysis instead of computing one
    QString device = QStringLiteral("cpu");
    int threads = 1;
};

void addSessionOptions(QCommandLineParser &p);
/// defaultCalib: used when neither --calib nor --analysis is given (empty: that is an error).
bool readSessionOptions(const QCommandLineParser &p, const QString &command,
                        SessionOptions &options, const QString &defaultCalib = {});

void addAllocationOptions(QCommandLineParser &p);
/// Reads --epsilon/--budget/--budget-cost/--overrides. Returns false after printing the
/// problem; `badInput` tells a usage error from an unreadable or malformed overrides file.
bool readAllocationOptions(const QCommandLineParser &p, const QString &command, int bits,
                           mpq::AllocationSettings &allocation, bool &badInput);

/// readSessionOptions and readAllocationOptions together, for the commands that take both.
/// Returns -1 to go on, else the exit code (usage error, or bad input for a broken overrides file).
int readModelOptions(const QCommandLineParser &p, const QString &command, SessionOptions &options,
                     mpq::AllocationSettings &allocation, const QString &defaultCalib = {});

/// --images and --eval-count, for the commands that evaluate on sample images.
void addEvaluationImageOptions(QCommandLineParser &p);
/// --eval-count: the most images mpq::evaluationImages chooses from --images (0: all). Returns
/// false after printing a bad count.
bool readEvaluationCount(const QCommandLineParser &p, const QString &command, int &limit);
/// "N images", or "N of the M images in DIR" with why (a seeded choice, unreadable ones
/// skipped) when the evaluation ran on fewer than the folder holds.
QString evaluatedImagesText(std::size_t evaluated, const mpq::ImageSet &images);

/// Progress on stderr for the pipeline: a line per stage, a live percentage when stderr is a
/// terminal; Ctrl-C (interrupted()) cancels.
mpq::JobControl terminalControl(const QString &command);

/// The methods of a comma-separated --method value, in order. Throws
/// mpq::Error(InvalidArgument) for an unknown word or an empty list.
std::vector<mpq::Method> parseMethods(const QString &value);

/// Prints "<command>: <what>" and returns the exit code of a core error: 3 when cancelled,
/// else 2 (bad input).
int reportError(const QString &command, const mpq::Error &error);

/// A model opened by the pipeline with its analysis.
struct Session
{
    mpq::OpenedModel opened;
    std::shared_ptr<const mpq::Analysis> analysis;
    bool fromCache = false; ///< the analysis came from the analysis cache

    const mpq::Model &model() const { return *opened.model; }
    const mpq::ModelProfile &profile() const { return opened.profile; }
};

/// Opens the model and its profile through the pipeline, then computes the analysis (a line per
/// stage on stderr, progress too when it is a terminal; Ctrl-C cancels, also while the model
/// loads) or loads the saved one and checks that it matches. `cache`: the analysis cache to use
/// (null: none). Throws mpq::Error with a message naming the file and the problem.
Session openSession(const QString &modelPath, const SessionOptions &options, const QString &command,
                    const mpq::AnalysisCache *cache = nullptr);

/// The quantization the allocation settings describe (mpq::quantize: layers at other bits for
/// Bits overrides computed now). Throws mpq::Error(InvalidArgument) for an override naming no
/// layer, then checks for Ctrl-C (Error(Cancelled)).
mpq::Quantization quantizeSession(const Session &session, const mpq::AllocationSettings &allocation,
                                  const QString &command);
