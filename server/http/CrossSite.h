#pragma once
// CrossSite: refuses state changes a page of another site makes a browser send with
// the credentials it has cached for Kiroku (CSRF). A change — any method but GET, HEAD,
// OPTIONS and PROPFIND — is refused when the browser says it comes from another site
// (Sec-Fetch-Site other than same-origin or none) or from another origin (an Origin
// header, "null" included, that is not this server's own scheme and host). WebDAV
// clients send neither header. The JSON API also takes only JSON bodies (a form on
// another site cannot send `Content-Type: application/json` without asking first,
// which Kiroku never allows). Tokens will do the same for the web UI's cookie sessions.
// Pure.

#include <Poco/Net/HTTPRequest.h>

#include <string>

namespace kiroku {

// True for methods that change something.
bool changesState(const std::string& method);

// True when `request`, on a listener of the given scheme (secure: https), is a change
// asked from another site or origin.
bool crossSiteChange(const Poco::Net::HTTPRequest& request, bool secure);

// True for an API POST without a JSON Content-Type (what forms of other sites send).
bool apiChangeWithoutJson(const Poco::Net::HTTPRequest& request);

}  // namespace kiroku
