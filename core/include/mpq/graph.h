#pragma once
// The model's graph as the Graph page draws it (issue 15, docs/ui.md "Graph page"): the
// operations that matter in the forward graph the engine reads, modules that can be collapsed,
// the DOT source handed to Graphviz's dot program (run as a subprocess, never linked) and the
// layout read back from `dot -Tjson`. No torch, OpenCV or Qt types.

#include <set>
#include <string>
#include <vector>

namespace mpq {

class Model;

enum class GraphNodeKind {
    Input,
    Output,
    Conv,
    Linear,
    Pool,
    Add, ///< element-wise arithmetic of two tensors (add, sub, mul, div)
    Concat,
    Activation,
    Resize,
    Norm,
};

/// Text for a kind: "input", "conv", "add", ...
const char *graphNodeKindName(GraphNodeKind kind);

struct GraphNode
{
    int id = 0; ///< its index in ModelGraph::nodes
    GraphNodeKind kind = GraphNodeKind::Conv;
    std::string op;    ///< "Conv", "ReLU", "Add", "Concat", ...
    std::string label; ///< op and short shape facts: "Conv 3×3 /2 16→32"
    /// The module the operation belongs to ("layer1.0.conv1"; a quantizable layer's name), or
    /// "" (the root module's own code, or unknown).
    std::string name;
    int layer = -1; ///< index into Model::layers(), -1 for no quantizable layer
    /// The modules that contain it, outermost first: "layer1.0.conv1" -> {"layer1", "0"}; an
    /// operation written in a module's own forward (an add in a residual block "layer1.0") has
    /// that module's full path {"layer1", "0"}.
    std::vector<std::string> scope;
};

struct GraphEdge
{
    int from = 0, to = 0; ///< node ids
};

/// Nodes in data-flow (topological) order; edges from producer to consumer, each once.
struct ModelGraph
{
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
};

/// The graph of the model's forward method (TorchScript or imported ONNX, one code path):
/// one node per convolution, linear layer, pooling, element-wise operation of two tensors,
/// concatenation, activation, resize or normalisation, plus the inputs and one output; shape
/// plumbing (size, view, flatten, constants, lists, getattr, ...) is bypassed, its tensor
/// inputs connect through. Operations in control flow (if/loop bodies) appear once.
ModelGraph modelGraph(const Model &model);

/// Which modules are drawn as one node. A node belongs to the shortest prefix of its scope that
/// is collapsed: listed in `collapsed`, or `depth` long (depth >= 1) and not in `expanded`.
/// Prefixes are joined with '.' ("layer1.0").
struct GraphCollapse
{
    int depth = 0; ///< 0: no depth rule
    std::set<std::string> collapsed;
    std::set<std::string> expanded;
};

/// A node as drawn: one graph node, or a collapsed module with its members.
struct VisibleNode
{
    std::string module;       ///< the collapsed module's path, "" for a single node
    std::vector<int> members; ///< graph node ids (one for a single node)
    std::string label;        ///< first line: the op label, or the module path
    std::string detail;       ///< second line: the node's name, or "n operations"
};

struct VisibleGraph
{
    std::vector<VisibleNode> nodes;
    std::vector<GraphEdge> edges; ///< between visible node indices, each once, no self-loops
};

VisibleGraph collapseGraph(const ModelGraph &graph, const GraphCollapse &collapse);

/// Size of a drawn node in points (1/72 inch), from its text: what toDot asks dot for and
/// what the Graph page draws (an 11-pixel font, 1 scene unit = 1 point).
double graphNodeWidth(const VisibleNode &node);
double graphNodeHeight(const VisibleNode &node);

/// DOT source for `dot -Tjson`: rankdir=TB, fixed-size boxes named "v<i>" (i = index into
/// collapseGraph's nodes) of graphNodeWidth/Height in inches, no labels (dot needs no fonts).
std::string toDot(const ModelGraph &graph, const GraphCollapse &collapse);
std::string toDot(const VisibleGraph &visible);

struct GraphPoint
{
    double x = 0.0, y = 0.0;
};

/// A laid-out graph in points, y pointing down (dot's y axis flipped), origin at the top left.
struct GraphLayout
{
    double width = 0.0, height = 0.0;
    struct Node
    {
        std::string name;    ///< the DOT node name ("v3")
        int index = -1;      ///< 3 for "v3", -1 for another name
        GraphPoint centre;   ///< centre
        double width = 0.0;  ///< points
        double height = 0.0; ///< points
    };
    struct Edge
    {
        int tail = -1, head = -1; ///< indices into nodes
        /// Cubic B-spline control points: start, then three per segment (1 + 3k points).
        std::vector<GraphPoint> points;
        bool hasArrow = false;
        GraphPoint arrowTip; ///< where the arrowhead ends (at the head node)
    };
    std::vector<Node> nodes;
    std::vector<Edge> edges;
};

/// Reads `dot -Tjson` output. Throws Error(InvalidArgument) with a clear message for output
/// that is not JSON or lacks the bounding box, a node's position or size, or an edge's ends.
GraphLayout parseDotJson(const std::string &json);

} // namespace mpq
