#pragma once
// The years a document spells, as terms (internal to the indexer): every spelling of a
// year that EraYears reads (令和5年度, R05, 2023, FY2023, 平成31年, 令和6年11月 …) in its
// folders, its name or its content becomes one term for the year it names (XN2023) and,
// for a date, one for its month (XM202411), so a query for any spelling finds all the
// others by a posting list, and a document filed in 会計/令和5年度/ is found by R5. The
// same terms, space-separated, are kept in the document's kYearsSlot, where a check
// reads them. Pure functions, thread-safe.

#include <xapian.h>

#include <string>
#include <vector>

namespace kiroku::indexer {

// The term of a year (2023 -> "XN2023") and of a month (2024, 11 -> "XM202411").
std::string yearTerm(int year);
std::string monthTerm(int year, int month);

// Adds the year terms of a document's normalised folders (its path without the name),
// name and content to `doc`, each within-document frequency counting a spelling in the
// name `nameWeight` times and elsewhere once, and returns them in term order,
// space-separated (empty when it spells none).
std::string addYearTerms(Xapian::Document& doc, const std::u32string& folders,
                         const std::u32string& name, const std::u32string& content,
                         Xapian::termcount nameWeight);

// Whether `years` (as addYearTerms returned it) holds `term`.
bool holdsYearTerm(const std::string& years, const std::string& term);

// The terms of a query term that is a year and nothing else (r5, 2023, 令和5年度,
// fy2023: its year term; r6.11, 令和6年11月: its month term); none otherwise.
std::vector<std::string> yearTermsOf(const std::u32string& normalisedTerm);

}  // namespace kiroku::indexer
