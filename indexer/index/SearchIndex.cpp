#include "kiroku/indexer/SearchIndex.h"

#include "index/QueryTerms.h"
#include "kiroku/indexer/Normaliser.h"

#include <Poco/DeflatingStream.h>
#include <Poco/File.h>
#include <Poco/InflatingStream.h>
#include <Poco/SHA1Engine.h>
#include <Poco/StringTokenizer.h>
#include <xapian.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace kiroku::indexer {

namespace {

constexpr Xapian::valueno kModifiedSlot = 0;
constexpr Xapian::valueno kPathSlot = 1;
constexpr Xapian::termcount kNameWeight = 8;   // a name occurrence counts like 8 in the text
constexpr Xapian::termpos kContentStart = 1000; // after the name's positions (names are < 255 bytes)

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

std::string compress(const std::string& data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_ZLIB, 6);
    deflater << data;
    deflater.close();
    return out.str();
}

std::string decompress(const std::string& data) {
    std::istringstream in(data);
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_ZLIB);
    std::ostringstream out;
    out << inflater.rdbuf();
    return out.str();
}

// Only the start of a document's text is kept for snippets: enough for the first match
// of nearly every search, and it keeps the index small.
constexpr std::size_t kSnippetTextBytes = 64u << 10;

std::string snippetText(const std::string& text) {
    if (text.size() <= kSnippetTextBytes) return text;
    std::size_t cut = kSnippetTextBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut);
}

// The stored form of a document: a header line and its original text.
struct Stored {
    std::string path, type, text;
    int year = 0;
    std::int64_t modifiedUs = 0;
    std::size_t textBytes = 0;       // of the whole extracted text
    std::size_t normalisedChars = 0;  // of its normalised form (positions count these)
};

std::string pack(const IndexedDocument& d, int year, std::size_t normalisedChars) {
    return compress("v1\t" + d.path + "\t" + d.type + "\t" + std::to_string(year) + "\t" +
                    std::to_string(d.modifiedUs) + "\t" + std::to_string(d.text.size()) + "\t" +
                    std::to_string(normalisedChars) + "\n" + snippetText(d.text));
}

Stored unpack(const std::string& data) {
    Stored s;
    std::string all = decompress(data);
    auto nl = all.find('\n');
    std::string head = all.substr(0, nl);
    s.text = nl == std::string::npos ? std::string() : all.substr(nl + 1);
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        auto tab = head.find('\t', start);
        f.push_back(head.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    if (f.size() >= 5) {
        s.path = f[1];
        s.type = f[2];
        s.year = std::atoi(f[3].c_str());
        s.modifiedUs = std::atoll(f[4].c_str());
    }
    if (f.size() >= 7) {
        s.textBytes = static_cast<std::size_t>(std::atoll(f[5].c_str()));
        s.normalisedChars = static_cast<std::size_t>(std::atoll(f[6].c_str()));
    }
    return s;
}

// Indexes normalised text: overlapping bigrams with positions, unigrams without.
void indexText(Xapian::Document& doc, const std::u32string& text, Xapian::termpos start, Xapian::termcount weight) {
    std::string uni, bi;
    for (std::size_t i = 0; i < text.size(); ++i) {
        uni.clear();
        appendUtf8(uni, text[i]);
        doc.add_term(uni, weight);
        if (i + 1 < text.size()) {
            bi = uni;
            appendUtf8(bi, text[i + 1]);
            doc.add_posting(bi, start + static_cast<Xapian::termpos>(i), weight);
        }
    }
}

std::string nameOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

void appendEscaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\n': case '\r': case '\t': out += ' '; break;
            default: out += c;
        }
    }
}

// Moves `end` back over trailing whitespace (ASCII and the ideographic space U+3000).
std::uint32_t trimmedEnd(const std::string& text, std::uint32_t begin, std::uint32_t end) {
    while (end > begin) {
        unsigned char c = static_cast<unsigned char>(text[end - 1]);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            --end;
        } else if (end - begin >= 3 && text.compare(end - 3, 3, "\xE3\x80\x80") == 0) {
            end -= 3;
        } else {
            break;
        }
    }
    return end;
}

