#include "core/Printable.h"

#include <gtest/gtest.h>

using namespace kiroku;

TEST(Printable, ControlCharactersCannotForgeLinesOrDriveATerminal) {
    EXPECT_EQ(printable("yamada\r\n2026-01-01 admin ok acl-grant"),
              "yamada??2026-01-01 admin ok acl-grant");
    EXPECT_EQ(printable("\x1b[2J\x1b]0;owned\x07"), "?[2J?]0;owned?");
    EXPECT_EQ(printable("a\x7f"
                        "b\xc2\x9b"
                        "c"),
              "a?b?c");  // DEL and C1 (CSI)
    EXPECT_EQ(printable("bad \xff\xfe utf-8"), "bad ?? utf-8");
}

TEST(Printable, JapaneseIsKeptAndLongTextIsCutOnACharacter) {
    EXPECT_EQ(printable("山田 太郎"), "山田 太郎");
    std::string cut = printable(std::string(3000, 'x'), 64);
    EXPECT_LE(cut.size(), 64u + 3);
    EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");
    std::string jp = printable("漢字漢字漢字", 7);  // two characters fit, the third does not
    EXPECT_EQ(jp, "漢字\xE2\x80\xA6");
}
