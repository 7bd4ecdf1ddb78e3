// Snippets of long texts, unpacked only as far as they need (Snippet.h, StoredText.h):
// the same snippet wherever the match is, the text's end known without unpacking it.

#include "index/Snippet.h"
#include "index/StoredText.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
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

TEST(StoredTexts, FindsTheFirstOfSeveralNeedlesAndUnpacksThePrefixOfTheOriginal) {
    std::string normalised(100000, 'a');
    normalised.replace(70000, 3, "xyz");
    normalised.replace(50000, 2, "qq");
    normalised.replace(90000, 5, "hello");
    const std::string original = "ORIGINAL " + std::string(50000, 'b') + " hello";
    StoredTexts texts;
    texts.reset(packTexts(normalised, original).first);
    EXPECT_EQ(texts.findFirst({"xyz", "hello", "qq"}), 50000u);
    EXPECT_EQ(texts.findFirst({"zzz", "ORIGINAL"}), std::string_view::npos);  // not the original
    EXPECT_FALSE(texts.contains("ORIGINAL"));
    EXPECT_TRUE(texts.contains("hello"));
    EXPECT_EQ(texts.originalPrefix(8), "ORIGINAL");
    EXPECT_EQ(texts.originalPrefix(1000000), original);
    EXPECT_EQ(texts.original(), original);
    EXPECT_EQ(texts.normalised(), normalised);
    texts.reset(packTexts(normalised, original).first);  // the original first, then the rest
    EXPECT_EQ(texts.original(), original);
    EXPECT_EQ(texts.findFirst({"hello", "xyz"}), 70000u);
    texts.reset(packTexts("", "").first);
    EXPECT_TRUE(texts.original().empty());
    EXPECT_FALSE(texts.contains("a"));
}

// A thread keeps a zstd context given back for its next text (StoredText.cpp): one given
// back half-way through another text's original, against another prefix, must unpack the
// next original as if new.
TEST(StoredTexts, AContextGivenBackUnpacksTheNextTextsOriginalAsIfNew) {
    std::vector<std::pair<std::string, std::string>> docs;
    for (int i = 0; i < 6; ++i) {
        std::string normalised = "文書" + std::to_string(i) + textWith("記録", i * 60, 600);
        std::string original = "原文" + std::to_string(i) + " " + normalised + "おわり";
        docs.emplace_back(std::move(normalised), std::move(original));
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto& [normalised, original] = docs[i];
        ASSERT_GT(original.size(), 32u << 10);  // more than one zstd block
        {
            StoredTexts halfRead;  // streams the first block, then gives its context back
            halfRead.reset(
                packTexts(docs[(i + 1) % docs.size()].first, docs[(i + 1) % docs.size()].second)
                    .first);
            EXPECT_EQ(halfRead.originalPrefix(100).size(), 100u);
        }
        StoredTexts texts;
        texts.reset(packTexts(normalised, original).first);
        EXPECT_TRUE(texts.contains("記録"));  // a check: the original is not read
        EXPECT_EQ(texts.originalPrefix(20000), original.substr(0, 20000)) << i;
        EXPECT_EQ(texts.original(), original) << i;
    }
}

TEST(StoredTexts, ANeedleStartingBeforeAnotherIsFirstAcrossAnUnpackedEdge) {
    // The first 2,048 bytes are unpacked first: "qr" lies within them, "pqrstuvw" starts
    // a byte before it but ends past them, and is still the first.
    std::string text(5000, 'a');
    text.replace(2044, 8, "pqrstuvw");
    StoredTexts texts;
    texts.reset(packTexts(text, "original").first);
    EXPECT_EQ(texts.findFirst({"qr", "pqrstuvw"}), 2044u);
    texts.reset(packTexts(text, "original").first);
    EXPECT_EQ(texts.findFirst({"qr"}), 2045u);
}

