#include "japanese/EraYears.h"

#include <string_view>

namespace kiroku::indexer {

namespace {

bool isDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool isLetter(char32_t c) { return c >= U'a' && c <= U'z'; }

// Reads up to `maxDigits` ASCII digits at s[i], moving i past them; -1 when there are none.
int readNumber(const std::u32string& s, std::size_t& i, int maxDigits) {
    int n = 0, digits = 0;
    while (i < s.size() && isDigit(s[i]) && digits < maxDigits) {
        n = n * 10 + static_cast<int>(s[i] - U'0');
        ++i;
        ++digits;
    }
    return digits ? n : -1;
}

// A month (1–12, one or two digits, not followed by a digit) at s[i], moving i past it;
// 0 (and i unmoved) when there is none.
int readMonth(const std::u32string& s, std::size_t& i) {
    std::size_t j = i;
    int m = readNumber(s, j, 2);
    if (m < 1 || m > 12 || (j < s.size() && isDigit(s[j]))) return 0;
    i = j;
    return m;
}

struct Era {
    std::u32string_view name;
    char32_t letter;
    int base;
    int last;       // the last year N read with it
    int lastNamed;  // the last Western year written with it (平成31 = 令和元 = 2019)
};
constexpr Era kEras[] = {{U"令和", U'r', kReiwaBase, 99, 2099},
                         {U"平成", U'h', kHeiseiBase, 99, 2019},
                         {U"昭和", U's', kShowaBase, 64, 1989}};

// Before a Western year: the number it would be part of (0000-00-2023, 2,023, no.2023).
bool continuesNumber(char32_t c) {
    return isDigit(c) || std::u32string_view(U"-/.,:¥$#+=").find(c) != std::u32string_view::npos;
}

// After a Western number alone: what makes it a count, an amount or a measure.
bool countsSomething(char32_t c) {
    return isLetter(c) ||
           std::u32string_view(U"%円万千百億名人件個枚部世戸台基冊本回号番歳才分秒時日月点票通")
                   .find(c) != std::u32string_view::npos;
}

int fiscalOf(int year, int month) { return month >= 1 && month < 4 ? year - 1 : year; }

}  // namespace

int YearSpelling::fiscalYear() const { return month ? fiscalOf(year, month) : year; }

YearSpelling yearAt(const std::u32string& s, std::size_t at) {
    if (at >= s.size()) return {};
    const char32_t before = at > 0 ? s[at - 1] : 0;
    std::size_t i = at;
    const Era* era = nullptr;
    bool letter = false, fy = false;
    for (const auto& e : kEras) {
        if (s.compare(at, e.name.size(), e.name) == 0) {
            era = &e;
            i += e.name.size();
            break;
        }
    }
    if (!era && !isLetter(before) && !isDigit(before)) {
        for (const auto& e : kEras) {
            if (s[at] == e.letter) era = &e;
        }
        fy = !era && s.compare(at, 2, U"fy") == 0;
        letter = era || fy;
        if (letter) i += fy ? 2 : 1;
        if (letter && i < s.size() && s[i] == U'.') ++i;  // r.5
    }
    YearSpelling y;
    y.begin = at;
    if (era) {
        int n = -1;
        if (i < s.size() && s[i] == U'元') {
            n = 1;
            ++i;
        } else {
            n = readNumber(s, i, 2);
        }
        if (n < 1 || n > era->last) return {};
        // s1, s2: sheets and samples far more often than 昭和 1926 and 1927.
        if (letter && era->letter == U's' && n < 10) return {};
        y.year = era->base + n;
        y.era = true;
    } else {
        if (!fy && (continuesNumber(before) || isLetter(before))) return {};  // x2023
        const std::size_t start = i;
        const int w = readNumber(s, i, 4);
        if (i - start != 4 || w < kFirstWesternYear || w > kLastWesternYear) return {};
        y.year = w;
    }
    if (i < s.size() && isDigit(s[i])) return {};  // r100, 20255: not a year here
    y.numberEnd = i;
    if (s.compare(i, 2, U"年度") == 0) {
        y.form = YearForm::fiscal;
        y.end = i + 2;
        return y;
    }
    if (fy) {  // fy2023: a fiscal year, and nothing else may follow
        if (i < s.size() && isLetter(s[i])) return {};
        y.form = YearForm::fiscal;
        y.end = i;
        return y;
    }
    if (i < s.size() && s[i] == U'年') {
        std::size_t j = i + 1;
        const int m = readMonth(s, j);
        if (m && j < s.size() && s[j] == U'月') {
            y.form = YearForm::date;
            y.month = m;
            y.end = j + 1;
        } else {
            y.form = YearForm::calendar;
            y.end = i + 1;
        }
        return y;
    }
    if (i + 1 < s.size() && (s[i] == U'.' || s[i] == U'/' || s[i] == U'-')) {
        std::size_t j = i + 1;
        const int m = readMonth(s, j);
        // 2024-11-08 is a date, 2023-2 rather a number (the second of 2023): after '-', a
        // month needs its day.
        std::size_t k = j + 1;
        const bool dated =
            s[i] != U'-' || (m && j < s.size() && s[j] == U'-' && readNumber(s, k, 2) >= 1 &&
                             (k == s.size() || !isDigit(s[k])));
        if (m && dated) {
            y.form = YearForm::date;
            y.month = m;
            y.end = j;
            return y;
        }
    }
    const char32_t after = i < s.size() ? s[i] : 0;
    if (letter && isLetter(after)) return {};  // r5x: a word
    if (!era &&
        (countsSomething(after) || (after == U'.' && i + 1 < s.size() && isDigit(s[i + 1]))))
        return {};  // 2023円, 2023.5
    y.form = YearForm::bare;
    y.end = i;
    return y;
}

std::vector<YearSpelling> yearSpellings(const std::u32string& s) {
    std::vector<YearSpelling> out;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = s[i];
        // Only these start a year; anything else is passed by one comparison or two.
        const bool may = isDigit(c) ? i == 0 || !isDigit(s[i - 1])
                                    : c == U'令' || c == U'平' || c == U'昭' || c == U'r' ||
                                          c == U'h' || c == U's' || c == U'f';
        if (may) {
            YearSpelling y = yearAt(s, i);
            if (y.year) {
                out.push_back(y);
                i = y.end;
                continue;
            }
        }
        ++i;
    }
    return out;
}

std::vector<std::u32string> eraNamesOf(int year) {
    std::vector<std::u32string> out;
    for (const auto& e : kEras) {
        const int n = year - e.base;
        if (n < 1 || year > e.lastNamed) continue;
        const std::string digits = std::to_string(n);
        out.push_back(std::u32string(e.name) + std::u32string(digits.begin(), digits.end()));
        if (n == 1) out.push_back(std::u32string(e.name) + U"元");
    }
    return out;
}

int fiscalYearIn(const std::u32string& s) {
    const std::vector<YearSpelling> years = yearSpellings(s);
    for (const auto& y : years) {
        if (y.form == YearForm::fiscal) return y.year;
    }
    for (const auto& y : years) {
        if (y.form == YearForm::bare && y.era) return y.year;
    }
    for (const auto& y : years) {
        if (y.form == YearForm::date) return y.fiscalYear();
    }
    return 0;
}

int dateYearIn(const std::u32string& s) {
    for (const auto& y : yearSpellings(s)) {
        if (y.form == YearForm::date) return y.fiscalYear();
    }
    return 0;
}

}  // namespace kiroku::indexer
