// The OCR plugin (plugins/ocr) through real `kiroku-extract --ocr` workers: words found only
// in the images of scanned and photographed documents, vertical writing, HEIC and Exif
// photos, and hostile files (an image bomb, a corrupt image, a 200-page scan) refused or
// capped without costing the worker. Also that an ordinary worker never OCRs.

#include <Poco/Checksum.h>
#include <Poco/Environment.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/TestSupport.h"
#include "kiroku/indexer/ExtractionPool.h"

namespace kiroku::indexer {
namespace {

using namespace std::chrono_literals;
using extract::test::corpusPath;
using extract::test::ScratchFile;
using Clock = std::chrono::steady_clock;

const char* const kScannedForm = "緑町自治区/申請書/カーブミラー設置要望書（スキャン）.pdf";
const char* const kPhotographedNotice = "緑町自治区/回覧/敬老会のご案内.jpg";

std::string ocrFixture(const std::string& name) { return std::string(KIROKU_OCR_DIR) + "/" + name; }

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::size_t occurrences(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
    return n;
}

ExtractionPool ocrPool(unsigned pages = 20, std::chrono::seconds perFile = 120s) {
    return ExtractionPool(extract::test::workerBinary(), extract::test::pluginDir(),
                          ExtractionPool::ocrOptions("", pages, perFile));
}

std::string be32(std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
}

// A PNG chunk: length, type, data, CRC.
std::string pngChunk(const std::string& type, const std::string& data) {
    Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
    crc.update(type + data);
    return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc.checksum());
}

// An 8-bit grey PNG that declares `width` x `height` and holds `idat` as its pixel data.
std::string png(std::uint32_t width, std::uint32_t height, const std::string& idat) {
    return std::string("\x89PNG\r\n\x1a\n", 8) +
           pngChunk("IHDR", be32(width) + be32(height) + std::string("\x08\x00\x00\x00\x00", 5)) +
           pngChunk("IDAT", idat) + pngChunk("IEND", "");
}

// A PDF of `pages` A4 pages, each showing the same JPEG (a scan of 1240 x 1754 pixels,
// colour) over the whole page, and no text: what a scanner makes of a thick stack.
std::string scannedPdf(const std::string& jpeg, int pages) {
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    auto object = [&](const std::string& body) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    object("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
    object("<< /Type /Pages /Count " + std::to_string(pages) + " /Kids [" + kids + "] >>");
    object(
        "<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceRGB "
        "/BitsPerComponent 8 /Filter /DCTDecode /Length " +
        std::to_string(jpeg.size()) + " >>\nstream\n" + jpeg + "\nendstream");
    const std::string content = "q 595 0 0 842 0 0 cm /Im0 Do Q";
    for (int i = 0; i < pages; ++i) {
        object(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << "
            "/Im0 3 0 R >> >> /Contents " +
            std::to_string(5 + 2 * i) + " 0 R >>");
        object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
               "\nendstream");
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

struct CheckResult {
    int status = -1;
    std::string output;
};

// `kiroku-extract --ocr --check`, with TESSDATA_PREFIX set to `tessdata` unless empty.
CheckResult runCheck(const std::string& tessdata) {
    Poco::Process::Env env;
    if (!tessdata.empty()) env["TESSDATA_PREFIX"] = tessdata;
    Poco::Pipe out;
    Poco::ProcessHandle process = Poco::Process::launch(
        extract::test::workerBinary(), {extract::test::pluginDir(), "--ocr", "--check"}, nullptr,
        &out, &out, env);
    Poco::PipeInputStream in(out);
    CheckResult result;
    result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    result.status = process.wait();
    return result;
}

TEST(OcrExtractionTest, CheckSaysWhichLanguagesAreRead) {
    const auto result = runCheck("");
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_EQ(result.output, "OCR is available: jpn+jpn_vert+eng\n");
}

TEST(OcrExtractionTest, CheckSaysWhenJapaneseIsNotInstalled) {
    const auto result = runCheck("/nonexistent/tessdata");
    EXPECT_EQ(result.status, 1);
    EXPECT_EQ(result.output, "OCR is not available: tesseract-ocr-jpn is not installed\n");
}

TEST(OcrExtractionTest, WithoutJapaneseLanguageDataFilesFailWithTheReason) {
    // Workers inherit the environment when they start: this pool's has no language data.
    const std::string previous = Poco::Environment::get("TESSDATA_PREFIX", "");
    Poco::Environment::set("TESSDATA_PREFIX", "/nonexistent/tessdata");
    auto pool = ocrPool();
    const auto result = pool.extract(corpusPath(kPhotographedNotice));
    Poco::Environment::set("TESSDATA_PREFIX", previous);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.extractor, "ocr");
    EXPECT_EQ(result.error, "OCR is not available: tesseract-ocr-jpn is not installed");
}

TEST(OcrExtractionTest, ScannedFormIsFoundByWordsOnlyInItsImage) {
    auto pool = ocrPool();
    const auto result = pool.extract(corpusPath(kScannedForm));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.mime, "application/pdf");
    EXPECT_EQ(result.extractor, "ocr");
    for (const char* word :
         {"カーブミラー設置要望書", "道路維持課", "令和7年5月20日", "現地確認待ち"})
        EXPECT_NE(result.text.find(word), std::string::npos) << word << " not in:\n" << result.text;
}

TEST(OcrExtractionTest, PhotographedNoticeIsFoundByWordsOnlyInItsImage) {
    auto pool = ocrPool();
    const auto result = pool.extract(corpusPath(kPhotographedNotice));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.extractor, "ocr");
    for (const char* word : {"敬老会のご案内", "9月22日", "75歳以上", "東山小学校合唱部"})
        EXPECT_NE(result.text.find(word), std::string::npos) << word << " not in:\n" << result.text;
}

