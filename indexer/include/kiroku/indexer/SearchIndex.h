#pragma once
// SearchIndex: the Xapian index of the drive's documents, built so that the set a
// query returns is exactly the documents that contain every query term after
// normalisation (the contract in tests/corpus/README.md):
//
//  - a document's searchable text is its file name plus its extracted content, each
//    normalised (Normaliser.h) and indexed as its distinct overlapping bigrams with
//    their counts (no positions: they would make the index twice the text), the last
//    character paired with an end marker; name terms weigh more;
//  - a query term selects the documents that have all its bigrams (a one-character
//    term: every term that starts with it), which is exact for terms of up to two
//    characters; for longer terms each candidate is checked against its stored
//    normalised name and content (zstd, unpacked only as far as the first occurrence),
//    so a match is exactly a substring match and never spans name and content; the
//    total is counted exactly up to SearchQuery::countUpTo; a term with an era year also
//    matches its Western year and the reverse (令和N年 <-> (2018+N)年, 平成N年 <->
//    (1988+N)年, 昭和N年 <-> (1925+N)年);
//  - years as officers write them: every spelling of a year in a document's folders,
//    name or content (R5, R05, R.5, 令和5年, 令和5年度, 令和元年, H30, 平成31年, S63, 2023,
//    2023年, 2023年度, FY2023, and dates such as R6.11, 令和6年11月, 2024/11/08) is indexed
//    as a term for that year (and month), and a query term that is a year alone, written
//    any of those ways, matches every document that spells it (a number alone, such as
//    2023, its own digits too); where a year is typed, the documents filed under its
//    fiscal year rank first;
//  - the original text is kept (zstd) for snippets, with sync points every 128
//    normalised characters so a snippet normalises only the text around its match;
//  - boolean terms for filters (folder subtree, organisation, category, fiscal year,
//    type) and the modified time as a sortable value; ranking (BM25) orders, never
//    selects.
//
// The database lives in DIR/<generation>/, named by DIR/CURRENT, so a rebuild can be
// written beside the live one and swapped in atomically while searches go on.
// Writers take Xapian's lock for one batch at a time (so kirokud and the kiroku CLI
// can both write); searches open their own reader. Thread-safe.

#include "kiroku/indexer/Normaliser.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kiroku::indexer {

class CheckCache;
class ModifiedOrder;
class ScopeStatsCache;

struct IndexedDocument {
    std::string path;  // the document's path in the drive ("a/b/c.txt")
    std::string text;  // extracted content as UTF-8 (may be empty)
    std::int64_t modifiedUs = 0;
    std::uint64_t size = 0;
    std::string type;     // "pdf", "docx", "text" … (searchTypeOf in FileTypes.h)
    std::string failure;  // why extraction failed, if it did (indexed by name only)
    bool ocr = false;     // the text was read from the document's images by OCR
};

struct SearchQuery {
    std::string text;          // what the person typed
    std::string folder;        // only below this folder ("" = everywhere)
    std::string organisation;  // top-level folder
    std::string category;      // second-level folder (議事録 …)
    int year = 0;              // fiscal year (2025 = 令和7年度), 0 = any
    std::string type;          // "pdf" …
    std::string from, to;      // modified date range, YYYY-MM-DD, inclusive
    bool byDate = false;       // newest first instead of relevance
    std::size_t offset = 0;
    std::size_t limit = 20;
    // Matches are counted exactly up to this many (or to the end of the page asked for,
    // when that is further); past it, the total is "at least" (10,000件以上), as
    // Elasticsearch's track_total_hits does: a common word then costs what its page
    // costs, not what the drive holds. Paging still reaches every match.
    std::size_t countUpTo = kCountUpTo;
    static constexpr std::size_t kCountUpTo = 10000;
};

struct SearchHit {
    std::string path;
    std::string name;
    int year = 0;
    std::string category;
    std::string type;
    std::int64_t modifiedUs = 0;
    double score = 0;
    std::string snippet;  // original text, HTML-escaped, matches in <mark>…</mark>
};

// What the index keeps of one document: its fiscal year, type and extracted text.
struct StoredDocument {
    int year = 0;
    std::string type;
    std::string text;         // the original extracted text (empty when none was found)
    bool ocr = false;         // read from its images by OCR
    bool ocrPending = false;  // waiting for OCR (known to the server, which sets it)
};

