// What SearchIndex finds: exact normalised substrings (one character, ASCII, across the
// unpacked blocks), snippets, filters, scores from the readable documents only, formats
// and generations. Totals and what searches remember: SearchTotalsTest.cpp.

#include "kiroku/indexer/SearchIndex.h"

#include "index/SearchIndexFixture.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <map>

using namespace kiroku::indexer;
using fixtures::SearchIndexTest;

TEST_F(SearchIndexTest, MatchesExactlyTheDocumentsContainingTheText) {
    EXPECT_EQ(find("東京都"), std::vector<std::string>{"桜ヶ丘自治区/議事録/東京都の件.txt"});
    EXPECT_EQ(find("ＬＥＤ化"),
              std::vector<std::string>{"桜ヶ丘自治区/議事録/令和5年度_定期総会議事録.txt"});
    EXPECT_EQ(find("ごみ当番"), std::vector<std::string>{"緑町自治区/議事録/ｺﾞﾐ当番.txt"});
    EXPECT_EQ(find("鍵"), std::vector<std::string>{
                              "緑町自治区/引継ぎ/鍵の場所.txt"});  // one character, by name
    EXPECT_EQ(find("PTA 会費 2023"), std::vector<std::string>{"緑町自治区/議事録/ｺﾞﾐ当番.txt"});
    EXPECT_EQ(find("防犯灯").size(), 2u);
    EXPECT_EQ(find("防犯灯 -名簿"),
              std::vector<std::string>{"桜ヶ丘自治区/議事録/令和5年度_定期総会議事録.txt"});
    EXPECT_TRUE(find("東京都 京都へ").empty());
    // 東京と京都 has every bigram of 東京都, apart: it is neither found nor excluded by it.
    EXPECT_EQ(find("京都 -東京都"), std::vector<std::string>{"桜ヶ丘自治区/回覧/旅行.txt"});
    EXPECT_EQ(find("東京都 -京都へ"),
              std::vector<std::string>{"桜ヶ丘自治区/議事録/東京都の件.txt"});
    EXPECT_TRUE(find("!!!").empty());
    EXPECT_TRUE(find("").empty());
}

TEST_F(SearchIndexTest, OneCharacterMatchesAnywhereIncludingTheLastCharacter) {
    auto b = index_->batch();
    put(b, "x/予定.txt", "清掃は第3日曜");  // 曜 occurs once, last
    b.commit();
    EXPECT_EQ(find("曜"), std::vector<std::string>{"x/予定.txt"});
    EXPECT_EQ(find("ﾎﾞ").size(), 0u);
    EXPECT_EQ(find("ぼ"), std::vector<std::string>{});
    EXPECT_EQ(find("灯").size(), 2u);
}

TEST_F(SearchIndexTest, ChecksFindTermsAcrossTheBlocksTheyUnpack) {
    // The normalised content is unpacked 2 KB first, then 8 KB, 32 KB…: a term that
    // straddles those ends is still found, and one that is not there is not.
    auto b = index_->batch();
    for (std::size_t at : {2040u, 2046u, 2047u, 8190u, 8191u}) {
        put(b, "x/" + std::to_string(at) + ".txt",
            std::string(at, 'a') + "防災倉庫の鍵" + std::string(9000, 'b'));
    }
    b.commit();
    EXPECT_EQ(find("防災倉庫の鍵").size(), 5u);
    EXPECT_EQ(find("aa防災").size(), 5u);
    EXPECT_EQ(find("鍵bb").size(), 5u);
    EXPECT_TRUE(find("防災倉庫の鍵a").empty());
}

