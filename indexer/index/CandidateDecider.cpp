#include "index/CandidateDecider.h"

#include "index/Schema.h"
#include "index/Snippet.h"
#include "index/TrigramFilter.h"
#include "index/YearTerms.h"

namespace kiroku::indexer {

CandidateDecider::CandidateDecider(const Xapian::Database& db, const TextFiles& texts,
                                   const ReadableFn& readable, CheckCache::States decided,
                                   std::vector<TextCheck> checks, const NormaliseOptions& options)
    : texts_(texts),
      readable_(readable),
      decided_(std::move(decided)),
      paths_(db, kPathSlot),
      filters_(db, kTrigramsSlot),
      refs_(db, kTextsRefSlot),
      checks_(std::move(checks)),
      options_(options) {}

SlotReader::SlotReader(const Xapian::Database& db, Xapian::valueno slot)
    : slot_(slot), it_(db.valuestream_begin(slot)), end_(db.valuestream_end(slot)) {}

const std::string& SlotReader::of(const Xapian::Document& doc) {
    const Xapian::docid id = doc.get_docid();
    if (id <= last_) return value_ = doc.get_value(slot_);  // behind the stream
    last_ = id;
    if (it_ != end_ && it_.get_docid() < id) it_.skip_to(id);
    if (it_ == end_ || it_.get_docid() != id) return value_ = std::string();
    return value_ = *it_;
}

const std::string& CandidateDecider::pathOf(const Xapian::Document& doc) const {
    if (!path_) path_ = &paths_.of(doc);
    return *path_;
}

bool CandidateDecider::mayRead(const Xapian::Document& doc) const {
    const Xapian::docid id = doc.get_docid();
    std::atomic<std::uint8_t>* state =
        decided_ && id < decided_->size() ? &(*decided_)[id] : nullptr;
    const std::uint8_t seen = state ? state->load(std::memory_order_relaxed) : 0;
    if (seen) return seen == 1;
    const bool readable = readable_(pathOf(doc));
    if (state) state->store(readable ? 1 : 2, std::memory_order_relaxed);
    return readable;
}

bool CandidateDecider::operator()(const Xapian::Document& doc) const {
    // Each candidate is decided once in a search: asked straight away, not remembered (a
    // map of every candidate's path cost a fifth of a common word's search).
    path_ = nullptr;
    return mayRead(doc) && checksPass(doc);
}

bool CandidateDecider::passesChecks(const Xapian::Document& doc) const {
    path_ = nullptr;
    return checksPass(doc);
}

bool CandidateDecider::checksPass(const Xapian::Document& doc) const {
    const Xapian::docid id = doc.get_docid();
    fetched_ = false;
    filter_ = nullptr;
    yearsFetched_ = false;
    name_.clear();
    for (const auto& check : checks_) {
        bool found = !check.yearTerms.empty() && spells(doc, check.yearTerms);
        for (std::size_t v = 0; v < check.variants.size() && !found; ++v) {
            std::atomic<std::uint8_t>* state = nullptr;
            if (check.known[v] && id < check.known[v]->size()) state = &(*check.known[v])[id];
            std::uint8_t seen = state ? state->load(std::memory_order_relaxed) : 0;
            found = seen ? seen == 1 : holds(doc, check.variants[v], check.filterKeys[v]);
            if (state && !seen) state->store(found ? 1 : 2, std::memory_order_relaxed);
        }
        if (found == check.exclude) return false;
    }
    return true;
}

bool CandidateDecider::holds(const Xapian::Document& doc, const std::string& variant,
                             const std::vector<std::uint32_t>& keys) const {
    if (name_.empty()) name_ = normaliseToUtf8(nameOf(pathOf(doc)), options_);
    if (contains(name_, variant)) return true;
    if (!keys.empty()) {
        // Read once a candidate, from the stream: far cheaper than the content.
        if (!filter_) filter_ = &filters_.of(doc);
        if (!mayContain(*filter_, keys)) return false;
    }
    if (!fetched_) {
        // `doc` is the matcher's, for this call only: the rest is read (if at all) before
        // the next candidate resets content_, and the decider holds no document.
        loadTexts(doc, refs_.of(doc), texts_, content_);
        fetched_ = true;
    }
    return content_.contains(variant);
}

bool CandidateDecider::spells(const Xapian::Document& doc,
                              const std::vector<std::string>& terms) const {
    if (!yearsFetched_) {
        years_ = doc.get_value(kYearsSlot);
        yearsFetched_ = true;
    }
    for (const auto& t : terms) {
        if (holdsYearTerm(years_, t)) return true;
    }
    return false;
}

}  // namespace kiroku::indexer
