// The web pages' pure parts: how values are written for people (Format.h) and how
// templates escape what they show (Renderer.h).

#include "messages/Messages.h"
#include "web/Format.h"
#include "web/Renderer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace kiroku {
// The files of web/, built into the program (server/CMakeLists.txt).
const std::vector<std::pair<std::string, std::string>>& webFiles();
}  // namespace kiroku

using namespace kiroku;
using namespace kiroku::web;

namespace {
using Files = std::vector<std::pair<std::string, std::string>>;
}  // namespace

TEST(WebFormat, DatesInTheEraWithTheWeekday) {
    EXPECT_EQ(dateText(2026, 4, 1, "ja"), "令和8年4月1日（水）");
    EXPECT_EQ(dateText(2019, 5, 1, "ja"), "令和元年5月1日（水）");
    EXPECT_EQ(dateText(2019, 4, 30, "ja"), "平成31年4月30日（火）");
    EXPECT_EQ(dateText(1989, 1, 7, "ja"), "昭和64年1月7日（土）");
    EXPECT_EQ(dateText(2026, 4, 1, "en"), "Wed 1 Apr 2026");
    EXPECT_EQ(dateText(2026, 13, 1, "ja"), "");
}

TEST(WebFormat, FiscalYearsSizesAndKinds) {
    EXPECT_EQ(fiscalYearText(2025, "ja"), "令和7年度");
    EXPECT_EQ(fiscalYearText(2019, "ja"), "令和元年度");
    EXPECT_EQ(fiscalYearText(2018, "ja"), "平成30年度");
    EXPECT_EQ(fiscalYearText(2025, "en"), "FY2025");
    EXPECT_EQ(fiscalYearText(0, "ja"), "");
    EXPECT_EQ(sizeText(0, "ja"), "0 バイト");
    EXPECT_EQ(sizeText(1536, "ja"), "1.5 KB");
    EXPECT_EQ(sizeText(50ull << 20, "en"), "50 MB");
    EXPECT_TRUE(kindOf("決算報告.PDF").pdf);
    EXPECT_TRUE(kindOf("写真.jpg").image);
    EXPECT_EQ(kindOf("名簿.xlsx").code, "web.kind.excel");
    EXPECT_EQ(kindOf("README").code, "web.kind.other");
}

TEST(WebFormat, IsoTimesOfTheAuditLogReadAsLocalDates) {
    EXPECT_EQ(isoDateOfIso("garbage"), "");
    EXPECT_EQ(dateTimeOfIso("garbage", "ja"), "garbage");
    EXPECT_EQ(isoDateOfIso("2026-04-01T12:00:00Z").size(), 10u);
}

TEST(WebFormat, TimesAreShownInTheAssociationsZoneNotTheMachines) {
    // The unit tests run with the default zone, Asia/Tokyo; the machine here is on UTC.
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    EXPECT_EQ(dateTimeOfIso("2027-03-31T15:30:00Z", "ja"), "令和9年4月1日（木） 0:30");
    EXPECT_EQ(dateTimeOfIso("2027-03-31T14:59:00.123Z", "en"), "Wed 31 Mar 2027 23:59");
    EXPECT_EQ(isoDateOfIso("2027-03-31T15:30:00Z"), "2027-04-01");
    EXPECT_EQ(isoDateOfMicros(1806505200LL * 1000000), "2027-04-01");  // 15:00:00Z
    EXPECT_EQ(isoDateOfMicros(1806505200LL * 1000000 - 1), "2027-03-31");
    EXPECT_EQ(dateOfMicros(1806505200LL * 1000000, "en"), "Thu 1 Apr 2027");
    ::unsetenv("TZ");
    ::tzset();
}

TEST(WebRenderer, ValuesAreEscapedForWhereTheyStand) {
    Renderer r(
        Files{{"templates/t.html",
               "{{%AUTOESCAPE context=\"HTML\"}}<p title=\"{{V}}\">{{V}}</p><a href=\"{{U}}\">"
               "{{t:web.site}}</a>"}});
    ctemplate::TemplateDictionary d("t");
    d.SetValue("V", "<img src=x onerror=alert(1)>\"'&");
    d.SetValue("U", "javascript:alert(1)");
    std::string out = r.render("t", "ja", d);
    EXPECT_EQ(out.find("<img"), std::string::npos) << out;
    EXPECT_NE(out.find("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"), std::string::npos)
        << out;
    EXPECT_EQ(out.find("javascript:"), std::string::npos) << out;
    EXPECT_NE(out.find(msg("web.site").ja), std::string::npos);
    EXPECT_NE(r.render("t", "en", d).find(msg("web.site").en), std::string::npos);
}

TEST(WebRenderer, AnUnknownCodeOrTemplateIsAProgrammingError) {
    EXPECT_THROW(Renderer(Files{{"templates/t.html", "{{t:no.such.code}}"}}), std::logic_error);
    Renderer r(Files{{"static/a.css", "body{}"}});
    ctemplate::TemplateDictionary d("t");
    EXPECT_THROW(r.render("missing", "ja", d), std::logic_error);
    ASSERT_NE(r.asset("a.css"), nullptr);
    EXPECT_EQ(r.asset("a.css")->type, "text/css; charset=utf-8");
    EXPECT_EQ(r.asset("../a.css"), nullptr);
}

TEST(WebRenderer, EveryTemplateOfTheProductParsesInBothLanguages) {
    EXPECT_NO_THROW(Renderer{webFiles()});
}
