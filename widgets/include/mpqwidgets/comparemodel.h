#pragma once
// The Compare page's figures: per quantization method, its cost and the task metric on the
// same sample images.

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace mpq::ui {

struct MethodFigures
{
    QString method;             ///< the CLI word: "multipoint", "rtn", "mse", "ocs", "mixed",
                                ///< "rtn-next", "mse-next"
    QString detail;             ///< e.g. "expand ratio 4.8 %"
    double effectiveBits = 0.0; ///< bits per quantized weight, scales counted
    double memoryOverhead = 0.0;
    double metric = 0.0;      ///< the task metric as a fraction (top-1, or mAP@0.5 vs float)
    double reference = 0.0;   ///< the float model's value of the same metric
    double macOverhead = 0.0; ///< extra MACs / all MACs (docs/multipoint.md section 4)
};

/// A method's display name, colour and QCPScatterStyle shape number (QCPScatterStyle::ScatterShape
/// as int), the same on every page; multipoint gets the quantized colour, and no two methods
/// share a colour or a shape (the float model's blue is left to the reference line).
QString methodTitle(const QString &method);
QColor methodColor(const QString &method);
int methodShape(const QString &method);

/// One row per method. Columns below; display text per ui.md (accuracy with two decimals and
/// the change in points against float), RawValueRole the number.
class CompareModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Method,
        EffectiveBits,
        MemoryOverhead,
        MacOverhead,
        Metric,
        Change,
        Detail,
        ColumnCount
    };
    static constexpr int RawValueRole = Qt::UserRole;

    explicit CompareModel(QObject *parent = nullptr);
    /// metricName: e.g. "top-1" or "mAP@0.5 vs float".
    void setFigures(std::vector<MethodFigures> figures, const QString &metricName);
    const std::vector<MethodFigures> &figures() const { return m_figures; }
    QString metricName() const { return m_metricName; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<MethodFigures> m_figures;
    QString m_metricName;
};

} // namespace mpq::ui
