#include "mpqwidgets/layerfilterproxy.h"

#include "mpqwidgets/layertablemodel.h"

#include <QRegularExpression>

namespace mpq::ui {

namespace {

// Natural order, independent of the locale's collation support: runs of digits compare as
// numbers ("layer2" < "layer10"), everything else case-insensitively. Ties fall back to the
// plain string order so the result is a strict weak ordering.
int naturalCompare(const QString &a, const QString &b)
{
    int i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            int ei = i, ej = j;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            QStringView da = QStringView(a).mid(i, ei - i), db = QStringView(b).mid(j, ej - j);
            while (da.size() > 1 && da.front() == QLatin1Char('0'))
                da = da.mid(1);
            while (db.size() > 1 && db.front() == QLatin1Char('0'))
                db = db.mid(1);
            if (da.size() != db.size())
                return da.size() < db.size() ? -1 : 1;
            if (const int c = da.compare(db))
                return c;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded(), cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size())
        return i < a.size() ? 1 : -1;
    return a.compare(b);
}

} // namespace

LayerFilterProxy::LayerFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(LayerTableModel::RawValueRole);
    setFilterKeyColumn(LayerTableModel::Name);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    // Allocation updates arrive as dataChanged while the user drags a slider: re-sort live.
    setDynamicSortFilter(true);
}

void LayerFilterProxy::setFilterText(const QString &text)
{
    m_filterText = text;
    const QString trimmed = text.trimmed();
    if (trimmed.contains(QLatin1Char('*')) || trimmed.contains(QLatin1Char('?'))) {
        // Unanchored glob: escape everything, then turn * and ? back into wildcards.
        QString pattern = QRegularExpression::escape(trimmed);
        pattern.replace(QStringLiteral("\\*"), QStringLiteral(".*"));
        pattern.replace(QStringLiteral("\\?"), QStringLiteral("."));
        setFilterRegularExpression(
            QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption));
    } else {
        setFilterFixedString(trimmed);
    }
}

int LayerFilterProxy::layerIndex(int proxyRow) const
{
    const QModelIndex source = mapToSource(index(proxyRow, 0));
    if (!source.isValid())
        return -1;
    if (const auto *model = qobject_cast<const LayerTableModel *>(sourceModel()))
        return model->layerIndex(source.row());
    return source.row();
}

bool LayerFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    // Rows without a value (no allocation yet) sort first, like the empty string.
    if (!a.isValid() || !b.isValid())
        return !a.isValid() && b.isValid();
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString) {
        return naturalCompare(a.toString(), b.toString()) < 0;
    }
    return a.toDouble() < b.toDouble();
}

} // namespace mpq::ui
