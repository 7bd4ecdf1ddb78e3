// The "rtf" plugin: Rich Text Format documents (WordPad, Word, and Japanese word processors
// that save RTF). A small reader that keeps the text and drops formatting: font tables,
// style sheets, pictures, document info and every \* destination are skipped; \uN Unicode
// characters (with their \ucN fallback skipped) and \'hh bytes in the document's or the
// current font's code page (\ansicpg932, \fcharset128 → CP932) are decoded with ICU.

#include <Poco/ClassLibrary.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "TextSink.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

using indexer::ExtractionError;

constexpr std::size_t kMaxGroupDepth = 4096;

// Destinations whose content is not document text.
const std::set<std::string> kSkippedDestinations = {"aftnsep",      "aftnsepc",
                                                    "annotation",   "atnauthor",
                                                    "atnid",        "author",
                                                    "bkmkend",      "bkmkstart",
                                                    "colortbl",     "colorschememapping",
                                                    "comment",      "company",
                                                    "creatim",      "datastore",
                                                    "docvar",       "doccomm",
                                                    "falt",         "fldinst",
                                                    "filetbl",      "footnotesep",
                                                    "ftncn",        "ftnsep",
                                                    "ftnsepc",      "generator",
                                                    "info",         "keywords",
                                                    "latentstyles", "listoverridetable",
                                                    "listtable",    "mmathPr",
                                                    "nonshppict",   "object",
                                                    "objdata",      "operator",
                                                    "panose",       "pgdsctbl",
                                                    "pict",         "printim",
                                                    "protusertbl",  "revtbl",
                                                    "revtim",       "rsidtbl",
                                                    "sp",           "stylesheet",
                                                    "subject",      "template",
                                                    "themedata",    "title",
                                                    "userprops",    "wgrffmtfilter",
                                                    "xmlnstbl"};

// The Windows code page of an RTF \fcharset, or 0 for "the document's code page".
int codePageOfCharset(int charset) {
    switch (charset) {
        case 77:
            return 10000;
        case 128:
            return 932;
        case 129:
            return 949;
        case 130:
            return 1361;
        case 134:
            return 936;
        case 136:
            return 950;
        case 161:
            return 1253;
        case 162:
            return 1254;
        case 163:
            return 1258;
        case 177:
            return 1255;
        case 178:
            return 1256;
        case 186:
            return 1257;
        case 204:
            return 1251;
        case 222:
            return 874;
        case 238:
            return 1250;
        case 255:
            return 437;
        default:
            return 0;  // ANSI, DEFAULT, SYMBOL …
    }
}

std::string icuNameOfCodePage(int codePage) {
    switch (codePage) {
        case 932:
            return "windows-31j";  // Windows' Shift_JIS: ～ ① ㈱ decode
        case 10000:
            return "macintosh";
        case 20932:
            return "EUC-JP";
        case 50220:
        case 50221:
        case 50222:
            return "ISO-2022-JP";
        case 65001:
            return "UTF-8";
        case 437:
        case 850:
            return "ibm-" + std::to_string(codePage);
        default:
            return "windows-" + std::to_string(codePage);
    }
}

// Decodes runs of bytes in Windows code pages, with one cached ICU converter per page.
class CodePageDecoder {
public:
    std::string decode(int codePage, const std::string& bytes) {
        UConverter* conv = converter(codePage);
        std::vector<UChar> utf16(bytes.size() + 1);
        UErrorCode status = U_ZERO_ERROR;
        const int32_t units =
            ucnv_toUChars(conv, utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                          static_cast<int32_t>(bytes.size()), &status);
        if (U_FAILURE(status)) return {};
        std::string utf8(static_cast<std::size_t>(units) * 3 + 1, '\0');
        int32_t length = 0;
        status = U_ZERO_ERROR;
        u_strToUTF8WithSub(utf8.data(), static_cast<int32_t>(utf8.size()), &length, utf16.data(),
                           units, 0xFFFD, nullptr, &status);
        if (U_FAILURE(status)) return {};
        utf8.resize(static_cast<std::size_t>(length));
        return utf8;
    }

private:
    struct Closer {
        void operator()(UConverter* c) const { ucnv_close(c); }
    };

    UConverter* converter(int codePage) {
        auto& slot = converters_[codePage];
        if (!slot) {
            UErrorCode status = U_ZERO_ERROR;
            slot.reset(ucnv_open(icuNameOfCodePage(codePage).c_str(), &status));
            if (U_FAILURE(status) || !slot) {
                status = U_ZERO_ERROR;
                slot.reset(ucnv_open("windows-1252", &status));
            }
            if (!slot)
                throw ExtractionError("no converter for code page " + std::to_string(codePage));
        }
        return slot.get();
    }

    std::map<int, std::unique_ptr<UConverter, Closer>> converters_;
};