// A snippet of the original text around the first match, every match in the window
// marked. Offsets come from the normaliser's map, so matches found in normalised
// text are marked in the text as written (ＬＥＤ 化, ｺﾞﾐ).
std::string snippetOf(const std::string& fullText, const std::vector<std::u32string>& needles,
                      const NormaliseOptions& options, std::size_t hintByte = std::string::npos) {
    // Most matches are near the start: normalise a growing prefix (2 KB, 16 KB, all)
    // until one shows up, rather than the whole document for every hit.
    std::string original;
    Normalised n;
    std::vector<std::pair<std::size_t, std::size_t>> found;  // [from, to) in n.text
    auto boundary = [&](std::size_t at) {  // back to the start of a UTF-8 character
        at = std::min(at, fullText.size());
        while (at < fullText.size() && at > 0 && (static_cast<unsigned char>(fullText[at]) & 0xC0) == 0x80) --at;
        return at;
    };
    // With a hint (where the index says the match is), a 6 KB window around it is tried
    // first, then prefixes: 2 KB, 16 KB, everything.
    std::vector<std::pair<std::size_t, std::size_t>> tries;
    if (hintByte != std::string::npos && hintByte > 2048) {
        std::size_t from = boundary(hintByte > 3072 ? hintByte - 3072 : 0);
        std::size_t to = boundary(hintByte + 3072);
        // Start the window at a line start so a match's first characters are whole.
        auto nl = fullText.rfind('\n', from);
        if (nl != std::string::npos && from - nl < 512) from = nl + 1;
        tries.emplace_back(from, to > from ? to : fullText.size());
    }
    for (std::size_t limit : {std::size_t(2) << 10, std::size_t(16) << 10, fullText.size()}) {
        tries.emplace_back(0, boundary(limit));
    }
    std::size_t offset = 0;
    for (const auto& [from, cut] : tries) {
        offset = from;
        original = fullText.substr(from, cut - from);
        n = normalise(original, options);
        found.clear();
        for (const auto& needle : needles) {
            if (needle.empty()) continue;
            for (std::size_t at = n.text.find(needle); at != std::u32string::npos; at = n.text.find(needle, at + 1)) {
                found.emplace_back(at, at + needle.size());
                if (found.size() > 200) break;
            }
        }
        if (!found.empty() || (from == 0 && cut == fullText.size())) break;
    }
    std::sort(found.begin(), found.end());
    std::size_t first = found.empty() ? 0 : found.front().first;
    std::size_t from = first > 24 ? first - 24 : 0;
    std::size_t to = std::min(n.text.size(), from + 110);
    if (from >= to) return {};
    auto [begin, end] = n.sourceRange(from, to);
    std::string out;
    if (from > 0 || offset > 0) out += "…";
    std::uint32_t cursor = begin;
    for (const auto& [a, b] : found) {
        if (a < from || b > to) continue;
        auto [mb, me] = n.sourceRange(a, b);
        me = trimmedEnd(original, mb, me);  // whitespace the normaliser removed stays unmarked
        if (mb < cursor) continue;  // overlaps a match already marked
        appendEscaped(out, std::string_view(original).substr(cursor, mb - cursor));
        out += "<mark>";
        appendEscaped(out, std::string_view(original).substr(mb, me - mb));
        out += "</mark>";
        cursor = me;
    }
    appendEscaped(out, std::string_view(original).substr(cursor, end - cursor));
    if (to < n.text.size()) out += "…";
    return out;
}

class RightsDecider : public Xapian::MatchDecider {
public:
    explicit RightsDecider(const ReadableFn& readable) : readable_(readable) {}
    bool operator()(const Xapian::Document& doc) const override {
        std::string path = doc.get_value(kPathSlot);
        auto it = cache_.find(path);
        if (it != cache_.end()) return it->second;
        bool ok = readable_(path);
        cache_.emplace(path, ok);
        return ok;
    }

private:
    const ReadableFn& readable_;
    mutable std::unordered_map<std::string, bool> cache_;
};

}  // namespace

// ---- batches ---------------------------------------------------------------------------

struct SearchIndex::Batch::Impl {
    Xapian::WritableDatabase db;
    NormaliseOptions options;
    std::size_t documents = 0;  // since the last commit
    std::size_t textBytes = 0;
};

// Xapian keeps every change of a batch in memory until it commits; committing every few
// hundred documents keeps a reindex of a whole NAS in tens of megabytes.
constexpr std::size_t kCommitEveryDocuments = 200;
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
    Normalised nameText = normalise(name, impl_->options);
    indexText(doc, nameText.text, 1, kNameWeight);
    Normalised content = normalise(d.text, impl_->options);
    indexText(doc, content.text, kContentStart, 1);

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
    doc.set_data(pack(d, year, content.text.size()));
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

SearchIndex::SearchIndex(std::string dir, NormaliseOptions options) : dir_(std::move(dir)), options_(options) {
    Poco::File(dir_).createDirectories();
    if (!Poco::File(dir_ + "/CURRENT").exists()) {
        std::ofstream(dir_ + "/CURRENT.tmp") << "gen-1\n";
        std::rename((dir_ + "/CURRENT.tmp").c_str(), (dir_ + "/CURRENT").c_str());
    }
    Xapian::WritableDatabase(currentDir(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK).close();
}

SearchIndex::~SearchIndex() = default;

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
    return Batch(std::move(impl));
}

