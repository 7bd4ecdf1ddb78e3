#include "search/SearchService.h"

#include "core/ContentHash.h"
#include "db/Audit.h"
#include "db/IndexState.h"
#include "kiroku/indexer/FileTypes.h"
#include "kiroku/indexer/Utf8.h"

#include <Poco/Event.h>
#include <Poco/Runnable.h>
#include <Poco/ThreadPool.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>

namespace kiroku {

namespace {

using Work = std::function<indexer::IndexedDocument()>;

// One document's extraction, run on a pool thread; its result is taken once it is done.
class ExtractionJob : public Poco::Runnable {
public:
    explicit ExtractionJob(Work work) : work_(std::move(work)) {}

    void run() override {
        try {
            document_ = work_();
        } catch (...) {
            error_ = std::current_exception();
        }
        done_.set();
    }
    void wait() { done_.wait(); }
    // The document, or what run() threw, thrown again here.
    indexer::IndexedDocument take() {
        done_.wait();
        if (error_) std::rethrow_exception(error_);
        return std::move(document_);
    }

private:
    Work work_;
    indexer::IndexedDocument document_;
    std::exception_ptr error_;
    Poco::Event done_{Poco::Event::EVENT_MANUALRESET};
};

// Runs the work `next` hands out (an empty function: no more), `window` at a time on a
// Poco::ThreadPool, and gives each document to `use` on this thread in the order handed
// out. Extraction happens in worker processes: these threads only wait for them, so
// that every worker (and core) works while this thread writes the index. Every job has
// finished before this returns, also when `use` or a job throws.
void extractInOrder(std::size_t window, const std::function<Work()>& next,
                    const std::function<void(indexer::IndexedDocument)>& use) {
    Poco::ThreadPool pool(static_cast<int>(window), static_cast<int>(2 * window));
    std::deque<std::unique_ptr<ExtractionJob>> jobs;
    struct Drain {
        std::deque<std::unique_ptr<ExtractionJob>>& jobs;
        ~Drain() {
            for (auto& job : jobs) job->wait();
        }
    } drain{jobs};
    for (bool more = true; more || !jobs.empty();) {
        while (more && jobs.size() < window) {
            Work work = next();
            if (!work) {
                more = false;
                break;
            }
            jobs.push_back(std::make_unique<ExtractionJob>(std::move(work)));
            try {
                pool.start(*jobs.back());
            } catch (const Poco::NoThreadAvailableException&) {
                jobs.back()->run();  // every thread still busy finishing: run it here
            }
        }
        if (jobs.empty()) break;
        std::unique_ptr<ExtractionJob> job = std::move(jobs.front());
        jobs.pop_front();
        use(job->take());
    }
}

// A PDF with fewer characters of its own than this is a scan: OCR reads it.
constexpr std::size_t kScannedBelowChars = 20;

// What the OCR worker reads (the types its extractor names).
bool ocrType(const std::string& mime) {
    static const char* const types[] = {"application/pdf", "image/jpeg", "image/png",
                                        "image/tiff",      "image/heic", "image/heif",
                                        "image/webp",      "image/bmp",  "image/gif"};
    for (const char* t : types) {
        if (mime == t) return true;
    }
    return false;
}

std::size_t visibleChars(const std::string& text, std::size_t enough) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        if (c <= ' ' || (c & 0xC0) == 0x80) continue;  // spaces, and UTF-8 continuations
        if (++n >= enough) break;
    }
    return n;
}

// The content hash of a file as hex, or "" when it cannot be read.
std::string contentKey(const std::string& diskPath) {
    int fd = ::open(diskPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    auto h = hashOf(fd);
    ::close(fd);
    if (!h) return {};
    char hex[2 * std::tuple_size<Hash>::value + 1];
    return sodium_bin2hex(hex, sizeof hex, h->data(), h->size());
}

std::optional<std::string> cachedOcr(const std::string& dir, const std::string& key) {
    std::ifstream in(dir + "/" + key + ".txt", std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Written whole or not at all (a temporary file renamed into place).
void cacheOcr(const std::string& dir, const std::string& key, const std::string& text) {
    ::mkdir(dir.c_str(), 0750);
    const std::string file = dir + "/" + key + ".txt", tmp = file + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::remove(tmp.c_str());
            return;
        }
    }
    if (std::rename(tmp.c_str(), file.c_str()) != 0) std::remove(tmp.c_str());
}

}  // namespace

SearchService::SearchService(Database& db, DocumentStore& store, indexer::SearchIndex& index,
                             ExtractFn extract, std::size_t parallel)
    : db_(db),
      store_(store),
      index_(index),
      extract_(std::move(extract)),
      parallel_(std::max<std::size_t>(parallel, 1)) {}

