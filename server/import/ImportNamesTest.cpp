#include "import/ImportNames.h"

#include <gtest/gtest.h>

namespace kiroku::import {
namespace {

TEST(ImportNamesTest, Utf8NamesStayAsTheyAre) {
    auto n = importName(
        "\xE4\xBB\xA4\xE5\x92\x8C"
        "5"
        "\xE5\xB9\xB4\xE5\xBA\xA6.txt");  // 令和5年度.txt
    ASSERT_TRUE(n);
    EXPECT_EQ(
        "\xE4\xBB\xA4\xE5\x92\x8C"
        "5"
        "\xE5\xB9\xB4\xE5\xBA\xA6.txt",
        n->name);
    EXPECT_FALSE(n->fromCp932);
    EXPECT_FALSE(n->adjusted);
}

TEST(ImportNamesTest, Cp932BytesAreRead) {
    // 表計算.xls in CP932: 表 is 0x95 0x5C, a second byte that is ASCII's backslash.
    auto n = importName("\x95\x5C\x8C\x76\x8E\x5A.xls");
    ASSERT_TRUE(n);
    EXPECT_EQ("\xE8\xA1\xA8\xE8\xA8\x88\xE7\xAE\x97.xls", n->name);
    EXPECT_TRUE(n->fromCp932);
    // CP932's own characters: ① (0x87 0x40) and the NEC/IBM extension 髙 (0xFB 0xFC).
    auto circled = importName("\x87\x40\xFB\xFC.txt");
    ASSERT_TRUE(circled);
    EXPECT_EQ("\xE2\x91\xA0\xE9\xAB\x99.txt", circled->name);
}

TEST(ImportNamesTest, NfdNamesBecomeNfc) {
    // ガ as カ + combining dakuten (how a Mac writes it).
    auto n = importName("\xE3\x82\xAB\xE3\x82\x99.txt");
    ASSERT_TRUE(n);
    EXPECT_EQ("\xE3\x82\xAC.txt", n->name);
}

TEST(ImportNamesTest, CharactersWindowsCannotStoreBecomeFullWidth) {
    auto n = importName("Q&A: what?.txt");
    ASSERT_TRUE(n);
    EXPECT_EQ("Q&A\xEF\xBC\x9A what\xEF\xBC\x9F.txt", n->name);
    EXPECT_TRUE(n->adjusted);
    auto dots = importName("memo. ");
    ASSERT_TRUE(dots);
    EXPECT_EQ("memo", dots->name);
    auto device = importName("CON.txt");
    ASSERT_TRUE(device);
    EXPECT_EQ("CON_.txt", device->name);
}

TEST(ImportNamesTest, UnreadableNamesAreRefused) {
    EXPECT_FALSE(importName("\xFF\xFE\xFD"));  // neither UTF-8 nor CP932
    EXPECT_FALSE(
        importName("a\x01"
                   "b"));                             // a control character
    EXPECT_FALSE(importName(std::string(300, 'a')));  // too long
    EXPECT_FALSE(importName(".."));
}

TEST(ImportNamesTest, JunkIsKnown) {
    for (const char* name : {"Thumbs.db", "desktop.ini", ".DS_Store", "._report.docx",
                             "~$report.docx", ".~lock.report.odt#"}) {
        EXPECT_TRUE(isJunk(name, false)) << name;
    }
    for (const char* name : {"$RECYCLE.BIN", "System Volume Information", ".Trashes", "__MACOSX"}) {
        EXPECT_TRUE(isJunk(name, true)) << name;
    }
    EXPECT_FALSE(isJunk("report.docx", false));
    EXPECT_FALSE(isJunk("Thumbs.db", true));  // a folder so named is someone's
    EXPECT_FALSE(isJunk("~report.docx", false));
}

TEST(ImportNamesTest, PrintableEscapesBytesThatAreNoText) {
    EXPECT_EQ("\\x95\\x5C.txt", printable("\x95\x5C.txt"));
    EXPECT_EQ("abc", printable("abc"));
}

}  // namespace
}  // namespace kiroku::import
