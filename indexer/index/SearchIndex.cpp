#include "kiroku/indexer/SearchIndex.h"

#include "index/FrequentBigrams.h"
#include "index/QueryTerms.h"
#include "index/Snippet.h"
#include "index/StoredText.h"
#include "kiroku/indexer/Normaliser.h"

#include <Poco/File.h>
#include <Poco/SHA1Engine.h>
#include <Poco/StringTokenizer.h>
#include <xapian.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <list>
#include <map>
#include <thread>
#include <unordered_map>

namespace kiroku::indexer {

namespace {

constexpr Xapian::valueno kModifiedSlot = 0;
constexpr Xapian::valueno kPathSlot = 1;
constexpr Xapian::valueno kNormalisedSlot = 2;  // the normalised content, UTF-8, LZ4
constexpr Xapian::valueno kOriginalSlot = 3;    // the extracted content as written, zstd
constexpr Xapian::termcount kNameWeight = 8;    // a name occurrence counts like 8 in the text
// Every kSyncChars normalised characters, the stored form remembers where they came
// from in the original text, so a snippet normalises a few hundred bytes, not the text.
constexpr std::size_t kSyncChars = 128;
// How documents are indexed and stored; an index written another way must be rebuilt.
constexpr const char* kFormatKey = "kiroku.index-format";
constexpr const char* kFormat = "3";  // 3: frequent bigrams not posted for content
constexpr const char* kFormatWithoutFrequent = "2";  // 2: every bigram posted (read as 3)
// The frequent bigrams of a generation (FrequentBigrams.h), fixed when it is built.
constexpr const char* kFrequentKey = "kiroku.frequent-bigrams";

// Boolean terms carry a prefix; long values (deep Japanese paths) are hashed so that a
// term stays under Xapian's length limit.
std::string boolTerm(const std::string& prefix, const std::string& value) {
    std::string term = prefix + value;
    if (term.size() <= 200) return term;
    Poco::SHA1Engine sha;
    sha.update(value);
    return prefix + "#" + Poco::DigestEngine::digestToHex(sha.digest());
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    Poco::StringTokenizer t(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& s : t) out.push_back(s);
    return out;
}

// The stored form of a document (its Xapian data): a header line, then the sync points.
struct Stored {
    std::string path, type;
    int year = 0;
    std::int64_t modifiedUs = 0;
    std::vector<SyncPoint> sync;
};

std::string pack(const IndexedDocument& d, int year, const std::vector<SyncPoint>& sync) {
    std::string out = "v2\t" + d.path + "\t" + d.type + "\t" + std::to_string(year) + "\t" +
                      std::to_string(d.modifiedUs) + "\n";
    SyncPoint last;
    for (const auto& p : sync) {
        putVarint(out, p.normalisedByte - last.normalisedByte);
        putVarint(out, p.originalByte - last.originalByte);
        last = p;
    }
    return out;
}

Stored unpack(const std::string& data) {
    Stored s;
    auto nl = data.find('\n');
    std::string head = data.substr(0, nl);
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        auto tab = head.find('\t', start);
        f.push_back(head.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    if (f.size() >= 5 && f[0] == "v2") {
        s.path = f[1];
        s.type = f[2];
        s.year = std::atoi(f[3].c_str());
        s.modifiedUs = std::atoll(f[4].c_str());
    }
    std::size_t at = nl == std::string::npos ? data.size() : nl + 1;
    SyncPoint p;
    std::uint64_t dn = 0, dOriginal = 0;
    while (at < data.size() && getVarint(data, at, dn) && getVarint(data, at, dOriginal)) {
        p.normalisedByte += dn;
        p.originalByte += dOriginal;
        s.sync.push_back(p);
    }
    return s;
}

// The terms of normalised text: each distinct bigram once, with how often it occurs
// (times `weight`), and the last character paired with the end marker; the `skip`
// bigrams (the frequent ones, for content) are left out. Bigrams are
// counted in an open-addressing table (a node each would cost an allocation each) and
// added in term order, which Xapian's document takes fastest: a bigram key (first << 32
// | second) sorts like its UTF-8 term, the end marker last.
void indexText(Xapian::Document& doc, const std::u32string& text, Xapian::termcount weight,
               const FrequentBigrams* skip) {
    if (text.empty()) return;
    constexpr std::uint64_t kFree = ~std::uint64_t(0);
    thread_local std::vector<std::pair<std::uint64_t, Xapian::termcount>> table;
    std::size_t bits = 10, used = 0;
    table.assign(std::size_t(1) << bits, {kFree, 0});
    auto count = [&](std::uint64_t key) {
        for (;;) {
            std::size_t mask = table.size() - 1;
            for (std::size_t at = (key * 0x9E3779B97F4A7C15ull) >> (64 - bits);; at = (at + 1) & mask) {
                if (table[at].first == key) {
                    table[at].second += weight;
                    return;
                }
                if (table[at].first != kFree) continue;
                if ((used + 1) * 2 <= table.size()) {
                    table[at] = {key, weight};
                    ++used;
                    return;
                }
                break;  // half full: grow, then place it
            }
            std::vector<std::pair<std::uint64_t, Xapian::termcount>> old(std::size_t(1) << ++bits, {kFree, 0});
            old.swap(table);
            std::size_t mask2 = table.size() - 1;
            for (const auto& entry : old) {
                if (entry.first == kFree) continue;
                std::size_t at = (entry.first * 0x9E3779B97F4A7C15ull) >> (64 - bits);
                while (table[at].first != kFree) at = (at + 1) & mask2;
                table[at] = entry;
            }
        }
    };
    for (std::size_t i = 0; i + 1 < text.size(); ++i) count(bigramKey(text[i], text[i + 1]));
    count(bigramKey(text.back(), kEndOfText));
    thread_local std::vector<std::pair<std::uint64_t, Xapian::termcount>> terms;
    terms.clear();
    for (const auto& entry : table) {
        if (entry.first != kFree && !(skip && skip->contains(entry.first))) terms.push_back(entry);
    }
    std::sort(terms.begin(), terms.end());
    for (const auto& [key, wdf] : terms) {
        doc.add_term(bigramTerm(static_cast<char32_t>(key >> 32), static_cast<char32_t>(key & 0xFFFFFFFFu)), wdf);
    }
    // A huge document (up to the 4 MB extraction cap) must not keep its tables alive in
    // the indexing thread for the life of the server.
    if (table.capacity() > (std::size_t(1) << 16)) decltype(table)().swap(table);
    if (terms.capacity() > (std::size_t(1) << 16)) decltype(terms)().swap(terms);
}

std::string nameOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// What the checks of long terms found, for each term and document, in one state of the
// index (its UUID and revision): the next page, another filter or the next person
// asking for the same words does not unpack the same texts again. Least recently used
// terms go first once the states take more than kCheckCacheBytes.
constexpr std::size_t kCheckCacheBytes = 4u << 20;

}  // namespace

class CheckCache {
public:
    // For each document id: 0 not checked yet, 1 contains the term, 2 does not.
    using States = std::shared_ptr<std::vector<std::atomic<std::uint8_t>>>;

