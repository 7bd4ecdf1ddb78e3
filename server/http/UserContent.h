#pragma once
// UserContent: how a user's file is served, whatever asks for it (WebDAV GET today, the
// web UI's downloads and previews next), so that a browser never runs it as the site:
// a file can hold a script, and the site answers the API on the same origin.
//
//   - every file: `X-Content-Type-Options: nosniff` (the browser keeps to the declared
//     type), `Content-Security-Policy: sandbox` (a unique origin, no scripts, no
//     forms), `Cross-Origin-Resource-Policy: same-origin`;
//   - types a browser would render as a page of the site (HTML, XHTML, SVG, XML,
//     JavaScript), and files named like them: also `Content-Disposition: attachment`,
//     so they are downloaded;
//   - text: a charset, taken from the first bytes (UTF-8 when they are UTF-8, else
//     Shift_JIS, the other encoding Japanese office files have), so nothing is garbled.
// Pure: it only sets headers.

#include <Poco/Net/HTTPResponse.h>

#include <string>
#include <string_view>

namespace kiroku {

// True for a type a browser would render as a page (and run its scripts).
bool isActiveContent(std::string_view contentType);

// The type to declare, with a charset for text (`head`: the file's first bytes).
std::string declaredType(std::string_view contentType, std::string_view head);

// Sets the headers above; `name` is the file's name (for the download), `contentType`
// its type, `head` its first bytes (up to a few KB).
void setUserContentHeaders(Poco::Net::HTTPResponse& response, std::string_view name,
                           std::string_view contentType, std::string_view head);

}  // namespace kiroku
