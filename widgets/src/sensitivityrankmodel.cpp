#include "mpqwidgets/sensitivityrankmodel.h"

#include "mpqwidgets/glossary.h"
#include "mpqwidgets/numberformat.h"

#include "mpq/error.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace mpq::ui {

SensitivityRankModel::SensitivityRankModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SensitivityRankModel::setAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    beginResetModel();
    m_analysis = std::move(analysis);
    m_rows.clear();
    if (m_analysis) {
        for (int i = 0; i < int(m_analysis->curves.size()); ++i) {
            const mpq::LayerCurves &c = m_analysis->curves[std::size_t(i)];
            Row row;
            row.layer = i;
            row.onePointError = c.maxPoints > 0 ? mpq::layerRelativeError(c, 1) : qQNaN();
            m_rows.push_back(row);
        }
        // largest one-point error first; a silent layer (NaN) last, graph order among equals
        std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) {
            const bool fa = !std::isnan(a.onePointError), fb = !std::isnan(b.onePointError);
            if (fa != fb)
                return fa;
            return fa && a.onePointError > b.onePointError;
        });
    }
    recompute();
    endResetModel();
}

void SensitivityRankModel::setEpsilon(double epsilon)
{
    if (!(epsilon > 0.0) || epsilon == m_epsilon)
        return;
    m_epsilon = epsilon;
    recompute();
    if (!m_rows.empty())
        emit dataChanged(index(0, Points), index(rowCount() - 1, CumulativeMemoryCost));
}

void SensitivityRankModel::recompute()
{
    m_allocation.reset();
    for (Row &row : m_rows) {
        row.allocation = nullptr;
        row.memoryCost = row.macCost = row.cumulativeMemoryCost = qQNaN();
    }
    if (!m_analysis || m_analysis->curves.empty())
        return;
    // The threshold rule alone, without the user's pins: what each layer needs to reach epsilon
    // (docs/multipoint.md section 4). Milliseconds, so it follows the slider.
    mpq::AllocationSettings settings;
    settings.bits = m_analysis->curves.front().bits;
    settings.rule = mpq::AllocationRule::Threshold;
    settings.epsilon = m_epsilon;
    try {
        m_allocation =
            std::make_unique<mpq::Allocation>(mpq::allocate(m_analysis->curves, settings));
    } catch (const mpq::Error &) {
        return; // inconsistent curves: the figures stay empty
    }
    const double bitsDenominator = double(m_allocation->bits) * double(m_allocation->allWeights);
    double cumulative = 0.0;
    for (Row &row : m_rows) {
        const std::string &name = m_analysis->curves[std::size_t(row.layer)].name;
        const auto &layers = m_allocation->layers;
        const mpq::LayerAllocation *la = nullptr;
        if (row.layer < int(layers.size()) && layers[std::size_t(row.layer)].name == name)
            la = &layers[std::size_t(row.layer)];
        else
            for (const mpq::LayerAllocation &l : layers)
                if (l.name == name)
                    la = &l;
        row.allocation = la;
        if (!la)
            continue;
        row.memoryCost = bitsDenominator > 0.0 ? double(la->costBits) / bitsDenominator : 0.0;
        row.macCost =
            m_allocation->allMacs > 0 ? double(la->extraMacs) / double(m_allocation->allMacs) : 0.0;
        cumulative += row.memoryCost;
        row.cumulativeMemoryCost = cumulative;
    }
}

int SensitivityRankModel::layerIndex(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].layer : -1;
}

int SensitivityRankModel::rowOfLayer(int layer) const
{
    for (int r = 0; r < int(m_rows.size()); ++r)
        if (m_rows[std::size_t(r)].layer == layer)
            return r;
    return -1;
}

int SensitivityRankModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SensitivityRankModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SensitivityRankModel::rawValue(const Row &row, int column) const
{
    const mpq::LayerAllocation *la = row.allocation;
    switch (column) {
    case Rank:
        return rowOfLayer(row.layer) + 1;
    case Name:
        return QString::fromStdString(m_analysis->curves[std::size_t(row.layer)].name);
    case OnePointError:
        return row.onePointError;
    case Points:
        return la ? QVariant(la->meanPoints) : QVariant();
    case ErrorAtPoints:
        return la ? QVariant(la->relativeError) : QVariant();
    case MemoryCost:
        return la ? QVariant(row.memoryCost) : QVariant();
    case MacCost:
        return la ? QVariant(row.macCost) : QVariant();
    case CumulativeMemoryCost:
        return la ? QVariant(row.cumulativeMemoryCost) : QVariant();
    }
    return {};
}

