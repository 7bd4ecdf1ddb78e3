#pragma once
// SearchService: keeps the search index current and answers searches with rights.
//
// The audit table is the index queue: every change is written there in the same
// transaction as its metadata, and the service applies changes after its cursor
// (meta 'index_cursor'), so a restart resumes where it stopped and nothing is missed.
// Files changed on the disk directly are found by scan(); reindex() rebuilds the
// index from the files into a new generation and swaps it in while searches go on.
// A file whose extraction fails is indexed by its name and recorded with the reason
// (table index_failures), never blocking the queue. Thread-safe.

#include "db/Database.h"
#include "store/DocumentStore.h"

#include "kiroku/indexer/SearchIndex.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>

namespace kiroku {

struct Extraction {
    bool ok = false;
    std::string text;
    std::string error;  // why it failed
    std::string mime;   // as libmagic reports it ("" when unknown)
};

// Extracts a file's text (through the kiroku-extract worker pool in production).
using ExtractFn = std::function<Extraction(const std::string& diskPath)>;

struct IndexStatus {
    std::int64_t pending = 0;     // changes not yet applied
    std::int64_t indexed = 0;     // documents in the index
    std::int64_t failed = 0;      // documents whose text could not be extracted
    std::int64_t ocrPending = 0;  // scanned PDFs and photos waiting for OCR
    bool ocrOn = false;           // OCR runs (enabled and its packages installed)
    std::string ocrLanguages;     // what it reads, e.g. "jpn+jpn_vert+eng"; or why it is off
    struct Failure {
        std::string path, reason, at;
    };
    std::vector<Failure> failures;
};

class SearchService {
public:
    // `parallel` files are extracted at once (as many as there are extraction workers).
    SearchService(Database& db, DocumentStore& store, indexer::SearchIndex& index,
                  ExtractFn extract, std::size_t parallel = 2);

    // Applies the changes recorded since the last call. Returns how many were applied.
    std::size_t processQueue(std::size_t maxChanges = 500);

    // OCR: from now on, a scanned PDF (no text of its own) or a photo is indexed by its
    // name and queued for OCR (table ocr_queue) — unless OCR read the same content
    // before: texts OCR read are kept by content hash in `cacheDir` (with the index;
    // they can be read again). `languages` is shown in the status. Call before the
    // index is used.
    void enableOcr(const std::string& cacheDir, const std::string& languages);
    // Why OCR does not run (shown in the status), when it does not.
    void disableOcr(const std::string& why);
    // Reads up to `maxFiles` queued documents with `ocr` (slow: seconds a page) and puts
    // their text in the index, unless they changed meanwhile. The index is locked only
    // to write. A failure is recorded with its reason. Returns how many were taken.
    std::size_t processOcr(const ExtractFn& ocr, std::size_t maxFiles = 1);

    // Compares the index with the files on disk: indexes new and changed files,
    // removes what is gone. Returns how many documents changed.
    std::size_t scan();

    // Rebuilds the index from the files and swaps it in.
    std::size_t reindex();

    IndexStatus status(std::size_t maxFailures = 50);

    // What the index keeps of one document (its year, type and text); decides no rights.
    // Of a scan or photo without text yet, whether it waits for OCR.
    std::optional<indexer::StoredDocument> stored(const std::string& path, bool withText);
    std::vector<int> years(const std::vector<std::string>& paths) { return index_.years(paths); }

    // Searches among the documents the scope lets the person read: only they count,
    // show or weigh in scores. The document service gives it the caller's rights.
    indexer::SearchResult search(const indexer::SearchQuery& query,
                                 const indexer::ReadableScope& scope);

private:
    indexer::IndexedDocument document(const Entry& entry);
    indexer::IndexedDocument described(const Entry& entry);  // all but the text
    // Whether OCR should read a file the ordinary extraction gave `x` for.
    bool wantsOcr(const Extraction& x) const;
    void indexTree(indexer::SearchIndex::Batch& batch, const DocPath& path, std::size_t& count);
    // Extracts `files` `parallel_` at a time and puts them in order.
    // With `shared`, several batches take the next file from it, so none waits idle.
    void putAll(indexer::SearchIndex::Batch& batch, const std::vector<Entry>& files,
                std::atomic<std::size_t>* shared = nullptr);
    void collectFiles(const DocPath& path, std::vector<Entry>& out);

    Database& db_;
    DocumentStore& store_;
    indexer::SearchIndex& index_;
    ExtractFn extract_;
    std::size_t parallel_;
    std::mutex mutex_;      // one writer at a time in this process
    std::string ocrCache_;  // "" while OCR is off
    std::string ocrLanguages_;
};

}  // namespace kiroku