indexer::IndexedDocument SearchService::described(const Entry& e) {
    indexer::IndexedDocument d;
    d.path = e.path.str();
    d.modifiedUs = e.modifiedUs;
    d.size = e.size;
    d.type = indexer::searchTypeOf(e.path.name());
    return d;
}

bool SearchService::wantsOcr(const Extraction& x) const {
    if (ocrCache_.empty() || !ocrType(x.mime)) return false;
    if (x.mime == "application/pdf")
        return x.ok && visibleChars(x.text, kScannedBelowChars) < kScannedBelowChars;
    return true;  // an image: the ordinary extractors have nothing for it
}

indexer::IndexedDocument SearchService::document(const Entry& e) {
    indexer::IndexedDocument d = described(e);
    const std::string disk = e.size == 0 ? std::string() : store_.diskPathForReading(e.path);
    Extraction x = e.size == 0 ? Extraction{true, "", "", ""} : extract_(disk);
    if (wantsOcr(x)) {
        // Read by OCR before (the same bytes, perhaps under another name): at once.
        // Else by name now, and by its text once the OCR worker has read it.
        const std::string key = contentKey(disk);
        auto text = key.empty() ? std::nullopt : cachedOcr(ocrCache_, key);
        auto lease = db_.lease();
        db::indexstate::clearFailure(**lease, d.path);
        if (text) {
            d.text = std::move(*text);
            d.ocr = true;
            db::indexstate::unqueueOcr(**lease, d.path);
        } else {
            d.text = std::move(x.text);
            db::indexstate::queueOcr(**lease, d.path);
        }
        return d;
    }
    auto lease = db_.lease();
    if (!ocrCache_.empty()) db::indexstate::unqueueOcr(**lease, d.path);  // no scan any more
    if (x.ok) {
        d.text = std::move(x.text);
        db::indexstate::clearFailure(**lease, d.path);
    } else {
        d.failure = x.error;
        db::indexstate::recordFailure(**lease, d.path, x.error);
    }
    return d;
}

void SearchService::collectFiles(const DocPath& path, std::vector<Entry>& out) {
    auto e = store_.stat(path);
    if (!e) return;
    if (!e->isDir) {
        if (!e->clutter()) out.push_back(*e);
        return;
    }
    for (const auto& child : store_.list(path)) collectFiles(child.path, out);
}

void SearchService::putAll(indexer::SearchIndex::Batch& batch, const std::vector<Entry>& files,
                           std::atomic<std::size_t>* shared) {
    std::size_t own = 0;
    extractInOrder(
        parallel_ + 1,
        [&]() -> Work {
            std::size_t i = shared ? shared->fetch_add(1) : own++;
            if (i >= files.size()) return {};
            const Entry* e = &files[i];
            return [this, e] { return document(*e); };
        },
        [&](indexer::IndexedDocument d) { batch.put(d); });
}

void SearchService::indexTree(indexer::SearchIndex::Batch& batch, const DocPath& path,
                              std::size_t& count) {
    std::vector<Entry> files;
    collectFiles(path, files);
    putAll(batch, files);
    count += files.size();
}

std::size_t SearchService::processQueue(std::size_t maxChanges) {
    std::lock_guard<std::mutex> guard(mutex_);
    std::vector<RecordedChange> changes;
    {
        auto lease = db_.lease();
        changes = db::audit::changesAfter(**lease, db::indexstate::cursor(**lease),
                                          static_cast<std::int64_t>(maxChanges));
    }
    if (changes.empty()) return 0;
    auto batch = index_.batch();
    std::size_t count = 0;
    for (const auto& c : changes) {
        if (c.clutter) continue;
        const std::string& a = c.action;
        if (a == "delete") {
            batch.remove(c.path);
        } else if (a == "move") {
            batch.remove(c.path);
            indexTree(batch, DocPath::fromText(c.dest), count);
        } else if (a == "copy") {
            indexTree(batch, DocPath::fromText(c.dest), count);
        } else {  // create, update, restore
            indexTree(batch, DocPath::fromText(c.path), count);
        }
    }
    batch.commit();
    // The index is committed before the cursor moves: a crash in between only makes the
    // next run apply the same changes again, which is harmless.
    auto lease = db_.lease();
    db::indexstate::setCursor(**lease, changes.back().id);
    return changes.size();
}

std::size_t SearchService::scan() {
    std::lock_guard<std::mutex> guard(mutex_);
    std::map<std::string, std::int64_t> indexed;
    for (const auto& [path, modified] : index_.indexedDocuments()) indexed[path] = modified;
    auto batch = index_.batch();
    std::vector<Entry> files, stale;
    collectFiles(DocPath(), files);
    for (const auto& e : files) {
        auto it = indexed.find(e.path.str());
        if (it == indexed.end() || it->second != e.modifiedUs) stale.push_back(e);
        if (it != indexed.end()) indexed.erase(it);
    }
    putAll(batch, stale);
    std::size_t changed = stale.size();
    for (const auto& [path, modified] : indexed) {
        batch.remove(path);
        ++changed;
    }
    batch.commit();
    return changed;
}

