// The "html" plugin: text/html and XHTML pages (libxml2's forgiving HTML parser, as SAX), and
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

bool isHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Writes the text of a document to a sink as the parser reports it (SAX): no tree is
// built, so a page nested a thousand levels deep is read to its end, in memory that does
// not grow with it. Runs of whitespace collapse to one space, block elements end lines,
// table cells are separated by tabs, and the content of elements such as <script> and
// <style> is skipped.
class TextWriter {
public:
    enum class Mode { Html, Xml };

    TextWriter(TextSink& sink, Mode mode) : sink_(sink), mode_(mode) {}

    // The callbacks of a SAX1 handler (HTML's, or XML's when not in SAX2 mode).
    static xmlSAXHandler handler() {
        xmlSAXHandler h{};
        h.startElement = [](void* self, const xmlChar* name, const xmlChar**) {
            static_cast<TextWriter*>(self)->start(reinterpret_cast<const char*>(name));
        };
        h.endElement = [](void* self, const xmlChar* name) {
            static_cast<TextWriter*>(self)->end(reinterpret_cast<const char*>(name));
        };
        h.characters = [](void* self, const xmlChar* text, int length) {
            static_cast<TextWriter*>(self)->text(std::string_view(
                reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)));
        };
        h.cdataBlock = h.characters;
        // No getEntity and no externalSubset: entities are never expanded, DTDs never read.
        h.error = ignoreXmlError;
        h.fatalError = ignoreXmlError;
        h.warning = ignoreXmlError;
        return h;
    }

    bool full() const { return sink_.full(); }

private:
    static bool named(const char* name, std::initializer_list<const char*> names) {
        return name != nullptr && std::any_of(names.begin(), names.end(), [&](const char* n) {
                   return xmlStrcasecmp(BAD_CAST name, BAD_CAST n) == 0;
               });
    }

    bool skipped(const char* name) const {
        return mode_ == Mode::Html &&
               named(name, {"script", "style", "noscript", "template", "object", "embed", "svg",
                            "math", "iframe", "select"});
    }

    bool isBlock(const char* name) const {
        if (mode_ == Mode::Xml) return false;
        return named(name, {"address",  "article",    "aside",   "blockquote", "body",  "br",
                            "caption",  "dd",         "details", "div",        "dl",    "dt",
                            "fieldset", "figcaption", "figure",  "footer",     "form",  "h1",
                            "h2",       "h3",         "h4",      "h5",         "h6",    "header",
                            "hr",       "li",         "main",    "nav",        "ol",    "p",
                            "pre",      "section",    "summary", "table",      "title", "tr",
                            "ul"});
    }

    void start(const char* name) {
        if (skipping_ > 0 || skipped(name)) {
            ++skipping_;
            return;
        }
        if (isBlock(name)) lineBreak();
    }

    void end(const char* name) {
        if (skipping_ > 0) {
            --skipping_;
            return;
        }
        if (isBlock(name)) {
            lineBreak();
        } else if (mode_ == Mode::Html && named(name, {"td", "th"})) {
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

    // A piece of text (a word may arrive in several pieces).
    void text(std::string_view s) {
        if (skipping_ > 0) return;
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
    std::size_t skipping_ = 0;  // depth inside a skipped element
    bool pendingSpace_ = false;
};

// Feeds `bytes` to a push parser in slices, stopping once the sink is full.
template <typename Parse>
void feed(const std::string& bytes, const TextWriter& writer, Parse parse) {
    constexpr std::size_t kSlice = 64 * 1024;
    for (std::size_t at = 0; at < bytes.size() && !writer.full(); at += kSlice) {
        const std::size_t n = std::min(kSlice, bytes.size() - at);
        parse(bytes.data() + at, static_cast<int>(n), at + n == bytes.size());
    }
}

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
        TextSink sink(maxBytes);
        TextWriter writer(sink, TextWriter::Mode::Html);
        xmlSAXHandler handler = TextWriter::handler();
        std::unique_ptr<htmlParserCtxt, void (*)(htmlParserCtxtPtr)> parser(
            htmlCreatePushParserCtxt(&handler, &writer, nullptr, 0, nullptr,
                                     XML_CHAR_ENCODING_UTF8),
            htmlFreeParserCtxt);
        if (!parser) throw indexer::ExtractionError("cannot start the HTML parser");
        htmlCtxtUseOptions(parser.get(), HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                             HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
                                             HTML_PARSE_RECOVER);
        feed(utf8, writer, [&](const char* data, int n, bool last) {
            htmlParseChunk(parser.get(), data, n, last);
        });
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
        TextSink sink(maxBytes);
        TextWriter writer(sink, TextWriter::Mode::Xml);
        xmlSAXHandler handler = TextWriter::handler();
        std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> parser(
            xmlCreatePushParserCtxt(&handler, &writer, nullptr, 0, nullptr), xmlFreeParserCtxt);
        if (!parser) throw indexer::ExtractionError("cannot start the XML parser");
        // No NOENT and no DTDLOAD: external entities and DTDs are never fetched or expanded.
        xmlCtxtUseOptions(parser.get(), XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET |
                                            XML_PARSE_RECOVER);
        feed(bytes, writer, [&](const char* data, int n, bool last) {
            xmlParseChunk(parser.get(), data, n, last);
        });
        // In recovery mode only a limit stops the parser (elements nested more than 256
        // deep): what it read is not the document's text, so say so (the document is
        // then found by its name, and `kiroku index status` lists it).
        if (parser->disableSAX && !sink.full()) {
            std::string why = parser->lastError.message ? parser->lastError.message : "";
            while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back())))
                why.pop_back();
            throw indexer::ExtractionError(
                "the XML parser stopped, so the text would be incomplete: " +
                (why.empty() ? std::string("elements nested too deeply") : why));
        }
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::HtmlExtractor)
POCO_EXPORT_CLASS(kiroku::plugins::XmlExtractor)
POCO_END_MANIFEST