TEST(StoredTexts, ADamagedValueFindsNothingAndDoesNotThrow) {
    StoredTexts texts;
    texts.reset("not zstd at all");
    EXPECT_EQ(texts.findFirst({"zstd"}), std::string_view::npos);
    EXPECT_TRUE(texts.original().empty());
    std::string packed = packTexts(std::string(10000, 'x') + "needle", "the original").first;
    packed.resize(packed.size() / 2);
    texts.reset(packed);
    EXPECT_EQ(texts.findFirst({"needle"}), std::string_view::npos);
    EXPECT_FALSE(texts.contains("needle"));
    EXPECT_TRUE(texts.original().empty());
}

// Format 7: the normalised content alone (LZ4), the original after it (zstd, with the
// normalised content as its prefix). A damaged original leaves the content searchable.
TEST(StoredTexts, TheContentStaysSearchableWhenOnlyTheOriginalIsDamaged) {
    std::string normalised, original;
    for (int i = 0; i < 3000; ++i) {
        normalised += "ぼうさいくんれんのおしらせ" + std::to_string(i);
        original += "防災訓練のお知らせ " + std::to_string(i) + "\n";
    }
    normalised += "おわり";
    StoredTexts texts;
    texts.reset(packTexts(normalised, original).first);
    EXPECT_TRUE(texts.contains("おわり"));
    EXPECT_EQ(texts.normalised(), normalised);
    EXPECT_EQ(texts.original(), original);
    std::string packed = packTexts(normalised, original).first;
    packed.back() ^= 0x55;  // the zstd frame's last byte
    texts.reset(packed);
    EXPECT_TRUE(texts.contains("おわり"));
    EXPECT_EQ(texts.normalised(), normalised);
    EXPECT_TRUE(texts.original().empty());
    texts.reset(packTexts("", "only an original").first);
    EXPECT_FALSE(texts.contains("only"));
    EXPECT_EQ(texts.original(), "only an original");
}

// Issue 14: a snippet near the start of a long original unpacks its first blocks only
// (the 20 snippets of a page of long documents unpacked each whole, 2 ms a search).
TEST(StoredTexts, AnOriginalPrefixUnpacksOnlyTheBlocksBeforeIt) {
    std::string normalised, original;
    for (int i = 0; original.size() < 1000000; ++i) {
        normalised += "かいらんばんのはいふ" + std::to_string(i);
        original += "回覧板の配布 " + std::to_string(i) + "\n";
    }
    StoredTexts texts;
    texts.reset(packTexts(normalised, original).first);
    EXPECT_EQ(texts.originalPrefix(100), original.substr(0, 100));
    EXPECT_LT(texts.unpacked(), normalised.size() + 64 * 1024);
    EXPECT_EQ(texts.originalPrefix(500000), original.substr(0, 500000));
    EXPECT_LT(texts.unpacked(), normalised.size() + 600 * 1024);
    EXPECT_EQ(texts.original(), original);
    EXPECT_EQ(texts.unpacked(), normalised.size() + original.size());
    // A damage in the last block is found when the original is read to its end.
    std::string packed = packTexts(normalised, original).first;
    packed[packed.size() - 100] ^= 0x55;
    texts.reset(packed);
    EXPECT_EQ(texts.originalPrefix(100), original.substr(0, 100));
    EXPECT_TRUE(texts.original().empty());
    EXPECT_TRUE(texts.contains("かいらんばん"));
}

// Issue 14: a long document's first 16 KB apart from the rest. An ASCII text whose
// normalised content is itself, with a sync point every 128 bytes: the cut is at 16,384.
struct SplitTexts {
    std::string text;
    PackedTexts packed;
    int loads = 0;

    explicit SplitTexts(std::size_t size) : text(size, '.') {
        for (std::size_t i = 0; i + 6 < size; i += 1000) text.replace(i, 6, "filler");
    }
    void pack() {
        std::vector<SyncPoint> sync;
        for (std::size_t i = 0; i < text.size(); i += 128) sync.push_back({i, i});
        packed = packTexts(text, text, sync);
    }
    void load(StoredTexts& texts, std::string more) {
        texts.reset(packed.first, [this, more] {
            ++loads;
            return more;
        });
    }
};

