// Collapsing modules, writing DOT for Graphviz's dot and reading its JSON layout (issue 15,
// docs/ui.md "Graph page"). dot runs as a subprocess of the caller; nothing here links Graphviz
// (libgvc is EPL-1.0, incompatible with the GPL-3.0, and not thread-safe).

#include "mpq/error.h"
#include "mpq/graph.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace mpq {

const char *graphNodeKindName(GraphNodeKind kind)
{
    switch (kind) {
    case GraphNodeKind::Input:
        return "input";
    case GraphNodeKind::Output:
        return "output";
    case GraphNodeKind::Conv:
        return "conv";
    case GraphNodeKind::Linear:
        return "linear";
    case GraphNodeKind::Pool:
        return "pool";
    case GraphNodeKind::Add:
        return "add";
    case GraphNodeKind::Concat:
        return "concat";
    case GraphNodeKind::Activation:
        return "activation";
    case GraphNodeKind::Resize:
        return "resize";
    case GraphNodeKind::Norm:
        return "norm";
    }
    return "?";
}

namespace {

std::string joinScope(const std::vector<std::string> &scope, std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count && i < scope.size(); ++i)
        out += (i ? "." : "") + scope[i];
    return out;
}

// Characters as drawn (UTF-8 continuation bytes do not count: "×" and "→" are one each).
std::size_t glyphs(const std::string &text)
{
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
    return buffer;
}

double parseNumber(const std::string &text, const std::string &what)
{
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == 0 || !std::isfinite(v))
            throw std::invalid_argument(text);
        return v;
    } catch (const std::exception &) {
        throw Error(ErrorCode::InvalidArgument,
                    "dot's layout: " + what + " is not a number ('" + text + "')");
    }
}

std::vector<double> parseNumbers(const std::string &text, const std::string &what)
{
    std::vector<double> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        out.push_back(parseNumber(item, what));
    return out;
}

std::string stringField(const nlohmann::json &object, const char *key, const std::string &what)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        throw Error(ErrorCode::InvalidArgument, "dot's layout: " + what + " has no '" + key + "'");
    return it->get<std::string>();
}

} // namespace

VisibleGraph collapseGraph(const ModelGraph &graph, const GraphCollapse &collapse)
{
    VisibleGraph out;
    std::map<std::string, int> byModule;
    std::vector<int> visibleOf(graph.nodes.size(), -1);
    for (const GraphNode &node : graph.nodes) {
        std::string module;
        for (std::size_t n = 1; n <= node.scope.size(); ++n) {
            const std::string prefix = joinScope(node.scope, n);
            if (collapse.collapsed.count(prefix) ||
                (collapse.depth > 0 && int(n) == collapse.depth &&
                 !collapse.expanded.count(prefix))) {
                module = prefix;
                break;
            }
        }
        if (module.empty()) {
            VisibleNode v;
            v.members = {node.id};
            v.label = node.label;
            v.detail = node.name;
            visibleOf[std::size_t(node.id)] = int(out.nodes.size());
            out.nodes.push_back(std::move(v));
            continue;
        }
        auto it = byModule.find(module);
        if (it == byModule.end()) {
            VisibleNode v;
            v.module = module;
            v.label = module;
            it = byModule.emplace(module, int(out.nodes.size())).first;
            out.nodes.push_back(std::move(v));
        }
        out.nodes[std::size_t(it->second)].members.push_back(node.id);
        visibleOf[std::size_t(node.id)] = it->second;
    }
    for (VisibleNode &v : out.nodes)
        if (!v.module.empty())
            v.detail = std::to_string(v.members.size()) +
                       (v.members.size() == 1 ? " operation" : " operations");
    std::map<std::pair<int, int>, bool> seen;
    for (const GraphEdge &e : graph.edges) {
        const int from = visibleOf[std::size_t(e.from)], to = visibleOf[std::size_t(e.to)];
        if (from != to && !seen[{from, to}]) {
            seen[{from, to}] = true;
            out.edges.push_back({from, to});
        }
    }
    return out;
}

// An 11-pixel sans font averages about 6.4 pixels a glyph; 1 scene unit = 1 point.
double graphNodeWidth(const VisibleNode &node)
{
    const std::size_t chars = std::max(glyphs(node.label), glyphs(node.detail));
    return std::max(72.0, 6.6 * double(chars) + 18.0);
}

double graphNodeHeight(const VisibleNode &node)
{
    return node.detail.empty() ? 24.0 : 36.0;
}

std::string toDot(const VisibleGraph &visible)
{
    std::ostringstream dot;
    dot << "digraph G {\n"
           "  graph [rankdir=TB, nodesep=0.3, ranksep=0.35, splines=spline];\n"
           "  node [shape=box, fixedsize=true, label=\"\"];\n"
           "  edge [arrowsize=0.6];\n";
    for (std::size_t i = 0; i < visible.nodes.size(); ++i)
        dot << "  v" << i << " [width=" << number(graphNodeWidth(visible.nodes[i]) / 72.0)
            << ", height=" << number(graphNodeHeight(visible.nodes[i]) / 72.0) << "];\n";
    for (const GraphEdge &e : visible.edges)
        dot << "  v" << e.from << " -> v" << e.to << ";\n";
    dot << "}\n";
    return dot.str();
}

