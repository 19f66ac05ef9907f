#pragma once
// What the window shows: the open model, its profile, the analysis, the curves the allocation
// draws from and the current allocation. GUI-thread object; the results it holds are immutable
// and shared with the widgets.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/model.h"
#include "mpq/pipeline.h"
#include "mpq/profile.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace mpq::studio {

class ModelDocument : public QObject
{
    Q_OBJECT
public:
    explicit ModelDocument(QObject *parent = nullptr);

    /// The rule a model opens with when it has none of its own (issue 14): a 5 % memory budget,
    /// which dominated the threshold rule on every trade-off measured; the threshold rule is
    /// one click away in the Settings.
    static mpq::AllocationSettings defaultRule();

    /// A new model: forgets the analysis, curves, overrides and allocation.
    void setModel(std::shared_ptr<const mpq::Model> model, const mpq::ModelProfile &profile,
                  const QString &path, qint64 fileSize);
    /// A new profile for the open model (the profile form): profileChanged when it differs. The
    /// analysis stays; evaluations made with the previous profile are out of date (issue 14).
    void setProfile(const mpq::ModelProfile &profile);
    /// A new analysis: its curves replace all others, overrides naming no layer of it are
    /// dropped, and the allocation is recomputed (allocationChanged). The model may be null
    /// (an analysis shown without its model: no channel weights then).
    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    /// Layers measured at other bits (Bits overrides, from mpq::layersAtBits); replaces entries
    /// for the same layer and bits. They are what the quantized model runs for those layers.
    void addLayersAtBits(const std::vector<mpq::LayerAtBits> &layers);
    bool hasCurves(const std::string &layer, int bits) const;
    /// The curves of the layers added with addLayersAtBits (cleared by a new analysis).
    const std::vector<mpq::LayerCurves> &extraCurves() const { return m_extraCurves; }

    /// Rule, epsilon, budget and cost; bits and overrides stay. The one place the rule lives
    /// (docs/architecture.md, data flow): the threshold control and the plots observe it through
    /// ruleChanged and allocationChanged. Re-allocates synchronously (milliseconds) when anything
    /// changed.
    void setAllocationRule(const mpq::AllocationSettings &rule);
    /// std::nullopt clears the layer's override. Re-allocates.
    void setOverride(const std::string &layer, std::optional<mpq::LayerOverride> override);

    const std::shared_ptr<const mpq::Model> &model() const { return m_model; }
    const mpq::ModelProfile &profile() const { return m_profile; }
    QString path() const { return m_path; }
    qint64 fileSize() const { return m_fileSize; }
    const std::shared_ptr<const mpq::Analysis> &analysis() const { return m_analysis; }
    const mpq::AllocationSettings &allocationSettings() const { return m_settings; }
    const std::shared_ptr<const mpq::Allocation> &allocation() const { return m_allocation; }
    /// What runs for the current allocation (analysis, settings, layers at other bits,
    /// allocation), for evaluation and export jobs; null without an allocation.
    const std::shared_ptr<const mpq::Quantization> &quantization() const { return m_quantization; }
    /// The model as the pipeline takes it (null model when none is open).
    mpq::OpenedModel opened() const;
    /// Up to `count` layers (indices into the analysis' curves) with the largest relative
    /// output error at one point, R_l(1) = sum_c e_c(1) / sum_c s_c, largest first.
    QList<int> mostSensitiveLayers(int count) const;
    /// Layer index (model/analysis order) of a layer name, or -1.
    int layerIndex(const std::string &name) const;

signals:
    void modelChanged();
    /// setProfile changed the profile of the open model (not emitted by setModel).
    void profileChanged();
    void analysisChanged();
    void allocationChanged();
    /// The rule, epsilon, budget or cost changed (with or without an analysis to allocate).
    void ruleChanged();
    /// addCurves() added curves at other bits (before the re-allocation that uses them).
    void extraCurvesChanged();
    /// allocate() refused the settings; the previous allocation stays.
    void allocationFailed(const QString &message);

private:
    void reallocate();

    std::shared_ptr<const mpq::Model> m_model;
    mpq::ModelProfile m_profile;
    QString m_path;
    qint64 m_fileSize = 0;
    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::shared_ptr<const std::vector<mpq::LayerAtBits>> m_atBits; ///< layers at other bits
    std::vector<mpq::LayerCurves> m_extraCurves;                   ///< their curves
    mpq::AllocationSettings m_settings;
    std::shared_ptr<const mpq::Allocation> m_allocation;
    std::shared_ptr<const mpq::Quantization> m_quantization;
};

} // namespace mpq::studio
