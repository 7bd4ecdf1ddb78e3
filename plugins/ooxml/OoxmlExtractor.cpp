// The "ooxml" plugin: Office Open XML documents (Word .docx, Excel .xlsx, PowerPoint .pptx
// and their template and macro-enabled kinds). The package's [Content_Types].xml says what
// the document is and which parts hold its text, so a package that libmagic only knows as
// "application/zip" is recognised too. Parts are parsed as streams and never inflated beyond
// what `maxBytes` of text needs (see ZipPackage).

#include <Poco/ClassLibrary.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/SAX/Attributes.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
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

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// [Content_Types].xml: the content type of every part named in an Override.
class ContentTypesHandler : public XmlTextHandler {
public:
    std::vector<std::pair<std::string, std::string>> overrides;  // part name → content type

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes& attributes) override {
        if (localName != "Override") return;
        std::string part = attribute(attributes, "PartName");
        if (!part.empty() && part[0] == '/') part.erase(0, 1);
        overrides.emplace_back(part, attribute(attributes, "ContentType"));
    }
};

// The text runs of WordprocessingML and DrawingML parts (document, headers, notes, slides):
// <w:t>/<a:t> text, paragraphs as lines, tabs and breaks inside runs. The fallback branch of
// markup-compatibility blocks repeats the preferred branch's text, so it is skipped.
class RunTextHandler : public XmlTextHandler {
public:
    explicit RunTextHandler(TextSink& sink) : sink_(sink) {}

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes&) override {
        if (skipDepth_ > 0 || localName == "Fallback") {
            ++skipDepth_;
            return;
        }
        if (localName == "t") {
            inText_ = true;
        } else if (localName == "r") {
            ++runDepth_;
        } else if (runDepth_ > 0 && localName == "tab") {
            sink_.append('\t');
        } else if (localName == "br" || (runDepth_ > 0 && localName == "cr")) {
            sink_.endLine();
        }
    }

    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (skipDepth_ > 0) {
            --skipDepth_;
            return;
        }
        if (localName == "t") {
            inText_ = false;
        } else if (localName == "r") {
            runDepth_ = std::max(0, runDepth_ - 1);
        } else if (localName == "p") {
            sink_.endLine();
        } else if (localName == "tc") {
            sink_.endLine();
        }
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (inText_ && skipDepth_ == 0) sink_.append(std::string_view(ch + start, length));
    }

private:
    TextSink& sink_;
    bool inText_ = false;
    int runDepth_ = 0;
    int skipDepth_ = 0;
};

// Part relationships (*.rels): relationship id → target part, relative to the source part.
class RelationshipsHandler : public XmlTextHandler {
public:
    std::map<std::string, std::string> targets;

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes& attributes) override {
        if (localName == "Relationship")
            targets[attribute(attributes, "Id")] = attribute(attributes, "Target");
    }
};

// xl/workbook.xml: the sheets in tab order, and the date system.
class WorkbookHandler : public XmlTextHandler {
public:
    struct Sheet {
        std::string name, relationshipId;
    };
    std::vector<Sheet> sheets;
    bool date1904 = false;

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes& attributes) override {
        if (localName == "sheet") {
            sheets.push_back({attribute(attributes, "name"), attribute(attributes, "id")});
        } else if (localName == "workbookPr") {
            const std::string v = attribute(attributes, "date1904");
            date1904 = (v == "1" || v == "true");
        }
    }
};

// xl/sharedStrings.xml: the workbook's string table. Phonetic guides (<rPh>, furigana) are
// left out: they would repeat every name in kana. Collects at most `limit` bytes of strings.
class SharedStringsHandler : public XmlTextHandler {
public:
    explicit SharedStringsHandler(std::size_t limit) : limit_(limit) {}

    std::vector<std::string> strings;
    bool full() const { return total_ >= limit_; }

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes&) override {
        if (localName == "si") {
            current_.clear();
        } else if (localName == "rPh") {
            ++phonetic_;
        } else if (localName == "t" && phonetic_ == 0) {
            inText_ = true;
        }
    }

    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (localName == "si") {
            total_ += current_.size();
            strings.push_back(std::move(current_));
            current_.clear();
        } else if (localName == "rPh") {
            --phonetic_;
        } else if (localName == "t") {
            inText_ = false;
        }
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (inText_ && total_ + current_.size() < limit_) current_.append(ch + start, length);
    }

