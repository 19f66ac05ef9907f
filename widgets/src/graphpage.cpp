// The Graph page: the view, its controls and the Graphviz layout (docs/ui.md "Graph page").
#include "graphitems.h"

#include "mpq/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

namespace mpq::ui {

using namespace graph;

GraphPage::GraphPage(QWidget *parent)
    : QWidget(parent)
    , m_view(new GraphView(this))
    , m_bar(new GraphColourBar(m_view, this))
    , m_stack(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_quantity(new QComboBox(this))
    , m_depth(new QSpinBox(this))
    , m_search(new QLineEdit(this))
{
    m_quantity->addItem(tr("Points per channel"), int(GraphQuantity::Points));
    m_quantity->addItem(tr("Relative output error"), int(GraphQuantity::RelativeError));
    m_quantity->addItem(tr("SQNR"), int(GraphQuantity::Sqnr));
    m_quantity->addItem(tr("Memory overhead"), int(GraphQuantity::MemoryOverhead));
    m_quantity->addItem(tr("One-point error"), int(GraphQuantity::OnePointError));
    m_quantity->setToolTip(tr("What colours the quantizable layers"));
    m_depth->setRange(0, 8);
    m_depth->setSpecialValueText(tr("none"));
    m_depth->setToolTip(tr("Draw every module this deep as one node (double-click a node to "
                           "collapse or expand its module)"));
    m_search->setPlaceholderText(tr("Find a layer (Enter: next)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(fontMetrics().averageCharWidth() * 32);
    const auto button = [this](const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    QToolButton *zoomIn = button(QStringLiteral("+"), tr("Zoom in (+)"));
    QToolButton *zoomOut = button(QStringLiteral("−"), tr("Zoom out (-)"));
    QToolButton *fit = button(tr("Fit"), tr("Show the whole graph (F)"));
    QToolButton *exportButton = button(tr("Export…"), tr("Save the graph as PNG, SVG or PDF"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 2);
    bar->addWidget(new QLabel(tr("Colour by:"), this));
    bar->addWidget(m_quantity);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Collapse modules:"), this));
    bar->addWidget(m_depth);
    bar->addSpacing(12);
    bar->addWidget(m_search);
    bar->addStretch(1);
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);
    bar->addWidget(fit);
    bar->addWidget(exportButton);

    auto *graphArea = new QWidget(this);
    auto *graphLayout = new QHBoxLayout(graphArea);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    graphLayout->setSpacing(0);
    graphLayout->addWidget(m_view, 1);
    graphLayout->addWidget(m_bar);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);
    m_stack->addWidget(graphArea);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    showMessage(tr("No model."));

    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] {
        m_view->setQuantity(GraphQuantity(m_quantity->currentData().toInt()));
        m_bar->update();
    });
    connect(m_depth, &QSpinBox::valueChanged, this, [this](int depth) {
        mpq::GraphCollapse collapse;
        collapse.depth = depth;
        m_view->setCollapse(collapse);
        startLayout();
    });
    connect(m_view, &GraphView::collapseChanged, this, [this] { startLayout(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const bool found = m_view->findNext(m_search->text());
        QPalette p = m_search->palette();
        p.setColor(QPalette::Text,
                   found ? palette().color(QPalette::Text) : QColor(0xD5, 0x5E, 0x00));
        m_search->setPalette(p);
        if (found) {
            const int node = m_view->selectedNode();
            QList<int> layers;
            for (int id : m_view->visibleGraph().nodes[std::size_t(node)].members)
                if (const int layer = m_view->graph().nodes[std::size_t(id)].layer; layer >= 0)
                    layers << layer;
            if (!layers.isEmpty())
                emit layersChosen(layers);
        }
    });
    connect(zoomIn, &QToolButton::clicked, this, [this] { m_view->zoomBy(1.25); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { m_view->zoomBy(0.8); });
    connect(fit, &QToolButton::clicked, m_view, &GraphView::fitAll);
    connect(exportButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export graph"), QStringLiteral("graph.png"),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        if (path.isEmpty())
            return;
        const QString error = m_view->exportGraph(path);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export graph"), error);
    });
    connect(m_view, &GraphView::layersChosen, this, &GraphPage::layersChosen);
}

GraphPage::~GraphPage()
{
    if (m_dot) {
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->waitForFinished(1000);
    }
}

void GraphPage::setDotProgram(const QString &program)
{
    m_dotProgram = program;
}

void GraphPage::setGraph(const mpq::ModelGraph &graph)
{
    mpq::GraphCollapse collapse;
    collapse.depth = m_depth->value();
    m_view->setGraph(graph);
    m_view->setCollapse(collapse);
    m_hasGraph = true;
    startLayout();
}

void GraphPage::clearGraph(const QString &message)
{
    if (m_dot) {
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->deleteLater();
    }
    m_hasGraph = false;
    m_view->setGraph({});
    showMessage(message);
}

void GraphPage::setFigures(std::shared_ptr<const mpq::Analysis> analysis,
                           std::shared_ptr<const mpq::Allocation> allocation)
{
    m_view->setFigures(std::move(analysis), std::move(allocation));
    m_bar->update();
}

bool GraphPage::isLayingOut() const
{
    return m_dot != nullptr;
}

QString GraphPage::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void GraphPage::showMessage(const QString &message)
{
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

void GraphPage::startLayout()
{
    if (m_dot) { // a newer graph or collapse supersedes the running layout
        m_dot->disconnect(this);
        m_dot->kill();
        m_dot->deleteLater();
    }
    if (!m_hasGraph)
        return;
    const QString program = m_dotProgram.isEmpty()
                                ? QStandardPaths::findExecutable(QStringLiteral("dot"))
                                : m_dotProgram;
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        showMessage(tr("The Graph page needs Graphviz's dot program to lay out the graph, and it "
                       "was not found.\n\nInstall Graphviz (on Debian or Ubuntu: sudo apt install "
                       "graphviz), then open the model again."));
        emit layoutFinished(false);
        return;
    }
    if (!m_view->hasLayout())
        showMessage(tr("Laying out the graph…"));
    m_layoutClock.start();
    auto *dot = new QProcess(this);
    m_dot = dot;
    connect(dot, &QProcess::finished, this, &GraphPage::onDotFinished);
    connect(dot, &QProcess::errorOccurred, this, [this, dot](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || dot != m_dot)
            return;
        showMessage(tr("Graphviz's dot could not be started (%1).").arg(dot->errorString()));
        dot->deleteLater();
        emit layoutFinished(false);
    });
    dot->start(program, {QStringLiteral("-Tjson")});
    dot->write(QByteArray::fromStdString(mpq::toDot(m_view->visibleGraph())));
    dot->closeWriteChannel();
}

void GraphPage::onDotFinished()
{
    QProcess *dot = m_dot;
    if (!dot)
        return;
    dot->deleteLater();
    m_dot = nullptr;
    const QByteArray out = dot->readAllStandardOutput();
    const QString errors = QString::fromLocal8Bit(dot->readAllStandardError()).trimmed();
    if (dot->exitStatus() != QProcess::NormalExit || dot->exitCode() != 0) {
        showMessage(tr("Graphviz's dot could not lay out the graph (exit code %1):\n\n%2")
                        .arg(dot->exitCode())
                        .arg(errors.isEmpty() ? tr("no message") : errors));
        emit layoutFinished(false);
        return;
    }
    try {
        m_view->setGraphLayout(mpq::parseDotJson(out.toStdString()));
    } catch (const mpq::Error &e) {
        showMessage(tr("Graphviz's dot gave a layout that cannot be read: %1")
                        .arg(QString::fromStdString(e.what())));
        emit layoutFinished(false);
        return;
    }
    m_stack->setCurrentIndex(1);
    m_bar->update();
    m_lastLayoutSeconds = double(m_layoutClock.nsecsElapsed()) * 1e-9;
    emit layoutFinished(true);
}

} // namespace mpq::ui
