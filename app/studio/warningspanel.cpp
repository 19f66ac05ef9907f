#include "warningspanel.h"

namespace mpq::studio {

namespace {
// which setter's lines an item is, so that the next call of that setter replaces them
constexpr int kSourceRole = Qt::UserRole + 1;
constexpr int kEvaluation = 1;
constexpr int kAllocation = 2;

void replaceLines(QListWidget *list, int source, const QStringList &lines)
{
    for (int i = list->count() - 1; i >= 0; --i)
        if (list->item(i)->data(kSourceRole).toInt() == source)
            delete list->takeItem(i);
    for (const QString &w : lines) {
        auto *line = new QListWidgetItem(w, list);
        line->setData(kSourceRole, source);
    }
}
} // namespace

WarningsPanel::WarningsPanel(QWidget *parent)
    : QListWidget(parent)
{
    setWordWrap(true);
}

void WarningsPanel::setModelAndAnalysis(const std::vector<std::string> &model,
                                        const std::vector<std::string> &analysis)
{
    clear();
    for (const std::string &w : model)
        addItem(tr("Model: %1").arg(QString::fromStdString(w)));
    for (const std::string &w : analysis)
        addItem(tr("Analysis: %1").arg(QString::fromStdString(w)));
    emit countChanged(count());
}

void WarningsPanel::setEvaluation(const QStringList &warnings)
{
    QStringList lines;
    for (const QString &w : warnings)
        lines << tr("Evaluation: %1").arg(w);
    replaceLines(this, kEvaluation, lines);
    emit countChanged(count());
}

void WarningsPanel::setAllocation(const std::vector<std::string> &warnings)
{
    QStringList lines;
    for (const std::string &w : warnings)
        lines << tr("Allocation: %1").arg(QString::fromStdString(w));
    replaceLines(this, kAllocation, lines);
    emit countChanged(count());
}

} // namespace mpq::studio
