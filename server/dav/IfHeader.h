#pragma once
// The WebDAV If header (RFC 4918 §10.4): parsing and evaluation.
// Stateless and thread-safe.

#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::dav {

class IfHeaderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct IfCondition {
    bool negate = false;
    bool isEtag = false;
    std::string value;  // state token (e.g. "opaquelocktoken:…") or entity tag (with quotes)
};

struct IfList {
    std::string resource;  // tagged resource (URL as sent), empty for the request URI
    std::vector<IfCondition> conditions;
};

// Parses the header value. Throws IfHeaderError for a malformed header.
std::vector<IfList> parseIfHeader(std::string_view value);

// What evaluation needs to know about a resource named in the header.
struct ResourceState {
    bool exists = false;
    std::string etag;                  // current entity tag, when it exists
    std::set<std::string> lockTokens;  // tokens of the locks that cover it
};

// Looks up a resource: empty string for the request URI, else the tag as sent.
// Returns nothing for a tag that does not name a resource of this server.
using ResourceLookup = std::function<std::optional<ResourceState>(const std::string& resource)>;

// True when at least one list matches its resource (RFC 4918 §10.4.3).
bool evaluateIf(const std::vector<IfList>& lists, const ResourceLookup& lookup);

// Every state token the header names without "Not": the lock tokens it submits.
std::set<std::string> submittedTokens(const std::vector<IfList>& lists);

// Compares entity tags, ignoring a weak "W/" prefix.
bool etagsMatch(std::string_view a, std::string_view b);

}  // namespace kiroku::dav
