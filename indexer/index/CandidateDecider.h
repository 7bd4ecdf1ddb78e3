#pragma once
// The decision on each candidate of a search (internal to the indexer): the person's
// right to read it first, then every term that the postings can only narrow down,
// against the document's stored normalised name and content. One decider per search,
// used by one thread (Xapian calls it from the thread that runs the match).

#include "index/CheckCache.h"
#include "index/StoredText.h"
#include "index/TextFiles.h"
#include "kiroku/indexer/SearchIndex.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace kiroku::indexer {

// A query term that the index can only narrow down: its variants, checked in the text,
// and its year terms (YearTerms.h), which hold without one.
struct TextCheck {
    std::vector<std::string> variants;                   // normalised UTF-8
    std::vector<std::vector<std::uint32_t>> filterKeys;  // each variant's (TrigramFilter.h)
    std::vector<CheckCache::States> known;  // what earlier checks found, one per variant
    std::vector<std::string> yearTerms;     // the document's years hold one: found too
    bool exclude = false;                   // the document must not contain any of them
};

// The values of one slot for candidates asked in ascending order, read as one stream (the
// matcher asks in that order), each looked up by itself otherwise.
class SlotReader {
public:
    SlotReader(const Xapian::Database& db, Xapian::valueno slot);
    // The document's value in the slot ("" when it has none); valid until the next call.
    const std::string& of(const Xapian::Document& doc);

private:
    Xapian::valueno slot_;
    Xapian::ValueIterator it_;
    const Xapian::ValueIterator end_;
    Xapian::docid last_ = 0;  // the stream stands at the first value at or after it
    std::string value_;
};

class CandidateDecider : public Xapian::MatchDecider {
public:
    // `readable` is asked for every candidate (unless `decided` already holds its answer,
    // where the answer is then written) and must outlive the decider. A check passes when
    // the document is indexed with one of its year terms, or its name or content contains
    // one of its variants (none of either, for an exclusion); what is found in the text
    // is written to `known`, and read from there first. The texts are read from `texts`
    // (the generation's files, TextFiles.h) where the index says so; `texts` must outlive
    // the decider.
    CandidateDecider(const Xapian::Database& db, const TextFiles& texts, const ReadableFn& readable,
                     CheckCache::States decided, std::vector<TextCheck> checks,
                     const NormaliseOptions& options);

    bool operator()(const Xapian::Document& doc) const override;
    // The checks alone, without the rights (CheckAhead.h): what they find is written to
    // `known` as when the matcher asks.
    bool passesChecks(const Xapian::Document& doc) const;

private:
    // The document's path: the matcher asks for candidates in ascending order, so the
    // paths are read as one stream, not looked up one by one.
    const std::string& pathOf(const Xapian::Document& doc) const;
    // Every check, for the candidate whose path_ is current.
    bool checksPass(const Xapian::Document& doc) const;
    // Whether the person may read the document.
    bool mayRead(const Xapian::Document& doc) const;
    // Whether the document's name or content contains `variant`, whose ASCII filter keys
    // are `keys`.
    bool holds(const Xapian::Document& doc, const std::string& variant,
               const std::vector<std::uint32_t>& keys) const;
    // Whether the document is indexed with one of `terms` (its kYearsSlot).
    bool spells(const Xapian::Document& doc, const std::vector<std::string>& terms) const;

    const TextFiles& texts_;
    const ReadableFn& readable_;
    CheckCache::States decided_;  // 0 not asked yet, 1 readable, 2 not; may be null
    mutable SlotReader paths_;
    mutable SlotReader filters_;  // each document's trigram filter
    mutable SlotReader refs_;     // where each document's texts are (kTextsRefSlot)
    std::vector<TextCheck> checks_;
    NormaliseOptions options_;
    mutable const std::string* path_ = nullptr;  // this candidate's, once read
    mutable StoredTexts content_;
    mutable std::string name_;
    mutable bool fetched_ = false;
    mutable const std::string* filter_ = nullptr;  // this candidate's, once read
    mutable std::string years_;
    mutable bool yearsFetched_ = false;
};

}  // namespace kiroku::indexer