private:
    std::size_t limit_;
    std::size_t total_ = 0;
    std::string current_;
    int phonetic_ = 0;
    bool inText_ = false;
};

// Whether a number format shows a date, and in which style.
enum class DateStyle { None, Slashes, Kanji };

DateStyle dateStyleOfBuiltin(int id) {
    if ((id >= 14 && id <= 17) || id == 22) return DateStyle::Slashes;
    if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return DateStyle::Kanji;  // ja-JP
    return DateStyle::None;
}

DateStyle dateStyleOfCode(const std::string& code) {
    // Ignore quoted literals, [colour]/[$-411] sections and escaped characters.
    std::string bare;
    bool quoted = false, bracket = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (quoted) {
            if (c == '"') quoted = false;
            continue;
        }
        if (bracket) {
            if (c == ']') bracket = false;
            continue;
        }
        if (c == '"')
            quoted = true;
        else if (c == '[')
            bracket = true;
        else if (c == '\\' || c == '_' || c == '*')
            ++i;
        else
            bare += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const bool date =
        contains(bare, "y") || contains(bare, "d") || contains(bare, "e") || contains(bare, "g");
    if (!date) return DateStyle::None;
    return contains(code, "\xE5\xB9\xB4") ? DateStyle::Kanji : DateStyle::Slashes;  // 年
}

// xl/styles.xml: for each cell style index, whether its number format shows a date.
class StylesHandler : public XmlTextHandler {
public:
    std::vector<DateStyle> cellStyles;

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes& attributes) override {
        if (localName == "numFmt") {
            const std::string id = attribute(attributes, "numFmtId");
            customFormats_[std::atoi(id.c_str())] = attribute(attributes, "formatCode");
        } else if (localName == "cellXfs") {
            inCellXfs_ = true;
        } else if (inCellXfs_ && localName == "xf") {
            const int id = std::atoi(attribute(attributes, "numFmtId").c_str());
            const auto custom = customFormats_.find(id);
            cellStyles.push_back(custom != customFormats_.end() ? dateStyleOfCode(custom->second)
                                                                : dateStyleOfBuiltin(id));
        }
    }

    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (localName == "cellXfs") inCellXfs_ = false;
    }

private:
    std::map<int, std::string> customFormats_;
    bool inCellXfs_ = false;
};

// A spreadsheet serial date as text ("2024/04/01" or "2024年4月1日"), or "" if out of range.
std::string formatSerialDate(double serial, bool date1904, DateStyle style) {
    if (!(serial >= 1 && serial < 2958466)) return {};  // up to 9999-12-31
    // Days since 1970-01-01 (serial 25569 in the 1900 system; the 1904 system is 1462 days
    // behind), whose midnight is Julian day 2440587.5.
    const double days = std::floor(serial) + (date1904 ? 1462 : 0) - 25569;
    const Poco::DateTime date(2440587.5 + days);
    return Poco::DateTimeFormatter::format(
        date, style == DateStyle::Kanji
                  ? "%Y\xE5\xB9\xB4%n\xE6\x9C\x88%e\xE6\x97\xA5"  // 2024年4月1日
                  : "%Y/%m/%d");
}

// A worksheet part: cell values row by row, cells separated by tabs. Shared strings are
// looked up, inline strings and numbers written as stored, numbers in a date format as dates.
class SheetHandler : public XmlTextHandler {
public:
    SheetHandler(TextSink& sink, const std::vector<std::string>& sharedStrings,
                 const std::vector<DateStyle>& styles, bool date1904)
        : sink_(sink), sharedStrings_(sharedStrings), styles_(styles), date1904_(date1904) {}