// 縦書き: read in columns from the right, and joined without the spaces jpn_vert puts
// between its words.
TEST(OcrExtractionTest, VerticalWritingIsReadWithoutSpacesBetweenWords) {
    auto pool = ocrPool();
    const auto result = pool.extract(ocrFixture("縦書きの回覧.png"));
    ASSERT_TRUE(result.ok) << result.error;
    for (const char* line : {"防火水槽の点検のお知らせ", "町内の防火水槽と消火器を点検します。",
                             "防災倉庫の乾パンと飲料水を入れ替えます。"})
        EXPECT_NE(result.text.find(line), std::string::npos) << line << " not in:\n" << result.text;
    EXPECT_LT(result.text.find("防火水槽の点検"), result.text.find("乾パン"));
}

TEST(OcrExtractionTest, TiltedShadedHeicAndSidewaysPhotosAreRead) {
    auto pool = ocrPool();
    for (const char* photo : {"敬老会のご案内（写真・傾き4度）.jpg",
                              "敬老会のご案内（横向き・Exif）.jpg", "敬老会のご案内.heic"}) {
        const auto result = pool.extract(ocrFixture(photo));
        ASSERT_TRUE(result.ok) << photo << ": " << result.error;
        for (const char* word : {"敬老会のご案内", "お弁当", "班長へお知らせください"})
            EXPECT_NE(result.text.find(word), std::string::npos)
                << photo << " lacks " << word << ":\n"
                << result.text;
    }
}

TEST(OcrExtractionTest, EnglishPageIsReadAsEnglish) {
    auto pool = ocrPool();
    const auto result = pool.extract(ocrFixture("英語の回覧.png"));
    ASSERT_TRUE(result.ok) << result.error;
    for (const char* words : {"Disaster Drill for Midori-cho Residents", "hang a yellow towel"})
        EXPECT_NE(result.text.find(words), std::string::npos) << words << " not in:\n"
                                                              << result.text;
}

