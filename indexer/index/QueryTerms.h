#pragma once
// How a typed query becomes index terms. Internal to the indexer. Pure functions,
// thread-safe.
//
// Query syntax: words separated by spaces (any Unicode space) are ANDed; "quoted text"
// (also “…” or ＂…＂) is one term; -word excludes. Every term is normalised like the
// documents; a query never fails to parse: what normalises to nothing is ignored.

#include <xapian.h>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "index/FrequentBigrams.h"
#include "kiroku/indexer/Normaliser.h"

namespace kiroku::indexer {

struct QueryTerm {
    std::vector<std::u32string> variants;  // normalised; a document may contain any one
};

struct ParsedQuery {
    std::vector<QueryTerm> include;
    std::vector<QueryTerm> exclude;
};

ParsedQuery parseQuery(std::string_view text, const NormaliseOptions& options = {});

// The term itself plus the same with era years and Western years swapped
// (令和6年 <-> 2024年, 平成30年 <-> 2018年, 令和元年 <-> 2019年).
std::vector<std::u32string> eraVariants(const std::u32string& term);

// How documents are indexed: every pair of neighbouring normalised characters is a
// term (UTF-8 of both), and the last character of a text is paired with an end marker,
// so that every occurrence of a character starts a term.
constexpr char32_t kEndOfText = 0x110000;  // beyond Unicode; written as the byte 0xFF
std::string bigramTerm(char32_t first, char32_t second);

// The Xapian query for the documents that may contain one of the variants: all of a
// variant's bigrams, leaving out the frequent ones (not posted for content; every
// document when nothing is left), which still add weight where a name has them.
// Exact for variants of one or two characters that need no frequent bigram; other
// candidates must be checked against the text (needsCheck).
// Each unit that adds weight — a bigram term, or what a single character expands to
// (the terms that begin with it, as one synonym) — is passed through `weigh`, which
// scales it (index/ScopedWeight.h). `name` names the unit: the bigram term itself, or
// kExpansionMark followed by the character for an expansion.
using Weigh = std::function<Xapian::Query(const Xapian::Query& unit, const std::string& name)>;
constexpr char kExpansionMark = '\xFF';  // never the first byte of a term (not UTF-8)
Xapian::Query termQuery(const QueryTerm& term, const FrequentBigrams& frequent, const Weigh& weigh);
bool needsCheck(const QueryTerm& term, const FrequentBigrams& frequent);

}  // namespace kiroku::indexer
