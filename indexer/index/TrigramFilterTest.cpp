#include "index/TrigramFilter.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

using namespace kiroku::indexer;

namespace {

// A long content: ASCII words and Japanese mixed, as a manual's normalised text.
std::u32string manual(std::mt19937& random, std::size_t chars) {
    const std::u32string letters = U"abcdefghijklmnopqrstuvwxyz0123456789";
    const std::u32string japanese = U"をファイルにする設定の";
    std::u32string text;
    while (text.size() < chars) {
        std::uniform_int_distribution<std::size_t> length(1, 9);
        for (std::size_t i = length(random); i > 0; --i) text += letters[random() % letters.size()];
        text += japanese[random() % japanese.size()];
    }
    return text;
}

std::string ascii(const std::u32string& text) { return std::string(text.begin(), text.end()); }

}  // namespace

TEST(TrigramFilter, EveryTrigramOfTheContentReadsAsHeld) {
    std::mt19937 random(7);
    for (std::size_t chars : {kTrigramFilterMinChars, std::size_t(5000), std::size_t(80000)}) {
        const std::u32string text = manual(random, chars);
        const std::string filter = trigramFilterOf(text);
        ASSERT_GE(filter.size(), 8u);
        for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
            // Each piece of the content: a needle it holds is never filtered out.
            std::u32string piece = text.substr(i, 3 + i % 6);
            std::string needle;
            for (char32_t c : piece) needle += c < 0x80 ? static_cast<char>(c) : '\xE3';
            const auto trigrams = filterKeysOf(needle);
            EXPECT_TRUE(mayContain(filter, trigrams)) << ascii(piece);
        }
    }
}

TEST(TrigramFilter, MostTrigramsTheContentLacksAreFilteredOut) {
    std::mt19937 random(11);
    const std::u32string text = manual(random, 20000);
    std::set<std::string> held;
    for (std::size_t i = 0; i + 3 <= text.size(); ++i) held.insert(ascii(text.substr(i, 3)));
    const std::string filter = trigramFilterOf(text);
    std::size_t absent = 0, passed = 0;
    for (char a = 'a'; a <= 'z'; ++a) {
        for (char b = 'a'; b <= 'z'; ++b) {
            for (char c : {'q', 'x', 'z', '7'}) {
                const std::string needle{a, b, c};
                if (held.count(needle)) continue;
                ++absent;
                if (mayContain(filter, filterKeysOf(needle))) ++passed;
            }
        }
    }
    ASSERT_GT(absent, 500u);
    // 3 bits a trigram, two hashes: about a quarter (a third at most) still reads as held.
    EXPECT_LT(passed * 3, absent);
    EXPECT_GT(passed, 0u);  // a Bloom filter, not a list: some do
}

TEST(TrigramFilter, ShortContentHasNoFilterAndNeedlesWithoutTrigramsAlwaysPass) {
    EXPECT_EQ(trigramFilterOf(std::u32string(kTrigramFilterMinChars - 1, U'a')), "");
    EXPECT_TRUE(mayContain("", filterKeysOf("grep")));
    // Long content without three ASCII letters in a row: an empty filter keeps nothing.
    const std::string none = trigramFilterOf(std::u32string(2000, U'あ'));
    ASSERT_EQ(none.size(), 8u);
    EXPECT_FALSE(mayContain(none, filterKeysOf("grep")));
    EXPECT_FALSE(mayContain(none, filterKeysOf("ls-lah")));  // lah
    // Fewer than three in a row, or broken by other characters: nothing to filter by.
    EXPECT_TRUE(filterKeysOf("ls").empty());
    EXPECT_TRUE(filterKeysOf("a-b.c").empty());
    EXPECT_TRUE(filterKeysOf("lsコマンド").empty());
    EXPECT_TRUE(mayContain(none, filterKeysOf("lsコマンド")));
    // gre rep epg pgr and grep repg epgr pgre, each once
    EXPECT_EQ(filterKeysOf("grepgrep").size(), 8u);
    EXPECT_EQ(filterKeysOf("grep").size(), 3u);  // gre rep grep
}

// Format 10: grep's candidates at 50x the bench corpus were mostly manuals holding gre
// and rep in other words (progress, report), each read and scanned whole.
TEST(TrigramFilter, AWordWhoseTrigramsOccurOnlyApartIsMostlyFilteredOut) {
    std::mt19937 random(13);
    const std::vector<std::string> apart{"grep", "mount", "chmod", "passwd", "printf"};
    std::size_t contents = 0, passed = 0;
    for (int round = 0; round < 200; ++round) {
        // Each word's trigrams, each in a word of its own: every trigram is held.
        const std::string word = apart[round % apart.size()];
        std::u32string text = manual(random, 4000);
        for (std::size_t i = 0; i + 3 <= word.size(); ++i) {
            text += U"の";
            for (char c : word.substr(i, 3)) text += static_cast<char32_t>(c);
        }
        if (ascii(text).find(word) != std::string::npos) continue;  // held after all
        const std::string filter = trigramFilterOf(text);
        std::vector<std::uint32_t> trigramsOnly;
        for (std::size_t i = 0; i + 3 <= word.size(); ++i) {
            const auto keys = filterKeysOf(word.substr(i, 3));
            trigramsOnly.insert(trigramsOnly.end(), keys.begin(), keys.end());
        }
        ASSERT_TRUE(mayContain(filter, trigramsOnly)) << word;  // as format 9 let it through
        ++contents;
        if (mayContain(filter, filterKeysOf(word))) ++passed;
    }
    ASSERT_GT(contents, 150u);
    // Only by a false positive of its four-grams: about a quarter for grep (one four-gram),
    // fewer for longer words.
    EXPECT_LT(passed * 3, contents);
}
