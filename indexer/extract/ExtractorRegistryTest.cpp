// The registry's choice of extractor, and each plugin on small files made here (encodings,
// markup, RTF control words, a spreadsheet), run in-process for precise assertions.

#include "extract/ExtractorRegistry.h"

#include <Poco/Zip/Compress.h>
#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "extract/TestSupport.h"

namespace kiroku::indexer::extract {
namespace {

using test::ScratchFile;

// The bytes of UTF-8 `text` in `charset` (ICU converter name).
std::string encode(const std::string& text, const char* charset) {
    const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
    std::string out(static_cast<std::size_t>(unicode.length()) * 4 + 16, '\0');
    const int32_t n = unicode.extract(0, unicode.length(), out.data(),
                                      static_cast<uint32_t>(out.size()), charset);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

class FakeExtractor : public Extractor {
public:
    FakeExtractor(std::string name, std::vector<std::string> types, bool fails)
        : name_(std::move(name)), types_(std::move(types)), fails_(fails) {}
    std::string name() const override { return name_; }
    std::vector<std::string> mimeTypes() const override { return types_; }
    std::string extract(const std::string&, std::size_t) const override {
        if (fails_) throw ExtractionError("not mine");
        return "from " + name_;
    }

private:
    std::string name_;
    std::vector<std::string> types_;
    bool fails_;
};

std::vector<std::string> namesOf(const std::vector<const Extractor*>& extractors) {
    std::vector<std::string> names;
    for (const auto* e : extractors) names.push_back(e->name());
    return names;
}

TEST(ExtractorRegistryTest, ExactTypesWinOverFamiliesAndKeepTheirOrder) {
    ExtractorRegistry registry;
    registry.add(
        std::make_unique<FakeExtractor>("any-text", std::vector<std::string>{"text/*"}, false));
    registry.add(
        std::make_unique<FakeExtractor>("html", std::vector<std::string>{"text/html"}, false));
    registry.add(
        std::make_unique<FakeExtractor>("odf", std::vector<std::string>{"application/zip"}, true));
    registry.add(std::make_unique<FakeExtractor>(
        "ooxml", std::vector<std::string>{"application/zip"}, false));

    EXPECT_EQ(namesOf(registry.extractorsFor("text/html")), std::vector<std::string>{"html"});
    EXPECT_EQ(namesOf(registry.extractorsFor("text/csv")), std::vector<std::string>{"any-text"});
    EXPECT_EQ(namesOf(registry.extractorsFor("application/zip")),
              (std::vector<std::string>{"odf", "ooxml"}));
    EXPECT_TRUE(registry.extractorsFor("image/png").empty());
    EXPECT_TRUE(registry.extractorsFor("textual/x").empty());
}

TEST(ExtractorRegistryTest, LaterCandidatesAreTriedWhenEarlierOnesDecline) {
    ExtractorRegistry registry;
    registry.add(
        std::make_unique<FakeExtractor>("first", std::vector<std::string>{"text/*"}, true));
    registry.add(
        std::make_unique<FakeExtractor>("second", std::vector<std::string>{"text/*"}, false));
    ScratchFile file("plain words\n");
    const auto result = registry.extract(file.path(), 100);
    EXPECT_EQ(result.mime, "text/plain");
    EXPECT_EQ(result.extractor, "second");
    EXPECT_EQ(result.text, "from second");
}

TEST(ExtractorRegistryTest, WhenEveryCandidateFailsAllReasonsAreGiven) {
    ExtractorRegistry registry;
    registry.add(std::make_unique<FakeExtractor>("a", std::vector<std::string>{"text/*"}, true));
    registry.add(std::make_unique<FakeExtractor>("b", std::vector<std::string>{"text/*"}, true));
    ScratchFile file("plain words\n");
    try {
        registry.extract(file.path(), 100);
        FAIL() << "no exception";
    } catch (const ExtractionFailed& e) {
        EXPECT_STREQ(e.what(), "unsupported type text/plain (a: not mine; b: not mine)");
        EXPECT_EQ(e.mime(), "text/plain");
    }
}

TEST(ExtractorRegistryTest, UnknownTypeIsUnsupportedAndEmptyFileIsEmptyText) {
    ExtractorRegistry registry;
    ScratchFile text("plain words\n");
    try {
        registry.extract(text.path(), 100);
        FAIL() << "no exception";
    } catch (const ExtractionFailed& e) {
        EXPECT_STREQ(e.what(), "unsupported type text/plain");
    }
    ScratchFile empty("");
    const auto result = registry.extract(empty.path(), 100);
    EXPECT_EQ(result.text, "");
    EXPECT_EQ(result.extractor, "");
}

TEST(ExtractorRegistryTest, MissingFilesAndDirectoriesAreReasonsNotCrashes) {
    ExtractorRegistry registry;
    EXPECT_THROW(registry.extract("/nonexistent/file.txt", 10), ExtractionFailed);
    EXPECT_THROW(registry.extract(test::binDir(), 10), ExtractionFailed);
}

TEST(ExtractorRegistryTest, MissingPluginDirectoryIsALoadError) {
    ExtractorRegistry registry("/nonexistent/plugins");
    EXPECT_EQ(registry.size(), 0u);
    ASSERT_EQ(registry.loadErrors().size(), 1u);
}

// The real plugins as an ordinary worker serves them (OCR left out), loaded once for the
// tests below.
class PluginTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        registry_ = std::make_unique<ExtractorRegistry>(
            test::pluginDir(), [](const Extractor& e) { return e.name() != "ocr"; });
    }
    static void TearDownTestSuite() { registry_.reset(); }

