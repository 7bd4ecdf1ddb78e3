// Every file of the test corpus (tests/corpus, see its README.md) through the pool, with
// the extractor that must handle it and a phrase its text must contain.

#include <Poco/File.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include "extract/TestSupport.h"
#include "kiroku/indexer/ExtractionPool.h"

namespace kiroku::indexer {
namespace {

using extract::test::corpusPath;

struct CorpusFile {
    const char* path;       // relative to the corpus
    const char* extractor;  // "" when the file is expected to give no text
    const char* phrase;     // must occur in the text
};

// ゴミ分別ガイド.txt is stored with a decomposed (NFD) name, spelt so here.
#define NFD_GUIDE "\u30B3\u3099\u30DF\u5206\u5225\u30AB\u3099\u30A4\u30C8\u3099.txt"

const CorpusFile kCorpus[] = {
    {"桜ヶ丘自治区/議事録/令和5年度_定期総会議事録.txt", "text", "防犯灯のLED化"},
    {"桜ヶ丘自治区/議事録/令和6年度_第3回役員会議事録.docx", "ooxml", "東山工務店"},
    {"桜ヶ丘自治区/議事録/役員会議事録_R4_第2回.txt", "text", "防鳥ﾈｯﾄ"},
    {"桜ヶ丘自治区/引継ぎ/令和6年度_区長引継ぎ書.docx", "ooxml", "区長印"},
    {"桜ヶ丘自治区/会計/令和5年度_会計報告.xlsx", "ooxml", "防犯灯LED化工事費\t420,000\t402,600"},
    {"桜ヶ丘自治区/会計/令和4年度 決算報告書.pdf", "pdf", "防鳥ネット"},
    {"桜ヶ丘自治区/回覧/回覧_ゴミ出しルール変更.txt", "text", "ｺﾞﾐ出しルール"},
    {"桜ヶ丘自治区/回覧/回覧　夏祭りのお知らせ.html", "html", "盆踊り"},
    {"桜ヶ丘自治区/名簿/令和6年度_役員名簿.csv", "text", "ﾖｼﾀﾞ ｹﾝｼﾞ"},
    {"緑町自治区/議事録/令和5年度総会議事録.odt", "odf", "齋藤 浩"},
    {"緑町自治区/議事録/第１回役員会（令和７年５月）.pdf", "pdf", "令和７年５月"},
    {"緑町自治区/引継ぎ/会計引継ぎ書_令和5年度.txt", "text", "金庫の鍵"},
    {"緑町自治区/引継ぎ/書記引継ぎメモ.rtf", "rtf", "回覧板は6冊"},
    {"緑町自治区/申請書/防犯灯設置要望書_令和6年.docx", "ooxml", "市民協働課"},
    {"緑町自治区/申請書/カーブミラー設置要望書（スキャン）.pdf", "", ""},
    {"緑町自治区/会計/令和6年度_収支予算書.ods", "odf", "防犯カメラ積立"},
    {"緑町自治区/回覧/回覧_防災訓練のお知らせ.html", "html", "黄色いタオル"},
    {"緑町自治区/回覧/敬老会のご案内.jpg", "", ""},
    {"旭台自治会/議事録/令和6年度_定期総會議事録.txt", "text", "自治會"},
    {"旭台自治会/議事録/役員会議事録 令和7年1月.txt", "text", "道路維持課"},
    {"旭台自治会/引継ぎ/班長引継ぎ書（3班）.odt", "odf", "空き家"},
    {"旭台自治会/申請書/道路補修工事申請書.xlsx", "ooxml", "陥没"},
    {"旭台自治会/回覧/回覧 ごみ集積所の清掃当番表.txt", "text", "４月"},
    {"旭台自治会/名簿/会員名簿_令和6年度.xlsx", "ooxml", "0000-00-0623"},
    {"東山地区/共有/地区活動補助金申請書_令和6年度.docx", "ooxml", "150,000円"},
    {"東山地区/共有/東山地区 地区委員会 説明資料.pptx", "ooxml", "ＬＥＤ化"},
    {"東山地区/共有/東山地区だより_第12号.pdf", "pdf", "LED 化"},
    {"東山地区/共有/申請書進捗一覧_令和6年度.xlsx", "ooxml", "防犯灯"},
    {"東山地区/共有/" NFD_GUIDE, "text", "\u30AB\u3099\u30A4\u30C8\u3099"},
    {"東山地区/共有/避難所一覧.html", "html", "東山小学校"},
    {"テスト用/空ファイル.txt", "", ""},
};

void PrintTo(const CorpusFile& file, std::ostream* out) { *out << file.path; }

bool corpusPresent() { return Poco::File(extract::test::corpusDir() + "/README.md").exists(); }

class CorpusExtractionTest : public ::testing::TestWithParam<CorpusFile> {
protected:
    static void SetUpTestSuite() {
        pool_ = std::make_unique<ExtractionPool>(extract::test::workerBinary(),
                                                 extract::test::pluginDir());
    }
    static void TearDownTestSuite() { pool_.reset(); }

