#include "kiroku/indexer/Normaliser.h"

#include <gtest/gtest.h>

using namespace kiroku::indexer;

TEST(Normaliser, WidthCaseAndKana) {
    EXPECT_EQ(normaliseToUtf8("ＬＥＤ化"), "led化");
    EXPECT_EQ(normaliseToUtf8("LED 化"), "led化");      // spaces between scripts
    EXPECT_EQ(normaliseToUtf8("ｺﾞﾐ出し"), "ごみ出し");  // half-width katakana + voiced mark
    EXPECT_EQ(normaliseToUtf8("ゴミ出し"), "ごみ出し");
    EXPECT_EQ(normaliseToUtf8("サーバー"), "さーばー");  // not さあばあ
    EXPECT_EQ(normaliseToUtf8("第３公園"), "第3公園");
    EXPECT_EQ(normaliseToUtf8("令和７年５月"), "令和7年5月");
    EXPECT_EQ(normaliseToUtf8("PTA 会費　2023"), "pta会費2023");  // full-width space too
    EXPECT_EQ(normaliseToUtf8("ﾖｼﾀﾞ"), "よしだ");
    EXPECT_EQ(normaliseToUtf8("ガイド"), normaliseToUtf8("カ\u3099イト\u3099"));  // NFD text
}

TEST(Normaliser, KeepsWhatTheRuleKeeps) {
    EXPECT_EQ(normaliseToUtf8("自治會"), "自治會");  // NFKC does not fold 會
    EXPECT_NE(normaliseToUtf8("〜"), normaliseToUtf8("～"));
    EXPECT_EQ(normaliseToUtf8("葛\U000E0100城"), "葛城");  // variation selector dropped
    EXPECT_EQ(normaliseToUtf8("ヷ"), "ヷ");                // outside U+30A1-30F6
}

TEST(Normaliser, ItaijiOnlyWhenAsked) {
    EXPECT_EQ(normaliseToUtf8("髙橋"), "髙橋");
    NormaliseOptions o;
    o.itaiji = true;
    EXPECT_EQ(normaliseToUtf8("髙橋 﨑", o), "高橋崎");
}

TEST(Normaliser, MapsBackToTheOriginalBytes) {
    std::string input = "防犯灯の LED 化";
    Normalised n = normalise(input);
    EXPECT_EQ(n.utf8(), "防犯灯のled化");
    // "led化" is characters 4..8; it came from "LED 化" in the input.
    auto [b, e] = n.sourceRange(4, 8);
    EXPECT_EQ(input.substr(b, e - b), "LED 化");
    Normalised k = normalise("ｺﾞﾐ");
    ASSERT_EQ(k.text.size(), 2u);
    auto [b2, e2] = k.sourceRange(0, 1);
    EXPECT_EQ(std::string("ｺﾞﾐ").substr(b2, e2 - b2), "ｺﾞ");
}

TEST(Normaliser, SurvivesInvalidUtf8) {
    EXPECT_EQ(normaliseToUtf8(std::string("a\xff"
                                          "b")),
              "a\uFFFDb");
}

// Found by the normaliser fuzzer (tests/fuzz/regressions/normaliser/): the spacing voiced
// mark (U+309B), as old documents write ガ, became か and a lone U+3099, which a search for
// ガ never met and which normalised again to が.
TEST(Normaliser, SpacingVoicedMarkComposesWithItsKana) {
    EXPECT_EQ(normaliseToUtf8("カ゛"), "が");
    EXPECT_EQ(normaliseToUtf8("ハ゜"), "ぱ");
    EXPECT_EQ(normaliseToUtf8("ｶ ﾞ"), "が");
    EXPECT_EQ(normaliseToUtf8("e \u0301"), "\u00e9");
    // Marks that arrive on both sides of a space end in canonical order.
    EXPECT_EQ(normaliseToUtf8("k\u07eb \u309b"), normaliseToUtf8("k\u07eb\u3099"));
    Normalised n = normalise("カ゛x");
    ASSERT_EQ(n.text.size(), 2u);
    EXPECT_EQ(n.sourceRange(0, 1), std::make_pair(0u, 6u));
}