std::string toDot(const ModelGraph &graph, const GraphCollapse &collapse)
{
    return toDot(collapseGraph(graph, collapse));
}

GraphLayout parseDotJson(const std::string &json)
{
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(json);
    } catch (const std::exception &e) {
        throw Error(ErrorCode::InvalidArgument,
                    std::string("dot's layout is not JSON (") + e.what() + ")");
    }
    if (!root.is_object())
        throw Error(ErrorCode::InvalidArgument, "dot's layout is not a JSON object");
    GraphLayout layout;
    const std::vector<double> bb = parseNumbers(stringField(root, "bb", "the graph"), "bb");
    if (bb.size() != 4)
        throw Error(ErrorCode::InvalidArgument, "dot's layout: the bounding box is not 4 numbers");
    layout.width = bb[2] - bb[0];
    layout.height = bb[3] - bb[1];
    const double left = bb[0], top = bb[3];
    const auto point = [&](double x, double y) { return GraphPoint{x - left, top - y}; };

    // objects: subgraphs (none here) and nodes, indexed by _gvid
    std::map<long long, int> nodeByGvid;
    if (const auto objects = root.find("objects"); objects != root.end()) {
        if (!objects->is_array())
            throw Error(ErrorCode::InvalidArgument, "dot's layout: 'objects' is not a list");
        for (const auto &object : *objects) {
            if (!object.is_object())
                throw Error(ErrorCode::InvalidArgument, "dot's layout: an object is not a map");
            if (object.contains("nodes") || object.contains("subgraphs"))
                continue; // a subgraph
            GraphLayout::Node node;
            node.name = stringField(object, "name", "a node");
            const std::string what = "node " + node.name;
            const std::vector<double> pos = parseNumbers(stringField(object, "pos", what), what);
            if (pos.size() != 2)
                throw Error(ErrorCode::InvalidArgument,
                            "dot's layout: " + what + " has no x,y position");
            node.centre = point(pos[0], pos[1]);
            node.width = parseNumber(stringField(object, "width", what), what) * 72.0;
            node.height = parseNumber(stringField(object, "height", what), what) * 72.0;
            if (node.name.size() > 1 && node.name[0] == 'v' &&
                node.name.find_first_not_of("0123456789", 1) == std::string::npos)
                node.index = std::stoi(node.name.substr(1));
            const auto gvid = object.find("_gvid");
            if (gvid == object.end() || !gvid->is_number_integer())
                throw Error(ErrorCode::InvalidArgument, "dot's layout: " + what + " has no _gvid");
            nodeByGvid[gvid->get<long long>()] = int(layout.nodes.size());
            layout.nodes.push_back(std::move(node));
        }
    }
    if (const auto edges = root.find("edges"); edges != root.end()) {
        if (!edges->is_array())
            throw Error(ErrorCode::InvalidArgument, "dot's layout: 'edges' is not a list");
        for (const auto &object : *edges) {
            GraphLayout::Edge edge;
            const auto end = [&](const char *key) {
                const auto it = object.find(key);
                if (it == object.end() || !it->is_number_integer() ||
                    !nodeByGvid.count(it->get<long long>()))
                    throw Error(ErrorCode::InvalidArgument,
                                std::string("dot's layout: an edge has no valid '") + key + "'");
                return nodeByGvid.at(it->get<long long>());
            };
            edge.tail = end("tail");
            edge.head = end("head");
            // "e,x,y x,y x,y ...": an arrowhead's tip, then the spline's control points
            std::istringstream in(stringField(object, "pos", "an edge"));
            std::string item;
            while (in >> item) {
                const bool arrowEnd = item.rfind("e,", 0) == 0,
                           arrowStart = item.rfind("s,", 0) == 0;
                const std::vector<double> xy =
                    parseNumbers(arrowEnd || arrowStart ? item.substr(2) : item, "an edge's point");
                if (xy.size() != 2)
                    throw Error(ErrorCode::InvalidArgument,
                                "dot's layout: an edge's point is not x,y ('" + item + "')");
                if (arrowEnd) {
                    edge.hasArrow = true;
                    edge.arrowTip = point(xy[0], xy[1]);
                } else if (!arrowStart) {
                    edge.points.push_back(point(xy[0], xy[1]));
                }
            }
            if (edge.points.size() < 4 || (edge.points.size() - 1) % 3 != 0)
                throw Error(ErrorCode::InvalidArgument, "dot's layout: an edge's spline has " +
                                                            std::to_string(edge.points.size()) +
                                                            " points (not 1 + 3k)");
            layout.edges.push_back(std::move(edge));
        }
    }
    return layout;
}

} // namespace mpq