    static std::unique_ptr<ExtractionPool> pool_;
};

std::unique_ptr<ExtractionPool> CorpusExtractionTest::pool_;

TEST_P(CorpusExtractionTest, TextContainsItsPhrase) {
    ASSERT_TRUE(corpusPresent()) << "no corpus at " << extract::test::corpusDir();
    const CorpusFile& file = GetParam();
    const auto result = pool_->extract(corpusPath(file.path));
    if (*file.extractor == '\0') {
        // Image-only and empty files: empty text, or a clear "unsupported" reason.
        if (result.ok)
            EXPECT_EQ(result.text, "") << file.path;
        else
            EXPECT_EQ(result.error.rfind("unsupported type", 0), 0u) << result.error;
        return;
    }
    ASSERT_TRUE(result.ok) << file.path << ": " << result.error;
    EXPECT_EQ(result.extractor, file.extractor) << file.path;
    EXPECT_NE(result.text.find(file.phrase), std::string::npos)
        << file.path << " lacks " << file.phrase << "; text begins: " << result.text.substr(0, 300);
}

std::string testName(const ::testing::TestParamInfo<CorpusFile>& info) {
    return "File" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusExtractionTest, ::testing::ValuesIn(kCorpus), testName);

// The image-only files (a scanned form, a photographed notice) give no text to an
// ordinary worker (above); an OCR worker finds the facts the corpus README lists for them.
TEST(CorpusExtractionDetailTest, ImageOnlyFilesAreReadByAnOcrWorker) {
    ASSERT_TRUE(corpusPresent()) << "no corpus at " << extract::test::corpusDir();
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir(),
                        ExtractionPool::ocrOptions());
    const std::pair<const char*, std::vector<const char*>> files[] = {
        {"緑町自治区/申請書/カーブミラー設置要望書（スキャン）.pdf",
         {"カーブミラー", "申請日", "令和7年5月20日", "道路維持課"}},
        {"緑町自治区/回覧/敬老会のご案内.jpg", {"敬老会", "9月22日", "75歳以上"}},
    };
    for (const auto& [path, phrases] : files) {
        const auto result = pool.extract(corpusPath(path));
        ASSERT_TRUE(result.ok) << path << ": " << result.error;
        EXPECT_EQ(result.extractor, "ocr");
        for (const char* phrase : phrases)
            EXPECT_NE(result.text.find(phrase), std::string::npos)
                << path << " lacks " << phrase << ":\n"
                << result.text;
    }
}

TEST(CorpusExtractionDetailTest, ByteOrderMarkIsNotPartOfTheText) {
    ASSERT_TRUE(corpusPresent()) << "no corpus at " << extract::test::corpusDir();
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir());
    const auto result = pool.extract(corpusPath("緑町自治区/引継ぎ/会計引継ぎ書_令和5年度.txt"));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.text.rfind("\xEF\xBB\xBF", 0), std::string::npos);
    EXPECT_EQ(result.text.find('\r'), std::string::npos);  // CRLF became LF
}

TEST(CorpusExtractionDetailTest, Iso2022JpWaveDashStaysU301C) {
    ASSERT_TRUE(corpusPresent()) << "no corpus at " << extract::test::corpusDir();
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir());
    const auto result = pool.extract(corpusPath("旭台自治会/議事録/役員会議事録 令和7年1月.txt"));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_NE(result.text.find("午後2時\u301C3時30分"), std::string::npos)
        << result.text.substr(0, 300);
}

TEST(CorpusExtractionDetailTest, WholeCorpusWithTwoWorkersIsQuick) {
    ASSERT_TRUE(corpusPresent()) << "no corpus at " << extract::test::corpusDir();
    ExtractionPool pool(extract::test::workerBinary(), extract::test::pluginDir(), 2);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::future<ExtractionPool::Result>> results;
    for (const auto& file : kCorpus)
        results.push_back(std::async(
            std::launch::async, [&pool, &file] { return pool.extract(corpusPath(file.path)); }));
    results.push_back(std::async(std::launch::async, [&pool] {
        return pool.extract(corpusPath("テスト用/大量文字.docx"));
    }));
    results.push_back(std::async(std::launch::async, [&pool] {
        return pool.extract(corpusPath("テスト用/破損した議事録.pdf"));
    }));
    for (auto& r : results) {
        const auto result = r.get();
        EXPECT_NE(result.error, "extractor crashed");
        EXPECT_NE(result.error, "timeout");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    RecordProperty("corpus_seconds", std::to_string(seconds));
    std::printf("whole corpus (%zu files) through 2 workers, including their start: %.3f s\n",
                results.size(), seconds);
    EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace kiroku::indexer
