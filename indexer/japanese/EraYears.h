#pragma once
// Years as Japanese documents write them, read in normalised text (Normaliser.h: ASCII
// digits, lower case, no spaces), internal to the indexer: era years (令和6年, 平成30年,
// 令和元年), Western years (2024年), fiscal years (令和7年度, 2025年度, r7, h30) and dates
// (令和7年5月, 2024/11/08). The index reads a document's fiscal year with it, queries
// swap era and Western years with it, and parseFiscalYear (FiscalYears.h) reads what a
// person types with it, so all of them agree. Pure functions, thread-safe.

#include <cstddef>
#include <string>
#include <vector>

namespace kiroku::indexer {

// Era base years: 令和 (r) N is 2018 + N, 平成 (h) N is 1988 + N.
constexpr int kReiwaBase = 2018;
constexpr int kHeiseiBase = 1988;

// "令和6年", "平成30年" (N: digits or 元) or "2024年" (1989–2099) at s[begin, end).
struct YearMention {
    std::size_t begin = 0, end = 0;
    int western = 0;
    bool era = false;
};

// Every year mention in normalised text, in order.
std::vector<YearMention> yearMentions(const std::u32string& s);

// A fiscal year's name at s[at, end): an era (令和, 平成, or the short r, h) and its
// year (1–99, or 元), or a Western year (1900–2999, four digits), either followed by
// 年度 or not (`marked`). year is 0 when there is none at `at`. A name never ends in
// the middle of a number.
struct FiscalYearName {
    int year = 0;
    std::size_t end = 0;
    bool marked = false;  // ends in 年度
    bool short_ = false;  // r or h (a letter, so it must stand apart from words)
};
FiscalYearName fiscalYearAt(const std::u32string& s, std::size_t at);

// The fiscal year a normalised name or path names: the first fiscal year marked 年度
// (令和5年度, 2023年度, r5年度), else the first short one standing apart (議事録_r4_第2回:
// no letter before the r, no letter or digit after the number), else the fiscal year
// of the first date (dateYearIn); 0 when none.
int fiscalYearIn(const std::u32string& normalised);

// The fiscal year of the first date in normalised text (令和6年6月3日, 2024年4月7日,
// 2024/11/08, 2024-11-08; January to March belong to the year before); 0 when none.
int dateYearIn(const std::u32string& normalised);

}  // namespace kiroku::indexer
