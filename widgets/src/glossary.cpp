#include "mpqwidgets/glossary.h"

#include <QCoreApplication>

namespace mpq::ui {

namespace {
// the translation context of the glossary's words (lupdate reads Q_DECLARE_TR_FUNCTIONS)
struct Glossary
{
    Q_DECLARE_TR_FUNCTIONS(Glossary)
};
} // namespace

QList<Term> glossaryTerms()
{
    return {Term::Point,       Term::Epsilon,       Term::Budget, Term::MemoryOverhead,
            Term::MacOverhead, Term::EffectiveBits, Term::Sqnr,   Term::RelativeError};
}

QString termName(Term term)
{
    switch (term) {
    case Term::Point:
        return Glossary::tr("Point");
    case Term::Epsilon:
        return Glossary::tr("Threshold \u03b5 (epsilon)");
    case Term::Budget:
        return Glossary::tr("Budget");
    case Term::MemoryOverhead:
        return Glossary::tr("Memory overhead");
    case Term::MacOverhead:
        return Glossary::tr("MAC overhead");
    case Term::EffectiveBits:
        return Glossary::tr("Effective bits");
    case Term::Sqnr:
        return Glossary::tr("SQNR");
    case Term::RelativeError:
        return Glossary::tr("Relative error");
    }
    return {};
}

// docs/multipoint.md sections 3 (errors) and 4 (rules and costs)
QString termDefinition(Term term)
{
    switch (term) {
    case Term::Point:
        return Glossary::tr(
            "One low-bit copy of a channel's weights with its own scale. Multipoint "
            "quantization sums several points per channel: one point is plain "
            "round-to-nearest, each extra point removes more of the rounding error and "
            "costs that channel's weights once more.");
    case Term::Epsilon:
        return Glossary::tr(
            "The threshold rule's target: each channel gets the fewest points whose "
            "relative output error is at most \u03b5. A smaller \u03b5 means more points "
            "and more cost.");
    case Term::Budget:
        return Glossary::tr(
            "The budget rule's limit: the extra memory (or MACs) the extra points may "
            "cost, as a percentage of the model at the chosen bits. Points go first where "
            "they remove the most error per unit of cost.");
    case Term::MemoryOverhead:
        return Glossary::tr(
            "The extra weight storage of the allocation (extra points, layers kept "
            "float or at other bits) as a percentage of all quantizable weights at the "
            "chosen bits.");
    case Term::MacOverhead:
        return Glossary::tr(
            "The extra multiply-accumulate operations of the extra points, as a "
            "percentage of all MACs of the quantizable layers. Layers kept float are shown "
            "apart.");
    case Term::EffectiveBits:
        return Glossary::tr(
            "The stored bits per weight, the points' scales included: the bits of every "
            "point and scale divided by the number of weights.");
    case Term::Sqnr:
        return Glossary::tr(
            "Signal-to-quantization-noise ratio: −10 log10 of the relative output "
            "error, in dB. Higher is better; each extra 10 dB is ten times less error.");
    case Term::RelativeError:
        return Glossary::tr(
            "The squared error the quantized weights add to a layer's outputs on the "
            "calibration images, divided by the squared outputs (their signal).");
    }
    return {};
}

QString termToolTip(Term term)
{
    return QStringLiteral("<p><b>%1</b>: %2</p>")
        .arg(termName(term).toHtmlEscaped(), termDefinition(term).toHtmlEscaped());
}

QString glossaryHtml()
{
    QString html = QStringLiteral("<dl>");
    for (Term term : glossaryTerms())
        html += QStringLiteral("<dt><b>%1</b></dt><dd>%2</dd>")
                    .arg(termName(term).toHtmlEscaped(), termDefinition(term).toHtmlEscaped());
    return html + QStringLiteral("</dl>");
}

} // namespace mpq::ui