    void startElement(const XMLString&, const XMLString& localName, const XMLString&,
                      const Attributes& attributes) override {
        if (localName == "c") {
            type_ = attribute(attributes, "t");
            style_ = std::atoi(attribute(attributes, "s").c_str());
            value_.clear();
        } else if (localName == "v") {
            inValue_ = true;
        } else if (localName == "rPh") {
            ++phonetic_;
        } else if (localName == "t" && phonetic_ == 0) {
            inValue_ = true;  // inline string text
        }
    }

    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (localName == "v" || localName == "t") {
            inValue_ = false;
        } else if (localName == "rPh") {
            --phonetic_;
        } else if (localName == "c") {
            writeCell();
        } else if (localName == "row") {
            sink_.endLine();
        }
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (inValue_ && value_.size() < sink_.remaining()) value_.append(ch + start, length);
    }

private:
    void writeCell() {
        std::string text;
        if (type_ == "s") {
            const std::size_t index = std::strtoul(value_.c_str(), nullptr, 10);
            if (index < sharedStrings_.size()) text = sharedStrings_[index];
        } else if (type_ == "b") {
            text = value_ == "1" ? "TRUE" : "FALSE";
        } else if (type_ == "e") {
            text.clear();  // #DIV/0! and friends say nothing
        } else if (type_.empty() || type_ == "n") {
            text = value_;
            const DateStyle style = style_ >= 0 && static_cast<std::size_t>(style_) < styles_.size()
                                        ? styles_[style_]
                                        : DateStyle::None;
            double serial = 0;
            if (style != DateStyle::None && Poco::NumberParser::tryParseFloat(value_, serial)) {
                const std::string date = formatSerialDate(serial, date1904_, style);
                if (!date.empty()) text = date;
            }
        } else {
            text = value_;  // "str" (formula result), "inlineStr", "d" (ISO date)
        }
        if (!text.empty()) {
            sink_.separate('\t');
            sink_.append(text);
        }
        value_.clear();
    }

    TextSink& sink_;
    const std::vector<std::string>& sharedStrings_;
    const std::vector<DateStyle>& styles_;
    bool date1904_;
    std::string type_;
    int style_ = 0;
    std::string value_;
    bool inValue_ = false;
    int phonetic_ = 0;
};

enum class Kind { Word, Excel, PowerPoint };

// The part a relationship target names: "worksheets/sheet1.xml" seen from "xl/workbook.xml"
// is "xl/worksheets/sheet1.xml"; "/xl/x.xml" is absolute; ".." climbs.
std::string resolvePart(const std::string& sourcePart, const std::string& target) {
    std::vector<std::string> segments;
    std::string path = target;
    if (!path.empty() && path[0] == '/') {
        path.erase(0, 1);
    } else {
        const std::size_t slash = sourcePart.rfind('/');
        if (slash != std::string::npos) path = sourcePart.substr(0, slash + 1) + path;
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        const std::string segment = path.substr(start, end - start);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = end + 1;
    }
    std::string out;
    for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
    return out;
}

class Package {
public:
    Package(const std::string& path, std::size_t maxBytes) : zip_(path), sink_(maxBytes) {
        if (!zip_.has("[Content_Types].xml"))
            throw indexer::ExtractionError("not an Office Open XML package");
        ContentTypesHandler types;
        zip_.parseXml("[Content_Types].xml", types, nullptr);
        for (const auto& [part, type] : types.overrides) {
            if (!endsWith(type, ".main+xml")) continue;
            if (contains(type, "wordprocessingml") || contains(type, "ms-word"))
                kind_ = Kind::Word;
            else if (contains(type, "spreadsheetml") || contains(type, "ms-excel"))
                kind_ = Kind::Excel;
            else if (contains(type, "presentationml") || contains(type, "ms-powerpoint"))
                kind_ = Kind::PowerPoint;
            else
                continue;
            mainPart_ = part;
            break;
        }
        if (mainPart_.empty() || !zip_.has(mainPart_))
            throw indexer::ExtractionError("not an Office Open XML document");
        overrides_ = types.overrides;
    }

