// nearestName counts edits in characters (code points), not bytes, and only suggests a
// name that is close.
#include "names/NearestName.h"

#include <gtest/gtest.h>

using kiroku::nearestName;

TEST(NearestName, OneKanjiOffIsOneEdit) {
    // 薄 and 簿 differ in two of their three UTF-8 bytes: by bytes they would be two apart,
    // more than a two-character name allows.
    EXPECT_EQ(nearestName("名薄", {"回覧", "名簿", "議事録"}), "名簿");
    EXPECT_EQ(nearestName("議時録", {"会計", "議事録"}), "議事録");
    EXPECT_EQ(nearestName("桜ヶ丘自治会", {"緑町自治区", "桜ヶ丘自治区"}), "桜ヶ丘自治区");
}

TEST(NearestName, MissingOrExtraCharacters) {
    EXPECT_EQ(nearestName("議事", {"議事録"}), "議事録");
    EXPECT_EQ(nearestName("kaikeii", {"kaikei", "kairan"}), "kaikei");
}

TEST(NearestName, NothingWhenNothingIsClose) {
    EXPECT_EQ(nearestName("写真", {"回覧", "名簿", "議事録"}), std::nullopt);
    EXPECT_EQ(nearestName("x", {"y"}), std::nullopt);  // one edit would change it all
    EXPECT_EQ(nearestName("名薄", {}), std::nullopt);
    EXPECT_EQ(nearestName("kaikei", {"kairan"}), std::nullopt);
}

TEST(NearestName, TheClosestAndThenTheFirst) {
    EXPECT_EQ(nearestName("abcdef", {"abcxyz", "abcdex", "abcdxx"}), "abcdex");
    EXPECT_EQ(nearestName("abcdef", {"abcdxf", "abcdex"}), "abcdxf");
}

TEST(NearestName, NothingWhenTheNameExists) {
    EXPECT_EQ(nearestName("名簿", {"名簿", "名薄"}), std::nullopt);
}
