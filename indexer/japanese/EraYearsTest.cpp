#include "japanese/EraYears.h"

#include "kiroku/indexer/FiscalYears.h"
#include "kiroku/indexer/Normaliser.h"
#include "kiroku/indexer/Utf8.h"

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
    EXPECT_EQ(fiscalYearIn(n("FY2022_決算.pdf")), 2022);
    EXPECT_EQ(fiscalYearIn(n("令和5 決算.pdf")), 2023);  // an era year alone
    EXPECT_EQ(fiscalYearIn(n("回覧_R6.11.pdf")), 2024);  // a date
    EXPECT_EQ(fiscalYearIn(n("回覧_R7.2.pdf")), 2024);
    EXPECT_EQ(fiscalYearIn(n("防犯灯設置要望書_令和6年.docx")), 0);  // a calendar year
    EXPECT_EQ(dateYearIn(n("申請日 2024/11/08")), 2024);
    EXPECT_EQ(dateYearIn(n("2024年4月7日")), 2024);
    EXPECT_EQ(dateYearIn(n("2025年3月31日")), 2024);
    EXPECT_EQ(dateYearIn(n("2024-11-08")), 2024);
    EXPECT_EQ(dateYearIn(n("2025.3.31")), 2024);
}

// Regression: a folder named 2023年度 came after a '/', read as the end of "…/2023".
TEST(EraYears, RegressionYearFolderAfterSlash) {
    EXPECT_EQ(fiscalYearInPath("/桜台自治会/取り込み/2023年度/回覧.txt"), 2023);
    EXPECT_EQ(fiscalYearInPath("/桜台自治会/R5/総会.txt"), 2023);
}

// What a person types and what a name says are read by one parser: each spelling the
// server accepts files a document named with it under the same year.
TEST(EraYears, TypedAndFiledYearsAgree) {
    for (const char* r7 : {"R7", "r7", "R07", "R.7", "令和7年度", "令和７年度", "2025年度", "Ｒ７",
                           "ｒ７", "R7年度", "㋿7年度", "FY2025"}) {
        EXPECT_EQ(parseFiscalYear(r7), 2025) << r7;
        EXPECT_EQ(fiscalYearIn(n((std::string(r7) + "_総会議事録.txt").c_str())), 2025) << r7;
    }
    for (const char* h30 : {"H30", "平成30年度", "㍻30年度", "H30年度", "h.30"}) {
        EXPECT_EQ(parseFiscalYear(h30), 2018) << h30;
        EXPECT_EQ(fiscalYearIn(n((std::string(h30) + "_総会議事録.txt").c_str())), 2018) << h30;
    }
    EXPECT_EQ(parseFiscalYear("令和元年度"), 2019);
    EXPECT_EQ(fiscalYearIn(n("令和元年度_総会議事録.txt")), 2019);
    // A bare number or era year is a fiscal year when typed as one, not in a name.
    EXPECT_EQ(parseFiscalYear("2025"), 2025);
    EXPECT_EQ(parseFiscalYear("令和7"), 2025);
    EXPECT_EQ(fiscalYearIn(n("2025_名簿.txt")), 0);
    EXPECT_EQ(parseFiscalYear("S63"), 1988);
    EXPECT_EQ(parseFiscalYear("平成31年度"), 2019);  // = 令和元年度
    for (const char* bad : {"", "R", "令和", "R0", "X7", "20255", "abc", "令和7年", "R100", "1899",
                            "3000", "R7.5", "令和7年5月", "S65", "FY25"}) {
        EXPECT_EQ(parseFiscalYear(bad), 0) << bad;
    }
}

