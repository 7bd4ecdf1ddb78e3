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
            const auto trigrams = trigramsOf(needle);
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
                if (mayContain(filter, trigramsOf(needle))) ++passed;
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
    EXPECT_TRUE(mayContain("", trigramsOf("grep")));
    // Long content without three ASCII letters in a row: an empty filter keeps nothing.
    const std::string none = trigramFilterOf(std::u32string(2000, U'あ'));
    ASSERT_EQ(none.size(), 8u);
    EXPECT_FALSE(mayContain(none, trigramsOf("grep")));
    EXPECT_FALSE(mayContain(none, trigramsOf("ls-lah")));  // lah
    // Fewer than three in a row, or broken by other characters: nothing to filter by.
    EXPECT_TRUE(trigramsOf("ls").empty());
    EXPECT_TRUE(trigramsOf("a-b.c").empty());
    EXPECT_TRUE(trigramsOf("lsコマンド").empty());
    EXPECT_TRUE(mayContain(none, trigramsOf("lsコマンド")));
    EXPECT_EQ(trigramsOf("grepgrep").size(), 4u);  // gre rep epg pgr, each once
}