QVariant SensitivityRankModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || !m_analysis)
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const QVariant raw = rawValue(row, index.column());
    const mpq::LayerAllocation *la = row.allocation;
    switch (role) {
    case RawValueRole:
        return raw;
    case Qt::TextAlignmentRole:
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DisplayRole:
        if (!raw.isValid())
            return QStringLiteral("\u2013");
        switch (index.column()) {
        case Rank:
            return raw;
        case Name:
            return raw;
        case OnePointError:
        case ErrorAtPoints:
            return std::isnan(raw.toDouble()) ? QStringLiteral("\u2013")
                                              : formatRelativeError(raw.toDouble());
        case Points:
            return la->maxPoints > 1 ? tr("%1 (max %2)")
                                           .arg(QLocale().toString(la->meanPoints, 'f', 2))
                                           .arg(la->maxPoints)
                                     : QLocale().toString(la->meanPoints, 'f', 2);
        default:
            return formatPercent(raw.toDouble());
        }
    case Qt::ToolTipRole: {
        const QString name =
            QString::fromStdString(m_analysis->curves[std::size_t(row.layer)].name);
        QString tip = tr("%1\nRank %2 by the error round-to-nearest (1 point) leaves: %3")
                          .arg(name)
                          .arg(index.row() + 1)
                          .arg(QLocale().toString(row.onePointError, 'e', 4));
        if (la)
            tip += tr("\nTo reach \u03b5 = %1: %2 points per channel on average (at most %3), "
                      "error %4, memory cost %5 of the model (%6 extra bits), MAC cost %7\n"
                      "This layer and those above it: %8")
                       .arg(formatRelativeError(m_epsilon))
                       .arg(QLocale().toString(la->meanPoints, 'f', 3))
                       .arg(la->maxPoints)
                       .arg(QLocale().toString(la->relativeError, 'e', 4))
                       .arg(formatPercent(row.memoryCost))
                       .arg(QLocale().toString(qlonglong(la->costBits)))
                       .arg(formatPercent(row.macCost))
                       .arg(formatPercent(row.cumulativeMemoryCost));
        return tip + tr("\nClick to select the layer everywhere");
    }
    default:
        return {};
    }
}

QVariant SensitivityRankModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Rank:
            return tr("#");
        case Name:
            return tr("Layer");
        case OnePointError:
            return tr("Error at 1 pt");
        case Points:
            return tr("Points to reach \u03b5");
        case ErrorAtPoints:
            return tr("Error then");
        case MemoryCost:
            return tr("Memory cost");
        case MacCost:
            return tr("MAC cost");
        case CumulativeMemoryCost:
            return tr("Cumulative memory");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rank:
            return tr("Rank by the error at one point per channel, largest first");
        case Name:
            return tr("The layer's module path");
        case OnePointError:
            return termToolTip(Term::RelativeError) +
                   tr("<p>With one point per channel: what round-to-nearest does to the "
                      "layer.</p>");
        case Points:
            return termToolTip(Term::Point) + termToolTip(Term::Epsilon) +
                   tr("<p>The mean (and largest) points per channel the threshold rule gives "
                      "this layer at the current \u03b5.</p>");
        case ErrorAtPoints:
            return tr("<p>The layer's relative error with those points.</p>");
        case MemoryCost:
            return termToolTip(Term::MemoryOverhead) +
                   tr("<p>This layer's share: its extra points over all quantizable weights; "
                      "the column sums to the model's overhead at \u03b5.</p>");
        case MacCost:
            return termToolTip(Term::MacOverhead);
        case CumulativeMemoryCost:
            return tr("<p>The memory cost of fixing this layer and every layer ranked above "
                      "it.</p>");
        }
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace mpq::ui
