#pragma once
// The Warnings dock's list: what the model, its analysis, the allocation and the latest
// evaluation warn about, each line prefixed with where it comes from. GUI thread only.

#include <QListWidget>
#include <QStringList>

#include <string>
#include <vector>

namespace mpq::studio {

class WarningsPanel : public QListWidget
{
    Q_OBJECT
public:
    explicit WarningsPanel(QWidget *parent = nullptr);

    /// Replaces every line with the model's and the analysis' warnings (a new model or
    /// analysis: the previous evaluation's lines no longer apply).
    void setModelAndAnalysis(const std::vector<std::string> &model,
                             const std::vector<std::string> &analysis);
    /// Replaces the lines of the previous evaluation with these.
    void setEvaluation(const QStringList &warnings);
    /// Replaces the lines of the previous allocation with the current one's (mpq::Allocation::
    /// warnings: pins over the budget, Bits overrides measured on fewer calibration images).
    void setAllocation(const std::vector<std::string> &warnings);

signals:
    /// The number of lines changed (the status bar shows it).
    void countChanged(int count);
};

} // namespace mpq::studio
