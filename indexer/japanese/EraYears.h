#pragma once
// Years as Japanese documents and officers write them, read in normalised text
// (Normaliser.h: ASCII digits, lower case, no spaces), internal to the indexer. One
// grammar (yearAt) reads them all: era years (令和5, 令和元年, 平成30年度, 昭和63年), their
// letters (r5, r05, r.5, h30, s63), Western years (2023, 2023年, 2023年度, fy2023) and
// dates (令和6年11月, r6.11, 2024/11/08, 2024-11). The index reads with it the years a
// document names (its year terms) and the fiscal year it is filed under; a query reads
// with it the years a person types; parseFiscalYear (FiscalYears.h), the 年度 filter and
// the server's terms read with it too, so all of them agree. Pure functions, thread-safe.

#include <cstddef>
#include <string>
#include <vector>

namespace kiroku::indexer {

// Era base years: 令和 (r) N is 2018 + N, 平成 (h) N is 1988 + N, 昭和 (s) N is 1925 + N.
// 平成31年 and 令和元年 are both 2019, 昭和64年 and 平成元年 both 1989.
constexpr int kReiwaBase = 2018;
constexpr int kHeiseiBase = 1988;
constexpr int kShowaBase = 1925;

// Western years a spelling may name.
constexpr int kFirstWesternYear = 1900;
constexpr int kLastWesternYear = 2999;

// How a year is written.
enum class YearForm {
    bare,      // a year alone, calendar or fiscal: 2023, 令和5, r5, r05, r.5
    calendar,  // 令和5年, 2023年, r5年
    fiscal,    // 令和5年度, 2023年度, r5年度, fy2023
    date,      // a year and its month: 令和6年11月, r6.11, 2024/11/08, 2024-11, 2024年4月
};

// One spelling of a year, at s[begin, end); the year's own part (令和5, r5, 2023, before
// 年, 年度 or a month) is s[begin, numberEnd).
struct YearSpelling {
    std::size_t begin = 0, numberEnd = 0, end = 0;
    int year = 0;   // the Western year it names: 2023 for 令和5年度, r5 and 2023; 0 for none
    int month = 0;  // 1–12 for a date, else 0
    YearForm form = YearForm::bare;
    bool era = false;  // an era year (令和5, r5), not a Western one (2023, fy2023)

    // The fiscal year (April to March) it names: a date's month decides (令和7年1月 is in
    // 令和6年度); any other spelling names its own year.
    int fiscalYear() const;
};

// The year spelled at s[at…): an era (令和, 平成, 昭和, or the letters r, h, s, which
// must not follow a letter or a digit, optionally with a dot: r.5) with its year N (1 or
// 元 to 99; 昭和 to 64, and s only from 10: s1 is not a year), or fy (after no letter or
// digit) with a Western year, or a Western year (four digits, 1900–2999, after no
// letter, digit or one of -/.,:¥$#+=); then 年度 (fiscal), or 年 with an optional month
// (M月), or a month after '.', '/' or '-' (1–12, not followed by a digit; after '-', only
// with its day: 2024-11-08), or nothing (bare). A year never ends in the middle of a
// number (r100, 20255: none). A bare spelling must not run into a word: after a letter
// year (r5x) or a Western one (2023m, 2023円, 2023人, 2023%) it names none. `year` is 0
// when no year is spelled at `at`.
YearSpelling yearAt(const std::u32string& s, std::size_t at);

// Every year spelled in normalised text, in order, none overlapping.
std::vector<YearSpelling> yearSpellings(const std::u32string& s);

// How an era writes a Western year in normalised text: 令和5, 平成31 and 令和元 and 令和1
// (2019), 昭和64 and 平成元 and 平成1 (1989). Empty before 昭和 (1926) and after 2099.
std::vector<std::u32string> eraNamesOf(int year);

// The fiscal year a normalised name or path names: the first fiscal year written as one
// (令和5年度, 2023年度, r5年度, fy2023), else the first era year written alone (令和5,
// 議事録_r4_第2回), else the fiscal year of the first date (dateYearIn); 0 when none. A
// calendar year (令和5年) or a number alone (2025_名簿) is not a fiscal year here.
int fiscalYearIn(const std::u32string& normalised);

// The fiscal year of the first date in normalised text (令和6年6月3日, 2024年4月7日,
// 2024/11/08, 2024-11-08, r6.11; January to March belong to the year before); 0 when none.
int dateYearIn(const std::u32string& normalised);

}  // namespace kiroku::indexer
