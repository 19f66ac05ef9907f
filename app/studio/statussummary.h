#pragma once

#include "mpq/allocation.h"

#include <QWidget>

#include <memory>

class QLabel;
class QToolButton;

namespace mpq::studio {

/// The status bar's permanent part: the model (name, layers, file size), the cost of the
/// current allocation (memory overhead, MAC overhead, effective bits, and the float MACs shown
/// apart when a layer is kept float; docs/multipoint.md section 4) and the warnings count.
class StatusSummary : public QWidget
{
    Q_OBJECT
public:
    explicit StatusSummary(QWidget *parent = nullptr);

    void setModel(const QString &path, int layers, qint64 fileSize);
    /// nullptr clears the cost figures.
    void setAllocation(const std::shared_ptr<const mpq::Allocation> &allocation);
    /// Hidden when 0.
    void setWarningCount(int count);

    QString memoryText() const;
    QString macText() const;
    QString bitsText() const;
    QString floatText() const; ///< empty unless a layer is kept float

signals:
    void warningsClicked();

private:
    QLabel *m_model;
    QLabel *m_memory;
    QLabel *m_mac;
    QLabel *m_bits;
    QLabel *m_float;
    QToolButton *m_warnings;
};

} // namespace mpq::studio
