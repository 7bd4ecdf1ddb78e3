#include "index/YearTerms.h"

#include "index/Schema.h"
#include "japanese/EraYears.h"

#include <map>

namespace kiroku::indexer {

std::string yearTerm(int year) { return kNamedYearPrefix + std::to_string(year); }

std::string monthTerm(int year, int month) {
    return kNamedMonthPrefix + std::to_string(year) + (month < 10 ? "0" : "") +
           std::to_string(month);
}

std::string addYearTerms(Xapian::Document& doc, const std::u32string& folders,
                         const std::u32string& name, const std::u32string& content,
                         Xapian::termcount nameWeight) {
    // Counted by number (a table of dates spells thousands), made terms once each: a
    // month (YYYYMM) sorts after every year (YYYY), as XM terms sort before XN ones.
    std::map<int, Xapian::termcount> counts;
    auto count = [&](const std::u32string& text, Xapian::termcount weight) {
        for (const auto& y : yearSpellings(text)) {
            counts[y.year] += weight;
            if (y.month) counts[y.year * 100 + y.month] += weight;
        }
    };
    count(folders, 1);
    count(name, nameWeight);
    count(content, 1);
    std::string years;
    auto add = [&](const std::string& term, Xapian::termcount wdf) {
        doc.add_term(term, wdf);
        if (!years.empty()) years += ' ';
        years += term;
    };
    const auto firstYear = counts.lower_bound(10000);
    for (auto it = firstYear; it != counts.end(); ++it)
        add(monthTerm(it->first / 100, it->first % 100), it->second);
    for (auto it = counts.begin(); it != firstYear; ++it) add(yearTerm(it->first), it->second);
    return years;
}

bool holdsYearTerm(const std::string& years, const std::string& term) {
    for (std::size_t at = years.find(term); at != std::string::npos;
         at = years.find(term, at + 1)) {
        const std::size_t end = at + term.size();
        if ((at == 0 || years[at - 1] == ' ') && (end == years.size() || years[end] == ' '))
            return true;
    }
    return false;
}

std::vector<std::string> yearTermsOf(const std::u32string& term) {
    const YearSpelling y = yearAt(term, 0);
    if (!y.year || y.end != term.size()) return {};
    return {y.month ? monthTerm(y.year, y.month) : yearTerm(y.year)};
}

}  // namespace kiroku::indexer