void SearchIndex::rebuild(const std::function<void(Batch&)>& fill) {
    std::lock_guard<std::mutex> guard(mutex_);
    std::string live = currentDir();
    std::string liveName = live.substr(live.rfind('/') + 1);
    int n = std::atoi(liveName.substr(4).c_str());
    std::string next = "gen-" + std::to_string(n + 1);
    const std::string building = dir_ + "/" + next + ".build";
    for (const auto& d : {building, dir_ + "/" + next}) {
        if (Poco::File(d).exists()) Poco::File(d).remove(true);
    }
    {
        auto impl = std::make_unique<Batch::Impl>();
        impl->options = options_;
        impl->db = Xapian::WritableDatabase(building, Xapian::DB_CREATE_OR_OVERWRITE);
        Batch b(std::move(impl));
        fill(b);
        b.commit();
    }
    // A compacted copy is smaller and faster to search; the build copy is dropped.
    Xapian::Database(building).compact(dir_ + "/" + next);
    Poco::File(building).remove(true);
    std::ofstream(dir_ + "/CURRENT.tmp") << next << "\n";
    if (std::rename((dir_ + "/CURRENT.tmp").c_str(), (dir_ + "/CURRENT").c_str()) != 0) {
        throw std::runtime_error("cannot switch to the rebuilt index");
    }
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

// A reader per thread, reopened (cheap) rather than opened for every search; a new
// generation after reindex is opened afresh.
Xapian::Database& SearchIndex::reader() const {
    thread_local std::map<const SearchIndex*, std::pair<std::string, Xapian::Database>> readers;
    std::string current = currentDir();
    auto it = readers.find(this);
    if (it == readers.end() || it->second.first != current) {
        readers[this] = {current, Xapian::Database(current)};
        return readers[this].second;
    }
    try {
        it->second.second.reopen();
    } catch (const Xapian::DatabaseError&) {
        it->second.second = Xapian::Database(current);
    }
    return it->second.second;
}

SearchResult SearchIndex::search(const SearchQuery& q, const ReadableFn& readable) const {
    SearchResult result;
    ParsedQuery parsed = parseQuery(q.text, options_);
    std::vector<Xapian::Query> must, mustNot, filters;
    for (const auto& term : parsed.include) must.push_back(termQuery(term));
    for (const auto& term : parsed.exclude) mustNot.push_back(termQuery(term));
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
    Xapian::Database& db = reader();
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    if (q.byDate) enquire.set_sort_by_value_then_relevance(kModifiedSlot, true);
    RightsDecider decider(readable);
    // Counting every candidate makes `total` exact (and only readable documents count).
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(q.offset),
                                         static_cast<Xapian::doccount>(std::min<std::size_t>(q.limit, 200)),
                                         db.get_doccount(), nullptr, &decider);
    result.total = mset.get_matches_estimated();
    std::vector<std::u32string> needles;
    for (const auto& term : parsed.include) {
        for (const auto& variant : term.variants) needles.push_back(variant);
    }
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Stored s = unpack(it.get_document().get_data());
        SearchHit hit;
        hit.path = s.path;
        hit.name = nameOf(s.path);
        hit.year = s.year;
        auto segs = segments(s.path);
        hit.category = segs.size() > 2 ? segs[1] : "";
        hit.type = s.type;
        hit.modifiedUs = s.modifiedUs;
        hit.score = it.get_weight();
        // Where the index saw the first query term in the content, in source bytes
        // (estimated from the normalised position: snippets only normalise near it).
        std::size_t hint = std::string::npos;
        if (s.normalisedChars > 0 && !parsed.include.empty()) {
            const std::u32string& first = parsed.include.front().variants.front();
            if (first.size() >= 2) {
                std::string bigram;
                appendUtf8(bigram, first[0]);
                appendUtf8(bigram, first[1]);
                try {
                    for (auto p = db.positionlist_begin(*it, bigram); p != db.positionlist_end(*it, bigram); ++p) {
                        if (*p < kContentStart) continue;
                        double ratio = static_cast<double>(s.textBytes) / static_cast<double>(s.normalisedChars);
                        hint = static_cast<std::size_t>((*p - kContentStart) * ratio);
                        break;
                    }
                } catch (const Xapian::Error&) {
                }
            }
        }
        hit.snippet = snippetOf(s.text, needles, options_, hint < s.text.size() ? hint : std::string::npos);
        if (hit.snippet.empty()) hit.snippet = snippetOf(hit.name, needles, options_);
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
