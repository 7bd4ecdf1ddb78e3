#pragma once
// XML for WebDAV bodies: a small namespace-aware tree parsed with Poco's SAX parser,
// and the writing helpers the responses need.
//
// parseXml refuses any document type declaration (so no entity, internal or
// external, is ever expanded) and every malformed or namespace-invalid document.
// Stateless and thread-safe.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiroku::dav {

class XmlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct XmlAttr {
    std::string ns;
    std::string name;
    std::string value;
};

struct XmlNode {
    bool isText = false;
    std::string text;  // text nodes
    std::string ns;    // elements: namespace URI ("" for none)
    std::string name;  // elements: local name
    std::vector<XmlAttr> attrs;
    std::vector<XmlNode> children;

    bool is(std::string_view ns_, std::string_view name_) const {
        return !isText && ns == ns_ && name == name_;
    }
    // First child element with this name, or nullptr.
    const XmlNode* child(std::string_view ns_, std::string_view name_) const;
    // Child elements in document order (text nodes skipped).
    std::vector<const XmlNode*> elements() const;
    // Concatenated text of the element and its descendants.
    std::string textContent() const;
};

// Parses a whole document and returns its root element. Throws XmlError.
XmlNode parseXml(const std::string& document);

// Serialises an element with everything inside it as a self-contained fragment:
// each element whose namespace differs from its parent's declares it as the default
// namespace, and namespaced attributes get declared prefixes (xml:lang and the rest of
// the xml: namespace keep their prefix, which needs no declaration). Parsed back, the
// fragment gives the same tree.
std::string serializeElement(const XmlNode& element);

// Escapes &, <, >, " and tab, LF and CR (as character references, which a parser
// reads back unchanged in text and in attribute values); control characters XML 1.0
// forbids are dropped.
void appendEscaped(std::string& out, std::string_view text);
std::string escaped(std::string_view text);

}  // namespace kiroku::dav
