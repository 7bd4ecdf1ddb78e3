#pragma once
// 年度 (the Japanese fiscal year, April to March, named by the year it starts in) as
// people write it: 令和7年度, 令和元年度, 平成30年度, 2025年度, R7, H30, in any width or
// case (Ｒ７, ２０２５), ㋿ and ㍻ too. One parser reads both what a person types (the
// server's terms and its search filter) and the names of documents (the fiscal year the
// index files them under), so that `--year R7` finds what was filed under 令和7年度.
// It is in the indexer's public interface because the server parses with it too and the
// indexer may not depend on the server. Pure, thread-safe.

#include <string_view>

namespace kiroku::indexer {

// The fiscal year `text` names, as a whole (after normalisation: spaces do not count),
// as its Western starting year (令和7年度 -> 2025); 0 when it names none. Accepted: an
// era (令和 or R: 2018 + N; 平成 or H: 1988 + N) with its year N from 1 (元) to 99, or a
// Western year from 1900 to 2999, each with or without 年度. Not accepted: a calendar
// year (令和7年), anything else around it.
int parseFiscalYear(std::string_view text);

// The fiscal year a document's path names in its name or folders, as the index files it
// under (令和5年度, R5, 2023年度, H30, else the fiscal year of a date such as 2023年5月);
// 0 when it names none (the index then reads the document's text, then its date).
int fiscalYearInPath(std::string_view path);

}  // namespace kiroku::indexer
