#pragma once

class QWidget;

namespace mpq::studio {

/// The About box: the version, what the tool does, and the versions of Qt, LibTorch, OpenCV and
/// QCustomPlot it runs with.
void showAboutBox(QWidget *parent);

} // namespace mpq::studio
