#include "mpqwidgets/layertablemodel.h"

#include "mpqwidgets/glossary.h"
#include "mpqwidgets/numberformat.h"

#include <QLocale>
#include <QStringList>

#include <cmath>
#include <limits>
#include <unordered_map>

namespace mpq::ui {

namespace {

const QString kDash = QStringLiteral("\u2014");

bool isAllocationColumn(int column)
{
    return column >= LayerTableModel::MeanPoints && column <= LayerTableModel::EffectiveBits;
}

bool isPointsColumn(int column)
{
    return column == LayerTableModel::MeanPoints || column == LayerTableModel::MaxPoints;
}

QString shapeText(const mpq::LayerInfo &layer)
{
    QStringList dims;
    for (std::int64_t d : layer.weightShape)
        dims << QString::number(d);
    return dims.join(QStringLiteral(" \u00d7 "));
}

// mpq::layerKindName lives in mpqmodel, which widgets must not link; the same words here.
QString kindText(mpq::LayerKind kind)
{
    switch (kind) {
    case mpq::LayerKind::Conv1d:
        return QStringLiteral("conv1d");
    case mpq::LayerKind::Conv2d:
        return QStringLiteral("conv2d");
    case mpq::LayerKind::Linear:
        return QStringLiteral("linear");
    }
    return {};
}

std::int64_t weightCount(const mpq::LayerInfo &layer)
{
    std::int64_t n = layer.weightShape.empty() ? 0 : 1;
    for (std::int64_t d : layer.weightShape)
        n *= d;
    return n;
}

} // namespace

LayerTableModel::LayerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void LayerTableModel::setLayers(std::vector<mpq::LayerInfo> layers)
{
    beginResetModel();
    m_layers = std::move(layers);
    matchAllocation();
    endResetModel();
}

void LayerTableModel::setAllocation(std::shared_ptr<const mpq::Allocation> allocation)
{
    m_allocation = std::move(allocation);
    matchAllocation();
    emitAllChanged(Name, EffectiveBits);
}

void LayerTableModel::setOverrides(std::map<std::string, mpq::LayerOverride> overrides)
{
    m_overrides = std::move(overrides);
    emitAllChanged(Override, Override);
}

void LayerTableModel::matchAllocation()
{
    m_allocationRow.assign(m_layers.size(), -1);
    if (!m_allocation)
        return;
    std::unordered_map<std::string, int> byName;
    for (std::size_t i = 0; i < m_allocation->layers.size(); ++i)
        byName.emplace(m_allocation->layers[i].name, int(i));
    for (std::size_t row = 0; row < m_layers.size(); ++row) {
        const auto it = byName.find(m_layers[row].name);
        if (it != byName.end())
            m_allocationRow[row] = it->second;
    }
}

void LayerTableModel::emitAllChanged(int firstColumn, int lastColumn)
{
    if (m_layers.empty())
        return;
    emit dataChanged(index(0, firstColumn), index(rowCount() - 1, lastColumn));
}

int LayerTableModel::layerIndex(int row) const
{
    return row >= 0 && row < rowCount() ? row : -1;
}

int LayerTableModel::rowOfLayer(const QString &name) const
{
    const std::string key = name.toStdString();
    for (std::size_t row = 0; row < m_layers.size(); ++row) {
        if (m_layers[row].name == key)
            return int(row);
    }
    return -1;
}

const mpq::LayerAllocation *LayerTableModel::layerAllocation(int row) const
{
    if (!m_allocation || row < 0 || row >= rowCount() || m_allocationRow[row] < 0)
        return nullptr;
    return &m_allocation->layers[m_allocationRow[row]];
}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LayerTableModel::overrideText(int row) const
{
    const auto it = m_overrides.find(m_layers[row].name);
    if (it == m_overrides.end())
        return {};
    switch (it->second.kind) {
    case mpq::LayerOverride::Kind::Points:
        return tr("%n point(s)", nullptr, it->second.points);
    case mpq::LayerOverride::Kind::Bits:
        return tr("%n bit(s)", nullptr, it->second.bits);
    case mpq::LayerOverride::Kind::Float:
        return tr("float");
    }
    return {};
}

QVariant LayerTableModel::rawValue(int row, int column) const
{
    const mpq::LayerInfo &layer = m_layers[row];
    switch (column) {
    case Name:
        return QString::fromStdString(layer.name);
    case Kind:
        return kindText(layer.kind);
    case Shape:
        return qlonglong(weightCount(layer));
    case Channels:
        return qlonglong(layer.outChannels);
    case Override:
        return overrideText(row);
    }
    const mpq::LayerAllocation *a = layerAllocation(row);
    if (!a)
        return {};
    // Float layers sort above every point count: they are the most precise choice.
    const double inf = std::numeric_limits<double>::infinity();
    switch (column) {
    case MeanPoints:
        return a->isFloat ? inf : a->meanPoints;
    case MaxPoints:
        return a->isFloat ? inf : double(a->maxPoints);
    case Overhead:
        return a->overhead;
    case MacOverhead:
        return a->macOverhead;
    case RelativeError:
        return a->relativeError;
    case Sqnr:
        return a->sqnrDb;
    case EffectiveBits:
        return a->effectiveBits;
    }
    return {};
}

QVariant LayerTableModel::displayText(int row, int column) const
{
    const mpq::LayerInfo &layer = m_layers[row];
    switch (column) {
    case Name:
        return QString::fromStdString(layer.name);
    case Kind:
        return kindText(layer.kind);
    case Shape:
        return shapeText(layer);
    case Channels:
        return QLocale().toString(qlonglong(layer.outChannels));
    case Override:
        return overrideText(row);
    }
    const mpq::LayerAllocation *a = layerAllocation(row);
    if (!a)
        return {};
    if (a->isFloat && column != Overhead && column != MacOverhead && column != EffectiveBits)
        return isPointsColumn(column) ? tr("float") : kDash;
    switch (column) {
    case MeanPoints:
        return QLocale().toString(a->meanPoints, 'f', 2);
    case MaxPoints:
        return QLocale().toString(a->maxPoints);
    case Overhead:
        return formatPercent(a->overhead);
    case MacOverhead:
        return formatPercent(a->macOverhead);
    case RelativeError:
        return formatRelativeError(a->relativeError);
    case Sqnr:
        return formatSqnr(a->relativeError);
    case EffectiveBits:
        return formatBits(a->effectiveBits);
    }
    return {};
}

QString LayerTableModel::toolTip(int row, int column) const
{
    const mpq::LayerInfo &layer = m_layers[row];
    const QLocale loc;
    if (!isAllocationColumn(column)) {
        QString tip =
            tr("%1 (%2), weight %3: %4 channels of %5 weights")
                .arg(QString::fromStdString(layer.name), kindText(layer.kind), shapeText(layer),
                     loc.toString(qlonglong(layer.outChannels)), loc.toString(qlonglong(layer.d)));
        if (!layer.foldedBatchNorm.empty())
            tip += QLatin1Char('\n') +
                   tr("BatchNorm %1 folded in").arg(QString::fromStdString(layer.foldedBatchNorm));
        if (column == Override && !overrideText(row).isEmpty())
            tip += QLatin1Char('\n') + tr("Pinned by the user: %1").arg(overrideText(row));
        return tip;
    }
    const mpq::LayerAllocation *a = layerAllocation(row);
    if (!a)
        return tr("Not allocated yet: run the analysis and choose a threshold or budget.");
    if (a->isFloat)
        return tr("Kept in float (32-bit weights): its weights cost %1 more than at %2 bits; its "
                  "%3 MACs run in float and are counted apart.")
            .arg(formatPercent(a->overhead))
            .arg(m_allocation ? m_allocation->bits : 0)
            .arg(loc.toString(qlonglong(a->macs)));
    switch (column) {
    case MeanPoints:
    case MaxPoints: {
        std::map<int, int> histogram;
        for (int n : a->points)
            ++histogram[n];
        QStringList parts;
        for (const auto &[n, count] : histogram)
            parts << tr("%1 with %n point(s)", nullptr, n).arg(loc.toString(count));
        // extra points of fewer bits (docs/multipoint.md section 11) are named
        const QString bits = a->extraBits > 0 && a->extraBits != a->bits
                                 ? tr("first point %1, extra points %2")
                                       .arg(tr("%n bit(s)", nullptr, a->bits),
                                            tr("%n bit(s)", nullptr, a->extraBits))
                                 : tr("%n bit(s)", nullptr, a->bits);
        return tr("Mean %1 points per channel, at most %2 (%3)\nChannels: %4")
            .arg(loc.toString(a->meanPoints, 'f', 4))
            .arg(a->maxPoints)
            .arg(bits)
            .arg(parts.join(QStringLiteral(", ")));
    }
    case Overhead:
    case MacOverhead:
        return tr("%1 extra weights on %2 (%3 %)\nMACs: %4 extra on %5 (%6 %)")
            .arg(loc.toString(qlonglong(a->extraWeights)), loc.toString(qlonglong(a->weights)),
                 loc.toString(a->overhead * 100.0, 'f', 3), loc.toString(qlonglong(a->extraMacs)),
                 loc.toString(qlonglong(a->macs)), loc.toString(a->macOverhead * 100.0, 'f', 3));
    case RelativeError:
    case Sqnr:
        return tr("Relative output error R = %1\nSQNR = %2 dB")
            .arg(loc.toString(a->relativeError, 'e', 6))
            .arg(std::isfinite(a->sqnrDb) ? loc.toString(a->sqnrDb, 'f', 3) : tr("inf"));
    case EffectiveBits:
        return tr("%1 bits per weight, one 32-bit scale per point counted")
            .arg(loc.toString(a->effectiveBits, 'f', 4));
    }
    return {};
}

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case RawValueRole:
        return rawValue(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::TextAlignmentRole:
        if (column == Name || column == Kind || column == Override)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case MeanPoints:
            return termToolTip(Term::Point) +
                   tr("<p>Here: the mean number of points per output channel.</p>");
        case MaxPoints:
            return tr("Largest number of points of any channel");
        case Overhead:
            return termToolTip(Term::MemoryOverhead) +
                   tr("<p>Here per layer: its extra stored bits over its weights at the "
                      "chosen bits.</p>");
        case MacOverhead:
            return termToolTip(Term::MacOverhead) +
                   tr("<p>Here per layer: its extra MACs over its MACs.</p>");
        case RelativeError:
            return termToolTip(Term::RelativeError);
        case Sqnr:
            return termToolTip(Term::Sqnr);
        case EffectiveBits:
            return termToolTip(Term::EffectiveBits);
        case Override:
            return tr("A pin set by the user (fixed points, other bits, or float)");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Kind:
        return tr("Kind");
    case Shape:
        return tr("Shape");
    case Channels:
        return tr("Channels");
    case MeanPoints:
        return tr("Points");
    case MaxPoints:
        return tr("Max pts");
    case Overhead:
        return tr("Memory");
    case MacOverhead:
        return tr("MACs");
    case RelativeError:
        return tr("Rel. error");
    case Sqnr:
        return tr("SQNR");
    case EffectiveBits:
        return tr("Eff. bits");
    case Override:
        return tr("Override");
    }
    return {};
}

} // namespace mpq::ui
