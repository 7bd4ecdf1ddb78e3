// Snippets of long texts, unpacked only as far as they need (Snippet.h, StoredText.h):
// the same snippet wherever the match is, the text's end known without unpacking it.

#include "index/Snippet.h"
#include "index/StoredText.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace kiroku::indexer;

namespace {

// A long text of filler lines with `word` on line `at` (of `lines`).
std::string textWith(const std::string& word, int at, int lines) {
    std::string text;
    for (int i = 0; i < lines; ++i) {
        text += "第" + std::to_string(i) + "行は回覧板の配布についての連絡事項です。\n";
        if (i == at) text += "ここに" + word + "があります。\n";
    }
    return text;
}

SearchHit onlyHit(SearchIndex& index, const std::string& q) {
    SearchQuery query;
    query.text = q;
    SearchResult r = index.search(query, ReadableScope::everything());
    EXPECT_EQ(r.hits.size(), 1u) << q;
    return r.hits.empty() ? SearchHit{} : r.hits[0];
}

}  // namespace

TEST(LazyText, FindsTheFirstOfSeveralNeedlesAndUnpacksAPrefix) {
    std::string text(100000, 'a');
    text.replace(70000, 3, "xyz");
    text.replace(50000, 2, "qq");
    text.replace(90000, 5, "hello");
    LazyText lazy;
    lazy.reset(packNormalised(text));
    EXPECT_EQ(lazy.findFirst({"xyz", "hello", "qq"}), 50000u);
    EXPECT_EQ(lazy.findFirst({"zzz"}), std::string_view::npos);
    lazy.resetOriginal(packOriginal(text));
    EXPECT_EQ(lazy.prefix(10).size(), 10u);
    EXPECT_EQ(lazy.findFirst({"hello", "xyz"}), 70000u);
    EXPECT_EQ(lazy.prefix(200000).size(), text.size());
    EXPECT_EQ(lazy.all(), text);
}

TEST(LazyText, ANeedleStartingBeforeAnotherIsFirstAcrossAnUnpackedEdge) {
    // The first 2,048 bytes are unpacked first: "qr" lies within them, "pqrstuvw" starts
    // a byte before it but ends past them, and is still the first.
    std::string text(5000, 'a');
    text.replace(2044, 8, "pqrstuvw");
    LazyText lazy;
    lazy.reset(packNormalised(text));
    EXPECT_EQ(lazy.findFirst({"qr", "pqrstuvw"}), 2044u);
    lazy.reset(packNormalised(text));
    EXPECT_EQ(lazy.findFirst({"qr"}), 2045u);
}

TEST(LazyText, ADamagedValueFindsNothingAndDoesNotThrow) {
    LazyText lazy;
    lazy.resetOriginal("not zstd at all");
    EXPECT_EQ(lazy.findFirst({"zstd"}), std::string_view::npos);
    EXPECT_TRUE(lazy.all().empty());
    std::string packed = packOriginal(std::string(10000, 'x') + "needle");
    packed.resize(packed.size() / 2);
    lazy.resetOriginal(packed);
    EXPECT_EQ(lazy.findFirst({"needle"}), std::string_view::npos);
}

TEST(Snippets, AreCutAroundTheMatchAtTheStartMiddleAndEndOfALongText) {
    const std::string dir = Poco::TemporaryFile::tempName();
    {
        SearchIndex index(dir);
        auto b = index.batch();
        const int lines = 2000;  // about 90,000 characters
        for (auto [name, at] : std::vector<std::pair<std::string, int>>{
                 {"始め", 0}, {"中ほど", lines / 2}, {"終わり", lines - 1}}) {
            IndexedDocument d;
            d.path = "桜ヶ丘自治区/回覧/" + name + ".txt";
            d.text = textWith("防災倉庫の" + name + "の鍵", at, lines);
            d.modifiedUs = 1700000000000000;
            d.type = "text";
            b.put(d);
        }
        b.commit();

        const std::string start = onlyHit(index, "防災倉庫の始めの鍵").snippet;
        EXPECT_NE(start.find("<mark>防災倉庫の始めの鍵</mark>"), std::string::npos) << start;
        EXPECT_EQ(start.substr(start.size() - 3), "…") << start;  // the text goes on

        const std::string middle = onlyHit(index, "防災倉庫の中ほどの鍵").snippet;
        EXPECT_NE(middle.find("<mark>防災倉庫の中ほどの鍵</mark>"), std::string::npos) << middle;
        EXPECT_EQ(middle.rfind("…", 0), 0u) << middle;               // cut before
        EXPECT_EQ(middle.substr(middle.size() - 3), "…") << middle;  // and after

        const std::string end = onlyHit(index, "防災倉庫の終わりの鍵").snippet;
        EXPECT_NE(end.find("<mark>防災倉庫の終わりの鍵</mark>"), std::string::npos) << end;
        EXPECT_EQ(end.rfind("…", 0), 0u) << end;
        EXPECT_NE(end.substr(end.size() - 3), "…") << end;  // the text ends there
    }
    Poco::File(dir).remove(true);
}
