#pragma once
// What a search asks Xapian (internal to the indexer): the query for the terms and the
// filters of a SearchQuery, and the checks it leaves to the stored text. Pure,
// thread-safe.

#include "index/CandidateDecider.h"
#include "index/QueryTerms.h"
#include "kiroku/indexer/SearchIndex.h"

#include <xapian.h>

#include <optional>
#include <vector>

namespace kiroku::indexer {

struct QueryPlan {
    Xapian::Query query;            // selects the candidates
    std::vector<TextCheck> checks;  // decide them (their `known` still empty)
    std::vector<int> rankFirst;     // fiscal years typed: their documents rank first
};

// Every included term selects (termQuery) and, when the postings cannot answer it
// exactly (needsCheck), is checked too; an exclusion the postings answer exactly is
// left to Xapian, a longer one is checked (its bigrams apart must not exclude a
// document). Folder, organisation, category, year and type are boolean filters; from/to
// (YYYY-MM-DD, days in the time zone `zone`, inclusive) a range of the modified time, a
// date that does not parse leaving that end open. Nothing when no term is included (only
// exclusions, or an empty query). Included terms add weight through `weigh` (QueryTerms.h);
// `scope`, when given, filters the candidates to the readable documents; `frequency`
// picks the bigram that weighs a long variant (QueryTerms.h).
std::optional<QueryPlan> planQuery(const SearchQuery& query, const ParsedQuery& parsed,
                                   const Weigh& weigh, const std::optional<Xapian::Query>& scope,
                                   const std::string& zone, const Frequency& frequency = nullptr);

// `query`, with `bonus` added to the score of every document filed under one of
// `fiscalYears` (its boolean year term): with a bonus above any score the query alone can
// give, those documents rank first, each group in its own order. Selects the same
// documents as `query`.
Xapian::Query rankingFirst(const Xapian::Query& query, const std::vector<int>& fiscalYears,
                           double bonus);

}  // namespace kiroku::indexer
