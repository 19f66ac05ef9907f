// The Graph page's engine side (issue 15): the model's graph from TorchScript and ONNX fixtures,
// module scopes and collapsing, DOT out and dot's JSON layout back in through the real dot.

#include "mpq/error.h"
#include "mpq/graph.h"
#include "mpq/model.h"

#include <torch/script.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace mpq;

namespace {

const GraphNode *findNode(const ModelGraph &g, const std::string &name, GraphNodeKind kind)
{
    for (const GraphNode &n : g.nodes)
        if (n.name == name && n.kind == kind)
            return &n;
    return nullptr;
}

std::vector<int> inputsOf(const ModelGraph &g, int id)
{
    std::vector<int> out;
    for (const GraphEdge &e : g.edges)
        if (e.to == id)
            out.push_back(e.from);
    std::sort(out.begin(), out.end());
    return out;
}

// "Conv(stem) -> ReLU(), ..." for failure messages
QByteArray describe(const ModelGraph &g)
{
    std::string out;
    for (const GraphEdge &e : g.edges)
        out += g.nodes[std::size_t(e.from)].op + "#" + std::to_string(e.from) + " -> " +
               g.nodes[std::size_t(e.to)].op + "#" + std::to_string(e.to) + "; ";
    return QByteArray::fromStdString(out);
}

int countKind(const ModelGraph &g, GraphNodeKind kind)
{
    return int(std::count_if(g.nodes.begin(), g.nodes.end(),
                             [&](const GraphNode &n) { return n.kind == kind; }));
}

const GraphNode &single(const ModelGraph &g, GraphNodeKind kind)
{
    const auto it = std::find_if(g.nodes.begin(), g.nodes.end(),
                                 [&](const GraphNode &n) { return n.kind == kind; });
    if (it == g.nodes.end() || countKind(g, kind) != 1)
        throw std::runtime_error(std::string("not exactly one ") + graphNodeKindName(kind));
    return *it;
}

torch::jit::Module convModule(std::int64_t in, std::int64_t out, std::int64_t stride = 1)
{
    torch::jit::Module m("Conv");
    m.register_parameter("weight", torch::randn({out, in, 3, 3}) * 0.3, false);
    m.register_parameter("bias", torch::randn({out}) * 0.1, false);
    m.define("def forward(self, x):\n    return torch.conv2d(x, self.weight, self.bias, [" +
             std::to_string(stride) + ", " + std::to_string(stride) + "], [1, 1])\n");
    return m;
}

// A scripted net with nested modules: stem conv; block1 = {a: conv, b: conv, cat(a(x), b(x)),
// relu in block1's own forward}; a residual add of block1's output with a 1x1 projection;
// mean; fc. Shape plumbing (size, view) between mean and fc.
void saveBranchNet(const std::string &path)
{
    torch::manual_seed(3);
    torch::jit::Module block("Block");
    block.register_module("a", convModule(4, 4));
    block.register_module("b", convModule(4, 4));
    block.define(R"(
def forward(self, x):
    return torch.relu(torch.cat([self.a.forward(x), self.b.forward(x)], 1))
)");
    torch::jit::Module fc("Fc");
    fc.register_parameter("weight", torch::randn({5, 8}) * 0.3, false);
    fc.register_parameter("bias", torch::randn({5}) * 0.1, false);
    fc.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    torch::jit::Module proj("Proj");
    proj.register_parameter("weight", torch::randn({8, 4, 1, 1}) * 0.3, false);
    proj.define("def forward(self, x):\n    return torch.conv2d(x, self.weight)\n");
    torch::jit::Module m("BranchNet");
    m.register_module("stem", convModule(3, 4, 2));
    m.register_module("block1", block);
    m.register_module("proj", proj);
    m.register_module("fc", fc);
    m.define(R"(
def forward(self, x):
    s = self.stem.forward(x)
    y = self.block1.forward(s) + self.proj.forward(s)
    z = y.mean([2, 3])
    z = z.view(z.size(0), -1)
    return self.fc.forward(z * 0.5)
)");
    m.save(path);
}

QString dotProgram()
{
    return QStandardPaths::findExecutable(QStringLiteral("dot"));
}

std::string runDot(const std::string &source)
{
    QProcess dot;
    dot.start(dotProgram(), {QStringLiteral("-Tjson")});
    dot.write(QByteArray::fromStdString(source));
    dot.closeWriteChannel();
    if (!dot.waitForFinished(60000) || dot.exitCode() != 0)
        throw std::runtime_error("dot failed: " + dot.readAllStandardError().toStdString());
    return dot.readAllStandardOutput().toStdString();
}

} // namespace

