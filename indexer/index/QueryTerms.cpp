#include "index/QueryTerms.h"

#include "kiroku/indexer/Normaliser.h"
#include "kiroku/indexer/Utf8.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <set>

namespace kiroku::indexer {

namespace {

bool isDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

std::u32string u32(const std::string& ascii) { return std::u32string(ascii.begin(), ascii.end()); }

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
int readEraNumber(const std::u32string& s, std::size_t& i) {
    if (i < s.size() && s[i] == U'元') {
        ++i;
        return 1;
    }
    return readNumber(s, i, 3);
}

struct YearMention {
    std::size_t begin = 0, end = 0;  // [begin, end) covers "令和6年" or "2024年"
    int western = 0;
    bool era = false;
};

// Every "令和N年", "平成N年" and "YYYY年" in normalised text.
std::vector<YearMention> yearMentions(const std::u32string& s) {
    std::vector<YearMention> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        static constexpr std::pair<std::u32string_view, int> kEras[] = {{U"令和", 2018}, {U"平成", 1988}};
        for (const auto& [era, base] : kEras) {
            if (s[i] != era[0] || s.compare(i, era.size(), era) != 0) continue;
            std::size_t j = i + era.size();
            int n = readEraNumber(s, j);
            if (n > 0 && j < s.size() && s[j] == U'年') out.push_back({i, j + 1, base + n, true});
        }
        if (isDigit(s[i]) && (i == 0 || !isDigit(s[i - 1])) && i + 4 < s.size() && isDigit(s[i + 1]) &&
            isDigit(s[i + 2]) && isDigit(s[i + 3]) && s[i + 4] == U'年') {
            int y = static_cast<int>((s[i] - U'0') * 1000 + (s[i + 1] - U'0') * 100 + (s[i + 2] - U'0') * 10 + (s[i + 3] - U'0'));
            if (y >= 1989 && y <= 2099) out.push_back({i, i + 5, y, false});
        }
    }
    return out;
}

std::vector<std::u32string> spellings(const YearMention& m) {
    std::vector<std::u32string> out;
    if (m.era) {
        out.push_back(u32(std::to_string(m.western)) + U"年");
    } else {
        if (m.western >= 2019) {
            out.push_back(U"令和" + u32(std::to_string(m.western - 2018)) + U"年");
            if (m.western == 2019) out.push_back(U"令和元年");
        }
        if (m.western <= 2019) {
            out.push_back(U"平成" + u32(std::to_string(m.western - 1988)) + U"年");
            if (m.western == 1989) out.push_back(U"平成元年");
        }
    }
    return out;
}

int fiscalOf(int year, int month) { return month >= 1 && month < 4 ? year - 1 : year; }

// Month after a year mention ("5月" at s[i]), or 0.
int monthAt(const std::u32string& s, std::size_t i) {
    int m = readNumber(s, i, 2);
    return m >= 1 && m <= 12 && i < s.size() && s[i] == U'月' ? m : 0;
}

}  // namespace

std::vector<std::u32string> eraVariants(const std::u32string& term) {
    std::set<std::u32string> out = {term};
    auto mentions = yearMentions(term);
    for (const auto& m : mentions) {
        for (const auto& alt : spellings(m)) {
            std::u32string v = term;
            v.replace(m.begin, m.end - m.begin, alt);
            out.insert(v);
        }
    }
    if (mentions.size() > 1) {  // every mention swapped at once as well
        std::u32string v = term;
        for (auto it = mentions.rbegin(); it != mentions.rend(); ++it) v.replace(it->begin, it->end - it->begin, spellings(*it).front());
        out.insert(v);
    }
    return {out.begin(), out.end()};
}

ParsedQuery parseQuery(std::string_view text, const NormaliseOptions& options) {
    ParsedQuery parsed;
    std::vector<std::pair<std::string, bool>> tokens;  // raw token, quoted
    std::string current;
    bool quoted = false;
    auto finish = [&](bool wasQuoted) {
        if (!current.empty()) tokens.emplace_back(current, wasQuoted);
        current.clear();
    };
    const auto* p = reinterpret_cast<const uint8_t*>(text.data());
    const auto n = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < n;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) continue;
        bool quote = c == U'"' || c == 0x201C || c == 0x201D || c == 0xFF02;
        if (quote) {
            finish(quoted);
            quoted = !quoted;
            continue;
        }
        if (!quoted && u_isUWhiteSpace(c)) {
            finish(false);
            continue;
        }
        current.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
    finish(quoted);
    for (const auto& [raw, wasQuoted] : tokens) {
        std::u32string term = normalise(raw, options).text;
        bool exclude = !wasQuoted && term.size() > 1 && term[0] == U'-';
        if (exclude) term.erase(0, 1);
        if (term.empty()) continue;
        (exclude ? parsed.exclude : parsed.include).push_back(QueryTerm{eraVariants(term)});
    }
    return parsed;
}

