// http_framing: a request head as kirokud reads it (Poco's HTTPRequest::read, which
// HTTPServerRequestImpl calls) and the framing check that runs before any body is read
// (server/http/Framing.h).
// Asserts: framingError answers 0, 400 or 501 and never throws; and a request it lets
// through has exactly one reading of its body: either no Transfer-Encoding, or one
// that Poco (and so RequestBody) also takes for chunked and no Content-Length; every
// Content-Length the same digits, which Poco reads as that number.
#include "FuzzSupport.h"
#include "http/Framing.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/String.h>

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(kiroku::fuzz::asText(data, size)));
    Poco::Net::HTTPRequest request;
    try {
        request.read(in);
    } catch (const Poco::Exception&) {
        return 0;  // Poco refuses the head; kirokud answers 400 before framing
    }
    const int status = kiroku::framingError(request);
    FUZZ_CHECK(status == 0 || status == 400 || status == 501);
    if (status != 0) return 0;

    std::vector<std::string> encodings, lengths;
    for (const auto& [name, value] : request) {
        if (Poco::icompare(name, "Transfer-Encoding") == 0) encodings.push_back(value);
        if (Poco::icompare(name, "Content-Length") == 0) lengths.push_back(Poco::trim(value));
    }
    FUZZ_CHECK(encodings.size() <= 1);
    if (!encodings.empty()) {
        FUZZ_CHECK(lengths.empty());
        FUZZ_CHECK(request.getChunkedTransferEncoding());
        return 0;
    }
    FUZZ_CHECK(!request.getChunkedTransferEncoding());
    for (const auto& l : lengths) FUZZ_CHECK(l == lengths.front());
    if (!lengths.empty()) {
        FUZZ_CHECK(request.hasContentLength());
        FUZZ_CHECK(request.getContentLength64() == std::stoll(lengths.front()));
    }
    return 0;
}