// Reads one RTF file and writes its text to a sink.
class RtfReader {
public:
    RtfReader(const std::string& path, TextSink& sink) : in_(path, std::ios::binary), sink_(sink) {
        if (!in_) throw ExtractionError("cannot open the file");
    }

    void read() {
        skipWhitespace();
        const auto start = in_.tellg();
        char signature[5] = {};
        in_.read(signature, 5);
        if (in_.gcount() != 5 || std::string(signature, 5) != "{\\rtf")
            throw ExtractionError("not an RTF document");
        in_.seekg(start);  // the opening brace and \rtf1 are read like any other tokens
        int c;
        while (!sink_.full() && (c = in_.get()) != EOF) {
            switch (c) {
                case '{':
                    flushBytes();
                    pushGroup();
                    break;
                case '}':
                    flushBytes();
                    if (!popGroup()) return;  // the document's closing brace
                    break;
                case '\\':
                    controlSequence();
                    break;
                case '\r':
                case '\n':
                    break;
                default:
                    character(static_cast<char>(c));
            }
        }
        flushBytes();
    }

private:
    struct Group {
        bool skip = false;       // a destination whose content is not text
        bool fontTable = false;  // inside \fonttbl: text is font names
        int unicodeSkip = 1;     // \ucN: fallback characters after each \uN
        int codePage = 0;        // of the current font; 0 = the document's
    };

    Group& group() { return groups_.back(); }

    void pushGroup() {
        if (groups_.size() >= kMaxGroupDepth) {
            ++overflow_;
            return;
        }
        groups_.push_back(groups_.empty() ? Group{} : groups_.back());
        fallbackPending_ = 0;
    }

    bool popGroup() {
        fallbackPending_ = 0;
        if (overflow_ > 0) {
            --overflow_;
            return true;
        }
        groups_.pop_back();
        return !groups_.empty();
    }

    void skipWhitespace() {
        while (std::isspace(in_.peek()) != 0) in_.get();
    }

    bool skipping() const { return groups_.back().skip || groups_.back().fontTable; }

    // A literal byte of text (or a \'hh escape, or an escaped \ { }).
    void byte(char b) {
        if (skipping()) return;
        if (fallbackPending_ > 0) {
            --fallbackPending_;
            return;
        }
        // Bytes of a multi-byte character may arrive as a mix of escapes and literals
        // (\'95\\ is 表 in CP932), so once a byte ≥ 0x80 is pending, literals join it.
        if (static_cast<unsigned char>(b) >= 0x80 || !pendingBytes_.empty()) {
            pendingBytes_ += b;
        } else {
            char s[1] = {b};
            sink_.append(std::string_view(s, 1));
        }
    }

    void character(char c) {
        if (c == '\t') {
            flushBytes();
            if (!skipping()) sink_.append('\t');
            return;
        }
        byte(c);
    }

    int documentCodePage() const { return documentCodePage_ != 0 ? documentCodePage_ : 1252; }

    void flushBytes() {
        if (pendingBytes_.empty()) return;
        const int codePage = group().codePage != 0 ? group().codePage : documentCodePage();
        sink_.append(decoder_.decode(codePage, pendingBytes_));
        pendingBytes_.clear();
    }

    void text(std::string_view utf8) {
        flushBytes();
        if (!skipping()) sink_.append(utf8);
    }

    void controlSequence() {
        const int c = in_.get();
        if (c == EOF) return;
        if (std::isalpha(c) == 0) {
            controlSymbol(static_cast<char>(c));
            return;
        }
        std::string word(1, static_cast<char>(c));
        while (std::isalpha(in_.peek()) != 0 && word.size() < 32)
            word += static_cast<char>(in_.get());
        bool hasParameter = false;
        long parameter = 0;
        bool negative = false;
        if (in_.peek() == '-') {
            negative = true;
            in_.get();
        }
        while (std::isdigit(in_.peek()) != 0) {
            hasParameter = true;
            if (parameter < 100000000)
                parameter = parameter * 10 + (in_.get() - '0');
            else
                in_.get();
        }
        if (negative) parameter = -parameter;
        if (in_.peek() == ' ') in_.get();  // the delimiter belongs to the control word
        controlWord(word, hasParameter, parameter);
    }

    void controlSymbol(char c) {
        switch (c) {
            case '\'': {
                char hex[3] = {};
                in_.read(hex, 2);
                if (in_.gcount() == 2 && std::isxdigit(hex[0]) != 0 && std::isxdigit(hex[1]) != 0)
                    byte(static_cast<char>(std::stoi(hex, nullptr, 16)));
                break;
            }
            case '\\':
            case '{':
            case '}':
                byte(c);
                break;
            case '~':
                text("\xC2\xA0");  // no-break space
                break;
            case '_':
                text("-");  // non-breaking hyphen
                break;
            case '*':
                flushBytes();
                group().skip = true;  // an ignorable destination: none of them is text
                break;
            case '\r':
            case '\n':
                flushBytes();
                if (!skipping()) sink_.endLine();
                break;
            default:
                break;  // \- optional hyphen, \: index subentry …
        }
    }

