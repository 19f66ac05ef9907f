#include "statussummary.h"

#include "mpqwidgets/numberformat.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace mpq::studio {

StatusSummary::StatusSummary(QWidget *parent)
    : QWidget(parent)
    , m_model(new QLabel(this))
    , m_memory(new QLabel(this))
    , m_mac(new QLabel(this))
    , m_bits(new QLabel(this))
    , m_warnings(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(fontMetrics().averageCharWidth() * 2);
    m_memory->setToolTip(tr("Memory overhead: extra low-bit weights of the extra points"));
    m_mac->setToolTip(tr("MAC overhead: extra multiply-accumulates of the extra points"));
    m_bits->setToolTip(tr("Effective bits per weight, one fp32 scale per point counted"));
    for (QLabel *l : {m_model, m_memory, m_mac, m_bits})
        layout->addWidget(l);
    m_warnings->setAutoRaise(true);
    m_warnings->setIcon(QIcon::fromTheme(QStringLiteral("dialog-warning"),
                                         style()->standardIcon(QStyle::SP_MessageBoxWarning)));
    m_warnings->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_warnings->setToolTip(tr("Show or hide the Warnings panel"));
    m_warnings->hide();
    layout->addWidget(m_warnings);
    connect(m_warnings, &QToolButton::clicked, this, &StatusSummary::warningsClicked);
}

void StatusSummary::setModel(const QString &path, int layers, qint64 fileSize)
{
    m_model->setText(tr("%1 · %n layer(s) · %2 MB", nullptr, layers)
                         .arg(QFileInfo(path).fileName())
                         .arg(fileSize / 1e6, 0, 'f', 1));
    m_model->setToolTip(path);
}

void StatusSummary::setAllocation(const std::shared_ptr<const mpq::Allocation> &allocation)
{
    if (!allocation) {
        for (QLabel *l : {m_memory, m_mac, m_bits})
            l->clear();
        return;
    }
    m_memory->setText(tr("%1 memory").arg(mpq::ui::formatPercent(allocation->memoryOverhead)));
    m_mac->setText(tr("%1 MACs").arg(mpq::ui::formatPercent(allocation->macOverhead)));
    m_bits->setText(mpq::ui::formatBits(allocation->effectiveBits));
}

void StatusSummary::setWarningCount(int count)
{
    m_warnings->setText(tr("%n warning(s)", nullptr, count));
    m_warnings->setVisible(count > 0);
}

QString StatusSummary::memoryText() const
{
    return m_memory->text();
}

QString StatusSummary::macText() const
{
    return m_mac->text();
}

QString StatusSummary::bitsText() const
{
    return m_bits->text();
}

} // namespace mpq::studio
