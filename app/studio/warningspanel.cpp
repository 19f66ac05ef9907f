#include "warningspanel.h"

namespace mpq::studio {

namespace {
constexpr int kEvaluationRole = Qt::UserRole + 1; // marks the lines setEvaluation replaces
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
    for (int i = count() - 1; i >= 0; --i)
        if (item(i)->data(kEvaluationRole).toBool())
            delete takeItem(i);
    for (const QString &w : warnings) {
        auto *line = new QListWidgetItem(tr("Evaluation: %1").arg(w), this);
        line->setData(kEvaluationRole, true);
    }
    emit countChanged(count());
}

} // namespace mpq::studio