std::string bigramTerm(char32_t first, char32_t second) {
    std::string term;
    appendUtf8(term, first);
    if (second == kEndOfText) {
        term += '\xFF';  // never part of UTF-8
    } else {
        appendUtf8(term, second);
    }
    return term;
}

bool needsCheck(const QueryTerm& term, const FrequentBigrams& frequent) {
    for (const auto& v : term.variants) {
        if (v.size() > 2) return true;
        if (v.size() == 1 && frequent.startsWith(v[0])) return true;
        if (v.size() == 2 && frequent.contains(bigramKey(v[0], v[1]))) return true;
    }
    return false;
}

Xapian::Query termQuery(const QueryTerm& term, const FrequentBigrams& frequent) {
    // Every document, adding no weight of its own: the checks decide. Not a copy of
    // Xapian::Query::MatchAll: a query's reference count is not atomic, and searches run
    // on many threads.
    const Xapian::Query everything(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::string()), 0);
    std::vector<Xapian::Query> alternatives;
    for (const auto& v : term.variants) {
        if (v.size() == 1) {
            // Every occurrence of a character starts a bigram, or the end marker when it
            // is last: all terms that begin with it.
            std::string prefix;
            appendUtf8(prefix, v[0]);
            Xapian::Query starting(Xapian::Query::OP_WILDCARD, prefix);
            alternatives.push_back(frequent.startsWith(v[0])
                                       ? Xapian::Query(Xapian::Query::OP_AND_MAYBE, everything, starting)
                                       : starting);
            continue;
        }
        std::set<std::string> posted, common;
        for (std::size_t i = 0; i + 1 < v.size(); ++i) {
            (frequent.contains(bigramKey(v[i], v[i + 1])) ? common : posted).insert(bigramTerm(v[i], v[i + 1]));
        }
        Xapian::Query select = everything;
        if (posted.size() == 1) {
            select = Xapian::Query(*posted.begin());
        } else if (posted.size() > 1) {
            std::vector<Xapian::Query> all(posted.begin(), posted.end());
            select = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
        }
        if (!common.empty()) {
            std::vector<Xapian::Query> weigh(common.begin(), common.end());
            select = Xapian::Query(Xapian::Query::OP_AND_MAYBE, select,
                                   Xapian::Query(Xapian::Query::OP_OR, weigh.begin(), weigh.end()));
        }
        alternatives.push_back(select);
    }
    return alternatives.size() == 1 ? alternatives.front()
                                    : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

int fiscalYearIn(const std::u32string& s) {
    for (const auto& m : yearMentions(s)) {
        if (m.end < s.size() && s[m.end] == U'度') return m.western;  // 令和5年度, 2023年度
    }
    // r5 / h30 as a separate token (letters are lowercase after normalisation).
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if ((s[i] != U'r' && s[i] != U'h') || (i > 0 && s[i - 1] >= U'a' && s[i - 1] <= U'z')) continue;
        std::size_t j = i + 1;
        int n = readNumber(s, j, 3);
        if (n <= 0 || (j < s.size() && (isDigit(s[j]) || (s[j] >= U'a' && s[j] <= U'z')))) continue;
        return (s[i] == U'r' ? 2018 : 1988) + n;
    }
    return dateYearIn(s);
}

int dateYearIn(const std::u32string& s) {
    for (const auto& m : yearMentions(s)) {
        if (int month = monthAt(s, m.end)) return fiscalOf(m.western, month);
    }
    // 2024/11/08 or 2024-11-08
    for (std::size_t i = 0; i + 6 < s.size(); ++i) {
        if (!(isDigit(s[i]) && isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3]))) continue;
        if (i > 0 && isDigit(s[i - 1])) continue;
        char32_t sep = s[i + 4];
        if (sep != U'/' && sep != U'-') continue;
        std::size_t j = i;
        int y = readNumber(s, j, 4);
        ++j;  // the separator
        int m = readNumber(s, j, 2);
        if (y >= 1989 && y <= 2099 && m >= 1 && m <= 12 && j < s.size() && s[j] == sep) return fiscalOf(y, m);
    }
    return 0;
}

}  // namespace kiroku::indexer