    void controlWord(const std::string& word, bool hasParameter, long parameter) {
        if (word == "bin") {  // raw binary data follows, even inside skipped groups
            flushBytes();
            in_.ignore(hasParameter && parameter > 0 ? parameter : 0);
            return;
        }
        if (group().fontTable) {
            fontTableWord(word, hasParameter, parameter);
            return;
        }
        if (group().skip) return;
        if (fallbackPending_ > 0) {  // a control word counts as one fallback character
            --fallbackPending_;
            return;
        }
        flushBytes();
        if (word == "u" && hasParameter) {
            unicodeCharacter(parameter);
            fallbackPending_ = group().unicodeSkip;
        } else if (word == "uc" && hasParameter) {
            group().unicodeSkip = static_cast<int>(std::max(0L, parameter));
        } else if (word == "par" || word == "line" || word == "sect" || word == "page" ||
                   word == "row" || word == "sbkpage" || word == "pagebb") {
            sink_.endLine();
        } else if (word == "tab" || word == "cell" || word == "nestcell") {
            sink_.separate('\t');
        } else if (word == "emdash") {
            sink_.append("\xE2\x80\x94");
        } else if (word == "endash") {
            sink_.append("\xE2\x80\x93");
        } else if (word == "bullet") {
            sink_.append("\xE2\x80\xA2");
        } else if (word == "lquote") {
            sink_.append("\xE2\x80\x98");
        } else if (word == "rquote") {
            sink_.append("\xE2\x80\x99");
        } else if (word == "ldblquote") {
            sink_.append("\xE2\x80\x9C");
        } else if (word == "rdblquote") {
            sink_.append("\xE2\x80\x9D");
        } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
            sink_.append(' ');
        } else if (word == "ansicpg" && hasParameter) {
            documentCodePage_ = static_cast<int>(parameter);
        } else if (word == "mac") {
            documentCodePage_ = 10000;
        } else if (word == "pc") {
            documentCodePage_ = 437;
        } else if (word == "pca") {
            documentCodePage_ = 850;
        } else if (word == "deff" && hasParameter) {
            defaultFont_ = parameter;
        } else if (word == "f" && hasParameter) {
            const auto font = fontCodePages_.find(parameter);
            group().codePage = font != fontCodePages_.end() ? font->second : 0;
        } else if (word == "fonttbl") {
            group().fontTable = true;
        } else if (kSkippedDestinations.count(word) != 0) {
            group().skip = true;
        }
    }

    void fontTableWord(const std::string& word, bool hasParameter, long parameter) {
        if (!hasParameter) return;
        if (word == "f") {
            fontBeingDefined_ = parameter;
        } else if (word == "fcharset") {
            fontCodePages_[fontBeingDefined_] = codePageOfCharset(static_cast<int>(parameter));
            if (fontBeingDefined_ == defaultFont_)
                groups_.front().codePage = fontCodePages_[fontBeingDefined_];
        } else if (word == "cpg") {
            fontCodePages_[fontBeingDefined_] = static_cast<int>(parameter);
        }
    }

    void unicodeCharacter(long value) {
        if (value < 0) value += 65536;
        const auto unit = static_cast<char16_t>(value);
        std::string utf8;
        if (U16_IS_LEAD(unit)) {
            highSurrogate_ = unit;
            return;
        }
        if (U16_IS_TRAIL(unit)) {  // a lone one is dropped
            if (highSurrogate_ != 0)
                indexer::appendUtf8(utf8, U16_GET_SUPPLEMENTARY(highSurrogate_, unit));
            highSurrogate_ = 0;
        } else {
            highSurrogate_ = 0;
            indexer::appendUtf8(utf8, unit);
        }
        sink_.append(utf8);
    }

    std::ifstream in_;
    TextSink& sink_;
    CodePageDecoder decoder_;
    std::vector<Group> groups_;
    std::size_t overflow_ = 0;  // groups opened beyond kMaxGroupDepth
    std::string pendingBytes_;
    int fallbackPending_ = 0;
    int documentCodePage_ = 0;
    long defaultFont_ = 0;
    long fontBeingDefined_ = 0;
    std::map<long, int> fontCodePages_;
    char16_t highSurrogate_ = 0;
};

}  // namespace

class RtfExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "rtf"; }

    std::vector<std::string> mimeTypes() const override { return {"text/rtf", "application/rtf"}; }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        TextSink sink(maxBytes);
        RtfReader(path, sink).read();
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::RtfExtractor)
POCO_END_MANIFEST
