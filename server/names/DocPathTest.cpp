#include "names/DocPath.h"

#include <gtest/gtest.h>

using kiroku::BadName;
using kiroku::DocPath;

TEST(DocPath, DecodesJapaneseSegments) {
    DocPath p = DocPath::fromUrl("/%E8%AD%B0%E4%BA%8B%E9%8C%B2/a%20b.txt");
    EXPECT_EQ(p.str(), "議事録/a b.txt");
    EXPECT_EQ(p.name(), "a b.txt");
    EXPECT_EQ(p.parent().str(), "議事録");
    EXPECT_EQ(p.urlEncoded(), "%E8%AD%B0%E4%BA%8B%E9%8C%B2/a%20b.txt");
}

TEST(DocPath, RootAndDoubleSlashes) {
    EXPECT_TRUE(DocPath::fromUrl("/").isRoot());
    EXPECT_TRUE(DocPath::fromUrl("").isRoot());
    EXPECT_EQ(DocPath::fromUrl("//a///b/").str(), "a/b");
}

TEST(DocPath, MacDecomposedNameBecomesComposed) {
    // "が" as か + combining voiced mark (NFD, as macOS sends it) and as one code point.
    std::string nfd = "\xE3\x81\x8B\xE3\x82\x99.txt";
    std::string nfc = "\xE3\x81\x8C.txt";
    EXPECT_EQ(DocPath::fromText(nfd).str(), nfc);
    EXPECT_EQ(DocPath::fromUrl("/%E3%81%8B%E3%82%99.txt").str(), nfc);
}

TEST(DocPath, RefusesHostileNames) {
    for (const char* raw : {"/a/../b", "/..", "/.", "/a%2Fb", "/a%2fb", "/a%5Cb", "/a%00b",
                            "/a%0Ab", "/bad%zz", "/trailing%", "/a%3Ab", "/a%2Ab", "/a%3Fb", "/con",
                            "/LPT1.txt", "/name.", "/name%20", "/%FF%FE"}) {
        EXPECT_THROW(DocPath::fromUrl(raw), BadName) << raw;
    }
    EXPECT_THROW(DocPath::fromText(std::string(256, 'a')), BadName);
    EXPECT_NO_THROW(DocPath::fromText(std::string(255, 'a')));
    // 86 three-byte characters are 258 bytes: too long.
    std::string longJapanese;
    for (int i = 0; i < 86; ++i) longJapanese += "議";
    EXPECT_THROW(DocPath::fromText(longJapanese), BadName);
}

TEST(DocPath, WithinAndRebase) {
    DocPath a = DocPath::fromText("a/b");
    DocPath c = DocPath::fromText("a/b/c/d");
    EXPECT_TRUE(c.isWithin(a));
    EXPECT_FALSE(a.isWithin(c));
    EXPECT_FALSE(DocPath::fromText("a/bc").isWithin(a));
    EXPECT_EQ(c.rebased(a, DocPath::fromText("x")).str(), "x/c/d");
}

TEST(DocPath, ClientClutterAndCase) {
    EXPECT_TRUE(kiroku::isClientClutter("._議事録.txt"));
    EXPECT_TRUE(kiroku::isClientClutter(".DS_Store"));
    EXPECT_FALSE(kiroku::isClientClutter("議事録.txt"));
    EXPECT_EQ(kiroku::foldCase("ReadMe.TXT"), kiroku::foldCase("readme.txt"));
    EXPECT_EQ(kiroku::foldCase("ＡＢＣ"), kiroku::foldCase("ａｂｃ"));
}

// Regression (security review, finding 14): names Windows cannot use were accepted.
TEST(DocPath, Finding14NamesWindowsCannotUseAreRefused) {
    for (const char* name :
         {"COM0", "LPT0.txt", "com\xC2\xB9.txt", "LPT\xC2\xB3", "con .txt", "CONIN$", "conout$.log",
          "aux", "NUL.tar.gz", "name.", "name ", "report\xE2\x80\xAEtxt.exe",
          "a\xE2\x81\xA6"
          "b",
          "x\xE2\x80\x8F"}) {
        try {
            DocPath::checkName(name);
            ADD_FAILURE() << name << " was accepted";
        } catch (const BadName& e) {
            EXPECT_FALSE(e.hostile()) << name;
            EXPECT_FALSE(e.japanese().empty());
        }
    }
    for (const char* name :
         {"COM10", "console.txt", "LPT", "comics", "nul-file", "会議.txt", "CON-1"}) {
        EXPECT_NO_THROW(DocPath::checkName(name)) << name;
    }
}
