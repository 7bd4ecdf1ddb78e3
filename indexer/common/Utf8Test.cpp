#include "kiroku/indexer/Utf8.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>

using namespace kiroku::indexer;

TEST(Utf8, AppendsEveryScalarValueAsIcuConvertsIt) {
    for (char32_t c = 0; c <= 0x10FFFF; c += (c < 0x20000 ? 1 : 97)) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        std::string ours, icu;
        appendUtf8(ours, c);
        icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(icu);
        ASSERT_EQ(ours, icu) << std::hex << static_cast<std::uint32_t>(c);
    }
    EXPECT_EQ(toUtf8(U"防犯灯 LED 𠮷"), "防犯灯 LED 𠮷");
}

TEST(Utf8, ValidatesLikeTheStandard) {
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_TRUE(isValidUtf8("議事録.txt"));
    EXPECT_TRUE(isValidUtf8("\xF0\x9F\x98\x80"));
    for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80",
                            "a\xFF", "\xE8\xAD"}) {
        EXPECT_FALSE(isValidUtf8(bad)) << bad;
    }
    // A character cut off at the end of a sample counts only when it may be truncated,
    // and only if what is there could still become a character.
    EXPECT_TRUE(isValidUtf8("議事\xE9\x8C", true));
    EXPECT_TRUE(isValidUtf8("議事\xE9", true));
    EXPECT_FALSE(isValidUtf8("議事\xE0\x80", true));
    EXPECT_FALSE(isValidUtf8("\x80議事", true));
}

TEST(Utf8, PrefixNeverCutsACharacter) {
    const std::string text = "aあ𠮷";  // 1 + 3 + 4 bytes
    const std::size_t expected[] = {0, 1, 1, 1, 4, 4, 4, 4, 8, 8};
    for (std::size_t max = 0; max < 10; ++max)
        EXPECT_EQ(utf8PrefixLength(text, max), expected[max]) << max;
}