std::size_t SearchService::reindex() {
    std::lock_guard<std::mutex> guard(mutex_);
    std::size_t count = 0;
    std::int64_t lastChange = 0;
    {
        auto lease = db_.lease();
        lastChange = db::audit::lastId(**lease);
    }
    std::vector<Entry> files;
    collectFiles(DocPath(), files);
    // Xapian writes a database from one thread: with several cores, each writer takes
    // the next file into a part of its own (the parts are merged when all are done).
    const std::size_t writers = std::max<std::size_t>(1, std::min(parallel_, files.size()));
    std::atomic<std::size_t> next{0};
    index_.rebuild(
        [&](indexer::SearchIndex::Batch& batch, std::size_t) { putAll(batch, files, &next); },
        writers);
    count = files.size();
    // Changes recorded while rebuilding are applied again by the queue: harmless.
    auto lease = db_.lease();
    db::indexstate::setCursor(**lease, lastChange);
    return count;
}

std::optional<indexer::StoredDocument> SearchService::stored(const std::string& path,
                                                             bool withText) {
    auto s = index_.stored(path, withText);
    if (s && withText && s->text.empty() && !ocrCache_.empty()) {
        auto lease = db_.lease();
        s->ocrPending = db::indexstate::ocrQueued(**lease, path);
    }
    return s;
}

void SearchService::enableOcr(const std::string& cacheDir, const std::string& languages) {
    ocrCache_ = cacheDir;
    ocrLanguages_ = languages;
}

void SearchService::disableOcr(const std::string& why) {
    ocrCache_.clear();
    ocrLanguages_ = why;
}

std::size_t SearchService::processOcr(const ExtractFn& ocr, std::size_t maxFiles) {
    std::vector<std::string> paths;
    {
        auto lease = db_.lease();
        paths = db::indexstate::ocrQueue(**lease, static_cast<std::int64_t>(maxFiles));
    }
    for (const std::string& path : paths) {
        std::optional<Entry> before;
        try {
            before = store_.stat(DocPath::fromText(path));
        } catch (const BadName&) {
        }
        if (!before || before->isDir || ocrCache_.empty()) {
            auto lease = db_.lease();
            db::indexstate::unqueueOcr(**lease, path);
            continue;
        }
        const std::string disk = store_.diskPathForReading(before->path);
        const std::string key = contentKey(disk);
        auto text = key.empty() ? std::nullopt : cachedOcr(ocrCache_, key);
        if (!text) {
            Extraction x = ocr(disk);  // no lock held: this takes seconds a page
            if (!x.ok) {
                auto lease = db_.lease();
                db::indexstate::recordFailure(**lease, path, "OCR: " + x.error);
                db::indexstate::unqueueOcr(**lease, path);
                continue;
            }
            text = std::move(x.text);
            // Kept only when the bytes read are still those the key names.
            if (!key.empty() && contentKey(disk) == key) cacheOcr(ocrCache_, key, *text);
        }
        std::lock_guard<std::mutex> guard(mutex_);
        auto now = store_.stat(before->path);
        if (now && !now->isDir &&
            (now->modifiedUs != before->modifiedUs || now->size != before->size)) {
            continue;  // changed meanwhile: it stays queued, and the next round reads it
        }
        if (now && !now->isDir) {
            indexer::IndexedDocument d = described(*now);
            d.text = std::move(*text);
            d.ocr = true;
            auto batch = index_.batch();
            batch.put(d);
            batch.commit();
        }
        auto lease = db_.lease();
        db::indexstate::unqueueOcr(**lease, path);
    }
    return paths.size();
}

IndexStatus SearchService::status(std::size_t maxFailures) {
    IndexStatus s;
    auto lease = db_.lease();
    s.ocrPending = db::indexstate::ocrQueueLength(**lease);
    s.ocrOn = !ocrCache_.empty();
    s.ocrLanguages = ocrLanguages_;
    s.pending = db::audit::countChangesAfter(**lease, db::indexstate::cursor(**lease));
    s.failed = db::indexstate::failureCount(**lease);
    for (const auto& f :
         db::indexstate::failures(**lease, static_cast<std::int64_t>(maxFailures))) {
        s.failures.push_back({f.path, f.reason, f.at});
    }
    s.indexed = static_cast<std::int64_t>(index_.documentCount());
    return s;
}

indexer::SearchResult SearchService::search(const indexer::SearchQuery& query,
                                            const indexer::ReadableScope& scope) {
    return index_.search(query, scope);
}

}  // namespace kiroku