    static ExtractorRegistry::Extraction extract(const std::string& bytes,
                                                 std::size_t maxBytes = 1 << 20) {
        ScratchFile file(bytes);
        return registry_->extract(file.path(), maxBytes);
    }

    static std::unique_ptr<ExtractorRegistry> registry_;
};

std::unique_ptr<ExtractorRegistry> PluginTest::registry_;

TEST_F(PluginTest, EveryPluginLoads) {
    EXPECT_TRUE(registry_->loadErrors().empty()) << registry_->loadErrors().front();
    std::vector<std::string> names;
    for (const char* type : {"text/plain", "text/html", "text/xml", "application/pdf",
                             "application/vnd.oasis.opendocument.text", "text/rtf"})
        for (const auto* e : registry_->extractorsFor(type)) names.push_back(e->name());
    EXPECT_EQ(names, (std::vector<std::string>{"text", "html", "xml", "pdf", "odf", "rtf"}));
    EXPECT_EQ(namesOf(registry_->extractorsFor("application/zip")),
              (std::vector<std::string>{"odf", "ooxml"}));
    EXPECT_TRUE(registry_->extractorsFor("image/png").empty());
    EXPECT_EQ(registry_->find("ocr"), nullptr);
}

// kiroku-extract --ocr keeps only the OCR extractor, an ordinary worker all but it.
TEST(ExtractorRegistryTest, SelectionKeepsOnlyTheChosenExtractors) {
    ExtractorRegistry all(test::pluginDir());
    EXPECT_TRUE(all.loadErrors().empty()) << all.loadErrors().front();
    ASSERT_NE(all.find("ocr"), nullptr);
    EXPECT_EQ(namesOf(all.extractorsFor("image/png")), std::vector<std::string>{"ocr"});

    ExtractorRegistry ocr(test::pluginDir(), [](const Extractor& e) { return e.name() == "ocr"; });
    EXPECT_EQ(ocr.names(), std::vector<std::string>{"ocr"});
    for (const char* type : {"application/pdf", "image/jpeg", "image/png", "image/tiff",
                             "image/heic", "image/webp", "image/bmp", "image/gif"})
        EXPECT_EQ(namesOf(ocr.extractorsFor(type)), std::vector<std::string>{"ocr"}) << type;
    EXPECT_TRUE(ocr.extractorsFor("text/plain").empty());

    ExtractorRegistry ordinary(test::pluginDir(),
                               [](const Extractor& e) { return e.name() != "ocr"; });
    EXPECT_EQ(ordinary.size() + 1, all.size());
    EXPECT_EQ(namesOf(ordinary.extractorsFor("application/pdf")), std::vector<std::string>{"pdf"});
}

// Regression (bench/search.sh): libmagic names a man page that starts "PASSWD(1)" HP-GL
// and one that starts "GDBM" a GDBM file; their text must still be extracted.
TEST_F(PluginTest, TextThatLibmagicMisnamesIsStillText) {
    for (const char* page :
         {"PASSWD(1)    User Commands    PASSWD(1)\n\n名前\n  passwd - パスワードを変更する\n",
          "GDBM(3)   GDBM User Reference   GDBM(3)\n\n名前\n  GDBM - GNU データベース\n"}) {
        const auto result = extract(page);
        EXPECT_EQ(result.extractor, "text") << result.mime;
        EXPECT_NE(result.text.find("名前"), std::string::npos);
    }
    // Real binary data (NUL bytes) is not taken for text.
    EXPECT_THROW(extract(std::string("GDBM\0\0\x13\x57\x9a\xce\0\0\0\0binary", 20)),
                 ExtractionError);
}

TEST_F(PluginTest, Cp932IncludesWindowsExtensions) {
    const std::string line =
        "回覧：ごみ当番は①班から③班まで、時間は朝８時～９時です。㈱みどり清掃に委託。\r\n";
    const auto result = extract(encode(line + line + line, "windows-31j"));
    EXPECT_EQ(result.extractor, "text");
    const std::string expected =
        "回覧：ごみ当番は①班から③班まで、時間は朝８時～９時です。㈱みどり清掃に委託。";
    EXPECT_EQ(result.text, expected + "\n" + expected + "\n" + expected);
}

TEST_F(PluginTest, EucJpWithHalfWidthKatakana) {
    const std::string line = "桜ヶ丘自治区のｺﾞﾐ出しルールが変わります。ﾈｯﾄをかぶせてください。\n";
    const auto result = extract(encode(line + line + line, "EUC-JP"));
    EXPECT_EQ(result.text.substr(0, line.size() - 1), line.substr(0, line.size() - 1));
}

TEST_F(PluginTest, Iso2022JpWithTheStandardWaveDash) {
    const std::string line = "道路維持課から連絡がありました。工事は２月中旬から下旬です。\n";
    const std::string tilde = "\x1b$B!A\x1b(B\n";  // JIS X 0208 0x2141
    const auto result = extract(encode(line + line, "ISO-2022-JP") + tilde);
    EXPECT_EQ(result.text, line + line + "\u301C");
}

TEST_F(PluginTest, EucJpWaveDashIsStandardButCp932KeepsTheFullWidthTilde) {
    const std::string line = "役員会のお知らせ：集会所で午後2時から3時30分まで開きます。\n";
    EXPECT_EQ(extract(encode(line + line, "EUC-JP") + "\xA1\xC1").text, line + line + "\u301C");
    EXPECT_EQ(extract(encode(line + line, "windows-31j") + "\x81\x60").text,
              line + line + "\uFF5E");
}

TEST_F(PluginTest, ByteOrderMarksAreHonouredAndDropped) {
    const std::string text = "防犯灯の点検は４月です。\r\n";
    EXPECT_EQ(extract("\xEF\xBB\xBF" + text).text, "防犯灯の点検は４月です。");
    EXPECT_EQ(extract("\xFF\xFE" + encode(text, "UTF-16LE")).text, "防犯灯の点検は４月です。");
    EXPECT_EQ(extract("\xFE\xFF" + encode(text, "UTF-16BE")).text, "防犯灯の点検は４月です。");
}

TEST_F(PluginTest, OutputStopsAtMaxBytesOnACharacterBoundary) {
    const auto result = extract("あいうえお\n", 7);
    EXPECT_EQ(result.text, "あい");  // 6 bytes: a third character would need 9
}

TEST_F(PluginTest, HtmlHonoursMetaCharsetAndDropsScripts) {
    const std::string page =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
        "<title>回覧</title><style>p { color: red }</style><script>var secret = \"秘密\";</script>"
        "</head><body><h1>防災訓練</h1><p>黄色い\n   タオル<br>二行目～</p>"
        "<table><tr><td>日時</td><td>９月１日</td></tr></table></body></html>\n";
    const auto result = extract(encode(page, "windows-31j"));
    EXPECT_EQ(result.extractor, "html");
    EXPECT_EQ(result.text, "回覧\n防災訓練\n黄色い タオル\n二行目～\n日時\t９月１日");
}

TEST_F(PluginTest, HtmlWithoutDeclarationIsDetected) {
    const std::string page =
        "<html><body><p>桜ヶ丘の夏祭りは第3公園で開催します。盆踊りもあります。</p></body></html>";
    EXPECT_EQ(extract(encode(page, "EUC-JP")).text,
              "桜ヶ丘の夏祭りは第3公園で開催します。盆踊りもあります。");
}

// Regression (security review, finding 16): a page nested about a thousand levels deep
// was indexed with no text at all, and nothing said so (libxml2's tree builder stops at
// 256 levels). Pages are now read without building a tree, to their end.
TEST_F(PluginTest, Finding16DeeplyNestedPagesAreReadToTheirEnd) {
    std::string page = "<html><body><p>冒頭</p>";
    for (int i = 0; i < 1000; ++i) page += "<div><span>";
    page += "奥深くの防犯灯";
    for (int i = 0; i < 1000; ++i) page += "</span></div>";
    page += "<p>末尾の集会所</p><script>秘密</script></body></html>";
    EXPECT_EQ(extract(page).text, "冒頭\n奥深くの防犯灯\n末尾の集会所");
    std::string unclosed = "<html><body>";
    for (int i = 0; i < 100000; ++i) unclosed += "<b><i>";
    unclosed += "閉じない";
    EXPECT_EQ(extract(unclosed).text, "閉じない");
    std::string xml = "<?xml version=\"1.0\"?><r>";
    for (int i = 0; i < 3000; ++i) xml += "<a>";
    xml += "深いXML";
    for (int i = 0; i < 3000; ++i) xml += "</a>";
    xml += "<b>後</b></r>";
    EXPECT_EQ(extract(xml).text, "深いXML 後");
}

TEST_F(PluginTest, XmlTextWithoutFetchingEntities) {
    const auto result = extract(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
        "<r><name>山田</name><tel>0000-00-0101</tel><x>&ext;</x></r>\n");
    EXPECT_EQ(result.extractor, "xml");
    EXPECT_EQ(result.text, "山田 0000-00-0101");
}

TEST_F(PluginTest, RtfUnicodeCodePagesAndSkippedGroups) {
    const auto result = extract(
        "{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fcharset128 \\'82\\'6c\\'82\\'72;}}"
        "{\\info{\\title secret}}{\\*\\generator Foo;}{\\stylesheet{\\s0 Normal;}}\n"
        "\\uc1\\u22238?\\u35239?\\'94\\'c2\\par next\\tab cell\\'95\\\\ x\\line\n"
        "\\uc0\\u-10179\\u-8704 }");
    EXPECT_EQ(result.extractor, "rtf");
    EXPECT_EQ(result.text, "回覧板\nnext\tcell表 x\n\xF0\x9F\x98\x80");
}

TEST_F(PluginTest, RtfFontCharsetSelectsTheCodePage) {
    const auto result = extract(
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fcharset0 Arial;}{\\f1\\fcharset128 MS Gothic;}}"
        "\\f1 \\'89\\'f1\\'97\\'97\\'94\\'c2\\f0  caf\\'e9}");
    EXPECT_EQ(result.text, "回覧板 café");
}

