#include "http/UserContent.h"

#include <gtest/gtest.h>

using namespace kiroku;

TEST(UserContent, PagesScriptsAndImagesThatRunAreDownloaded) {
    for (const char* t :
         {"text/html", "TEXT/HTML; charset=utf-8", "application/xhtml+xml", "image/svg+xml",
          "application/xml", "text/xml", "application/javascript", "application/rss+xml"}) {
        EXPECT_TRUE(isActiveContent(t)) << t;
    }
    for (const char* t :
         {"text/plain", "application/pdf", "image/png", "application/zip", "text/csv"}) {
        EXPECT_FALSE(isActiveContent(t)) << t;
    }
}

TEST(UserContent, TextGetsTheCharsetOfItsBytes) {
    EXPECT_EQ(declaredType("text/plain", "議事録"), "text/plain; charset=utf-8");
    EXPECT_EQ(declaredType("text/plain", "plain ascii"), "text/plain; charset=utf-8");
    EXPECT_EQ(declaredType("text/csv", "\x8b\x63\x8e\x96\x98\x5e"),
              "text/csv; charset=shift_jis");  // 議事録 in Shift_JIS
    std::string cut = "議事録";
    EXPECT_EQ(declaredType("text/plain", cut.substr(0, cut.size() - 1)),
              "text/plain; charset=utf-8");
    EXPECT_EQ(declaredType("text/plain; charset=utf-8", std::string("\xff\xfe"
                                                                    "a\0",
                                                                    4)),
              "text/plain; charset=utf-16");
    EXPECT_EQ(declaredType("application/pdf", "%PDF"), "application/pdf");
}

TEST(UserContent, EveryFileIsSandboxedAndNotSniffed) {
    Poco::Net::HTTPResponse r;
    setUserContentHeaders(r, "お知らせ.html", "text/html", "<script>alert(1)</script>");
    EXPECT_EQ(r.get("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(r.get("Content-Security-Policy").find("sandbox"), std::string::npos);
    EXPECT_EQ(r.get("Content-Disposition"),
              "attachment; filename*=UTF-8''%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B.html");
    EXPECT_EQ(r.getContentType(), "text/html; charset=utf-8");
    Poco::Net::HTTPResponse pdf;
    setUserContentHeaders(pdf, "a.pdf", "application/pdf", "%PDF-1.7");
    EXPECT_FALSE(pdf.has("Content-Disposition"));
    EXPECT_EQ(pdf.get("X-Content-Type-Options"), "nosniff");
}