class TestGraph : public QObject
{
    Q_OBJECT
private slots:
    void branchNetNodesEdgesAndScopes()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("branch.pt")).toStdString();
        saveBranchNet(path);
        const Model model = Model::load(path);
        QCOMPARE(model.layers().size(), std::size_t(5));
        const ModelGraph g = modelGraph(model);
        // Input, stem, a, b, Concat, ReLU, proj, Add, Mean, fc, Output; the view, size and the
        // scalar multiply are bypassed
        QCOMPARE(int(g.nodes.size()), 11);
        QCOMPARE(countKind(g, GraphNodeKind::Conv), 4);
        QCOMPARE(countKind(g, GraphNodeKind::Linear), 1);
        QCOMPARE(countKind(g, GraphNodeKind::Add), 1);
        // every layer has exactly one node, with its own name
        for (std::size_t i = 0; i < model.layers().size(); ++i) {
            const auto it = std::find_if(g.nodes.begin(), g.nodes.end(),
                                         [&](const GraphNode &n) { return n.layer == int(i); });
            QVERIFY(it != g.nodes.end());
            QCOMPARE(it->name, model.layers()[i].name);
        }
        const GraphNode *stem = findNode(g, "stem", GraphNodeKind::Conv);
        const GraphNode *a = findNode(g, "block1.a", GraphNodeKind::Conv);
        const GraphNode *b = findNode(g, "block1.b", GraphNodeKind::Conv);
        const GraphNode *proj = findNode(g, "proj", GraphNodeKind::Conv);
        const GraphNode *fc = findNode(g, "fc", GraphNodeKind::Linear);
        QVERIFY(stem && a && b && proj && fc);
        QCOMPARE(stem->label, std::string("Conv 3×3 /2 3→4"));
        QCOMPARE(fc->label, std::string("Linear 8→5"));
        // the branch: stem feeds a, b and proj; a and b meet in the concat
        const GraphNode &cat = single(g, GraphNodeKind::Concat);
        QCOMPARE(inputsOf(g, cat.id), (std::vector<int>{a->id, b->id}));
        QCOMPARE(inputsOf(g, a->id), std::vector<int>{stem->id});
        QCOMPARE(inputsOf(g, proj->id), std::vector<int>{stem->id});
        // scopes: a layer belongs to its parent module, code in a module's forward to it
        QCOMPARE(a->scope, (std::vector<std::string>{"block1"}));
        QVERIFY(stem->scope.empty());
        QCOMPARE(cat.scope, (std::vector<std::string>{"block1"}));
        QCOMPARE(cat.name, std::string("block1"));
        // the add has two inputs: the block's ReLU and the projection
        const GraphNode &relu = single(g, GraphNodeKind::Activation);
        const GraphNode &add = single(g, GraphNodeKind::Add);
        QCOMPARE(inputsOf(g, add.id), (std::vector<int>{relu.id, proj->id}));
        // through mean, view and the scalar multiply into fc, then the output
        const GraphNode &mean = single(g, GraphNodeKind::Pool);
        QCOMPARE(inputsOf(g, mean.id), std::vector<int>{add.id});
        QCOMPARE(inputsOf(g, fc->id), std::vector<int>{mean.id});
        QCOMPARE(inputsOf(g, single(g, GraphNodeKind::Output).id), std::vector<int>{fc->id});
        QCOMPARE(inputsOf(g, stem->id), std::vector<int>{single(g, GraphNodeKind::Input).id});
        QCOMPARE(int(g.edges.size()), 12);
        // edges in data-flow order
        for (const GraphEdge &e : g.edges)
            QVERIFY(e.from < e.to);

        // collapsing block1 folds a, b, concat and relu into one node with their edges
        GraphCollapse collapse;
        collapse.collapsed = {"block1"};
        const VisibleGraph v = collapseGraph(g, collapse);
        QCOMPARE(int(v.nodes.size()), 8);
        const auto blockNode =
            std::find_if(v.nodes.begin(), v.nodes.end(),
                         [](const VisibleNode &n) { return n.module == "block1"; });
        QVERIFY(blockNode != v.nodes.end());
        QCOMPARE(blockNode->members, (std::vector<int>{a->id, b->id, cat.id, relu.id}));
        QCOMPARE(blockNode->detail, std::string("4 operations"));
        // stem -> block1 and block1 -> add once each, no self-loop: 12 - 5 + 1
        QCOMPARE(int(v.edges.size()), 8);
        // depth 1 does the same; expanding it again restores every node
        collapse = {};
        collapse.depth = 1;
        QCOMPARE(int(collapseGraph(g, collapse).nodes.size()), 8);
        collapse.expanded = {"block1"};
        QCOMPARE(int(collapseGraph(g, collapse).nodes.size()), 11);
    }

    // The same residual block with upsampling and concatenation, traced and imported from ONNX
    // (tests/data/make_onnx_fixtures.py, Residual): the same graph from both.
    void residualFixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("torchscript") << QStringLiteral("residual.pt");
        QTest::newRow("onnx") << QStringLiteral("residual.onnx");
    }
    void residualFixtures()
    {
        QFETCH(QString, file);
        const Model model =
            Model::load((QStringLiteral(MPQ_TEST_DATA_DIR "/onnx/") + file).toStdString());
        QCOMPARE(model.layers().size(), std::size_t(5));
        const ModelGraph g = modelGraph(model);
        QCOMPARE(countKind(g, GraphNodeKind::Input), 1);
        QCOMPARE(countKind(g, GraphNodeKind::Conv), 5);
        QCOMPARE(countKind(g, GraphNodeKind::Norm), 2);
        QCOMPARE(countKind(g, GraphNodeKind::Activation), 4);
        QCOMPARE(countKind(g, GraphNodeKind::Resize), 1);
        QCOMPARE(countKind(g, GraphNodeKind::Output), 1);
        QCOMPARE(int(g.nodes.size()), 16);
        QVERIFY2(g.edges.size() == 17, describe(g).constData());
        std::vector<const GraphNode *> conv(5, nullptr);
        for (const GraphNode &n : g.nodes)
            if (n.layer >= 0) {
                QCOMPARE(n.kind, GraphNodeKind::Conv);
                QCOMPARE(n.name, model.layers()[std::size_t(n.layer)].name);
                conv[std::size_t(n.layer)] = &n;
            }
        QVERIFY(std::all_of(conv.begin(), conv.end(), [](const GraphNode *n) { return n; }));
        // the residual add: ReLU(stem) and bn2(conv2)
        const GraphNode &add = single(g, GraphNodeKind::Add);
        const std::vector<int> addIn = inputsOf(g, add.id);
        QCOMPARE(int(addIn.size()), 2);
        QCOMPARE(g.nodes[std::size_t(addIn[0])].kind, GraphNodeKind::Activation);
        QCOMPARE(inputsOf(g, addIn[0]), std::vector<int>{conv[0]->id});
        QCOMPARE(g.nodes[std::size_t(addIn[1])].kind, GraphNodeKind::Norm);
        QCOMPARE(inputsOf(g, addIn[1]), std::vector<int>{conv[2]->id});
        // the concat: ReLU(add) and the resize; it feeds the head (layer 4)
        const GraphNode &cat = single(g, GraphNodeKind::Concat);
        const std::vector<int> catIn = inputsOf(g, cat.id);
        QCOMPARE(int(catIn.size()), 2);
        QCOMPARE(inputsOf(g, catIn[0]), std::vector<int>{add.id});
        QCOMPARE(catIn[1], single(g, GraphNodeKind::Resize).id);
        QCOMPARE(inputsOf(g, conv[4]->id), std::vector<int>{cat.id});
        QCOMPARE(conv[4]->label, std::string("Conv 1×1 16→6"));
    }

    // The demo detector, traced: only its convolutions' modules are in the call stack; the other
    // operations take their block from their inputs, so a block collapses whole.
    void demoDetector()
    {
        const Model model = Model::load(MPQ_SAMPLES_DIR "/centernet/centernet_mbv3.pt");
        const ModelGraph g = modelGraph(model);
        QCOMPARE(countKind(g, GraphNodeKind::Conv), int(model.layers().size()));
        QVERIFY(g.nodes.size() > 150);
        const GraphNode *expand =
            findNode(g, "MobilenetV3.expanded_conv_1.expand", GraphNodeKind::Conv);
        QVERIFY(expand);
        QCOMPARE(expand->label, std::string("Conv 1×1 16→64"));
        const GraphNode *depthwise =
            findNode(g, "MobilenetV3.expanded_conv_1.depthwise", GraphNodeKind::Conv);
        QVERIFY(depthwise);
        QCOMPARE(depthwise->label, std::string("Conv 3×3 /2 64→64 dw"));
        // the ReLU between them belongs to expanded_conv_1
        const std::vector<int> in = inputsOf(g, depthwise->id);
        QCOMPARE(int(in.size()), 1);
        QCOMPARE(g.nodes[std::size_t(in[0])].kind, GraphNodeKind::Activation);
        const auto &scope = g.nodes[std::size_t(in[0])].scope;
        QVERIFY2(scope == (std::vector<std::string>{"MobilenetV3", "expanded_conv_1"}),
                 (g.nodes[std::size_t(in[0])].name + ": " + (scope.empty() ? "" : scope.back()))
                     .c_str());
        // collapsed at depth 2, expanded_conv_1 is one node: expand, ReLU, depthwise, ReLU,
        // project
        GraphCollapse collapse;
        collapse.depth = 2;
        const VisibleGraph v = collapseGraph(g, collapse);
        const auto block = std::find_if(v.nodes.begin(), v.nodes.end(), [](const VisibleNode &n) {
            return n.module == "MobilenetV3.expanded_conv_1";
        });
        QVERIFY(block != v.nodes.end());
        QCOMPARE(int(block->members.size()), 5);
        QVERIFY(v.nodes.size() < g.nodes.size() / 2);
    }

    void dotRoundTrip()
    {
        if (dotProgram().isEmpty())
            QFAIL("Graphviz's dot is missing: packaging/install-deps.sh installs graphviz");
        const Model model = Model::load(MPQ_TEST_DATA_DIR "/onnx/residual.pt");
        const ModelGraph g = modelGraph(model);
        const VisibleGraph v = collapseGraph(g, {});
        const std::string source = toDot(v);
        QVERIFY(source.find("rankdir=TB") != std::string::npos);
        const GraphLayout layout = parseDotJson(runDot(source));
        QCOMPARE(layout.nodes.size(), v.nodes.size());
        QCOMPARE(layout.edges.size(), v.edges.size());
        QVERIFY(layout.width > 0 && layout.height > 0);
        std::vector<GraphPoint> centre(v.nodes.size());
        for (const auto &n : layout.nodes) {
            QVERIFY(n.index >= 0 && n.index < int(v.nodes.size()));
            // the sizes asked for come back
            QVERIFY(std::abs(n.width - graphNodeWidth(v.nodes[std::size_t(n.index)])) < 0.5);
            QVERIFY(std::abs(n.height - graphNodeHeight(v.nodes[std::size_t(n.index)])) < 0.5);
            QVERIFY(n.centre.x >= 0 && n.centre.x <= layout.width);
            QVERIFY(n.centre.y >= 0 && n.centre.y <= layout.height);
            centre[std::size_t(n.index)] = n.centre;
        }
        // top to bottom: every edge goes down (y grows downwards after the flip)
        for (const auto &e : layout.edges) {
            const int from = layout.nodes[std::size_t(e.tail)].index;
            const int to = layout.nodes[std::size_t(e.head)].index;
            QVERIFY(std::find_if(v.edges.begin(), v.edges.end(), [&](const GraphEdge &x) {
                        return x.from == from && x.to == to;
                    }) != v.edges.end());
            QVERIFY(centre[std::size_t(to)].y > centre[std::size_t(from)].y);
            QVERIFY(e.hasArrow);
            QVERIFY(e.points.size() >= 4 && (e.points.size() - 1) % 3 == 0);
        }
    }

    void malformedLayouts_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << "digraph {"
                                  << "not JSON";
        QTest::newRow("no bb") << R"({"objects": []})"
                               << "no 'bb'";
        QTest::newRow("bad bb") << R"({"bb": "0,0,x,1"})"
                                << "bb is not a number";
        QTest::newRow("node without pos")
            << R"({"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "v0", "width": "1", "height": "1"}]})"
            << "node v0 has no 'pos'";
        QTest::newRow("edge to nowhere")
            << R"({"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "v0", "pos": "1,1", "width": "1", "height": "1"}], "edges": [{"tail": 0, "head": 7, "pos": "e,1,1 1,1 1,1 1,1 1,1"}]})"
            << "no valid 'head'";
        QTest::newRow("short spline")
            << R"({"bb": "0,0,10,10", "objects": [{"_gvid": 0, "name": "v0", "pos": "1,1", "width": "1", "height": "1"}], "edges": [{"tail": 0, "head": 0, "pos": "1,1 2,2"}]})"
            << "2 points";
    }
    void malformedLayouts()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            parseDotJson(json.toStdString());
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(e.what()).contains(message), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestGraph)
#include "tst_graph.moc"
