#pragma once
// 年度 (the Japanese fiscal year, April to March, named by the year it starts in) as
// people write it: 令和7年度, 令和元年度, 平成30年度, 2025年度, R7, R07, R.7, H30, S63,
// FY2025, in any width or case (Ｒ７, ２０２５), ㋿ and ㍻ too. One parser (the indexer's
// year grammar) reads what a person types (the server's terms and its search filter),
// the names of documents (the fiscal year the index files them under) and the years in
// a query and in documents' text, so that `--year R7` finds what was filed under
// 令和7年度. It is in the indexer's public interface because the server parses with it
// too and the indexer may not depend on the server. Pure, thread-safe.

#include <string_view>

namespace kiroku::indexer {

// The fiscal year `text` names, as a whole (after normalisation: spaces do not count),
// as its Western starting year (令和7年度 -> 2025); 0 when it names none. Accepted: an
// era (令和 or R: 2018 + N; 平成 or H: 1988 + N; 昭和 or S: 1925 + N, to 64) with its
// year N from 1 (元) to 99, written R7, R07 or R.7 too, or a Western year from 1900 to
// 2999 (FY2025 too), each with or without 年度. Not accepted: a calendar year (令和7年),
// a date (R7.5), anything else around it.
int parseFiscalYear(std::string_view text);

// The fiscal year a document's path names in its name or folders, as the index files it
// under (令和5年度, R5, 2023年度, H30, FY2023, 令和5, else the fiscal year of a date such
// as 2023年5月 or R5.5); 0 when it names none (the index then reads the document's text,
// then its date).
int fiscalYearInPath(std::string_view path);

}  // namespace kiroku::indexer