TEST_F(PluginTest, RtfUnicodeFallbackBytesAreSkipped) {
    // Word writes each character twice: \u for Unicode readers, \'hh for the others.
    const auto result =
        extract("{\\rtf1\\ansi\\ansicpg932\\uc2\\u22238\\'89\\'f1\\u35239\\'97\\'97}");
    EXPECT_EQ(result.text, "回覧");
}

// An .xlsx written here: a shared string with a phonetic guide, a number, a date in a
// built-in and in a custom Japanese format, an inline string and a boolean.
std::string smallWorkbook() {
    const std::pair<const char*, const char*> parts[] = {
        {"[Content_Types].xml",
         "<?xml version=\"1.0\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Override PartName=\"/xl/workbook.xml\" "
         "ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
         "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
         "ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
         "<Override PartName=\"/xl/sharedStrings.xml\" "
         "ContentType=\"application/"
         "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
         "<Override PartName=\"/xl/styles.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
         "</Types>"},
        {"xl/workbook.xml",
         "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
         "<sheets><sheet name=\"名簿\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"worksheet\" "
         "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
        {"xl/sharedStrings.xml",
         "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
         "<si><t>吉田</t><rPh sb=\"0\" "
         "eb=\"2\"><t>ヨシダ</t></rPh></si><si><r><t>防犯</t></r><r><t>灯</t></r></si></sst>"},
        {"xl/styles.xml",
         "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
         "<numFmts count=\"1\"><numFmt numFmtId=\"176\" "
         "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
         "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf "
         "numFmtId=\"176\"/></cellXfs></styleSheet>"},
        {"xl/worksheets/sheet1.xml",
         "<worksheet "
         "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
         "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c "
         "r=\"C1\"><v>402600</v></c></row>"
         "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45383</v></c><c r=\"B2\" s=\"2\"><v>45383</v></c>"
         "<c r=\"C2\" t=\"inlineStr\"><is><t>済</t></is></c><c r=\"D2\" t=\"b\"><v>1</v></c>"
         "<c r=\"E2\"><f>SUM(C1)</f><v>402600</v></c></row>"
         "</sheetData></worksheet>"},
    };
    std::ostringstream zip;
    Poco::Zip::Compress compress(zip, true);
    for (const auto& [name, content] : parts) {
        std::istringstream in(content);
        compress.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX));
    }
    compress.close();
    return zip.str();
}

