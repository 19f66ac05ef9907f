#pragma once
// The Compare page's figures: per quantization method, its cost and the task metric on the
// same sample images.

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>

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
    /// In a sweep, the memory budget this point was allocated at; -1 for a method whose weights
    /// do not depend on the budget (one point) and in a single comparison.
    double budget = -1.0;
    QStringList widerLayers; ///< mixed precision: the layers stored with one more bit
};

/// A method's display name, colour and QCPScatterStyle shape number (QCPScatterStyle::ScatterShape
/// as int), the same on every page; multipoint gets the quantized colour, and no two methods
/// share a colour or a shape (the float model's blue is left to the reference line).
QString methodTitle(const QString &method);
QColor methodColor(const QString &method);
int methodShape(const QString &method);

/// One row per method. Columns below; display text per docs/ui.md (accuracy with two decimals and
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
    /// A cell of one method's figures (data() of its row); shared with SweepModel.
    static QVariant figureData(const MethodFigures &figures, int column, int role);
    /// A column's title (the Metric column's is metricName).
    static QString columnTitle(int column, const QString &metricName);

private:
    std::vector<MethodFigures> m_figures;
    QString m_metricName;
};

/// The points of a sweep (issue 14, Compare's sweep mode): one row per method and budget, in
/// the order given (budget by budget), the budget first. Display and RawValueRole as
/// CompareModel; a point without a budget shows "any".
class SweepModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Budget,
        Method,
        MemoryOverhead,
        MacOverhead,
        EffectiveBits,
        Metric,
        Change,
        Detail,
        ColumnCount
    };
    static constexpr int RawValueRole = Qt::UserRole;

    explicit SweepModel(QObject *parent = nullptr);
    void setPoints(std::vector<MethodFigures> points, const QString &metricName);
    const std::vector<MethodFigures> &points() const { return m_points; }
    QString metricName() const { return m_metricName; }
    /// The methods in the order they first appear.
    QStringList methods() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<MethodFigures> m_points;
    QString m_metricName;
};

} // namespace mpq::ui