    std::string extract() {
        switch (kind_) {
            case Kind::Word:
                runText({mainPart_});
                runText(
                    partsOfType({"wordprocessingml.footnotes+xml", "wordprocessingml.endnotes+xml",
                                 "wordprocessingml.comments+xml", "wordprocessingml.header+xml",
                                 "wordprocessingml.footer+xml"}));
                break;
            case Kind::PowerPoint:
                runText(partsOfType({"presentationml.slide+xml"}));
                runText(partsOfType({"presentationml.notesSlide+xml"}));
                break;
            case Kind::Excel:
                workbook();
                break;
        }
        return sink_.take();
    }

private:
    std::vector<std::string> partsOfType(std::initializer_list<const char*> suffixes) const {
        std::vector<std::string> parts;
        for (const char* suffix : suffixes) {
            std::vector<std::string> ofType;
            for (const auto& [part, type] : overrides_)
                if (endsWith(type, suffix) && zip_.has(part)) ofType.push_back(part);
            std::sort(ofType.begin(), ofType.end(), naturalLess);
            parts.insert(parts.end(), ofType.begin(), ofType.end());
        }
        return parts;
    }

    void runText(const std::vector<std::string>& parts) {
        for (const auto& part : parts) {
            if (sink_.full()) return;
            RunTextHandler handler(sink_);
            zip_.parseXml(part, handler, [this] { return sink_.full(); });
            sink_.endLine();
        }
    }

    void workbook() {
        WorkbookHandler book;
        zip_.parseXml(mainPart_, book, nullptr);

        SharedStringsHandler shared(sink_.remaining());
        for (const auto& part : partsOfType({"spreadsheetml.sharedStrings+xml"}))
            zip_.parseXml(part, shared, [&shared] { return shared.full(); });

        StylesHandler styles;
        for (const auto& part : partsOfType({"spreadsheetml.styles+xml"}))
            zip_.parseXml(part, styles, nullptr);

        // Sheets in tab order with their names, through the workbook's relationships;
        // worksheet parts no relationship names follow in name order.
        std::vector<std::pair<std::string, std::string>> sheets;  // name, part
        const std::size_t slash = mainPart_.rfind('/');
        const std::string relsPart =
            (slash == std::string::npos ? "" : mainPart_.substr(0, slash + 1)) + "_rels/" +
            mainPart_.substr(slash + 1) + ".rels";
        if (zip_.has(relsPart)) {
            RelationshipsHandler rels;
            zip_.parseXml(relsPart, rels, nullptr);
            for (const auto& sheet : book.sheets) {
                const auto target = rels.targets.find(sheet.relationshipId);
                if (target != rels.targets.end())
                    sheets.emplace_back(sheet.name, resolvePart(mainPart_, target->second));
            }
        }
        for (const auto& part : partsOfType({"spreadsheetml.worksheet+xml"})) {
            const bool listed = std::any_of(sheets.begin(), sheets.end(),
                                            [&](const auto& s) { return s.second == part; });
            if (!listed) sheets.emplace_back(std::string(), part);
        }

        for (const auto& [name, part] : sheets) {
            if (sink_.full()) return;
            if (!zip_.has(part)) continue;
            sink_.endLine();
            if (!name.empty()) {
                sink_.append(name);
                sink_.endLine();
            }
            SheetHandler handler(sink_, shared.strings, styles.cellStyles, book.date1904);
            zip_.parseXml(part, handler, [this] { return sink_.full(); });
        }
    }

    ZipPackage zip_;
    TextSink sink_;
    Kind kind_ = Kind::Word;
    std::string mainPart_;
    std::vector<std::pair<std::string, std::string>> overrides_;
};

}  // namespace

class OoxmlExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "ooxml"; }

    std::vector<std::string> mimeTypes() const override {
        return {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
            "application/vnd.ms-word.document.macroEnabled.12",
            "application/vnd.ms-word.template.macroEnabled.12",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
            "application/vnd.ms-excel.sheet.macroEnabled.12",
            "application/vnd.ms-excel.template.macroEnabled.12",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
            "application/vnd.openxmlformats-officedocument.presentationml.template",
            "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
            // libmagic names some packages only by their container; the package decides.
            "application/zip",
        };
    }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        return Package(path, maxBytes).extract();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::OoxmlExtractor)
POCO_END_MANIFEST