struct SearchResult {
    // Only documents the person may read count. Exact when `totalExact`; otherwise at
    // least this many (the query's countUpTo, or the end of the page asked for), and more
    // matches follow the page.
    std::size_t total = 0;
    bool totalExact = true;
    std::vector<SearchHit> hits;
};

// Whether the person may read a document.
using ReadableFn = std::function<bool(const std::string& path)>;

// Which documents a person may read, in the shape rights are decided: a document has
// the decision of the nearest of `points` at or above its path (a folder, or the
// document itself), else `atRoot`. A search counts, ranks and scores only these
// documents, as if no other existed: the statistics scores come from (how many
// documents hold a term, their number and length) are those of the readable ones, so a
// score cannot tell whether a hidden document holds a word.
struct ReadableScope {
    bool atRoot = true;
    std::map<std::string, bool> points;  // path -> readable from there down
    // Asked as well for every candidate, when set (the caller's own decision, to be
    // sure the two agree).
    ReadableFn confirm;
    // Names what `confirm` decides by (the person, the date, the version of the rights):
    // every search with the same key gets the same answers, which are then remembered per
    // document for the index's state. Empty: `confirm` is asked anew in every search.
    std::string confirmKey;

    static ReadableScope everything() { return {}; }
    bool readable(const std::string& path) const;
};

class SearchIndex {
public:
    // What searches remember between them (what checks found, readable documents'
    // statistics, totals), in bytes at most (index.searchCacheMB): a bound of its own,
    // whatever the number of documents.
    static constexpr std::size_t kDefaultCacheBytes = 8u << 20;
    // How many first hits of a search are remembered in their order (index.rememberedHits):
    // the next pages up to there, and the same search again, rank nothing. 0: none.
    static constexpr std::size_t kDefaultRememberedHits = 100;

    // Opens (creating if needed) the index under `dir`. `options` must be the same for
    // every run on one index (documents and queries are normalised with them).
    explicit SearchIndex(std::string dir, NormaliseOptions options = {},
                         std::size_t cacheBytes = kDefaultCacheBytes,
                         std::size_t rememberedHits = kDefaultRememberedHits);
    ~SearchIndex();

    // One batch of changes, applied and committed together.
    class Batch {
    public:
        ~Batch();
        void put(const IndexedDocument& doc);
        // Removes a document, or a folder and everything indexed below it.
        void remove(const std::string& path);
        void commit();

    private:
        friend class SearchIndex;
        struct Impl;
        explicit Batch(std::unique_ptr<Impl> impl);
        std::unique_ptr<Impl> impl_;
    };

    // Opens the writer (waiting for another writer's lock). One batch at a time.
    Batch batch();

    // Builds a new generation, then makes it the live index atomically. `fill(batch, w)`
    // runs once for each of `writers` parts, each on its own thread with its own batch
    // (Xapian writes a database from one thread); the parts are merged at the end.
    void rebuild(const std::function<void(Batch&, std::size_t writer)>& fill,
                 std::size_t writers = 1);

    SearchResult search(const SearchQuery& query, const ReadableScope& scope) const;

    // Documents in the live index.
    std::size_t documentCount() const;
    // The stored form of the document at `path`, when it is indexed. With `withText`
    // false, the text is left out (reading a year or a type is cheap; the text is
    // decompressed). Decides no rights: the caller has.
    std::optional<StoredDocument> stored(const std::string& path, bool withText = true) const;
    // The fiscal years of many documents at once (0 for one not indexed), read from one
    // reader: for a folder's list. Decides no rights.
    std::vector<int> years(const std::vector<std::string>& paths) const;
    // False when the live index was written by an earlier version of Kiroku in another
    // way: it must be rebuilt (kirokud does so at start; `kiroku reindex`).
    bool hasCurrentFormat() const;
    // Path -> modified time of every indexed document (for scans).
    std::vector<std::pair<std::string, std::int64_t>> indexedDocuments() const;
    // About how many bytes searches remember now (never more than the bound).
    std::size_t cachedBytes() const;

private:
    std::string dir_;
    NormaliseOptions options_;
    std::shared_ptr<CheckCache> checkCache_;
    std::shared_ptr<ScopeStatsCache> scopeStats_;
    std::shared_ptr<ModifiedOrder> modifiedOrder_;
    std::size_t rememberedHits_;
    mutable std::mutex mutex_;
};

}  // namespace kiroku::indexer