TEST_F(PluginTest, SpreadsheetCellsDatesAndSharedStringsWithoutFurigana) {
    const auto result = extract(smallWorkbook());
    EXPECT_EQ(result.extractor, "ooxml");
    EXPECT_EQ(result.text,
              "名簿\n吉田\t防犯灯\t402600\n2024/04/01\t2024年4月1日\t済\tTRUE\t402600");
}

// Regression (found by the extract_odf fuzzer): a ZIP64 end-of-directory record that
// declares more bytes than the file has made Poco allocate that many before reading it:
// exabytes crashed the reader, a few hundred megabytes took the extractor's memory. The
// record is now refused as damaged before anything is allocated.
TEST_F(PluginTest, RegressionZip64RecordLargerThanTheFile) {
    std::string zip = smallWorkbook();
    const auto end = zip.rfind(std::string("PK\x05\x06", 4));
    ASSERT_NE(end, std::string::npos);
    // "PK\6\6" and a size of 256 MiB, where the directory's end record begins.
    zip.insert(end, std::string("PK\x06\x06\x00\x00\x00\x10\x00\x00\x00\x00", 12));
    try {
        const auto result = extract(zip);
        ADD_FAILURE() << "extracted by " << result.extractor;
    } catch (const ExtractionFailed& e) {
        EXPECT_NE(std::string(e.what()).find("a directory record larger than the file"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(PluginTest, JunkThatLooksLikeAContainerIsAReasonNotACrash) {
    std::string junk(64 * 1024, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919u) >> 3);
    for (const std::string& prefix : {std::string("PK\x03\x04", 4), std::string("%PDF-1.4\n"),
                                      std::string("{\\rtf1 "), std::string("<html><body>")}) {
        try {
            registry_->extract(ScratchFile(prefix + junk).path(), 1 << 20);
        } catch (const ExtractionFailed& e) {
            EXPECT_STRNE(e.what(), "") << prefix;
        }
    }
}

}  // namespace
}  // namespace kiroku::indexer::extract