TEST_F(SearchIndexTest, AnAsciiWordIsFoundWhereverItIsAndOnlyThere) {
    // Long contents carry a filter of their ASCII trigrams (TrigramFilter.h); a check of
    // grep skips the content of a manual holding gr, re and ep only apart, and still finds
    // it deep in one, across the 16 KB cut, in the name, in short contents and in what
    // the normalisation joins (Ｇｒｅｐ, "gr ep": spaces are dropped).
    const std::string filler = std::string(3000, 'x') + "の説明。";
    auto b = index_->batch();
    put(b, "m/apart.txt", filler + "green grass, report, deep sleep" + filler);
    put(b, "m/deep.txt", filler + std::string(20000, 'y') + " use grep -r " + filler);
    put(b, "m/cut.txt", std::string(16382, 'z') + "grep" + filler);
    put(b, "m/grep の使い方.txt", filler + "green report deep");
    put(b, "m/short.txt", "egrep と fgrep");
    put(b, "m/wide.txt", filler + "Ｇｒｅｐ で探す" + filler);
    put(b, "m/spaced.txt", filler + "gr ep" + filler);
    put(b, "m/japanese.txt", std::string(1200, 'a') + "ぐれっぷ" + std::string(3000, 'b'));
    b.commit();
    const std::vector<std::string> all{"m/cut.txt",   "m/deep.txt",   "m/grep の使い方.txt",
                                       "m/short.txt", "m/spaced.txt", "m/wide.txt"};
    EXPECT_EQ(find("grep"), all);
    EXPECT_EQ(find("GREP"), all);
    EXPECT_EQ(find("grep -使い方"),
              (std::vector<std::string>{"m/cut.txt", "m/deep.txt", "m/short.txt", "m/spaced.txt",
                                        "m/wide.txt"}));
    // Excluded wherever it is found, the name included; kept where its bigrams are apart.
    EXPECT_EQ(find("の説明 -grep"), std::vector<std::string>{"m/apart.txt"});
    EXPECT_EQ(find("rport"), std::vector<std::string>{});
    EXPECT_EQ(find("report"), (std::vector<std::string>{"m/apart.txt", "m/grep の使い方.txt"}));
}

TEST_F(SearchIndexTest, ChecksAreRememberedOnlyForTheIndexAsItWas) {
    const std::vector<std::string> before{"桜ヶ丘自治区/議事録/東京都の件.txt"};
    EXPECT_EQ(find("東京都"), before);
    EXPECT_EQ(find("東京都"), before);  // the second time from what the first one checked
    auto b = index_->batch();
    put(b, "桜ヶ丘自治区/回覧/旅行.txt", "東京都へ行きます。");  // same document, now with 東京都
    b.commit();
    EXPECT_EQ(find("東京都"), (std::vector<std::string>{"桜ヶ丘自治区/回覧/旅行.txt",
                                                        "桜ヶ丘自治区/議事録/東京都の件.txt"}));
}

TEST_F(SearchIndexTest, EraYearsMatchWesternYears) {
    EXPECT_EQ(find("令和6年4月").size(), 2u);  // one writes 2024年4月, the other 令和6年4月
    EXPECT_EQ(find("2024年4月").size(), 2u);
}

TEST_F(SearchIndexTest, TotalCountsOnlyReadableDocuments) {
    SearchQuery q;
    q.text = "防犯灯";
    ReadableScope noRoster;
    noRoster.points["桜ヶ丘自治区/名簿"] = false;
    SearchResult r = index_->search(q, noRoster);
    EXPECT_EQ(r.total, 1u);
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_EQ(r.hits[0].path.find("名簿"), std::string::npos);
}

TEST_F(SearchIndexTest, SnippetsMarkTheOriginalText) {
    SearchQuery q;
    q.text = "ＬＥＤ化";
    SearchResult r = index_->search(q, everyone);
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_NE(r.hits[0].snippet.find("<mark>LED 化</mark>"), std::string::npos)
        << r.hits[0].snippet;
    q.text = "防犯灯のLED";  // regression: the mark swallowed the space after a match
    r = index_->search(q, everyone);
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_NE(r.hits[0].snippet.find("<mark>防犯灯のLED</mark> 化"), std::string::npos)
        << r.hits[0].snippet;
    EXPECT_EQ(r.hits[0].year, 2023);
    EXPECT_EQ(r.hits[0].category, "議事録");
    EXPECT_EQ(r.hits[0].type, "text");
}

