#include "dav/Xml.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/XML/XMLException.h>

namespace kiroku::dav {

namespace {

constexpr std::size_t kMaxDepth = 64;

class TreeBuilder : public Poco::XML::DefaultHandler, public Poco::XML::LexicalHandler {
public:
    XmlNode root;
    bool hasRoot = false;

    // Poco 1.11 leaves the previous name's URI in place for a name without a namespace,
    // so un-prefixed names are resolved here from the default namespace in scope.
    void startPrefixMapping(const Poco::XML::XMLString& prefix,
                            const Poco::XML::XMLString& uri) override {
        scopes_.emplace_back(prefix, uri);
    }
    void endPrefixMapping(const Poco::XML::XMLString& prefix) override {
        for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
            if (it->first == prefix) {
                scopes_.erase(std::next(it).base());
                break;
            }
        }
    }
    std::string defaultNamespace() const {
        for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
            if (it->first.empty()) return it->second;
        }
        return {};
    }

    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString& qname,
                      const Poco::XML::Attributes& attrs) override {
        if (stack_.size() >= kMaxDepth) throw XmlError("XML nested too deeply");
        XmlNode node;
        node.ns = qname.find(':') != std::string::npos ? uri : defaultNamespace();
        node.name = localName;
        for (int i = 0; i < attrs.getLength(); ++i) {
            const std::string& q = attrs.getQName(i);
            if (q == "xmlns" || q.rfind("xmlns:", 0) == 0) continue;
            std::string ns = q.find(':') != std::string::npos ? attrs.getURI(i) : std::string();
            node.attrs.push_back({ns, attrs.getLocalName(i), attrs.getValue(i)});
        }
        if (stack_.empty()) {
            root = std::move(node);
            hasRoot = true;
            stack_.push_back(&root);
        } else {
            stack_.back()->children.push_back(std::move(node));
            stack_.push_back(&stack_.back()->children.back());
        }
    }
    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                    const Poco::XML::XMLString&) override {
        stack_.pop_back();
    }
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (stack_.empty()) return;
        auto& kids = stack_.back()->children;
        if (!kids.empty() && kids.back().isText) {
            kids.back().text.append(ch + start, static_cast<std::size_t>(length));
        } else {
            XmlNode text;
            text.isText = true;
            text.text.assign(ch + start, static_cast<std::size_t>(length));
            kids.push_back(std::move(text));
        }
    }
    void ignorableWhitespace(const Poco::XML::XMLChar ch[], int start, int length) override {
        characters(ch, start, length);
    }
    // A DTD is where entities are declared; WebDAV bodies never need one.
    void startDTD(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&) override {
        throw XmlError("document type declarations are not accepted");
    }
    void endDTD() override {}
    void startEntity(const Poco::XML::XMLString&) override {
        throw XmlError("entities are not accepted");
    }
    void endEntity(const Poco::XML::XMLString&) override {}
    void startCDATA() override {}
    void endCDATA() override {}
    void comment(const Poco::XML::XMLChar[], int, int) override {}
    void skippedEntity(const Poco::XML::XMLString&) override {
        throw XmlError("entities are not accepted");
    }

private:
    std::vector<XmlNode*> stack_;
    std::vector<std::pair<std::string, std::string>> scopes_;
};

// The namespace of the xml: prefix, which is bound without a declaration and must
// never be declared for another prefix or as the default.
const char* const kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

void serializeInto(std::string& out, const XmlNode& node, const std::string* parentNs) {
    if (node.isText) {
        appendEscaped(out, node.text);
        return;
    }
    const std::string name = node.ns == kXmlNamespace ? "xml:" + node.name : node.name;
    out += '<';
    out += name;
    if (node.ns != kXmlNamespace && (!parentNs || *parentNs != node.ns)) {
        out += " xmlns=\"";
        appendEscaped(out, node.ns);
        out += '"';
    }
    int prefix = 0;
    for (const auto& a : node.attrs) {
        if (a.ns.empty()) {
            out += ' ' + a.name + "=\"";
        } else if (a.ns == kXmlNamespace) {
            out += " xml:" + a.name + "=\"";
        } else {
            std::string p = "a" + std::to_string(prefix++);
            out += " xmlns:" + p + "=\"";
            appendEscaped(out, a.ns);
            out += "\" " + p + ":" + a.name + "=\"";
        }
        appendEscaped(out, a.value);
        out += '"';
    }
    if (node.children.empty()) {
        out += "/>";
        return;
    }
    out += '>';
    for (const auto& c : node.children) serializeInto(out, c, &node.ns);
    out += "</" + name + ">";
}

}  // namespace

const XmlNode* XmlNode::child(std::string_view ns_, std::string_view name_) const {
    for (const auto& c : children) {
        if (c.is(ns_, name_)) return &c;
    }
    return nullptr;
}

std::vector<const XmlNode*> XmlNode::elements() const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children) {
        if (!c.isText) out.push_back(&c);
    }
    return out;
}

std::string XmlNode::textContent() const {
    if (isText) return text;
    std::string out;
    for (const auto& c : children) out += c.textContent();
    return out;
}

XmlNode parseXml(const std::string& document) {
    // Belt and braces: refuse declarations before the parser sees them.
    if (document.find("<!DOCTYPE") != std::string::npos ||
        document.find("<!ENTITY") != std::string::npos) {
        throw XmlError("document type declarations are not accepted");
    }
    TreeBuilder builder;
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&builder);
    parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                       static_cast<Poco::XML::LexicalHandler*>(&builder));
    try {
        parser.parseString(document);
    } catch (const XmlError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw XmlError(e.displayText());
    }
    if (!builder.hasRoot) throw XmlError("empty XML document");
    return std::move(builder.root);
}

std::string serializeElement(const XmlNode& element) {
    std::string out;
    serializeInto(out, element, nullptr);
    return out;
}

void appendEscaped(std::string& out, std::string_view text) {
    // Most text needs no escaping: copy runs of plain bytes in one go.
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char u = static_cast<unsigned char>(text[i]);
        if (u >= 0x20 && u != '&' && u != '<' && u != '>' && u != '"') continue;
        out.append(text.data() + start, i - start);
        start = i + 1;
        char c = text[i];
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            // As references, these three survive a parser: it reads a raw CR as LF, and
            // each of them as a space in an attribute value.
            case '\t':
                out += "&#9;";
                break;
            case '\n':
                out += "&#10;";
                break;
            case '\r':
                out += "&#13;";
                break;
            default:
                break;  // a control character XML 1.0 forbids
        }
    }
    out.append(text.data() + start, text.size() - start);
}

std::string escaped(std::string_view text) {
    std::string out;
    appendEscaped(out, text);
    return out;
}

}  // namespace kiroku::dav
