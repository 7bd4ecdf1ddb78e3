#include "db/IndexState.h"

#include "db/Database.h"
#include "db/Meta.h"

using namespace Poco::Data::Keywords;

namespace kiroku::db::indexstate {

std::int64_t cursor(Poco::Data::Session& s) {
    auto v = meta::get(s, "index_cursor");
    return v ? std::atoll(v->c_str()) : 0;
}

void setCursor(Poco::Data::Session& s, std::int64_t id) {
    meta::set(s, "index_cursor", std::to_string(id));
}

void recordFailure(Poco::Data::Session& s, const std::string& path, const std::string& reason) {
    std::string at = nowIso();
    s << "INSERT INTO index_failures (path, reason, at) VALUES (?, ?, ?) "
         "ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, at = excluded.at",
        bind(path), bind(reason), bind(at), now;
}

void clearFailure(Poco::Data::Session& s, const std::string& path) {
    // Reading first: a write would make parallel indexers queue for the write lock.
    std::int64_t failed = 0;
    s << "SELECT COUNT(*) FROM index_failures WHERE path = ?", bind(path), into(failed), now;
    if (failed) s << "DELETE FROM index_failures WHERE path = ?", bind(path), now;
}

std::int64_t failureCount(Poco::Data::Session& s) {
    std::int64_t n = 0;
    s << "SELECT COUNT(*) FROM index_failures", into(n), now;
    return n;
}

std::vector<Failure> failures(Poco::Data::Session& s, std::int64_t limit) {
    std::vector<std::string> path, reason, at;
    s << "SELECT path, reason, at FROM index_failures ORDER BY path LIMIT ?", bind(limit),
        into(path), into(reason), into(at), now;
    std::vector<Failure> out;
    for (std::size_t i = 0; i < path.size(); ++i) out.push_back({path[i], reason[i], at[i]});
    return out;
}

void queueOcr(Poco::Data::Session& s, const std::string& path) {
    std::string at = nowIso();
    s << "INSERT INTO ocr_queue (path, queued) VALUES (?, ?) ON CONFLICT (path) DO NOTHING",
        bind(path), bind(at), now;
}

bool ocrQueued(Poco::Data::Session& s, const std::string& path) {
    std::int64_t queued = 0;
    s << "SELECT COUNT(*) FROM ocr_queue WHERE path = ?", bind(path), into(queued), now;
    return queued > 0;
}

void unqueueOcr(Poco::Data::Session& s, const std::string& path) {
    // Reading first: a write would make parallel indexers queue for the write lock.
    if (ocrQueued(s, path)) s << "DELETE FROM ocr_queue WHERE path = ?", bind(path), now;
}

std::vector<std::string> ocrQueue(Poco::Data::Session& s, std::int64_t limit) {
    std::vector<std::string> paths;
    s << "SELECT path FROM ocr_queue ORDER BY queued, path LIMIT ?", bind(limit), into(paths), now;
    return paths;
}

std::int64_t ocrQueueLength(Poco::Data::Session& s) {
    std::int64_t n = 0;
    s << "SELECT COUNT(*) FROM ocr_queue", into(n), now;
    return n;
}

}  // namespace kiroku::db::indexstate
