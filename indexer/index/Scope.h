#pragma once
// A ReadableScope in Xapian's terms (internal to the indexer): the filter that selects
// the readable documents, and the statistics of those documents that scores are made
// of (index/ScopedWeight.h). Thread-safe.

#include "kiroku/indexer/SearchIndex.h"

#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kiroku::indexer {

// The points of a scope that change the decision (a point with the decision of the
// one above it says nothing), and a text that names the scope.
ReadableScope simplified(const ReadableScope& scope);
std::string scopeKey(const ReadableScope& simplifiedScope);

// The readable documents as a boolean query; nullopt when every document is readable.
std::optional<Xapian::Query> scopeFilter(const ReadableScope& simplifiedScope);

// Documents matching `query` (exact).
Xapian::doccount countMatching(Xapian::Database& db, const Xapian::Query& query);

struct ScopeStats {
    Xapian::doccount documents = 0;
    double averageLength = 0;  // of the documents' term counts (wdf sums)
};

// The statistics of the documents a filter selects, remembered per index state and
// scope: counting them walks the smaller of the readable and the hidden documents.
class ScopeStatsCache {
public:
    // About how many bytes of entries are kept (each its key and about 64 more): past
    // it, all go (the entries of one state of the index are useless in the next).
    explicit ScopeStatsCache(std::size_t maxBytes) : maxBytes_(maxBytes) {}
    std::size_t bytes();

    ScopeStats get(Xapian::Database& db, const std::string& state, const std::string& key,
                   const std::optional<Xapian::Query>& filter);

    // How many readable documents hold the unit `name` (QueryTerms.h): `count` runs the
    // first time a state, scope and unit are asked for.
    Xapian::doccount frequency(const std::string& state, const std::string& key,
                               const std::string& name,
                               const std::function<Xapian::doccount()>& count);

    // A search's total: exact, or at least `total` (SearchResult). Remembered per index
    // state, scope, rights and query (`key`), as Elasticsearch's request cache keeps
    // counts until the next refresh: the next page or the next person of the same rights
    // asking the same then ranks only what its page needs, instead of counting the
    // matches again (10,000 of a common word cost four fifths of its search at 95,000
    // documents).
    struct Total {
        std::size_t total = 0;
        bool exact = true;
    };
    std::optional<Total> total(const std::string& key);
    void rememberTotal(const std::string& key, Total t);

    // The first hits of a search in their order (document and score) with its total,
    // remembered per index state, scope, rights, query and order (`key`), as Solr's
    // query result cache keeps the first window of each query's ordered document ids:
    // the next of its first pages, or the same search again, then ranks nothing (a word
    // in most documents has every candidate scored for each page: three fifths of its
    // search at 95,000 documents). Snippets are never kept: they are made for each page.
    struct Ranking {
        Total total;
        std::vector<std::pair<Xapian::docid, double>> hits;  // the first, in order
    };
    std::shared_ptr<const Ranking> ranking(const std::string& key);
    void rememberRanking(const std::string& key, Ranking r);

private:
    void roomFor(const std::string& key, std::size_t more = 0);  // with mutex_ held

    const std::size_t maxBytes_;
    std::size_t bytes_ = 0;
    std::mutex mutex_;
    std::map<std::string, ScopeStats> stats_;
    std::unordered_map<std::string, Xapian::doccount> frequencies_;
    std::unordered_map<std::string, Total> totals_;
    std::unordered_map<std::string, std::shared_ptr<const Ranking>> rankings_;
};

}  // namespace kiroku::indexer
