#pragma once
// The wire format between ExtractionPool (the parent) and a kiroku-extract worker, over the
// worker's stdin and stdout. Every message is one header line of space-separated ASCII tokens
// ended by '\n', followed by exactly as many payload bytes as the header announces:
//
//   worker → parent, once, when its plugins are loaded:
//       "ready <extractorCount>\n"
//   parent → worker, one request at a time:
//       "extract <maxBytes> <pathLength>\n" <path>
//   worker → parent, one answer per request:
//       "ok <mime> <extractor> <textLength>\n" <text, UTF-8, at most maxBytes bytes>
//       "error <mime> <extractor> <reasonLength>\n" <reason, one line of English>
//
// <mime> and <extractor> are "-" when unknown (an empty file has no extractor). Closing the
// worker's stdin asks it to exit. The worker writes nothing else to stdout.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kiroku::indexer::extract {

// The peer broke the format (a bad header line, an impossible length).
class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

constexpr std::size_t kMaxHeaderLine = 1024;
constexpr std::size_t kMaxPathLength = 64 * 1024;

struct RequestHeader {
    std::size_t maxBytes = 0;
    std::size_t pathLength = 0;
};

struct ResponseHeader {
    bool ok = false;
    std::string mime;       // "" when unknown
    std::string extractor;  // "" when none
    std::size_t payloadLength = 0;
};

// A whole request: header line and path.
std::string encodeRequest(std::string_view path, std::size_t maxBytes);

// A whole response: header line and payload (text or reason). Spaces and control characters
// in `mime` and `extractor` become '_' so that they stay one token each.
std::string encodeResponse(bool ok, std::string_view mime, std::string_view extractor,
                           std::string_view payload);

std::string encodeReady(std::size_t extractorCount);

// Parse a header line without its '\n'. Throw ProtocolError when malformed.
RequestHeader parseRequestHeader(std::string_view line);
ResponseHeader parseResponseHeader(std::string_view line);
std::size_t parseReady(std::string_view line);

}  // namespace kiroku::indexer::extract
