// The "odf" plugin: OpenDocument text, spreadsheets, presentations and drawings (LibreOffice's
// .odt/.ods/.odp/.odg and their templates). The package's "mimetype" member says what it is,
// so a package libmagic only knows as "application/zip" is recognised too. content.xml is
// parsed as a stream and never inflated beyond what `maxBytes` of text needs.

#include <Poco/ClassLibrary.h>
#include <Poco/SAX/Attributes.h>

#include <string>
#include <vector>

#include "TextSink.h"
#include "ZipPackage.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

const XMLString kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const XMLString kTableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const std::string kOdfMimePrefix = "application/vnd.oasis.opendocument.";

// content.xml: paragraphs and headings as lines, table cells separated by tabs, rows as
// lines. Tracked deletions are skipped (they are no longer part of the text).
class ContentHandler : public XmlTextHandler {
public:
    explicit ContentHandler(TextSink& sink) : sink_(sink) {}

    void startElement(const XMLString& uri, const XMLString& localName, const XMLString&,
                      const Attributes&) override {
        if (skipDepth_ > 0 || (uri == kTextNs && localName == "tracked-changes")) {
            ++skipDepth_;
            return;
        }
        if (uri == kTableNs && (localName == "table-cell" || localName == "covered-table-cell")) {
            ++cellDepth_;
            return;
        }
        if (uri != kTextNs) return;
        if (localName == "p" || localName == "h") {
            ++paragraphDepth_;
        } else if (paragraphDepth_ > 0 && localName == "tab") {
            sink_.append('\t');
        } else if (paragraphDepth_ > 0 && localName == "s") {
            sink_.append(' ');
        } else if (paragraphDepth_ > 0 && localName == "line-break") {
            sink_.endLine();
        }
    }

    void endElement(const XMLString& uri, const XMLString& localName, const XMLString&) override {
        if (skipDepth_ > 0) {
            --skipDepth_;
            return;
        }
        if (uri == kTextNs && (localName == "p" || localName == "h")) {
            --paragraphDepth_;
            // Inside a table cell, paragraphs are separated like cells; elsewhere by lines.
            if (cellDepth_ > 0)
                sink_.separate('\t');
            else
                sink_.endLine();
        } else if (uri == kTableNs) {
            if (localName == "table-cell" || localName == "covered-table-cell") {
                --cellDepth_;
                sink_.separate('\t');
            } else if (localName == "table-row") {
                sink_.endLine();
            }
        }
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (paragraphDepth_ > 0 && skipDepth_ == 0)
            sink_.append(std::string_view(ch + start, length));
    }

private:
    TextSink& sink_;
    int paragraphDepth_ = 0;
    int cellDepth_ = 0;
    int skipDepth_ = 0;
};

}  // namespace

class OdfExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "odf"; }

    std::vector<std::string> mimeTypes() const override {
        std::vector<std::string> types;
        for (const char* kind :
             {"text", "text-template", "text-master", "spreadsheet", "spreadsheet-template",
              "presentation", "presentation-template", "graphics", "graphics-template"})
            types.push_back(kOdfMimePrefix + kind);
        // libmagic names some packages only by their container; the package decides.
        types.push_back("application/zip");
        return types;
    }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        ZipPackage zip(path);
        if (!zip.has("mimetype") || zip.read("mimetype", 256).rfind(kOdfMimePrefix, 0) != 0)
            throw indexer::ExtractionError("not an OpenDocument package");
        if (!zip.has("content.xml"))
            throw indexer::ExtractionError("the package has no content.xml");
        TextSink sink(maxBytes);
        ContentHandler handler(sink);
        zip.parseXml("content.xml", handler, [&sink] { return sink.full(); });
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::OdfExtractor)
POCO_END_MANIFEST
