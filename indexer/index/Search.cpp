// SearchIndex::search (contract in SearchIndex.h): the planned query is matched on this
// thread's reader, each candidate decided (rights, then checks), and the page's hits are
// given their snippets.

#include "index/CandidateDecider.h"
#include "index/CheckAhead.h"
#include "index/CheckCache.h"
#include "index/DocumentData.h"
#include "index/Generations.h"
#include "index/ModifiedOrder.h"
#include "index/QueryPlan.h"
#include "index/QueryTerms.h"
#include "index/Readers.h"
#include "index/Schema.h"
#include "index/Scope.h"
#include "index/ScopedWeight.h"
#include "index/Snippet.h"
#include "index/StoredText.h"
#include "kiroku/indexer/Utf8.h"

#include <xapian.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace kiroku::indexer {

SearchResult SearchIndex::search(const SearchQuery& q, const ReadableScope& asked) const {
    SearchResult result;
    const ReadableScope scope = simplified(asked);
    ParsedQuery parsed = parseQuery(q.text, options_);
    const std::string generation = liveGeneration(dir_);
    Reader& r = threadReader(this, generation);
    Xapian::Database& db = r.db;
    // What checks found, and the readable documents' statistics, hold for this state of
    // the index only.
    const std::string state = db.get_uuid() + "/" + std::to_string(db.get_revision()) + "/";
    const std::optional<Xapian::Query> readable = scopeFilter(scope);
    const std::string key = scopeKey(scope);
    const ScopeStats stats = scopeStats_->get(db, state, key, readable);
    if (stats.documents == 0) return result;
    // Each unit's weight from the readable documents that hold it (ScopedWeight.h),
    // remembered per index state, scope and unit. `highest`: the most the units together
    // can score.
    double highest = 0;
    const Frequency frequency = [&](const std::string& name) -> Xapian::doccount {
        if (!readable) return db.get_termfreq(name);
        return scopeStats_->frequency(state, key, name, [&] {
            return countMatching(
                db, Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(name), *readable));
        });
    };
    const Weigh weigh = [&](const Xapian::Query& unit, const std::string& name) {
        const double factor = inverseDocumentFrequency(stats.documents, frequency(name));
        highest += highestScoreOf(factor);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, unit, factor);
    };
    std::optional<QueryPlan> plan =
        planQuery(q, parsed, weigh, readable, options_.timeZone, frequency);
    if (!plan) return result;  // nothing to look for (only exclusions or empty)
    const Xapian::Query candidates = plan->query;
    // A year typed: the documents filed under its fiscal year first.
    plan->query = rankingFirst(plan->query, plan->rankFirst, highest + 1);
    for (auto& c : plan->checks) {
        for (const auto& v : c.variants)
            c.known.push_back(checkCache_->states(state + v, db.get_lastdocid() + 1));
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(plan->query);
    enquire.set_weighting_scheme(ScopedBM25(stats.averageLength));
    // Equal scores (a term that only the checks can decide) put the newest first. The
    // modified times come from their table where it fits its bound (ModifiedOrder.h), else
    // from each candidate's value, in the same order.
    if (ModifiedTimes times = modifiedOrder_->of(db, state)) {
        Xapian::KeyMaker* key = (new ModifiedOrder::Key(std::move(times)))->release();
        if (q.byDate) {
            enquire.set_sort_by_key_then_relevance(key, true);
        } else {
            enquire.set_sort_by_relevance_then_key(key, true);
        }
    } else if (q.byDate) {
        enquire.set_sort_by_value_then_relevance(kModifiedSlot, true);
    } else {
        enquire.set_sort_by_relevance_then_value(kModifiedSlot, true);
    }
    // The scope's filter already keeps to the readable documents; each candidate is
    // decided once more, as the caller decides it.
    const ReadableFn mayRead = [&](const std::string& path) {
        return scope.readable(path) && (!scope.confirm || scope.confirm(path));
    };
    // The decisions are remembered for the next search of the same person, scope and
    // rights, when the caller names them (ReadableScope::confirmKey).
    CheckCache::States decided;
    if (!scope.confirm || !asked.confirmKey.empty()) {
        decided = checkCache_->states(state + '\x01' + key + '\x01' + asked.confirmKey,
                                      db.get_lastdocid() + 1);
    }
    const std::vector<TextCheck> checks = plan->checks;
    CandidateDecider decider(db, r.texts, mayRead, std::move(decided), std::move(plan->checks),
                             options_);
    // Every candidate is decided (rights, checks) until `countUpTo` are accepted; past
    // that, only those that would rank into the page (Xapian's matcher drops the rest
    // before deciding), so a word in most documents checks about as many as it counts.
    const std::size_t limit = std::min<std::size_t>(q.limit, 200);
    // One past the page at least: a total that is not exact then means more follow it.
    const std::size_t countUpTo = std::max(q.countUpTo, q.offset + limit + 1);
    // A total already counted for this state, scope, rights and query (Scope.h): then
    // only the page is ranked.
    std::string totalKey;
    std::optional<ScopeStatsCache::Total> known;
    if (!scope.confirm || !asked.confirmKey.empty()) {
        totalKey = state + '\x01' + key + '\x01' + asked.confirmKey;
        for (const std::string* part :
             {&q.text, &q.folder, &q.organisation, &q.category, &q.type, &q.from, &q.to}) {
            totalKey += '\x01' + std::to_string(part->size()) + ':';  // no text reads as two
            totalKey += *part;
        }
        totalKey += '\x01' + std::to_string(q.year);
        known = scopeStats_->total(totalKey);
        if (known && !known->exact && known->total < countUpTo) known.reset();
    }
    // The page's documents and scores in their order: from the first pages' ranking when
    // this search was made before (Scope.h), else from the matcher. A search whose page
    // ends within the first pages has the matcher rank all of them, for the next.
    using Ranked = std::vector<std::pair<Xapian::docid, double>>;
    const bool windowed =
        rememberedHits_ > 0 && !totalKey.empty() && q.offset + limit <= rememberedHits_;
    const std::string rankingKey = totalKey + '\x01' + (q.byDate ? "date" : "score");
    const auto slice = [&](const Ranked& ranked, std::size_t skip) {
        const auto from = std::min(ranked.size(), skip);
        const auto to = std::min(ranked.size(), skip + limit);
        return Ranked(ranked.begin() + from, ranked.begin() + to);
    };
    std::shared_ptr<const ScopeStatsCache::Ranking> remembered;
    if (windowed) remembered = scopeStats_->ranking(rankingKey);
    if (remembered && !remembered->total.exact && remembered->total.total < countUpTo)
        remembered.reset();  // counted to fewer than now asked for
    Ranked page;
    if (remembered) {
        known = remembered->total;
        page = slice(remembered->hits, q.offset);
    } else {
        const std::size_t first = windowed ? 0 : q.offset;
        const std::size_t count = windowed ? rememberedHits_ : limit;
        const std::size_t checkAtLeast = known ? first + count : std::max(countUpTo, first + count);
        // Counted for the first time: the candidates it takes are checked on two threads
        // first (CheckAhead.h).
        if (!known) checkAhead(db, generation, r.texts, candidates, checks, options_, checkAtLeast);
        Xapian::MSet mset = enquire.get_mset(
            static_cast<Xapian::doccount>(first), static_cast<Xapian::doccount>(count),
            static_cast<Xapian::doccount>(std::min<std::size_t>(checkAtLeast, db.get_doccount())),
            nullptr, &decider);
        if (!known) {
            // Fewer accepted than counted for: the matcher saw them all, and the bounds meet.
            ScopeStatsCache::Total total;
            total.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
            total.total = total.exact ? mset.get_matches_lower_bound() : countUpTo;
            if (!totalKey.empty()) scopeStats_->rememberTotal(totalKey, total);
            known = total;
        }
        Ranked ranked;
        for (auto it = mset.begin(); it != mset.end(); ++it)
            ranked.emplace_back(*it, it.get_weight());
        if (windowed) {
            page = slice(ranked, q.offset);
            scopeStats_->rememberRanking(rankingKey, {*known, std::move(ranked)});
        } else {
            page = std::move(ranked);
        }
    }
    result.totalExact = known->exact && known->total <= countUpTo;
    result.total = result.totalExact ? known->total : countUpTo;
    std::vector<Needle> needles;
    for (const auto& term : parsed.include) {
        for (const auto& variant : term.variants) needles.push_back({variant, toUtf8(variant)});
        for (const auto& other : term.marked) needles.push_back({other, toUtf8(other)});
    }
    StoredTexts texts;
    for (const auto& [id, weight] : page) {
        Xapian::Document doc = db.get_document(id);
        DocumentData s = unpackDocumentData(doc.get_data());
        // A remembered hit is decided once more, as the matcher's candidates are (the key
        // names the decisions, so this refuses only what a wrong key would let through).
        if (remembered && !mayRead(s.path)) continue;
        SearchHit hit;
        hit.path = s.path;
        hit.name = nameOf(s.path);
        hit.year = s.year;
        auto segs = pathSegments(s.path);
        hit.category = segs.size() > 2 ? segs[1] : "";
        hit.type = s.type;
        hit.modifiedUs = s.modifiedUs;
        hit.score = weight;
        loadTexts(doc, doc.get_value(kTextsRefSlot), r.texts, texts);
        hit.snippet = snippetOf(texts, s.sync, needles, options_);
        if (hit.snippet.empty())
            hit.snippet = snippetIn(hit.name, 0, hit.name.size(), needles, options_);
        result.hits.push_back(std::move(hit));
    }
    return result;
}

}  // namespace kiroku::indexer
