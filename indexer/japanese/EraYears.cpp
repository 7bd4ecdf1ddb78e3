#include "japanese/EraYears.h"

#include <string_view>
#include <utility>

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

// Reads an era year's number (digits, or 元 for the first year) at s[i]; -1 when none.
int readEraNumber(const std::u32string& s, std::size_t& i, int maxDigits) {
    if (i < s.size() && s[i] == U'元') {
        ++i;
        return 1;
    }
    return readNumber(s, i, maxDigits);
}

constexpr std::pair<std::u32string_view, int> kEras[] = {{U"令和", kReiwaBase},
                                                         {U"平成", kHeiseiBase}};

int fiscalOf(int year, int month) { return month >= 1 && month < 4 ? year - 1 : year; }

// Month after a year mention ("5月" at s[i]), or 0.
int monthAt(const std::u32string& s, std::size_t i) {
    int m = readNumber(s, i, 2);
    return m >= 1 && m <= 12 && i < s.size() && s[i] == U'月' ? m : 0;
}

}  // namespace

std::vector<YearMention> yearMentions(const std::u32string& s) {
    std::vector<YearMention> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        for (const auto& [era, base] : kEras) {
            if (s[i] != era[0] || s.compare(i, era.size(), era) != 0) continue;
            std::size_t j = i + era.size();
            int n = readEraNumber(s, j, 3);
            if (n > 0 && j < s.size() && s[j] == U'年') out.push_back({i, j + 1, base + n, true});
        }
        if (isDigit(s[i]) && (i == 0 || !isDigit(s[i - 1])) && i + 4 < s.size() &&
            isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3]) && s[i + 4] == U'年') {
            int y = static_cast<int>((s[i] - U'0') * 1000 + (s[i + 1] - U'0') * 100 +
                                     (s[i + 2] - U'0') * 10 + (s[i + 3] - U'0'));
            if (y >= 1989 && y <= 2099) out.push_back({i, i + 5, y, false});
        }
    }
    return out;
}

FiscalYearName fiscalYearAt(const std::u32string& s, std::size_t at) {
    FiscalYearName name;
    std::size_t i = at;
    int base = 0;
    for (const auto& [era, eraBase] : kEras) {
        if (s.compare(i, era.size(), era) == 0) {
            base = eraBase;
            i += era.size();
            break;
        }
    }
    if (!base && i < s.size() && (s[i] == U'r' || s[i] == U'h')) {
        base = s[i] == U'r' ? kReiwaBase : kHeiseiBase;
        name.short_ = true;
        ++i;
    }
    if (base) {
        int n = readEraNumber(s, i, 2);
        if (n < 1) return {};
        name.year = base + n;
    } else {
        int y = readNumber(s, i, 4);
        if (i - at != 4 || y < 1900 || y > 2999) return {};
        name.year = y;
    }
    if (i < s.size() && isDigit(s[i])) return {};  // 令和100, 20255: not a name here
    name.marked = s.compare(i, 2, U"年度") == 0;
    name.end = name.marked ? i + 2 : i;
    return name;
}

int fiscalYearIn(const std::u32string& s) {
    auto apart = [&](std::size_t i) {
        return i == 0 || !isLetter(s[i - 1]);
    };  // a short name's letter
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && isDigit(s[i]) && isDigit(s[i - 1])) continue;  // the middle of a number
        FiscalYearName name = fiscalYearAt(s, i);
        if (name.year && name.marked && (!name.short_ || apart(i))) return name.year;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((s[i] != U'r' && s[i] != U'h') || !apart(i)) continue;
        FiscalYearName name = fiscalYearAt(s, i);
        if (name.year && (name.end == s.size() || !isLetter(s[name.end]))) return name.year;
    }
    return dateYearIn(s);
}

int dateYearIn(const std::u32string& s) {
    for (const auto& m : yearMentions(s)) {
        if (int month = monthAt(s, m.end)) return fiscalOf(m.western, month);
    }
    // 2024/11/08 or 2024-11-08
    for (std::size_t i = 0; i + 6 < s.size(); ++i) {
        if (!(isDigit(s[i]) && isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3])))
            continue;
        if (i > 0 && isDigit(s[i - 1])) continue;
        char32_t sep = s[i + 4];
        if (sep != U'/' && sep != U'-') continue;
        std::size_t j = i;
        int y = readNumber(s, j, 4);
        ++j;  // the separator
        int m = readNumber(s, j, 2);
        if (y >= 1989 && y <= 2099 && m >= 1 && m <= 12 && j < s.size() && s[j] == sep)
            return fiscalOf(y, m);
    }
    return 0;
}

}  // namespace kiroku::indexer
