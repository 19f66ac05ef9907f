// The Graph page's cost (issue 15: the demo detector's graph laid out in about a second or
// less, a 300+ node graph still usable): reading the graph from the model, writing DOT,
// Graphviz's dot -Tjson as a subprocess (as the page runs it), and reading its layout back.
// Prints times; asserts nothing about them.
//   bench_graph [model.pt|model.onnx ...]   (default: the demo detector)

#include "mpq/graph.h"
#include "mpq/model.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

#include <cstdio>
#include <string>
#include <vector>

namespace {

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) * 1e-9;
}

// dot -Tjson on `source`, as GraphPage runs it; returns the JSON.
std::string runDot(const std::string &source)
{
    QProcess dot;
    dot.start(QStandardPaths::findExecutable(QStringLiteral("dot")), {QStringLiteral("-Tjson")});
    dot.write(QByteArray::fromStdString(source));
    dot.closeWriteChannel();
    dot.waitForFinished(-1);
    if (dot.exitCode() != 0)
        std::fprintf(stderr, "dot failed: %s\n", dot.readAllStandardError().constData());
    return dot.readAllStandardOutput().toStdString();
}

void layOut(const char *what, const mpq::ModelGraph &graph, double buildSeconds)
{
    QElapsedTimer t;
    t.start();
    const mpq::VisibleGraph visible = mpq::collapseGraph(graph, {});
    const std::string source = mpq::toDot(visible);
    const double dotSource = seconds(t);
    t.restart();
    const std::string json = runDot(source);
    const double dot = seconds(t);
    t.restart();
    const mpq::GraphLayout layout = mpq::parseDotJson(json);
    const double parse = seconds(t);
    std::printf("%-28s %4zu nodes %4zu edges | graph %.3f s, DOT %.4f s, dot -Tjson %.3f s, "
                "parse %.4f s | total %.3f s (layout %.0f x %.0f pt)\n",
                what, graph.nodes.size(), graph.edges.size(), buildSeconds, dotSource, dot, parse,
                buildSeconds + dotSource + dot + parse, layout.width, layout.height);
    // collapsed to depth 1, as the page's control does
    mpq::GraphCollapse collapse;
    collapse.depth = 1;
    const mpq::VisibleGraph collapsed = mpq::collapseGraph(graph, collapse);
    t.restart();
    runDot(mpq::toDot(collapsed));
    std::printf("%-28s %4zu nodes collapsed to depth 1: dot -Tjson %.3f s\n", "",
                collapsed.nodes.size(), seconds(t));
}

// A ResNet-like chain of `blocks` residual blocks (conv, norm, relu, conv, norm, add, relu):
// 7 nodes a block, a skip edge each.
mpq::ModelGraph residualChain(int blocks)
{
    mpq::ModelGraph g;
    const auto add = [&](mpq::GraphNodeKind kind, const std::string &op, int layer,
                         const std::string &block) {
        mpq::GraphNode n;
        n.id = int(g.nodes.size());
        n.kind = kind;
        n.op = n.label = op;
        n.name = block;
        n.layer = layer;
        n.scope = {block};
        g.nodes.push_back(n);
        return n.id;
    };
    int previous = add(mpq::GraphNodeKind::Input, "Input", -1, "");
    g.nodes.back().scope.clear();
    int layer = 0;
    for (int b = 0; b < blocks; ++b) {
        const std::string name = "block" + std::to_string(b);
        int x = previous;
        for (int half = 0; half < 2; ++half) {
            const int conv = add(mpq::GraphNodeKind::Conv, "Conv 3×3 64→64", layer++, name);
            g.edges.push_back({x, conv});
            const int norm = add(mpq::GraphNodeKind::Norm, "BatchNorm", -1, name);
            g.edges.push_back({conv, norm});
            x = norm;
            if (half == 0) {
                const int relu = add(mpq::GraphNodeKind::Activation, "ReLU", -1, name);
                g.edges.push_back({norm, relu});
                x = relu;
            }
        }
        const int sum = add(mpq::GraphNodeKind::Add, "Add", -1, name);
        g.edges.push_back({x, sum});
        g.edges.push_back({previous, sum});
        const int relu = add(mpq::GraphNodeKind::Activation, "ReLU", -1, name);
        g.edges.push_back({sum, relu});
        previous = relu;
    }
    const int out = add(mpq::GraphNodeKind::Output, "Output", -1, "");
    g.nodes.back().scope.clear();
    g.edges.push_back({previous, out});
    return g;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (QStandardPaths::findExecutable(QStringLiteral("dot")).isEmpty()) {
        std::fprintf(stderr, "Graphviz's dot is missing (sudo apt install graphviz)\n");
        return 1;
    }
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i)
        models.push_back(argv[i]);
    if (models.empty())
        models.push_back(MPQ_SAMPLES_DIR "/centernet/centernet_mbv3.pt");
    for (const std::string &path : models) {
        const mpq::Model model = mpq::Model::load(path);
        QElapsedTimer t;
        t.start();
        const mpq::ModelGraph graph = mpq::modelGraph(model);
        const double build = seconds(t);
        const std::string name = path.substr(path.find_last_of('/') + 1) + " (" +
                                 std::to_string(model.layers().size()) + " layers)";
        layOut(name.c_str(), graph, build);
    }
    for (int blocks : {50, 100})
        layOut(("residual chain x" + std::to_string(blocks)).c_str(), residualChain(blocks), 0.0);
    return 0;
}
