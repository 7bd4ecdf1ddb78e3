// The "html" plugin: text/html and XHTML pages (libxml2's forgiving HTML parser), and
// generic XML documents ("xml"). The page's declared charset is honoured (<meta charset>,
// http-equiv Content-Type, the XML declaration); without one the encoding is detected.

#include <Poco/ClassLibrary.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "Charset.h"
#include "TextSink.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

// Bigger pages are read up to this size: a web page's text comes long before 32 MiB.
constexpr std::size_t kMaxSourceBytes = 32 * 1024 * 1024;
constexpr std::size_t kPrescanBytes = 4096;

void ignoreXmlError(void*, const char*, ...) {}
void ignoreStructuredError(void*, xmlErrorPtr) {}

void silenceLibxml2() {
    xmlSetGenericErrorFunc(nullptr, ignoreXmlError);
    xmlSetStructuredErrorFunc(nullptr, ignoreStructuredError);
}

// The first `limit` bytes of the file (all of it when smaller).
std::string readPrefix(const std::string& path, std::size_t limit) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw indexer::ExtractionError("cannot open the file");
    const std::streamoff size = in.tellg();
    in.seekg(0);
    std::string bytes(std::min<std::size_t>(limit, size > 0 ? static_cast<std::size_t>(size) : 0),
                      '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) throw indexer::ExtractionError("read error");
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The value after `key` = in `text` (quotes and spaces skipped), or "" if absent.
std::string attributeValue(const std::string& text, std::size_t keyEnd) {
    std::size_t i = text.find_first_not_of(" \t\r\n", keyEnd);
    if (i == std::string::npos || text[i] != '=') return {};
    i = text.find_first_not_of(" \t\r\n\"'", i + 1);
    if (i == std::string::npos) return {};
    const std::size_t end = text.find_first_of(" \t\r\n\"';>/", i);
    return text.substr(i, end == std::string::npos ? std::string::npos : end - i);
}

// The charset a page declares in its first bytes, as the HTML standard's prescan finds it:
// <meta charset=…>, <meta http-equiv="Content-Type" content="…; charset=…">, or an XML
// declaration's encoding. Empty when there is none.
std::string declaredCharset(std::string_view head) {
    const std::string text = lower(head.substr(0, kPrescanBytes));
    if (text.rfind("<?xml", 0) == 0) {
        const std::size_t declEnd = text.find("?>");
        const std::size_t key = text.find("encoding", 0);
        if (key != std::string::npos && key < declEnd) return attributeValue(text, key + 8);
    }
    for (std::size_t pos = text.find("<meta"); pos != std::string::npos;
         pos = text.find("<meta", pos + 5)) {
        const std::size_t tagEnd = text.find('>', pos);
        const std::string tag =
            text.substr(pos, tagEnd == std::string::npos ? tagEnd : tagEnd - pos);
        const std::size_t key = tag.find("charset");
        if (key == std::string::npos) continue;
        std::string value = attributeValue(tag, key + 7);
        if (!value.empty()) return value;
    }
    return {};
}

// The page's bytes as UTF-8, decoded with its declared charset or a detected one.
std::string toUtf8(const std::string& bytes) {
    DetectedCharset charset;
    std::string declared = icuCharsetName(declaredCharset(bytes));
    // A page that can declare its charset in ASCII is not UTF-16 (HTML standard rule).
    if (lower(declared).rfind("utf-16", 0) == 0) declared = "UTF-8";
    if (!declared.empty() && isKnownCharset(declared)) {
        charset.charset = declared;
        if (declared == "UTF-8" && bytes.rfind("\xEF\xBB\xBF", 0) == 0) charset.bomLength = 3;
    } else {
        charset = detectCharset(bytes, bytes.size() == kMaxSourceBytes);
    }
    std::string utf8;
    utf8.reserve(bytes.size());
    Utf8Converter(charset.charset)
        .convert(std::string_view(bytes).substr(charset.bomLength), true, utf8);
    return utf8;
}

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

bool isHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Writes the text of a document tree to a sink: runs of whitespace collapse to one space,
// block elements end lines, table cells are separated by tabs, and the content of elements
// such as <script> and <style> is skipped.
class TreeTextWriter {
public:
    enum class Mode { Html, Xml };

    TreeTextWriter(TextSink& sink, Mode mode) : sink_(sink), mode_(mode) {}

    // Walks the tree without recursion: hostile documents nest deeply.
    void write(xmlNode* root) {
        xmlNode* node = root;
        while (node != nullptr && !sink_.full()) {
            bool descend = false;
            if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
                text(reinterpret_cast<const char*>(node->content));
            } else if (node->type == XML_ELEMENT_NODE) {
                descend = !skipped(node) && node->children != nullptr;
                enter(node);
            }
            if (descend) {
                node = node->children;
                continue;
            }
            if (node->type == XML_ELEMENT_NODE) leave(node);
            while (node != root && node->next == nullptr) {
                node = node->parent;
                if (node == nullptr) return;
                if (node->type == XML_ELEMENT_NODE) leave(node);
            }
            if (node == root) return;
            node = node->next;
        }
    }

private:
    static bool named(const xmlNode* node, std::initializer_list<const char*> names) {
        return node->name != nullptr && std::any_of(names.begin(), names.end(), [&](const char* n) {
                   return xmlStrcasecmp(node->name, BAD_CAST n) == 0;
               });
    }

    bool skipped(const xmlNode* node) const {
        return mode_ == Mode::Html &&
               named(node, {"script", "style", "noscript", "template", "object", "embed", "svg",
                            "math", "iframe", "select"});
    }

    bool isBlock(const xmlNode* node) const {
        if (mode_ == Mode::Xml) return false;
        return named(node, {"address",  "article",    "aside",   "blockquote", "body",  "br",
                            "caption",  "dd",         "details", "div",        "dl",    "dt",
                            "fieldset", "figcaption", "figure",  "footer",     "form",  "h1",
                            "h2",       "h3",         "h4",      "h5",         "h6",    "header",
                            "hr",       "li",         "main",    "nav",        "ol",    "p",
                            "pre",      "section",    "summary", "table",      "title", "tr",
                            "ul"});
    }

    void enter(const xmlNode* node) {
        if (isBlock(node)) lineBreak();
    }

    void leave(const xmlNode* node) {
        if (isBlock(node)) {
            lineBreak();
        } else if (mode_ == Mode::Html && named(node, {"td", "th"})) {
            sink_.separate('\t');
            pendingSpace_ = false;
        } else if (mode_ == Mode::Xml) {
            pendingSpace_ = true;  // element boundaries separate data fields
        }
    }

    void lineBreak() {
        sink_.endLine();
        pendingSpace_ = false;
    }

    void text(const char* content) {
        if (content == nullptr) return;
        std::string_view s(content);
        std::size_t i = 0;
        while (i < s.size()) {
            if (isHtmlSpace(s[i])) {
                pendingSpace_ = true;
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < s.size() && !isHtmlSpace(s[end])) ++end;
            if (pendingSpace_) sink_.separate(' ');
            pendingSpace_ = false;
            sink_.append(s.substr(i, end - i));
            i = end;
        }
    }

    TextSink& sink_;
    Mode mode_;
    bool pendingSpace_ = false;
};

}  // namespace

class HtmlExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "html"; }

    std::vector<std::string> mimeTypes() const override {
        return {"text/html", "application/xhtml+xml"};
    }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        silenceLibxml2();
        const std::string utf8 = toUtf8(readPrefix(path, kMaxSourceBytes));
        if (utf8.empty()) return {};
        DocPtr doc(htmlReadMemory(utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_RECOVER |
                                      HTML_PARSE_COMPACT));
        if (!doc) throw indexer::ExtractionError("not a readable HTML page");
        TextSink sink(maxBytes);
        if (xmlNode* root = xmlDocGetRootElement(doc.get()))
            TreeTextWriter(sink, TreeTextWriter::Mode::Html).write(root);
        return sink.take();
    }
};

class XmlExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "xml"; }

    std::vector<std::string> mimeTypes() const override { return {"text/xml", "application/xml"}; }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        silenceLibxml2();
        const std::string bytes = readPrefix(path, kMaxSourceBytes);
        if (bytes.empty()) return {};
        // No NOENT and no DTDLOAD: external entities and DTDs are never fetched or expanded.
        DocPtr doc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                                 XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET |
                                     XML_PARSE_RECOVER | XML_PARSE_COMPACT));
        if (!doc) throw indexer::ExtractionError("not a well-formed XML document");
        TextSink sink(maxBytes);
        if (xmlNode* root = xmlDocGetRootElement(doc.get()))
            TreeTextWriter(sink, TreeTextWriter::Mode::Xml).write(root);
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::HtmlExtractor)
POCO_EXPORT_CLASS(kiroku::plugins::XmlExtractor)
POCO_END_MANIFEST
