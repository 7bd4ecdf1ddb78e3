#pragma once
// How a typed query becomes index terms. Internal to the indexer. Pure functions,
// thread-safe.
//
// Query syntax: words separated by spaces (any Unicode space) are ANDed; "quoted text"
// (also “…” or ＂…＂) is one term; -word excludes. Every term is normalised like the
// documents; a query never fails to parse: what normalises to nothing is ignored.
// A term that is a year and nothing else, however it is written (R5, R05, R.5, 令和5年,
// 平成31年, 2023, 2023年度, FY2023, a date such as R6.11: EraYears.h), matches the
// documents that spell the same year (or month) in any of those ways, by its year term
// (YearTerms.h); a Western number alone (2023) matches its own digits too.

#include <xapian.h>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kiroku/indexer/Normaliser.h"

namespace kiroku::indexer {

// A document matches a term when it contains one of its variants or is indexed with one
// of its year terms; a term has one or the other, or both.
struct QueryTerm {
    std::vector<std::u32string> variants;  // normalised text
    std::vector<std::string> yearTerms;    // YearTerms.h
    std::vector<std::u32string> marked;    // spellings of its year, marked in snippets
};

struct ParsedQuery {
    std::vector<QueryTerm> include;
    std::vector<QueryTerm> exclude;
    // The fiscal years of the years the included terms spell (R5 and 2023年度決算: 2023;
    // r7.1: 2024), in order, once each: documents filed under them rank first.
    std::vector<int> fiscalYears;
};

ParsedQuery parseQuery(std::string_view text, const NormaliseOptions& options = {});

// The term itself plus the same with each year written with 年 (or 年度) in the other
// ways, era and Western (令和6年 <-> 2024年, r6年 -> 令和6年, 平成30年度 <-> 2018年度,
// 令和元年 <-> 平成31年 <-> 2019年), one year at a time and all of them at once.
std::vector<std::u32string> eraVariants(const std::u32string& term);

// How documents are indexed: every pair of neighbouring normalised characters is a
// term (UTF-8 of both), and every character is one too (unigramTerm), so that a search
// for one character reads one posting list.
std::string bigramTerm(char32_t first, char32_t second);
// A character alone: its UTF-8 and the byte 0xFF (never part of UTF-8).
std::string unigramTerm(char32_t c);

// The Xapian query for the documents that may contain one of the variants: a single
// character's term, all of a variant's bigrams (every bigram is posted), or one of its
// year terms (exact, weighed as a term). Exact for variants of one or two characters;
// the candidates of longer ones must be checked against the text (needsCheck).
// Each unit that adds weight (a term) is passed through `weigh`, which scales it
// (index/ScopedWeight.h); `name` is the term.
using Weigh = std::function<Xapian::Query(const Xapian::Query& unit, const std::string& name)>;
// How many documents (that the person may read) hold an index term.
using Frequency = std::function<Xapian::doccount(const std::string& name)>;
// A variant of several bigrams is weighed by the rarest of them (`frequency`; by the
// first when none is given), the others only filter: its score follows how often the
// variant occurs as closely as any one bigram can, at a third of the cost of weighing
// them all for every candidate (issue 14).
Xapian::Query termQuery(const QueryTerm& term, const Weigh& weigh,
                        const Frequency& frequency = nullptr);
bool needsCheck(const QueryTerm& term);

}  // namespace kiroku::indexer
