// if_header: the WebDAV If header (server/dav/IfHeader.h).
// Asserts: a malformed header throws IfHeaderError and nothing else; an accepted one
// prints back (resource tags, Not, <state tokens>, [entity tags]) to a header that
// parses to the same lists; evaluation never throws, and the tokens it submits are
// exactly the state tokens named without Not.
#include "FuzzSupport.h"
#include "dav/IfHeader.h"

using namespace kiroku::dav;

namespace {

std::string print(const std::vector<IfList>& lists) {
    std::string out, tag;
    for (const auto& l : lists) {
        if (l.resource != tag) out += "<" + l.resource + "> ";
        tag = l.resource;
        out += "(";
        for (const auto& c : l.conditions) {
            if (c.negate) out += "Not ";
            out += c.isEtag ? "[" + c.value + "] " : "<" + c.value + "> ";
        }
        out += ") ";
    }
    return out;
}

bool same(const std::vector<IfList>& a, const std::vector<IfList>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].resource != b[i].resource || a[i].conditions.size() != b[i].conditions.size())
            return false;
        for (std::size_t j = 0; j < a[i].conditions.size(); ++j) {
            const auto &x = a[i].conditions[j], &y = b[i].conditions[j];
            if (x.negate != y.negate || x.isEtag != y.isEtag || x.value != y.value) return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<IfList> lists;
    try {
        lists = parseIfHeader(kiroku::fuzz::asText(data, size));
    } catch (const IfHeaderError&) {
        return 0;
    }
    FUZZ_CHECK(!lists.empty());
    std::string printed = print(lists);
    std::vector<IfList> again;
    try {
        again = parseIfHeader(printed);
    } catch (const IfHeaderError& e) {
        std::fprintf(stderr, "printed header refused (%s): %s\n", e.what(), printed.c_str());
        FUZZ_CHECK(!"printed header parses");
    }
    FUZZ_CHECK(same(lists, again));

    std::set<std::string> named;
    for (const auto& l : lists) {
        for (const auto& c : l.conditions) {
            if (!c.negate && !c.isEtag) named.insert(c.value);
        }
    }
    FUZZ_CHECK(submittedTokens(lists) == named);

    // A server where the request URI exists, holds every token the header names and has
    // the first entity tag; tagged resources exist when their tag is even in length.
    ResourceState here;
    here.exists = true;
    here.lockTokens = named;
    for (const auto& l : lists) {
        for (const auto& c : l.conditions) {
            if (c.isEtag && here.etag.empty()) here.etag = c.value;
        }
    }
    auto lookup = [&](const std::string& resource) -> std::optional<ResourceState> {
        if (resource.empty()) return here;
        if (resource.size() % 2 == 1) return std::nullopt;
        return here;
    };
    (void)evaluateIf(lists, lookup);
    return 0;
}
