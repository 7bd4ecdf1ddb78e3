#include "extract/WorkerProtocol.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace kiroku::indexer::extract {
namespace {

std::vector<std::string_view> tokens(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        const std::size_t end = std::min(line.find(' ', i), line.size());
        if (end == i) throw ProtocolError("empty token in header line");
        out.push_back(line.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

std::size_t number(std::string_view token) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error != std::errc() || end != token.data() + token.size())
        throw ProtocolError("bad number in header line: " + std::string(token));
    return value;
}

std::string token(std::string_view s) {
    if (s.empty()) return "-";
    std::string out(s.substr(0, 200));
    for (char& c : out)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) c = '_';
    return out;
}

std::string untoken(std::string_view s) { return s == "-" ? std::string() : std::string(s); }

}  // namespace

std::string encodeRequest(std::string_view path, std::size_t maxBytes) {
    std::string out =
        "extract " + std::to_string(maxBytes) + " " + std::to_string(path.size()) + "\n";
    out.append(path);
    return out;
}

std::string encodeResponse(bool ok, std::string_view mime, std::string_view extractor,
                           std::string_view payload) {
    std::string out = (ok ? "ok " : "error ") + token(mime) + " " + token(extractor) + " " +
                      std::to_string(payload.size()) + "\n";
    out.append(payload);
    return out;
}

std::string encodeReady(std::size_t extractorCount) {
    return "ready " + std::to_string(extractorCount) + "\n";
}

RequestHeader parseRequestHeader(std::string_view line) {
    const auto t = tokens(line);
    if (t.size() != 3 || t[0] != "extract")
        throw ProtocolError("not a request: " + std::string(line));
    RequestHeader header{number(t[1]), number(t[2])};
    if (header.pathLength == 0 || header.pathLength > kMaxPathLength)
        throw ProtocolError("bad path length in request");
    return header;
}

ResponseHeader parseResponseHeader(std::string_view line) {
    const auto t = tokens(line);
    if (t.size() != 4 || (t[0] != "ok" && t[0] != "error"))
        throw ProtocolError("not a response: " + std::string(line.substr(0, 80)));
    return ResponseHeader{t[0] == "ok", untoken(t[1]), untoken(t[2]), number(t[3])};
}

std::size_t parseReady(std::string_view line) {
    const auto t = tokens(line);
    if (t.size() != 2 || t[0] != "ready")
        throw ProtocolError("not a ready line: " + std::string(line.substr(0, 80)));
    return number(t[1]);
}

}  // namespace kiroku::indexer::extract
