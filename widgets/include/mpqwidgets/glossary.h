#pragma once

#include <QList>
#include <QString>

namespace mpq::ui {

/// The short glossary of the words the window uses (Help > Glossary, and tooltips on those
/// words). Definitions follow docs/multipoint.md (sections 3 and 4). Translated with tr().
enum class Term {
    Point,
    Epsilon,
    Budget,
    MemoryOverhead,
    MacOverhead,
    EffectiveBits,
    Sqnr,
    RelativeError,
};

QList<Term> glossaryTerms();
/// The word as the window writes it ("Point", "Threshold ε", ...).
QString termName(Term term);
/// One or two plain sentences.
QString termDefinition(Term term);
/// "<b>Name</b>: definition", for a tooltip (rich text, wraps).
QString termToolTip(Term term);
/// Every term as an HTML definition list, for the Help > Glossary window.
QString glossaryHtml();

} // namespace mpq::ui
