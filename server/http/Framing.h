#pragma once
// Framing (RFC 9112 §6): a request whose body boundaries are ambiguous is refused before
// anything reads it, and its connection is closed, so its bytes can never be read as
// another request (request smuggling):
//   - a Transfer-Encoding other than exactly "chunked" (e.g. "gzip, chunked"): 501;
//   - both Transfer-Encoding and Content-Length: 400;
//   - a Content-Length that is not digits (e.g. "-5"), or several that differ: 400.
// Pure.

#include <Poco/Net/HTTPRequest.h>

namespace kiroku {

// 0 when the framing is sound, else the status to answer with.
int framingError(const Poco::Net::HTTPRequest& request);

}  // namespace kiroku
