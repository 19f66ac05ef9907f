// Pascal VOC XML annotations: just enough XML for <object><name/><bndbox>...</bndbox></object>.
#include "mpq/eval.h"

#include "mpq/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mpq {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The text between <tag> and </tag> inside [from, to), or fails with the tag's name.
std::string element(const std::string &xml, const std::string &tag, std::size_t from,
                    std::size_t to, const std::string &path, std::size_t *end = nullptr)
{
    const std::string open = "<" + tag + ">", close = "</" + tag + ">";
    const std::size_t a = xml.find(open, from);
    if (a == std::string::npos || a >= to)
        throw Error(ErrorCode::BadAnnotation, path + ": an <object> without <" + tag + ">");
    const std::size_t b = xml.find(close, a);
    if (b == std::string::npos || b > to)
        throw Error(ErrorCode::BadAnnotation, path + ": <" + tag + "> is not closed");
    if (end)
        *end = b + close.size();
    return xml.substr(a + open.size(), b - a - open.size());
}

float number(const std::string &text, const std::string &tag, const std::string &path)
{
    try {
        std::size_t used = 0;
        const std::string t = trim(text);
        const float v = std::stof(t, &used);
        // "nan" and "inf" parse as numbers, but a box with them matches nothing and poisons
        // the IoU arithmetic downstream.
        if (used == t.size() && std::isfinite(v))
            return v;
    } catch (const std::exception &) {
    }
    throw Error(ErrorCode::BadAnnotation,
                path + ": <" + tag + "> is not a number: '" + trim(text) + "'");
}

} // namespace

std::vector<Detection> readVocAnnotation(const std::string &path,
                                         const std::vector<std::string> &labels,
                                         std::vector<std::string> &unknown)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::BadAnnotation, path + ": is a folder, not a file");
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error(ErrorCode::BadAnnotation, path + ": cannot open the file");
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad())
        throw Error(ErrorCode::BadAnnotation, path + ": cannot read the file");
    return parseVocAnnotation(content.str(), path, labels, unknown);
}

std::vector<Detection> parseVocAnnotation(const std::string &xml, const std::string &path,
                                          const std::vector<std::string> &labels,
                                          std::vector<std::string> &unknown)
{
    if (xml.find("<annotation") == std::string::npos)
        throw Error(ErrorCode::BadAnnotation,
                    path + ": not a Pascal VOC annotation (no <annotation>)");
    std::vector<Detection> out;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t start = xml.find("<object>", pos);
        if (start == std::string::npos)
            break;
        const std::size_t stop = xml.find("</object>", start);
        if (stop == std::string::npos)
            throw Error(ErrorCode::BadAnnotation, path + ": <object> is not closed");
        const std::string name = trim(element(xml, "name", start, stop, path));
        std::size_t boxEnd = 0;
        element(xml, "bndbox", start, stop, path, &boxEnd);
        const std::size_t boxStart = xml.find("<bndbox>", start);
        Detection d;
        d.x1 = number(element(xml, "xmin", boxStart, boxEnd, path), "xmin", path);
        d.y1 = number(element(xml, "ymin", boxStart, boxEnd, path), "ymin", path);
        d.x2 = number(element(xml, "xmax", boxStart, boxEnd, path), "xmax", path);
        d.y2 = number(element(xml, "ymax", boxStart, boxEnd, path), "ymax", path);
        if (d.x2 < d.x1 || d.y2 < d.y1)
            throw Error(ErrorCode::BadAnnotation,
                        path + ": a box of '" + name + "' has xmax < xmin or ymax < ymin");
        d.label = -1;
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (lower(labels[i]) == lower(name))
                d.label = static_cast<int>(i);
        if (d.label < 0) {
            if (std::find(unknown.begin(), unknown.end(), name) == unknown.end())
                unknown.push_back(name);
        } else {
            out.push_back(d);
        }
        pos = stop + 9;
    }
    return out;
}

} // namespace mpq
