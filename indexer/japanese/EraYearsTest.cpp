#include "japanese/EraYears.h"

#include "kiroku/indexer/FiscalYears.h"
#include "kiroku/indexer/Normaliser.h"

#include <gtest/gtest.h>

using namespace kiroku::indexer;

namespace {
std::u32string n(const char* t) { return normalise(t).text; }
}  // namespace

TEST(EraYears, FiscalYearsFromNamesAndText) {
    EXPECT_EQ(fiscalYearIn(n("令和5年度_定期総会議事録.txt")), 2023);
    EXPECT_EQ(fiscalYearIn(n("役員会議事録_R4_第2回.txt")), 2022);
    EXPECT_EQ(fiscalYearIn(n("2023年度 決算")), 2023);
    EXPECT_EQ(fiscalYearIn(n("H30_総会")), 2018);
    EXPECT_EQ(fiscalYearIn(n("第１回役員会（令和７年５月）.pdf")), 2025);
    EXPECT_EQ(fiscalYearIn(n("役員会議事録 令和7年1月.txt")),
              2024);  // January belongs to the previous fiscal year
    EXPECT_EQ(fiscalYearIn(n("ゴミ分別ガイド.txt")), 0);
    EXPECT_EQ(fiscalYearIn(n("hr4x")), 0);
    EXPECT_EQ(fiscalYearIn(n("r100_会計")), 0);
    EXPECT_EQ(fiscalYearIn(n("R4_2023年度")), 2023);  // a year marked 年度 comes first
    EXPECT_EQ(dateYearIn(n("申請日 2024/11/08")), 2024);
    EXPECT_EQ(dateYearIn(n("2024年4月7日")), 2024);
}

// What a person types and what a name says are read by one parser: each spelling the
// server accepts files a document named with it under the same year.
TEST(EraYears, TypedAndFiledYearsAgree) {
    for (const char* r7 : {"R7", "r7", "令和7年度", "令和７年度", "2025年度", "Ｒ７", "ｒ７",
                           "R7年度", "㋿7年度"}) {
        EXPECT_EQ(parseFiscalYear(r7), 2025) << r7;
        EXPECT_EQ(fiscalYearIn(n((std::string(r7) + "_総会議事録.txt").c_str())), 2025) << r7;
    }
    for (const char* h30 : {"H30", "平成30年度", "㍻30年度"}) {
        EXPECT_EQ(parseFiscalYear(h30), 2018) << h30;
        EXPECT_EQ(fiscalYearIn(n((std::string(h30) + "_総会議事録.txt").c_str())), 2018) << h30;
    }
    EXPECT_EQ(parseFiscalYear("令和元年度"), 2019);
    EXPECT_EQ(fiscalYearIn(n("令和元年度_総会議事録.txt")), 2019);
    // A bare number or era year is a fiscal year when typed as one, not in a name.
    EXPECT_EQ(parseFiscalYear("2025"), 2025);
    EXPECT_EQ(parseFiscalYear("令和7"), 2025);
    EXPECT_EQ(fiscalYearIn(n("2025_名簿.txt")), 0);
    for (const char* bad :
         {"", "R", "令和", "R0", "X7", "20255", "abc", "令和7年", "R100", "1899", "3000"}) {
        EXPECT_EQ(parseFiscalYear(bad), 0) << bad;
    }
}
