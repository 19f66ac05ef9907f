#include "modeldocument.h"

#include "mpq/error.h"

#include <algorithm>

namespace mpq::studio {

ModelDocument::ModelDocument(QObject *parent)
    : QObject(parent)
    , m_settings(defaultRule())
{}

mpq::AllocationSettings ModelDocument::defaultRule()
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Budget;
    s.budget = 0.05;
    s.cost = mpq::BudgetCost::Memory;
    return s;
}

void ModelDocument::setModel(std::shared_ptr<const mpq::Model> model,
                             const mpq::ModelProfile &profile, const QString &path, qint64 fileSize)
{
    m_model = std::move(model);
    m_profile = profile;
    m_path = path;
    m_fileSize = fileSize;
    m_analysis.reset();
    m_atBits.reset();
    m_extraCurves.clear();
    m_settings.overrides.clear();
    m_allocation.reset();
    m_quantization.reset();
    emit modelChanged();
    emit analysisChanged();
    emit allocationChanged();
}

void ModelDocument::setProfile(const mpq::ModelProfile &profile)
{
    const bool changed = mpq::profileToJson(profile) != mpq::profileToJson(m_profile);
    m_profile = profile;
    if (changed)
        emit profileChanged();
}

void ModelDocument::setAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    m_analysis = std::move(analysis);
    m_atBits.reset();
    m_extraCurves.clear();
    if (m_analysis) {
        m_settings.bits = m_analysis->settings.bits;
        for (auto it = m_settings.overrides.begin(); it != m_settings.overrides.end();) {
            const bool keep =
                layerIndex(it->first) >= 0 && it->second.kind != mpq::LayerOverride::Kind::Bits;
            it = keep ? std::next(it) : m_settings.overrides.erase(it);
        }
    }
    m_allocation.reset();
    m_quantization.reset();
    emit analysisChanged();
    reallocate();
}

void ModelDocument::addLayersAtBits(const std::vector<mpq::LayerAtBits> &layers)
{
    std::vector<mpq::LayerAtBits> all = m_atBits ? *m_atBits : std::vector<mpq::LayerAtBits>{};
    for (const mpq::LayerAtBits &l : layers) {
        auto same = [&l](const mpq::LayerAtBits &e) {
            return e.layer == l.layer && e.bits == l.bits;
        };
        all.erase(std::remove_if(all.begin(), all.end(), same), all.end());
        all.push_back(l);
    }
    m_extraCurves.clear();
    for (const mpq::LayerAtBits &l : all)
        m_extraCurves.push_back(l.curves);
    m_atBits = std::make_shared<const std::vector<mpq::LayerAtBits>>(std::move(all));
    emit extraCurvesChanged();
}

bool ModelDocument::hasCurves(const std::string &layer, int bits) const
{
    if (m_analysis && m_analysis->settings.bits == bits && layerIndex(layer) >= 0)
        return true;
    for (const mpq::LayerCurves &c : m_extraCurves)
        if (c.name == layer && c.bits == bits)
            return true;
    return false;
}

mpq::OpenedModel ModelDocument::opened() const
{
    mpq::OpenedModel o;
    o.path = m_path.toStdString();
    o.model = m_model;
    o.hasProfile = true;
    o.profile = m_profile;
    return o;
}

void ModelDocument::setAllocationRule(const mpq::AllocationSettings &rule)
{
    const bool same = rule.rule == m_settings.rule && rule.epsilon == m_settings.epsilon &&
                      rule.budget == m_settings.budget && rule.cost == m_settings.cost &&
                      rule.biasCorrection == m_settings.biasCorrection &&
                      rule.sensitivityWeighted == m_settings.sensitivityWeighted &&
                      rule.macCap == m_settings.macCap;
    if (same && m_allocation)
        return;
    m_settings.rule = rule.rule;
    m_settings.epsilon = rule.epsilon;
    m_settings.budget = rule.budget;
    m_settings.cost = rule.cost;
    m_settings.biasCorrection = rule.biasCorrection;           // docs/multipoint.md section 9
    m_settings.sensitivityWeighted = rule.sensitivityWeighted; // section 8
    m_settings.macCap = rule.macCap;
    if (!same)
        emit ruleChanged();
    reallocate();
}

void ModelDocument::setOverride(const std::string &layer,
                                std::optional<mpq::LayerOverride> override)
{
    if (override)
        m_settings.overrides[layer] = *override;
    else
        m_settings.overrides.erase(layer);
    reallocate();
}

QList<int> ModelDocument::mostSensitiveLayers(int count) const
{
    if (!m_analysis)
        return {};
    std::vector<std::pair<double, int>> errors;
    for (std::size_t l = 0; l < m_analysis->curves.size(); ++l) {
        // the single-point error with core's zero-signal rule (docs/multipoint.md section 3)
        errors.emplace_back(mpq::layerRelativeError(m_analysis->curves[l], 1), static_cast<int>(l));
    }
    std::sort(errors.rbegin(), errors.rend());
    QList<int> top;
    for (std::size_t i = 0; i < errors.size() && static_cast<int>(i) < count; ++i)
        top.append(errors[i].second);
    return top;
}

int ModelDocument::layerIndex(const std::string &name) const
{
    const std::vector<mpq::LayerInfo> *layers = m_analysis ? &m_analysis->layers
                                                : m_model  ? &m_model->layers()
                                                           : nullptr;
    if (!layers)
        return -1;
    for (std::size_t i = 0; i < layers->size(); ++i)
        if ((*layers)[i].name == name)
            return static_cast<int>(i);
    return -1;
}

void ModelDocument::reallocate()
{
    if (!m_analysis)
        return;
    try {
        m_quantization = std::make_shared<const mpq::Quantization>(
            mpq::reallocate(m_analysis, m_atBits, m_settings));
    } catch (const mpq::Error &e) {
        emit allocationFailed(QString::fromStdString(e.what()));
        return;
    }
    m_allocation =
        std::shared_ptr<const mpq::Allocation>(m_quantization, &m_quantization->allocation);
    emit allocationChanged();
}

} // namespace mpq::studio
