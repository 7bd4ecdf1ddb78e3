#include "http/Framing.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace kiroku {

int framingError(const Poco::Net::HTTPRequest& request) {
    int encodings = 0, lengths = 0;
    std::string length;
    // Values are judged exactly as Poco holds them, untrimmed, because that is how
    // RequestBody will read them (getChunkedTransferEncoding, getContentLength64). Poco
    // trims what the wire puts around a value, but decoding an RFC 2047 word can leave
    // a space: "chunked =?" became "chunked ", which a trimmed check took for chunked
    // and Poco for no body at all, so the chunks were read as the next request.
    for (auto it = request.begin(); it != request.end(); ++it) {
        if (Poco::icompare(it->first, "Transfer-Encoding") == 0) {
            ++encodings;
            if (Poco::icompare(it->second, "chunked") != 0) return 501;
        } else if (Poco::icompare(it->first, "Content-Length") == 0) {
            const std::string& value = it->second;
            bool digits = !value.empty() && value.size() <= 18 &&
                          std::all_of(value.begin(), value.end(),
                                      [](unsigned char c) { return std::isdigit(c); });
            if (!digits) return 400;
            if (lengths++ > 0 && value != length) return 400;
            length = value;
        }
    }
    if (encodings > 1) return 501;
    if (encodings > 0 && lengths > 0) return 400;
    return 0;
}

}  // namespace kiroku
