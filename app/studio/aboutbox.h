#pragma once

class QWidget;

namespace mpq::studio {

/// The About box: the version, what the tool does, and the versions of Qt, LibTorch, OpenCV and
/// QCustomPlot it runs with.
void showAboutBox(QWidget *parent);

/// Help > Glossary: the words the window uses (point, epsilon, budget, memory and MAC overhead,
/// effective bits, SQNR, relative error), one short definition each (mpqwidgets/glossary.h).
/// Non-modal; one window, raised when asked again. Returns it.
QWidget *showGlossary(QWidget *parent);

} // namespace mpq::studio