TEST_F(SearchIndexTest, SnippetsFindMatchesDeepInLongDocuments) {
    std::string filler;
    for (int i = 0; i < 800; ++i) filler += "自治会の活動について説明します。\n";  // ~40 KB
    auto b = index_->batch();
    put(b, "長い/文書.txt", filler + "防災倉庫の鍵は区長が保管する。\n" + filler);
    b.commit();
    SearchQuery q;
    q.text = "防災倉庫の鍵";
    SearchResult r = index_->search(q, everyone);
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_NE(r.hits[0].snippet.find("<mark>防災倉庫の鍵</mark>"), std::string::npos)
        << r.hits[0].snippet;
}

TEST_F(SearchIndexTest, FiltersAndRemovals) {
    SearchQuery q;
    q.text = "txt";  // every name has it
    q.folder = "緑町自治区";
    EXPECT_EQ(index_->search(q, everyone).total, 2u);
    q.folder.clear();
    q.category = "回覧";
    EXPECT_EQ(index_->search(q, everyone).total, 1u);
    q.category.clear();
    q.year = 2024;  // only 旅行.txt names a date in that fiscal year (令和6年4月)
    EXPECT_EQ(index_->search(q, everyone).total, 1u);
    q.year = 0;
    q.type = "text";
    EXPECT_EQ(index_->search(q, everyone).total, 6u);
    auto b = index_->batch();
    b.remove("緑町自治区");
    b.commit();
    EXPECT_TRUE(find("ごみ当番").empty());
    EXPECT_EQ(index_->documentCount(), 4u);
}

TEST(SearchIndexOptions, ItaijiFoldingIsOptionalAndAppliesToQueriesToo) {
    std::string dir = Poco::TemporaryFile::tempName();
    NormaliseOptions itaiji;
    itaiji.itaiji = true;
    {
        SearchIndex index(dir, itaiji);
        auto b = index.batch();
        IndexedDocument d;
        d.path = "名簿/髙橋さん.txt";
        d.text = "齋藤 髙橋";
        b.put(d);
        b.commit();
        SearchQuery q;
        q.text = "高橋";
        EXPECT_EQ(index.search(q, ReadableScope::everything()).total, 1u);
        q.text = "斎藤";
        EXPECT_EQ(index.search(q, ReadableScope::everything()).total, 1u);
    }
    Poco::File(dir).remove(true);
}

TEST_F(SearchIndexTest, ItaijiAreDistinctByDefault) {
    auto b = index_->batch();
    put(b, "x/髙橋.txt", "髙橋");
    b.commit();
    EXPECT_TRUE(find("高橋").empty());
    EXPECT_EQ(find("髙橋").size(), 1u);
}

TEST_F(SearchIndexTest, AnIndexOfAnEarlierFormatAsksToBeRebuilt) {
    EXPECT_TRUE(index_->hasCurrentFormat());
    // "": as the first version wrote it; 2 and 3: without year terms; 4: without the
    // frequent bigrams' postings, and its normalised texts in LZ4.
    for (const char* earlier : {"2", "3", "4", ""}) {
        std::ifstream current(dir_ + "/CURRENT");
        std::string generation;
        std::getline(current, generation);
        Xapian::WritableDatabase db(dir_ + "/" + generation);
        db.set_metadata("kiroku.index-format", earlier);
        db.commit();
        db.close();
        EXPECT_FALSE(index_->hasCurrentFormat()) << earlier;
    }
    index_->rebuild([](SearchIndex::Batch& b, std::size_t) { put(b, "新/文書.txt", "新しい索引"); },
                    2);
    EXPECT_TRUE(index_->hasCurrentFormat());
}

TEST_F(SearchIndexTest, RebuildSwapsInANewGeneration) {
    index_->rebuild(
        [](SearchIndex::Batch& b, std::size_t writer) {
            put(b, writer == 0 ? "新/文書.txt" : "新/別の文書.txt",
                writer == 0 ? "新しい索引" : "並行に書いた部分");
        },
        2);
    EXPECT_EQ(index_->documentCount(), 2u);  // both parts, merged
    EXPECT_EQ(find("索引"), std::vector<std::string>{"新/文書.txt"});
    EXPECT_EQ(find("並行"), std::vector<std::string>{"新/別の文書.txt"});
    EXPECT_TRUE(find("東京都").empty());
}