    States states(const std::string& key, std::size_t documents) {
        std::lock_guard<std::mutex> guard(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end()) {
            order_.splice(order_.begin(), order_, it->second.second);
            return it->second.first;
        }
        auto states = std::make_shared<std::vector<std::atomic<std::uint8_t>>>(documents);
        order_.push_front(key);
        entries_.emplace(key, std::make_pair(states, order_.begin()));
        bytes_ += documents;
        while (bytes_ > kCheckCacheBytes && order_.size() > 1) {
            auto last = entries_.find(order_.back());
            bytes_ -= last->second.first->size();
            entries_.erase(last);
            order_.pop_back();
        }
        return states;
    }

private:
    std::mutex mutex_;
    std::list<std::string> order_;  // most recently used first
    std::unordered_map<std::string, std::pair<States, std::list<std::string>::iterator>> entries_;
    std::size_t bytes_ = 0;
};

namespace {

// A term that the index can only narrow down: its variants, checked in the text.
struct TextCheck {
    std::vector<std::string> variants;       // normalised UTF-8
    std::vector<CheckCache::States> known;   // what earlier checks found, per variant
    bool exclude = false;                    // the document must not contain any of them
};

// Decides every candidate: the person's rights first, then the terms the index cannot
// answer exactly, against the document's normalised name and content.
class CandidateDecider : public Xapian::MatchDecider {
public:
    CandidateDecider(const ReadableFn& readable, std::vector<TextCheck> checks, const NormaliseOptions& options)
        : readable_(readable), checks_(std::move(checks)), options_(options) {}

