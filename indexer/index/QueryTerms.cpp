#include "index/QueryTerms.h"

#include "index/YearTerms.h"
#include "japanese/EraYears.h"
#include "kiroku/indexer/Normaliser.h"
#include "kiroku/indexer/Utf8.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <set>

namespace kiroku::indexer {

namespace {

std::u32string u32(const std::string& ascii) { return std::u32string(ascii.begin(), ascii.end()); }

// The other ways of writing a year's own part (令和5 for 2023, 2023 for r5 …).
std::vector<std::u32string> spellings(const YearSpelling& y, const std::u32string& term) {
    const std::u32string written = term.substr(y.begin, y.numberEnd - y.begin);
    std::vector<std::u32string> out;
    for (auto& name : eraNamesOf(y.year)) {
        if (name != written) out.push_back(std::move(name));
    }
    if (y.era) out.push_back(u32(std::to_string(y.year)));
    return out;
}

// What a snippet marks for a year found by its year term: how it is mostly written.
std::vector<std::u32string> markedSpellings(int year) {
    std::vector<std::u32string> out = eraNamesOf(year);
    out.push_back(u32(std::to_string(year)));
    if (year > kReiwaBase && year <= kReiwaBase + 99) {
        const int n = year - kReiwaBase;
        out.push_back(U"r" + u32(std::to_string(n)));
        if (n < 10) out.push_back(U"r0" + u32(std::to_string(n)));
    }
    return out;
}

}  // namespace

std::vector<std::u32string> eraVariants(const std::u32string& term) {
    std::set<std::u32string> out = {term};
    std::vector<YearSpelling> years;
    for (const auto& y : yearSpellings(term)) {
        if (y.numberEnd < term.size() && term[y.numberEnd] == U'年') years.push_back(y);
    }
    for (const auto& y : years) {
        for (const auto& alt : spellings(y, term)) {
            std::u32string v = term;
            v.replace(y.begin, y.numberEnd - y.begin, alt);
            out.insert(v);
        }
    }
    if (years.size() > 1) {  // every year swapped at once as well
        std::u32string v = term;
        for (auto it = years.rbegin(); it != years.rend(); ++it) {
            auto alts = spellings(*it, term);
            if (!alts.empty()) v.replace(it->begin, it->numberEnd - it->begin, alts.front());
        }
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
        current.append(
            text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
    finish(quoted);
    for (const auto& [raw, wasQuoted] : tokens) {
        std::u32string term = normalise(raw, options).text;
        bool exclude = !wasQuoted && term.size() > 1 && term[0] == U'-';
        if (exclude) term.erase(0, 1);
        if (term.empty()) continue;
        QueryTerm t;
        t.yearTerms = yearTermsOf(term);
        if (t.yearTerms.empty()) {
            t.variants = eraVariants(term);
        } else {
            // A year alone is found by its year term, whichever way a document spells it
            // (r5 within pr5 or ver5 spells none); a number alone by its digits too.
            const YearSpelling y = yearAt(term, 0);
            if (!y.era && y.form == YearForm::bare) t.variants.push_back(term);
            t.marked = markedSpellings(y.year);
            t.marked.push_back(term);
        }
        if (!exclude) {
            for (const auto& y : yearSpellings(term)) {
                const int fiscal = y.fiscalYear();
                if (std::find(parsed.fiscalYears.begin(), parsed.fiscalYears.end(), fiscal) ==
                    parsed.fiscalYears.end())
                    parsed.fiscalYears.push_back(fiscal);
            }
        }
        (exclude ? parsed.exclude : parsed.include).push_back(std::move(t));
    }
    return parsed;
}

std::string bigramTerm(char32_t first, char32_t second) {
    std::string term;
    appendUtf8(term, first);
    appendUtf8(term, second);
    return term;
}

std::string unigramTerm(char32_t c) {
    std::string term;
    appendUtf8(term, c);
    term += '\xFF';
    return term;
}

bool needsCheck(const QueryTerm& term) {
    for (const auto& v : term.variants) {
        if (v.size() > 2) return true;
    }
    return false;
}

Xapian::Query termQuery(const QueryTerm& term, const Weigh& weigh, const Frequency& frequency) {
    auto weighed = [&](const std::string& t) { return weigh(Xapian::Query(t), t); };
    std::vector<Xapian::Query> alternatives;
    for (const auto& t : term.yearTerms) alternatives.push_back(weighed(t));
    for (const auto& v : term.variants) {
        if (v.size() == 1) {
            alternatives.push_back(weighed(unigramTerm(v[0])));
            continue;
        }
        std::set<std::string> bigrams;
        for (std::size_t i = 0; i + 1 < v.size(); ++i) bigrams.insert(bigramTerm(v[i], v[i + 1]));
        if (bigrams.size() == 1) {
            alternatives.push_back(weighed(*bigrams.begin()));
        } else {
            auto rarest = bigrams.begin();
            if (frequency) {
                Xapian::doccount fewest = frequency(*rarest);
                for (auto it = std::next(rarest); it != bigrams.end(); ++it) {
                    const Xapian::doccount n = frequency(*it);
                    if (n < fewest) {
                        fewest = n;
                        rarest = it;
                    }
                }
            }
            std::vector<Xapian::Query> others;
            for (auto it = bigrams.begin(); it != bigrams.end(); ++it) {
                if (it != rarest) others.emplace_back(*it);
            }
            alternatives.push_back(
                Xapian::Query(Xapian::Query::OP_FILTER, weighed(*rarest),
                              Xapian::Query(Xapian::Query::OP_AND, others.begin(), others.end())));
        }
    }
    return alternatives.size() == 1
               ? alternatives.front()
               : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

}  // namespace kiroku::indexer