// Every bigram is posted, however many documents hold it (format 5): a term of one or
// two characters is answered by the postings alone, and a longer one of common bigrams
// only checks the documents that hold them all.
TEST_F(SearchIndexTest, EveryBigramIsPostedAndNothingIsMissed) {
    std::vector<IndexedDocument> docs;
    for (int i = 0; i < 90; ++i) {
        IndexedDocument d;
        d.path = "区/記録/記録" + std::to_string(i) + ".txt";
        d.modifiedUs = 1700000000000000 + i;
        // Two thirds hold 会議; the rest only 会 (会費) or neither.
        d.text = i % 3 != 0 ? "第" + std::to_string(i) + "回の会議録。"
                            : (i % 2 ? "会費の領収" : "清掃の予定");
        docs.push_back(d);
    }
    IndexedDocument named;  // 会議 only in its name
    named.path = "区/記録/会議.txt";
    named.text = "出席者の一覧";
    named.modifiedUs = 1600000000000000;  // the oldest: it ranks first by its name
    docs.push_back(named);
    index_->rebuild(
        [&](SearchIndex::Batch& b, std::size_t writer) {
            for (std::size_t i = writer; i < docs.size(); i += 2) b.put(docs[i]);
        },
        2);
    {
        std::ifstream current(dir_ + "/CURRENT");
        std::string generation;
        std::getline(current, generation);
        Xapian::Database db(dir_ + "/" + generation);
        EXPECT_EQ(db.get_termfreq("会議"), 61u);  // 60 contents and the name
        EXPECT_EQ(db.get_termfreq("領収"), 15u);
        EXPECT_EQ(db.get_metadata("kiroku.frequent-bigrams"), "");
    }
    SearchQuery q;
    q.text = "会議";
    q.limit = 100;
    SearchResult r = index_->search(q, everyone);
    EXPECT_EQ(r.total, 61u);  // 60 minutes and the name
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].path, "区/記録/会議.txt");
    auto total = [&](const std::string& text) {
        q.text = text;
        return index_->search(q, everyone).total;
    };
    EXPECT_EQ(total("会"), 76u);  // 60 + 15 会費 + the name
    EXPECT_EQ(total("会議録"), 60u);
    EXPECT_EQ(total("会 -会議"), 15u);
    EXPECT_EQ(total("領収 -会議"), 15u);
    EXPECT_EQ(total("会議 清掃"), 0u);
    // A document added later is indexed the same way, and found the same.
    auto b = index_->batch();
    put(b, "区/回覧/新しい会議.txt", "臨時の会議");
    b.commit();
    EXPECT_EQ(total("会議"), 62u);
    EXPECT_EQ(find("臨時の会議"), std::vector<std::string>{"区/回覧/新しい会議.txt"});
    EXPECT_TRUE(index_->hasCurrentFormat());
}

namespace {

// An index of `docs` (path, text) in a fresh folder, removed with the object.
struct SmallIndex {
    explicit SmallIndex(const std::vector<std::pair<std::string, std::string>>& docs)
        : dir(Poco::TemporaryFile::tempName()), index(dir) {
        auto b = index.batch();
        for (const auto& [path, text] : docs) SearchIndexTest::put(b, path, text);
        b.commit();
    }
    ~SmallIndex() { Poco::File(dir).remove(true); }
    std::map<std::string, double> scores(const std::string& text,
                                         const ReadableScope& scope) const {
        SearchQuery q;
        q.text = text;
        std::map<std::string, double> out;
        for (const auto& h : index.search(q, scope).hits) out[h.path] = h.score;
        return out;
    }
    std::string dir;
    SearchIndex index;
};

void expectSameScores(const std::map<std::string, double>& a,
                      const std::map<std::string, double>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [path, score] : a) {
        ASSERT_TRUE(b.count(path)) << path;
        EXPECT_NEAR(score, b.at(path), 1e-9) << path;
    }
}

}  // namespace