TEST(OcrExtractionTest, ImageBombIsRefusedQuicklyAndTheWorkerLives) {
    auto pool = ocrPool();
    ScratchFile bomb(png(100000, 100000, std::string("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9)));
    const auto start = Clock::now();
    const auto result = pool.extract(bomb.path());
    EXPECT_LT(secondsSince(start), 5.0);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.mime, "image/png");
    EXPECT_EQ(result.error, "image too large: 100000 x 100000 pixels (the limit is 50 megapixels)");
    const auto pids = pool.workerPids();

    // Under the cap, but more pixels than so few bytes can hold.
    ScratchFile small(png(7000, 7000, std::string("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9)));
    const auto second = pool.extract(small.path());
    EXPECT_FALSE(second.ok);
    EXPECT_EQ(second.error.rfind("image declares 7000 x 7000 pixels, more than its ", 0), 0u)
        << second.error;

    const auto next = pool.extract(corpusPath(kPhotographedNotice));
    ASSERT_TRUE(next.ok) << next.error;
    EXPECT_NE(next.text.find("敬老会"), std::string::npos);
    EXPECT_EQ(pool.workerPids(), pids);  // the same worker throughout
}

TEST(OcrExtractionTest, CorruptImageIsRefusedAndTheWorkerLives) {
    auto pool = ocrPool();
    std::string junk(4000, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919u) >> 3);
    ScratchFile corrupt(png(200, 100, junk));
    const auto result = pool.extract(corrupt.path());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.extractor, "ocr");
    EXPECT_EQ(result.error, "not a readable image (damaged or truncated)");
    const auto pids = pool.workerPids();

    const std::string jpeg = readFile(corpusPath(kPhotographedNotice));
    ScratchFile truncated(jpeg.substr(0, 600));
    const auto cut = pool.extract(truncated.path());
    EXPECT_NE(cut.error, "extractor crashed");
    EXPECT_NE(cut.error, "timeout");
    EXPECT_EQ(pool.workerPids(), pids);
}

TEST(OcrExtractionTest, LongScanIsReadToThePageCapOnly) {
    ScratchFile pdf(scannedPdf(readFile(corpusPath(kPhotographedNotice)), 200));
    auto pool = ocrPool(3);
    const auto start = Clock::now();
    const auto result = pool.extract(pdf.path());
    RecordProperty("seconds_for_3_pages", std::to_string(secondsSince(start)));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.extractor, "ocr");
    EXPECT_EQ(occurrences(result.text, "出欠は9月10日まで"), 3u) << result.text;
    EXPECT_EQ(occurrences(result.text, "\n\n"), 2u) << "pages are separated by a blank line";
}

TEST(OcrExtractionTest, LongScanStopsAtTheTimeCapWithWhatItRead) {
    ScratchFile pdf(scannedPdf(readFile(corpusPath(kPhotographedNotice)), 200));
    // At the server's niceness (19) the worker gets almost no CPU while other tests run
    // beside this one (ctest -j2, or a second suite), and the page it is reading when the
    // cap comes can take longer than the bounds below: this test is of the cap alone.
    auto options = ExtractionPool::ocrOptions("", 200, 8s);
    options.niceness = 0;
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir(), options);
    const auto start = Clock::now();
    const auto result = pool.extract(pdf.path());
    const double seconds = secondsSince(start);
    RecordProperty("seconds", std::to_string(seconds));
    ASSERT_TRUE(result.ok) << result.error;  // not "timeout": the plugin stopped itself
    EXPECT_LT(seconds, 8.0 + 10.0);
    EXPECT_LT(occurrences(result.text, "敬老会のご案内"), 20u);
    const auto pids = pool.workerPids();
    EXPECT_TRUE(pool.extract(corpusPath(kPhotographedNotice)).ok);
    EXPECT_EQ(pool.workerPids(), pids);
}

TEST(OcrExtractionTest, OcrWorkerLeavesOtherFormatsToTheOrdinaryOnes) {
    auto pool = ocrPool();
    ScratchFile text("回覧板の順番について\n");
    const auto result = pool.extract(text.path());
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error, "unsupported type text/plain");
}

TEST(OcrExtractionTest, OrdinaryWorkerNeverOcrs) {
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir());
    const auto image = pool.extract(corpusPath(kPhotographedNotice));
    EXPECT_FALSE(image.ok);
    EXPECT_EQ(image.error, "unsupported type image/jpeg");
    const auto scan = pool.extract(corpusPath(kScannedForm));
    ASSERT_TRUE(scan.ok) << scan.error;
    EXPECT_EQ(scan.extractor, "pdf");
    EXPECT_EQ(scan.text, "");  // the text layer only: a scan has none
    for (const char* fixture : {"縦書きの回覧.png", "敬老会のご案内.heic"}) {
        const auto other = pool.extract(ocrFixture(fixture));
        EXPECT_FALSE(other.ok) << fixture;
        EXPECT_EQ(other.error.rfind("unsupported type image/", 0), 0u) << other.error;
    }
}

}  // namespace
}  // namespace kiroku::indexer
