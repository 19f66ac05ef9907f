#include "analysiscache.h"

#include "mpq/error.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace mpq::studio {

AnalysisCache::AnalysisCache(QString directory)
    : m_directory(directory.isEmpty()
                      ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                            QStringLiteral("/analyses")
                      : std::move(directory))
{}

QString AnalysisCache::fileFor(const mpq::Model &model, const mpq::AnalysisSettings &s,
                               const std::vector<std::string> &imageFiles) const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray::fromStdString(model.sha256()));
    // Every setting that changes the analysis; activation bits only matter when running.
    hash.addData(QStringLiteral("|b%1|n%2|s%3|f%4|c%5|bs%6|seed%7|")
                     .arg(s.bits)
                     .arg(s.maxPoints)
                     .arg(static_cast<int>(s.search))
                     .arg(static_cast<int>(s.firstPoint))
                     .arg(s.calibCount)
                     .arg(s.batchSize)
                     .arg(static_cast<qulonglong>(s.seed))
                     .toUtf8());
    for (const std::string &file : imageFiles) {
        const QFileInfo info(QString::fromStdString(file));
        hash.addData(QByteArray::fromStdString(file));
        hash.addData(QByteArray::number(info.size()) + ':' +
                     QByteArray::number(info.lastModified().toMSecsSinceEpoch()) + '\n');
    }
    return m_directory + QLatin1Char('/') + QString::fromLatin1(hash.result().toHex()) +
           QStringLiteral(".mpqa");
}

std::shared_ptr<const mpq::Analysis>
AnalysisCache::load(const QString &file, const mpq::Model &model,
                    const mpq::AnalysisSettings &settings) const
{
    if (!QFileInfo::exists(file))
        return nullptr;
    try {
        auto saved = mpq::loadAnalysis(file.toStdString());
        mpq::checkAnalysisMatches(saved.analysis, model, settings);
        saved.analysis.settings.activationBits = settings.activationBits;
        return std::make_shared<const mpq::Analysis>(std::move(saved.analysis));
    } catch (const mpq::Error &e) {
        qWarning("mpq-studio: ignoring the cached analysis %s: %s", qPrintable(file), e.what());
        QFile::remove(file);
        return nullptr;
    }
}

bool AnalysisCache::store(const QString &file, const mpq::Analysis &analysis) const
{
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return false;
    try {
        mpq::saveAnalysis(analysis, nullptr, file.toStdString());
        return true;
    } catch (const mpq::Error &e) {
        qWarning("mpq-studio: cannot cache the analysis: %s", e.what());
        return false;
    }
}

} // namespace mpq::studio