// Regression (security review, finding 6): two equal files in one's own folder scored
// 4.20 and 6.25 when one of the names also appeared in a hidden roster — a test for
// whether a name is in it. Scores now come from the readable documents only: the same
// as in an index without the hidden ones.
TEST(SearchScopes, Finding06ScoresAreThoseOfAnIndexWithoutTheHiddenDocuments) {
    const std::vector<std::pair<std::string, std::string>> own = {
        {"桜ヶ丘自治区/議事録/一.txt", "出席 山田 会計報告 防犯灯の交換について 夏祭りの予算"},
        {"桜ヶ丘自治区/議事録/二.txt", "出席 佐藤 会計報告 防犯灯の交換について 夏祭りの予算"},
        {"桜ヶ丘自治区/議事録/三.txt", "夏祭りの反省 会計報告 鈴木 鈴木"},
        {"桜ヶ丘自治区/回覧/四.txt", "回覧 夏祭りのお知らせ"},
    };
    auto all = own;
    all.push_back({"桜ヶ丘自治区/名簿/名簿.txt", "佐藤 0000-00-0001 佐藤 0000-00-0002 会計"});
    all.push_back({"緑町自治区/名簿/会員.txt", "佐藤 佐藤 佐藤 山本 夏祭り係"});
    SmallIndex withHidden(all), without(own);
    ReadableScope member;
    member.atRoot = false;
    member.points["桜ヶ丘自治区"] = true;
    member.points["桜ヶ丘自治区/名簿"] = false;
    for (const char* words :
         {"佐藤", "山田", "会計報告", "夏祭り", "佐藤 会計", "佐", "祭", "夏祭り -山田"}) {
        SCOPED_TRACE(words);
        auto seen = withHidden.scores(words, member);
        expectSameScores(seen, without.scores(words, ReadableScope::everything()));
        for (const auto& [path, score] : seen)
            EXPECT_EQ(path.find("名簿"), std::string::npos) << path;
    }
    // The two equal files score the same for their own names.
    auto sato = withHidden.scores("佐藤", member), yamada = withHidden.scores("山田", member);
    EXPECT_NEAR(sato.at("桜ヶ丘自治区/議事録/二.txt"), yamada.at("桜ヶ丘自治区/議事録/一.txt"),
                1e-9);
    // Someone who reads everything gets everything's statistics.
    auto everything = withHidden.scores("佐藤", ReadableScope::everything());
    EXPECT_EQ(everything.size(), 3u);  // 二 and both rosters
    EXPECT_GT(std::abs(everything.at("桜ヶ丘自治区/議事録/二.txt") -
                       sato.at("桜ヶ丘自治区/議事録/二.txt")),
              1e-6);
}

TEST(SearchScopes, ARuleOnADocumentOrDeepInsideIsKeptTo) {
    SmallIndex idx({{"a/公開.txt", "夏祭り"},
                    {"a/秘密.txt", "夏祭り"},
                    {"a/b/c/深い.txt", "夏祭り"},
                    {"a/b/c/d/もっと深い.txt", "夏祭り"},
                    {"z/外.txt", "夏祭り"}});
    ReadableScope s;
    s.atRoot = false;
    s.points["a"] = true;
    s.points["a/秘密.txt"] = false;
    s.points["a/b/c"] = false;
    s.points["a/b/c/d"] = true;
    s.points["a/b"] = true;  // says nothing new
    std::vector<std::string> found;
    for (const auto& [path, score] : idx.scores("夏祭り", s)) found.push_back(path);
    EXPECT_EQ(found, (std::vector<std::string>{"a/b/c/d/もっと深い.txt", "a/公開.txt"}));
    ReadableScope none;
    none.atRoot = false;
    EXPECT_TRUE(idx.scores("夏祭り", none).empty());
}
