#include "statussummary.h"

#include "mpqwidgets/glossary.h"
#include "mpqwidgets/numberformat.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

#include <algorithm>

namespace mpq::studio {

StatusSummary::StatusSummary(QWidget *parent)
    : QWidget(parent)
    , m_model(new QLabel(this))
    , m_memory(new QLabel(this))
    , m_mac(new QLabel(this))
    , m_bits(new QLabel(this))
    , m_float(new QLabel(this))
    , m_warnings(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(fontMetrics().averageCharWidth() * 2);
    for (QLabel *l : {m_model, m_memory, m_mac, m_bits, m_float})
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
        for (QLabel *l : {m_memory, m_mac, m_bits, m_float}) {
            l->clear();
            l->setToolTip(QString());
        }
        return;
    }
    // the figures of mpq::Allocation, all over every quantizable layer (docs/multipoint.md
    // section 4): the same ones the CLI table and the JSON report show
    const mpq::Allocation &a = *allocation;
    // rich-text tooltips: the glossary entry of the word (issue 14), then the figure's details
    const auto para = [](const QString &plain) {
        return QStringLiteral("<p>%1</p>").arg(plain.toHtmlEscaped());
    };
    QString warnings;
    for (const std::string &w : a.warnings)
        warnings += para(QString::fromStdString(w));
    m_memory->setText(tr("%1 memory").arg(mpq::ui::formatPercent(a.memoryOverhead)));
    m_memory->setToolTip(
        mpq::ui::termToolTip(mpq::ui::Term::MemoryOverhead) +
        para(tr("Memory overhead: stored bits of all quantizable layers over %1 bits per weight, "
                "minus one (extra points, layers at other bits and float layers all counted); "
                "pinned layers %2")
                 .arg(a.bits)
                 .arg(mpq::ui::formatPercent(a.pinnedMemoryOverhead))) +
        warnings);
    m_mac->setText(tr("%1 MACs").arg(mpq::ui::formatPercent(a.macOverhead)));
    m_mac->setToolTip(mpq::ui::termToolTip(mpq::ui::Term::MacOverhead) +
                      para(tr("MAC overhead: extra multiply-accumulates of the extra points over "
                              "all MACs of the quantizable layers; float MACs are not charged")) +
                      warnings);
    m_bits->setText(mpq::ui::formatBits(a.effectiveBits));
    m_bits->setToolTip(mpq::ui::termToolTip(mpq::ui::Term::EffectiveBits) +
                       para(tr("Effective bits per weight over all quantizable weights: float "
                               "layers at 32 bits, one fp32 scale per point counted")));
    m_float->setText(a.floatMacs > 0
                         ? tr("%1 float MACs").arg(mpq::ui::formatPercent(a.floatMacShare))
                         : QString());
    m_float->setToolTip(a.floatMacs > 0
                            ? tr("%n weight(s) kept float; their MACs run in float "
                                 "and are shown apart",
                                 nullptr, int(std::min<std::int64_t>(a.floatWeights, 2147483647)))
                            : QString());
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

QString StatusSummary::floatText() const
{
    return m_float->text();
}

} // namespace mpq::studio