    bool operator()(const Xapian::Document& doc) const override {
        std::string path = doc.get_value(kPathSlot);
        auto it = rights_.find(path);
        if (it == rights_.end()) it = rights_.emplace(path, readable_(path)).first;
        if (!it->second) return false;
        const Xapian::docid id = doc.get_docid();
        fetched_ = false;
        name_.clear();
        for (const auto& check : checks_) {
            bool found = false;
            for (std::size_t v = 0; v < check.variants.size() && !found; ++v) {
                std::atomic<std::uint8_t>* state = nullptr;
                if (check.known[v] && id < check.known[v]->size()) state = &(*check.known[v])[id];
                std::uint8_t seen = state ? state->load(std::memory_order_relaxed) : 0;
                found = seen ? seen == 1 : holds(doc, path, check.variants[v]);
                if (state && !seen) state->store(found ? 1 : 2, std::memory_order_relaxed);
            }
            if (found == check.exclude) return false;
        }
        return true;
    }

private:
    // Whether the document's name or content contains `variant`.
    bool holds(const Xapian::Document& doc, const std::string& path, const std::string& variant) const {
        if (name_.empty()) name_ = normaliseToUtf8(nameOf(path), options_);
        if (contains(name_, variant)) return true;
        if (!fetched_) {
            content_.reset(doc.get_value(kNormalisedSlot));
            fetched_ = true;
        }
        return content_.contains(variant);
    }

    const ReadableFn& readable_;
    std::vector<TextCheck> checks_;
    NormaliseOptions options_;
    mutable std::unordered_map<std::string, bool> rights_;
    mutable LazyText content_;
    mutable std::string name_;
    mutable bool fetched_ = false;
};

}  // namespace

// ---- batches ---------------------------------------------------------------------------

struct SearchIndex::Batch::Impl {
    Xapian::WritableDatabase db;
    NormaliseOptions options;
    FrequentBigrams frequent;  // the generation's
    std::size_t documents = 0;  // since the last commit
    std::size_t textBytes = 0;
};

// Xapian keeps every change of a batch in memory until it commits; committing every few
// hundred documents keeps a reindex of a whole NAS in tens of megabytes.
constexpr std::size_t kCommitEveryDocuments = 100;
constexpr std::size_t kCommitEveryTextBytes = 12u << 20;

SearchIndex::Batch::Batch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::Batch::~Batch() {
    try {
        if (impl_) impl_->db.close();  // uncommitted changes are dropped
    } catch (const Xapian::Error&) {
    }
}

void SearchIndex::Batch::put(const IndexedDocument& d) {
    Xapian::Document doc;
    const std::string name = nameOf(d.path);
    indexText(doc, normalise(name, impl_->options).text, kNameWeight, nullptr);
    Normalised content = normalise(d.text, impl_->options);
    indexText(doc, content.text, 1, &impl_->frequent);

    const std::string id = boolTerm("Q", d.path);
    doc.add_boolean_term(id);
    auto segs = segments(d.path);
    std::string folder;
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
        folder += (i ? "/" : "") + segs[i];
        doc.add_boolean_term(boolTerm("XF", folder));
    }
    if (segs.size() > 1) doc.add_boolean_term(boolTerm("XO", segs[0]));
    if (segs.size() > 2) doc.add_boolean_term(boolTerm("XK", segs[1]));
    int year = yearOf(d.path, content.text, d.modifiedUs);
    if (year) doc.add_boolean_term("XY" + std::to_string(year));
    if (!d.type.empty()) doc.add_boolean_term("XT" + d.type);
    doc.add_value(kModifiedSlot, Xapian::sortable_serialise(static_cast<double>(d.modifiedUs)));
    doc.add_value(kPathSlot, d.path);
    std::vector<SyncPoint> sync;
    if (!content.text.empty()) {
        std::string normalised;
        normalised.reserve(content.text.size() * 3);
        for (std::size_t i = 0; i < content.text.size(); ++i) {
            if (i % kSyncChars == 0) sync.push_back({normalised.size(), content.origin[i]});
            appendUtf8(normalised, content.text[i]);
        }
        doc.add_value(kNormalisedSlot, packNormalised(normalised));
        doc.add_value(kOriginalSlot, packOriginal(d.text));
    }
    doc.set_data(pack(d, year, sync));
    impl_->db.replace_document(id, doc);
    impl_->textBytes += d.text.size();
    if (++impl_->documents >= kCommitEveryDocuments || impl_->textBytes >= kCommitEveryTextBytes) commit();
}

void SearchIndex::Batch::remove(const std::string& path) {
    impl_->db.delete_document(boolTerm("Q", path));
    impl_->db.delete_document(boolTerm("XF", path));  // everything below a folder
}

void SearchIndex::Batch::commit() {
    impl_->db.commit();
    impl_->documents = 0;
    impl_->textBytes = 0;
}

// ---- the index --------------------------------------------------------------------------

SearchIndex::SearchIndex(std::string dir, NormaliseOptions options)
    : dir_(std::move(dir)), options_(options), checkCache_(std::make_shared<CheckCache>()) {
    Poco::File(dir_).createDirectories();
    if (!Poco::File(dir_ + "/CURRENT").exists()) setCurrent("gen-1");
    Xapian::WritableDatabase db(currentDir(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK);
    if (db.get_doccount() == 0 && db.get_metadata(kFormatKey).empty()) {
        db.set_metadata(kFormatKey, kFormat);
        db.commit();
    }
    db.close();
}

bool SearchIndex::hasCurrentFormat() const {
    Xapian::Database db(currentDir());
    const std::string format = db.get_metadata(kFormatKey);
    return format == kFormat || format == kFormatWithoutFrequent;
}

SearchIndex::~SearchIndex() = default;

// Names the live generation: written to a temporary file, flushed to the disk, then
// renamed over CURRENT, so a crash leaves the old name or the new one, never a torn one.
void SearchIndex::setCurrent(const std::string& generation) {
    const std::string tmp = dir_ + "/CURRENT.tmp", current = dir_ + "/CURRENT";
    const std::string line = generation + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), current.c_str()) != 0) {
        throw std::runtime_error("cannot name the live search index in " + current + ": " + std::strerror(errno));
    }
    int dirFd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

