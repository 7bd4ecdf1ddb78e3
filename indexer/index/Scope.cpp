#include "index/Scope.h"

#include "index/Schema.h"

#include <vector>

namespace kiroku::indexer {

bool ReadableScope::readable(const std::string& path) const {
    if (points.empty()) return atRoot;
    // The nearest point at or above: the path itself, then each folder above it.
    std::string p = path;
    for (;;) {
        auto it = points.find(p);
        if (it != points.end()) return it->second;
        auto slash = p.rfind('/');
        if (slash == std::string::npos) return atRoot;
        p.resize(slash);
    }
}

namespace {

// The decision above `path` (its nearest proper ancestor point, else the root's).
bool decisionAbove(const ReadableScope& scope, const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? scope.atRoot : scope.readable(path.substr(0, slash));
}

// The nearest proper ancestor of `path` among `points`, or "" for the root.
std::string parentPoint(const std::map<std::string, bool>& points, std::string path) {
    for (;;) {
        auto slash = path.rfind('/');
        if (slash == std::string::npos) return {};
        path.resize(slash);
        if (points.count(path)) return path;
    }
}

// A folder and everything below it, or a document itself.
Xapian::Query subtree(const std::string& path) {
    return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(boolTerm(kFolderPrefix, path)),
                         Xapian::Query(boolTerm(kIdPrefix, path)));
}

Xapian::Query anyOf(std::vector<Xapian::Query>& queries) {
    return Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end());
}

}  // namespace

ReadableScope simplified(const ReadableScope& scope) {
    ReadableScope out;
    out.atRoot = scope.atRoot;
    out.confirm = scope.confirm;
    for (const auto& [path, readable] : scope.points) {
        if (!path.empty() && readable != decisionAbove(scope, path))
            out.points.emplace(path, readable);
    }
    return out;
}

std::string scopeKey(const ReadableScope& s) {
    std::string key = s.atRoot ? "+" : "-";
    for (const auto& [path, readable] : s.points) {
        key += readable ? '+' : '-';
        key += path;
        key += '\0';
    }
    return key;
}

std::optional<Xapian::Query> scopeFilter(const ReadableScope& s) {
    if (s.points.empty()) {
        if (s.atRoot) return std::nullopt;
        return Xapian::Query();  // nothing
    }
    // Each point decides its region: its subtree less the subtrees of the points below.
    std::map<std::string, std::vector<Xapian::Query>> below;  // point ("" = root) -> child subtrees
    for (const auto& [path, readable] : s.points)
        below[parentPoint(s.points, path)].push_back(subtree(path));
    std::vector<Xapian::Query> regions;
    auto region = [&](const std::string& point, Xapian::Query whole) {
        auto it = below.find(point);
        if (it == below.end()) return whole;
        return Xapian::Query(Xapian::Query::OP_AND_NOT, whole, anyOf(it->second));
    };
    // Every document: the empty term (a fresh query each time; see QueryTerms.cpp).
    if (s.atRoot) regions.push_back(region("", Xapian::Query(std::string())));
    for (const auto& [path, readable] : s.points) {
        if (readable) regions.push_back(region(path, subtree(path)));
    }
    if (regions.empty()) return Xapian::Query();
    return anyOf(regions);
}

Xapian::doccount countMatching(Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::MSet none = enquire.get_mset(0, 0, db.get_doccount());
    return none.get_matches_estimated();
}

namespace {

// Sums the lengths of the documents a match sees.
class LengthSum : public Xapian::MatchSpy {
public:
    explicit LengthSum(Xapian::Database& db) : db_(db) {}
    void operator()(const Xapian::Document& doc, double) override {
        sum += db_.get_doclength(doc.get_docid());
    }
    double sum = 0;

private:
    Xapian::Database& db_;
};

double lengthOf(Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    LengthSum spy(db);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db.get_doccount());
    return spy.sum;
}

}  // namespace

ScopeStats ScopeStatsCache::get(Xapian::Database& db, const std::string& state,
                                const std::string& key,
                                const std::optional<Xapian::Query>& filter) {
    if (!filter) return {db.get_doccount(), db.get_avlength()};
    const std::string k = state + key;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = stats_.find(k);
        if (it != stats_.end()) return it->second;
    }
    ScopeStats st;
    st.documents = countMatching(db, *filter);
    const Xapian::doccount all = db.get_doccount();
    double length = 0;
    if (st.documents > 0 && st.documents <= all / 2) {
        length = lengthOf(db, *filter);
    } else if (st.documents > 0) {
        Xapian::Query hidden(Xapian::Query::OP_AND_NOT, Xapian::Query(std::string()), *filter);
        length = static_cast<double>(db.get_total_length()) - lengthOf(db, hidden);
    }
    st.averageLength = st.documents ? length / st.documents : 0;
    std::lock_guard<std::mutex> lock(mutex_);
    roomFor(k);
    stats_.emplace(k, st);
    return st;
}

Xapian::doccount ScopeStatsCache::frequency(const std::string& state, const std::string& key,
                                            const std::string& name,
                                            const std::function<Xapian::doccount()>& count) {
    std::string k = state;
    k += key;
    k += '\0';
    k += name;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = frequencies_.find(k);
        if (it != frequencies_.end()) return it->second;
    }
    Xapian::doccount n = count();
    std::lock_guard<std::mutex> lock(mutex_);
    roomFor(k);
    frequencies_.emplace(std::move(k), n);
    return n;
}

std::optional<ScopeStatsCache::Total> ScopeStatsCache::total(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = totals_.find(key);
    if (it == totals_.end()) return std::nullopt;
    return it->second;
}

void ScopeStatsCache::rememberTotal(const std::string& key, Total t) {
    std::lock_guard<std::mutex> lock(mutex_);
    roomFor(key);
    totals_[key] = t;
}

std::shared_ptr<const ScopeStatsCache::Ranking> ScopeStatsCache::ranking(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rankings_.find(key);
    if (it == rankings_.end()) return nullptr;
    return it->second;
}

void ScopeStatsCache::rememberRanking(const std::string& key, Ranking r) {
    auto kept = std::make_shared<const Ranking>(std::move(r));
    std::lock_guard<std::mutex> lock(mutex_);
    const std::size_t more = kept->hits.size() * sizeof(kept->hits[0]);
    if (key.size() + 64 + more > maxBytes_) return;  // would not fit even alone
    roomFor(key, more);
    rankings_[key] = std::move(kept);
}

void ScopeStatsCache::roomFor(const std::string& key, std::size_t more) {
    const std::size_t entry = key.size() + 64 + more;
    if (bytes_ + entry > maxBytes_) {
        stats_.clear();
        frequencies_.clear();
        totals_.clear();
        rankings_.clear();
        bytes_ = 0;
    }
    bytes_ += entry;
}

std::size_t ScopeStatsCache::bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

}  // namespace kiroku::indexer
