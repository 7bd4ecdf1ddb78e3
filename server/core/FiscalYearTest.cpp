#include "core/FiscalYear.h"

#include <gtest/gtest.h>

using namespace kiroku;

TEST(FiscalYear, ParsesEraAndWesternNames) {
    for (const char* r7 :
         {"R7", "r7", "令和7年度", "令和７年度", "2025", "2025年度", "２０２５", "Ｒ７", "ｒ７"}) {
        auto fy = FiscalYear::parse(r7);
        ASSERT_TRUE(fy) << r7;
        EXPECT_EQ(fy->year, 2025) << r7;
        EXPECT_EQ(fy->first().str(), "2025-04-01");
        EXPECT_EQ(fy->last().str(), "2026-03-31");
    }
    EXPECT_EQ(FiscalYear::parse("令和元年度")->year, 2019);
    EXPECT_EQ(FiscalYear::parse("H30")->year, 2018);
    EXPECT_EQ(FiscalYear::parse("平成30年度")->year, 2018);
    for (const char* bad : {"", "R", "令和", "R0", "X7", "20255", "abc", "令和7年"}) {
        EXPECT_FALSE(FiscalYear::parse(bad)) << bad;
    }
    EXPECT_EQ(FiscalYear{2025}.japanese(), "令和7年度");
}

TEST(FiscalYear, ContainingDateFlipsOnAprilFirst) {
    EXPECT_EQ(FiscalYear::containing(*Date::parse("2026-03-31")).year, 2025);
    EXPECT_EQ(FiscalYear::containing(*Date::parse("2026-04-01")).year, 2026);
}

TEST(Date, ParsesAndCounts) {
    EXPECT_FALSE(Date::parse("2025-02-29"));
    EXPECT_TRUE(Date::parse("2024-02-29"));
    EXPECT_FALSE(Date::parse("2025-13-01"));
    EXPECT_FALSE(Date::parse("25-01-01"));
    EXPECT_EQ(Date::parse("2026-03-31")->plusDays(30).str(), "2026-04-30");
    EXPECT_EQ(Date::parse("2026-03-01")->plusDays(-1).str(), "2026-02-28");
    EXPECT_EQ(Date::parse("2025-12-31")->plusDays(1).str(), "2026-01-01");
}
