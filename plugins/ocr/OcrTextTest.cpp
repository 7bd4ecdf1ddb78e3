// How the OCR plugin lays out the words Tesseract recognised: spaces only where the page
// has them, and lines of a second pass put back in reading order.

#include "OcrText.h"

#include <gtest/gtest.h>

namespace kiroku::plugins::ocr {
namespace {

Word word(const char* text, int left, int top, int right, int bottom) {
    return Word{text, Box{left, top, right, bottom}};
}

Line line(const char* text, int left, int top, int right, int bottom) {
    return Line{text, Box{left, top, right, bottom}};
}

std::vector<std::string> textsOf(const std::vector<Line>& lines) {
    std::vector<std::string> texts;
    for (const auto& l : lines) texts.push_back(l.text);
    return texts;
}

// jpn_vert gives 防火 水槽 の 点検: words one below the other, touching.
TEST(OcrTextTest, JapaneseWordsTesseractSplitAreJoined) {
    EXPECT_EQ(joinWords({word("防火", 600, 100, 640, 180), word("水槽", 600, 184, 640, 262),
                         word("の", 602, 266, 638, 300), word("点検", 600, 303, 640, 382)}),
              "防火水槽の点検");
    EXPECT_EQ(joinWords({word("日頃", 108, 296, 178, 321), word("より", 193, 296, 208, 320),
                         word("自治", 220, 293, 407, 320)}),
              "日頃より自治");
}

TEST(OcrTextTest, AGapOnThePageStaysASpace) {
    // 申請日　令和7年: a label, a gap of a character and more, then its value.
    EXPECT_EQ(joinWords({word("申請日", 100, 200, 190, 230), word("令和7年", 230, 200, 330, 230)}),
              "申請日 令和7年");
}

TEST(OcrTextTest, LatinWordsKeepTheirSpaces) {
    EXPECT_EQ(joinWords({word("Disaster", 100, 100, 220, 130), word("Drill", 228, 100, 290, 130),
                         word("2024,", 298, 100, 370, 130)}),
              "Disaster Drill 2024,");
}

TEST(OcrTextTest, FullWidthPunctuationCarriesItsOwnSpace) {
    // The comma's box is narrow, so the gap after it looks wide: no space all the same.
    EXPECT_EQ(joinWords({word("支柱も傾いている", 100, 100, 380, 130),
                         word("。", 380, 100, 392, 130), word("鏡面", 430, 100, 490, 130)}),
              "支柱も傾いている。鏡面");
    EXPECT_EQ(joinWords({word("割れ", 100, 100, 160, 130), word("、", 160, 100, 170, 130),
                         word("支柱", 205, 100, 265, 130)}),
              "割れ、支柱");
}

TEST(OcrTextTest, EmptyWordsAreLeftOut) {
    EXPECT_EQ(joinWords({word("", 100, 100, 102, 130), word("区", 110, 100, 140, 130)}), "区");
    EXPECT_EQ(joinWords({}), "");
}

TEST(OcrTextTest, JapaneseCharactersAreTold) {
    for (char32_t c : {U'あ', U'ア', U'ー', U'漢', U'、', U'（', U'Ａ', U'ｱ', U'𠮷'})
        EXPECT_TRUE(isJapaneseCharacter(c)) << static_cast<unsigned>(c);
    for (char32_t c : {U'A', U'7', U'(', U' ', U'é'})
        EXPECT_FALSE(isJapaneseCharacter(c)) << static_cast<unsigned>(c);
}

TEST(OcrTextTest, AMissedHeadingGoesBeforeTheLinesBelowIt) {
    std::vector<Line> lines = {line("みどり市長 様", 100, 300, 400, 340),
                               line("申請日 令和7年5月20日", 100, 360, 600, 400)};
    insertInReadingOrder(lines, line("カーブミラー設置要望書", 300, 150, 800, 200));
    EXPECT_EQ(textsOf(lines), (std::vector<std::string>{"カーブミラー設置要望書", "みどり市長 様",
                                                        "申請日 令和7年5月20日"}));
    insertInReadingOrder(lines, line("受付 5月22日", 100, 500, 400, 540));
    EXPECT_EQ(textsOf(lines).back(), "受付 5月22日");
    insertInReadingOrder(lines, line("担当課 建設部", 100, 420, 400, 460));
    EXPECT_EQ(textsOf(lines)[3], "担当課 建設部");
}

TEST(OcrTextTest, OnAVerticalPageLinesGoFromRightToLeft) {
    std::vector<Line> lines = {line("防火水槽の点検のお知らせ", 900, 100, 950, 800),
                               line("秋の火災予防運動に", 700, 100, 740, 900)};
    insertInReadingOrder(lines, line("令和七年十月五日", 800, 100, 840, 700));
    EXPECT_EQ(textsOf(lines), (std::vector<std::string>{"防火水槽の点検のお知らせ",
                                                        "令和七年十月五日", "秋の火災予防運動に"}));
}

}  // namespace
}  // namespace kiroku::plugins::ocr