TEST(StoredTexts, ALongTextIsCutInTwoAndANeedleAcrossTheCutIsFound) {
    SplitTexts s(100000);
    s.text.replace(100, 5, "start");
    s.text.replace(16380, 8, "STRADDLE");  // "STRA" before the cut, "DDLE" after
    s.text.replace(60000, 4, "late");
    s.pack();
    ASSERT_FALSE(s.packed.more.empty());
    StoredTexts texts;
    s.load(texts, s.packed.more);
    EXPECT_EQ(texts.findFirst({"start"}), 100u);
    EXPECT_EQ(texts.originalPrefix(200), s.text.substr(0, 200));
    EXPECT_EQ(s.loads, 0);  // the rest is not read for what lies in the first part
    EXPECT_LT(texts.unpacked(), 2u * kFirstPartBytes + 1024);
    EXPECT_TRUE(texts.contains("STRADDLE"));
    EXPECT_EQ(s.loads, 1);
    EXPECT_EQ(texts.findFirst({"DDLE", "late"}), 16384u);
    EXPECT_EQ(texts.findFirst({"late", "RADDLE", "TRA"}), 16381u);
    EXPECT_EQ(texts.findFirst({"late", "xyz"}), 60000u);
    EXPECT_EQ(texts.findFirst({"absent"}), std::string_view::npos);
    EXPECT_FALSE(texts.contains("absent"));
    EXPECT_EQ(texts.originalPrefix(20000), s.text.substr(0, 20000));
    EXPECT_EQ(texts.original(), s.text);
    EXPECT_EQ(texts.normalised(), s.text);
    EXPECT_EQ(s.loads, 1);  // read once
    s.load(texts, s.packed.more);
    EXPECT_TRUE(texts.contains("late"));
    EXPECT_EQ(texts.findFirst({"STRADDLE"}), 16380u);
    s.text[70000] = '#';  // a one-byte needle in the rest only
    s.pack();
    s.load(texts, s.packed.more);
    EXPECT_TRUE(texts.contains("#"));
    s.load(texts, s.packed.more);
    EXPECT_EQ(texts.findFirst({"#"}), 70000u);

    SplitTexts shorter(kFirstPartBytes);  // no sync point past the last: one value
    shorter.pack();
    EXPECT_TRUE(shorter.packed.more.empty());
    shorter.load(texts, "");
    EXPECT_FALSE(texts.contains("absent"));
    EXPECT_EQ(texts.original(), shorter.text);
    EXPECT_EQ(shorter.loads, 0);
}

TEST(StoredTexts, ADamagedOrMissingRestLeavesTheFirstPartAndShowsNoCutOriginal) {
    SplitTexts s(50000);
    s.text.replace(40000, 4, "late");
    s.pack();
    StoredTexts texts;
    std::string damaged = s.packed.more;
    damaged.back() ^= 0x55;  // the rest's zstd frame: its original, not its content
    s.load(texts, damaged);
    EXPECT_EQ(texts.originalPrefix(100), s.text.substr(0, 100));
    EXPECT_TRUE(texts.contains("late"));
    EXPECT_TRUE(texts.original().empty());
    s.load(texts, "");  // missing
    EXPECT_FALSE(texts.contains("late"));
    EXPECT_TRUE(texts.contains("filler"));
    EXPECT_EQ(texts.originalPrefix(100), s.text.substr(0, 100));
    EXPECT_TRUE(texts.original().empty());
    s.load(texts, s.packed.more.substr(0, s.packed.more.size() / 3));  // cut short
    EXPECT_FALSE(texts.contains("late"));
    EXPECT_TRUE(texts.original().empty());
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