// Every spelling of issue 13, read by the one grammar: the year it names, how, and the
// fiscal year a date falls in.
TEST(EraYears, EverySpellingOfAYear) {
    struct Row {
        const char* written;
        int year, month;
        YearForm form;
        int fiscal;
    };
    const Row rows[] = {
        {"R5", 2023, 0, YearForm::bare, 2023},
        {"R05", 2023, 0, YearForm::bare, 2023},
        {"R.5", 2023, 0, YearForm::bare, 2023},
        {"Ｒ５", 2023, 0, YearForm::bare, 2023},
        {"ｒ．５", 2023, 0, YearForm::bare, 2023},
        {"令和5", 2023, 0, YearForm::bare, 2023},
        {"令和5年", 2023, 0, YearForm::calendar, 2023},
        {"令和 5 年", 2023, 0, YearForm::calendar, 2023},
        {"令和５年度", 2023, 0, YearForm::fiscal, 2023},
        {"㋿5年度", 2023, 0, YearForm::fiscal, 2023},
        {"R5年度", 2023, 0, YearForm::fiscal, 2023},
        {"令和元年", 2019, 0, YearForm::calendar, 2019},
        {"R元年度", 2019, 0, YearForm::fiscal, 2019},
        {"H30", 2018, 0, YearForm::bare, 2018},
        {"平成30年度", 2018, 0, YearForm::fiscal, 2018},
        {"㍻30年度", 2018, 0, YearForm::fiscal, 2018},
        {"平成31年", 2019, 0, YearForm::calendar, 2019},
        {"平成元年", 1989, 0, YearForm::calendar, 1989},
        {"S63", 1988, 0, YearForm::bare, 1988},
        {"昭和63年度", 1988, 0, YearForm::fiscal, 1988},
        {"昭和64年", 1989, 0, YearForm::calendar, 1989},
        {"昭和5年", 1930, 0, YearForm::calendar, 1930},
        {"2023", 2023, 0, YearForm::bare, 2023},
        {"２０２３", 2023, 0, YearForm::bare, 2023},
        {"2023年", 2023, 0, YearForm::calendar, 2023},
        {"2023年度", 2023, 0, YearForm::fiscal, 2023},
        {"FY2023", 2023, 0, YearForm::fiscal, 2023},
        {"ＦＹ２０２３", 2023, 0, YearForm::fiscal, 2023},
        {"R6.11", 2024, 11, YearForm::date, 2024},
        {"R6/11", 2024, 11, YearForm::date, 2024},
        {"令和6年11月", 2024, 11, YearForm::date, 2024},
        {"令和7年1月", 2025, 1, YearForm::date, 2024},  // January: the fiscal year before
        {"2024/11", 2024, 11, YearForm::date, 2024},    // a day after it is not part of it
        {"2024-11-08", 2024, 11, YearForm::date, 2024},
        {"2024.4", 2024, 4, YearForm::date, 2024},
        {"2024年4月", 2024, 4, YearForm::date, 2024},
    };
    for (const auto& row : rows) {
        const std::u32string s = n(row.written);
        const YearSpelling y = yearAt(s, 0);
        EXPECT_EQ(y.year, row.year) << row.written;
        EXPECT_EQ(y.month, row.month) << row.written;
        EXPECT_EQ(static_cast<int>(y.form), static_cast<int>(row.form)) << row.written;
        // Where the spelling ends: at the month of 2024-11-08, at the end of every other.
        const std::size_t end = std::string(row.written) == "2024-11-08" ? 7 : s.size();
        EXPECT_EQ(y.end, end) << row.written;
        EXPECT_EQ(y.fiscalYear(), row.fiscal) << row.written;
    }
}

// Where a year is not spelled, though the letters or digits are there.
TEST(EraYears, NoYearInsideWordsAndNumbers) {
    for (const char* none :
         {"R",      "R0",     "R100",  "令和100年", "S65",     "pr5",          "ver5",  "r5x",
          "hr4x",   "20255",  "1899",  "3000",      "12023",   "0000-00-2023", "2,023", "no.2023",
          "2023円", "2023名", "2023m", "2023%",     "2023.55", "x2023",        "fy23",  "fy2023x",
          "X7",     "abc",    "s1",    "S05",       ""}) {
        const std::u32string s = n(none);
        std::vector<YearSpelling> found = yearSpellings(s);
        EXPECT_TRUE(found.empty()) << none << " spells " << (found.empty() ? 0 : found[0].year);
    }
    const std::u32string numbered = n("議事録2023-2.docx");  // the second of 2023, not February
    ASSERT_EQ(yearSpellings(numbered).size(), 1u);
    EXPECT_EQ(yearSpellings(numbered)[0].month, 0);
    // In running text, each in its place.
    const std::u32string s = n("議事録_R4_第2回 平成5年 2023円 令和6年11月3日 fy2024");
    std::vector<int> years;
    for (const auto& y : yearSpellings(s)) years.push_back(y.year);
    EXPECT_EQ(years, (std::vector<int>{2022, 1993, 2024, 2024}));
}

TEST(EraYears, EraNamesOfAWesternYear) {
    auto names = [](int year) {
        std::vector<std::string> out;
        for (const auto& name : eraNamesOf(year)) out.push_back(toUtf8(name));
        return out;
    };
    EXPECT_EQ(names(2023), std::vector<std::string>{"令和5"});
    EXPECT_EQ(names(2019), (std::vector<std::string>{"令和1", "令和元", "平成31"}));
    EXPECT_EQ(names(1989), (std::vector<std::string>{"平成1", "平成元", "昭和64"}));
    EXPECT_EQ(names(1988), std::vector<std::string>{"昭和63"});
    EXPECT_TRUE(names(1900).empty());
}
