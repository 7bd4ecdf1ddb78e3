// dav_xml: WebDAV request bodies (PROPFIND, PROPPATCH, LOCK) through parseXml
// (server/dav/Xml.h).
// Asserts: a refused body throws XmlError and nothing else; an accepted one, and every
// element of it, serialises (serializeElement, which is what PROPPATCH stores as a dead
// property and LOCK as the lock's owner, and PROPFIND sends back) to XML that parses
// back to the same tree, so a stored property can never break or inject into an answer.
#include "FuzzSupport.h"
#include "dav/Xml.h"

using kiroku::dav::XmlError;
using kiroku::dav::XmlNode;

namespace {

bool sameTree(const XmlNode& a, const XmlNode& b) {
    if (a.isText != b.isText || a.text != b.text || a.ns != b.ns || a.name != b.name) return false;
    if (a.attrs.size() != b.attrs.size() || a.children.size() != b.children.size()) return false;
    for (std::size_t i = 0; i < a.attrs.size(); ++i) {
        const auto &x = a.attrs[i], &y = b.attrs[i];
        if (x.ns != y.ns || x.name != y.name || x.value != y.value) return false;
    }
    for (std::size_t i = 0; i < a.children.size(); ++i) {
        if (!sameTree(a.children[i], b.children[i])) return false;
    }
    return true;
}

void checkRoundTrip(const XmlNode& element, int depth) {
    std::string xml = kiroku::dav::serializeElement(element);
    XmlNode again;
    try {
        again = kiroku::dav::parseXml(xml);
    } catch (const XmlError& e) {
        std::fprintf(stderr, "serialised element does not parse (%s):\n%s\n", e.what(),
                     xml.c_str());
        FUZZ_CHECK(!"serialised element parses");
    }
    if (!sameTree(element, again)) std::fprintf(stderr, "round trip differs:\n%s\n", xml.c_str());
    FUZZ_CHECK(sameTree(element, again));
    // The properties of a PROPPATCH and the owner of a LOCK sit two levels down.
    if (depth < 3) {
        for (const XmlNode* child : element.elements()) checkRoundTrip(*child, depth + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    XmlNode root;
    try {
        root = kiroku::dav::parseXml(std::string(kiroku::fuzz::asText(data, size)));
    } catch (const XmlError&) {
        return 0;
    }
    FUZZ_CHECK(!root.isText && !root.name.empty());
    checkRoundTrip(root, 0);
    return 0;
}
