#pragma once
// The reason in the text of an exception from LibTorch, for a message that names the file and
// the problem (docs/architecture.md, errors).
#include <string>

namespace mpq {

/// A TorchScript interpreter error starts with "The following operation failed in the
/// TorchScript interpreter." and a traceback, and ends with the reason ("RuntimeError: ...");
/// that line is returned without its "RuntimeError: " prefix. Any other text: its first line.
inline std::string torchErrorReason(const std::string &text)
{
    static const std::string kInterpreter = "The following operation failed in the TorchScript";
    std::size_t end = text.find('\n');
    if (text.compare(0, kInterpreter.size(), kInterpreter) != 0 || end == std::string::npos)
        return end == std::string::npos ? text : text.substr(0, end);
    // the last line of the form "<Name>Error: <reason>"
    end = text.size();
    while (end > 0) {
        const std::size_t newline = text.rfind('\n', end - 1);
        const std::size_t begin = newline == std::string::npos ? 0 : newline + 1;
        const std::string line = text.substr(begin, end - begin);
        const std::size_t colon = line.find(": ");
        if (colon != std::string::npos && colon >= 5 && line.compare(colon - 5, 5, "Error") == 0 &&
            line.find(' ') > colon)
            return line.substr(colon + 2);
        if (newline == std::string::npos)
            break;
        end = newline;
    }
    return text.substr(0, text.find('\n'));
}

} // namespace mpq