std::string SearchIndex::currentDir() const {
    std::ifstream in(dir_ + "/CURRENT");
    std::string gen;
    std::getline(in, gen);
    if (gen.empty() || gen.find('/') != std::string::npos) gen = "gen-1";
    return dir_ + "/" + gen;
}

SearchIndex::Batch SearchIndex::batch() {
    auto impl = std::make_unique<Batch::Impl>();
    impl->options = options_;
    impl->db = Xapian::WritableDatabase(currentDir(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK);
    impl->frequent = FrequentBigrams::parse(impl->db.get_metadata(kFrequentKey));
    return Batch(std::move(impl));
}

void SearchIndex::rebuild(const std::function<void(Batch&, std::size_t)>& fill, std::size_t writers,
                          const std::vector<const std::string*>& sample) {
    std::lock_guard<std::mutex> guard(mutex_);
    writers = std::max<std::size_t>(writers, 1);
    std::vector<std::u32string> sampled;
    for (const std::string* text : sample) {
        if (!text->empty()) sampled.push_back(normalise(*text, options_).text);
    }
    const FrequentBigrams frequent = FrequentBigrams::of(sampled);
    sampled.clear();
    std::string live = currentDir();
    std::string liveName = live.substr(live.rfind('/') + 1);
    int n = std::atoi(liveName.substr(4).c_str());
    std::string next = "gen-" + std::to_string(n + 1);
    const std::string building = dir_ + "/" + next + ".build";
    for (const auto& d : {building, dir_ + "/" + next}) {
        if (Poco::File(d).exists()) Poco::File(d).remove(true);
    }
    Poco::File(building).createDirectories();
    // Xapian writes one database from one thread: each writer fills a part of its own,
    // in parallel, and the parts are merged below.
    std::vector<std::exception_ptr> errors(writers);
    auto write = [&](std::size_t w) {
        try {
            auto impl = std::make_unique<Batch::Impl>();
            impl->options = options_;
            // A part is thrown away if anything fails: no fsync, blocks changed in place.
            impl->db = Xapian::WritableDatabase(building + "/part-" + std::to_string(w),
                                                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
            impl->db.set_metadata(kFormatKey, kFormat);  // kept by the merge
            impl->db.set_metadata(kFrequentKey, frequent.serialise());
            impl->frequent = frequent;
            Batch b(std::move(impl));
            fill(b, w);
            b.commit();
        } catch (...) {
            errors[w] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < writers; ++w) threads.emplace_back(write, w);
    write(0);
    for (auto& t : threads) t.join();
    for (const auto& e : errors) {
        if (e) {
            Poco::File(building).remove(true);
            std::rethrow_exception(e);
        }
    }
    // The merged copy is compacted (smaller and faster to search); the parts are dropped.
    Xapian::Database parts;
    for (std::size_t w = 0; w < writers; ++w) parts.add_database(Xapian::Database(building + "/part-" + std::to_string(w)));
    parts.compact(dir_ + "/" + next);
    Poco::File(building).remove(true);
    setCurrent(next);
    // Searches that still have the old generation open keep working on their copy.
    try {
        Poco::File(live).remove(true);
    } catch (const Poco::Exception&) {
    }
}

std::size_t SearchIndex::documentCount() const {
    Xapian::Database db(currentDir());
    return db.get_doccount();
}

std::vector<std::pair<std::string, std::int64_t>> SearchIndex::indexedDocuments() const {
    Xapian::Database db(currentDir());
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (auto it = db.valuestream_begin(kPathSlot); it != db.valuestream_end(kPathSlot); ++it) {
        Xapian::Document doc = db.get_document(it.get_docid());
        out.emplace_back(*it, static_cast<std::int64_t>(Xapian::sortable_unserialise(doc.get_value(kModifiedSlot))));
    }
    return out;
}

struct SearchIndex::Reader {
    std::string generation;
    Xapian::Database db;
    FrequentBigrams frequent;  // fixed for a generation
};

// A reader per thread, reopened (cheap) rather than opened for every search; a new
// generation after reindex is opened afresh.
SearchIndex::Reader& SearchIndex::reader() const {
    thread_local std::map<const SearchIndex*, Reader> readers;
    std::string current = currentDir();
    auto it = readers.find(this);
    if (it == readers.end() || it->second.generation != current) {
        Reader& r = readers[this];
        r.generation = current;
        r.db = Xapian::Database(current);
        r.frequent = FrequentBigrams::parse(r.db.get_metadata(kFrequentKey));
        return r;
    }
    try {
        it->second.db.reopen();
    } catch (const Xapian::DatabaseError&) {
        it->second.db = Xapian::Database(current);
    }
    return it->second;
}

SearchResult SearchIndex::search(const SearchQuery& q, const ReadableFn& readable) const {
    SearchResult result;
    ParsedQuery parsed = parseQuery(q.text, options_);
    std::vector<Xapian::Query> must, mustNot, filters;
    std::vector<TextCheck> checks;
    auto check = [&](const QueryTerm& term, bool exclude) {
        TextCheck c;
        c.exclude = exclude;
        for (const auto& v : term.variants) c.variants.push_back(toUtf8(v));
        checks.push_back(std::move(c));
    };
    Reader& r = reader();
    Xapian::Database& db = r.db;
    for (const auto& term : parsed.include) {
        must.push_back(termQuery(term, r.frequent));
        if (needsCheck(term, r.frequent)) check(term, false);
    }
    // An exclusion the index answers exactly is left to Xapian; a longer one is checked
    // in the text (its bigrams apart must not exclude a document).
    for (const auto& term : parsed.exclude) {
        if (needsCheck(term, r.frequent)) {
            check(term, true);
        } else {
            mustNot.push_back(termQuery(term, r.frequent));
        }
    }
    if (!q.folder.empty()) filters.push_back(Xapian::Query(boolTerm("XF", q.folder)));
    if (!q.organisation.empty()) filters.push_back(Xapian::Query(boolTerm("XO", q.organisation)));
    if (!q.category.empty()) filters.push_back(Xapian::Query(boolTerm("XK", q.category)));
    if (q.year) filters.push_back(Xapian::Query("XY" + std::to_string(q.year)));
    if (!q.type.empty()) filters.push_back(Xapian::Query("XT" + q.type));
    if (!q.from.empty() || !q.to.empty()) {
        auto us = [](const std::string& date, bool end) -> double {
            std::tm tm {};
            if (std::sscanf(date.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return end ? 1e18 : 0;
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            tm.tm_isdst = -1;
            double t = static_cast<double>(std::mktime(&tm)) * 1e6;
            return end ? t + 86400e6 - 1 : t;
        };
        filters.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kModifiedSlot,
                                        Xapian::sortable_serialise(q.from.empty() ? 0 : us(q.from, false)),
                                        Xapian::sortable_serialise(q.to.empty() ? 1e18 : us(q.to, true))));
    }
    if (must.empty()) return result;  // nothing to look for (only exclusions or empty)
    Xapian::Query query(Xapian::Query::OP_AND, must.begin(), must.end());
    if (!mustNot.empty()) {
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                              Xapian::Query(Xapian::Query::OP_OR, mustNot.begin(), mustNot.end()));
    }
    if (!filters.empty()) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    const std::string state = db.get_uuid() + "/" + std::to_string(db.get_revision()) + "/";
    for (auto& c : checks) {
        for (const auto& v : c.variants) c.known.push_back(checkCache_->states(state + v, db.get_lastdocid() + 1));
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    // Equal scores (a term that only the checks can decide) put the newest first.
    if (q.byDate) {
        enquire.set_sort_by_value_then_relevance(kModifiedSlot, true);
    } else {
        enquire.set_sort_by_relevance_then_value(kModifiedSlot, true);
    }
    CandidateDecider decider(readable, std::move(checks), options_);
    // Counting every candidate makes `total` exact (and only readable documents count).
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(q.offset),
                                         static_cast<Xapian::doccount>(std::min<std::size_t>(q.limit, 200)),
                                         db.get_doccount(), nullptr, &decider);
    result.total = mset.get_matches_estimated();
    std::vector<Needle> needles;
    for (const auto& term : parsed.include) {
        for (const auto& variant : term.variants) needles.push_back({variant, toUtf8(variant)});
    }
    LazyText normalised;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        Stored s = unpack(doc.get_data());
        SearchHit hit;
        hit.path = s.path;
        hit.name = nameOf(s.path);
        hit.year = s.year;
        auto segs = segments(s.path);
        hit.category = segs.size() > 2 ? segs[1] : "";
        hit.type = s.type;
        hit.modifiedUs = s.modifiedUs;
        hit.score = it.get_weight();
        normalised.reset(doc.get_value(kNormalisedSlot));
        hit.snippet = snippetOf(unpackOriginal(doc.get_value(kOriginalSlot)), normalised.all(), s.sync, needles, options_);
        if (hit.snippet.empty()) hit.snippet = snippetIn(hit.name, 0, hit.name.size(), needles, options_);
        result.hits.push_back(std::move(hit));
    }
    return result;
}

std::string SearchIndex::typeOf(const std::string& name) {
    auto dot = name.rfind('.');
    std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::map<std::string, std::string> types = {
        {"txt", "text"}, {"text", "text"}, {"csv", "csv"}, {"htm", "html"}, {"html", "html"}, {"pdf", "pdf"},
        {"doc", "doc"}, {"docx", "docx"}, {"xls", "xls"}, {"xlsx", "xlsx"}, {"ppt", "ppt"}, {"pptx", "pptx"},
        {"odt", "odt"}, {"ods", "ods"}, {"odp", "odp"}, {"rtf", "rtf"}, {"jpg", "image"}, {"jpeg", "image"},
        {"png", "image"}, {"gif", "image"}, {"md", "text"}, {"xml", "xml"}, {"json", "json"}};
    auto it = types.find(ext);
    return it == types.end() ? (ext.empty() ? "other" : ext) : it->second;
}

int SearchIndex::fiscalYearOf(const std::string& path, const std::string& text, std::int64_t modifiedUs) {
    return yearOf(path, normalise(text.substr(0, 4096)).text, modifiedUs);
}

int SearchIndex::yearOf(const std::string& path, const std::u32string& normalisedText, std::int64_t modifiedUs) {
    if (int y = fiscalYearIn(normalise(path).text)) return y;
    if (int y = dateYearIn(normalisedText.substr(0, 4096))) return y;
    std::time_t t = static_cast<std::time_t>(modifiedUs / 1000000);
    std::tm tm {};
    ::localtime_r(&t, &tm);
    return tm.tm_mon + 1 >= 4 ? tm.tm_year + 1900 : tm.tm_year + 1899;
}

}  // namespace kiroku::indexer
