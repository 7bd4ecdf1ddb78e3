#include "db/Audit.h"

#include "db/Database.h"
#include "db/PathRange.h"

#include <Poco/Data/Statement.h>

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace kiroku::db::audit {

namespace {
const char* const kChangeActions = "('create', 'update', 'delete', 'move', 'copy', 'restore')";
}

void append(Poco::Data::Session& s, const AuditEvent& e) {
    AuditEvent v = e;
    if (v.at.empty()) v.at = nowIso();
    int clutter = v.clutter ? 1 : 0;
    s << "INSERT INTO audit (at, actor, roles, address, action, path, dest, result, clutter, "
         "node_id, dest_id, op)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(v.at), use(v.user), use(v.roles), use(v.address), use(v.action), use(v.path),
        use(v.dest), use(v.result), use(clutter), use(v.nodeId), use(v.destId), use(v.op), now;
}

namespace {

const char* const kEventColumns =
    "SELECT id, at, actor, roles, address, action, path, dest, result, node_id, dest_id FROM "
    "audit ";

// The events a statement selects (kEventColumns + the rest of `sql`), text arguments
// bound before the numbers.
std::vector<AuditEvent> events(Poco::Data::Session& s, const std::string& sql,
                               const std::vector<std::string>& text,
                               const std::vector<std::int64_t>& numbers) {
    std::vector<std::int64_t> id, node, dest;
    std::vector<std::string> at, user, roles, address, action, path, destPath, result;
    Poco::Data::Statement st(s);
    st << kEventColumns + sql, into(id), into(at), into(user), into(roles), into(address),
        into(action), into(path), into(destPath), into(result), into(node), into(dest);
    for (const auto& a : text) st, bind(a);
    for (const auto& n : numbers) st, bind(n);
    st.execute();
    std::vector<AuditEvent> out;
    out.reserve(id.size());
    for (std::size_t i = 0; i < id.size(); ++i) {
        AuditEvent e;
        e.id = id[i];
        e.at = std::move(at[i]);
        e.user = std::move(user[i]);
        e.roles = std::move(roles[i]);
        e.address = std::move(address[i]);
        e.action = std::move(action[i]);
        e.path = std::move(path[i]);
        e.dest = std::move(destPath[i]);
        e.result = std::move(result[i]);
        e.nodeId = node[i];
        e.destId = dest[i];
        out.push_back(std::move(e));
    }
    return out;
}

std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

}  // namespace

std::vector<AuditEvent> query(Poco::Data::Session& s, const AuditFilter& f) {
    std::string sql = "WHERE 1 = 1";
    std::vector<std::string> args;
    if (f.since) {
        sql += " AND at >= ?";
        args.push_back(*f.since);
    }
    if (f.until) {
        sql += " AND at < ?";
        args.push_back(*f.until);
    }
    if (f.changesOnly) {
        sql +=
            " AND result = 'ok' AND clutter = 0 AND action IN ('create', 'update', 'delete', "
            "'move', 'copy', 'mkcol', 'restore')";
    }
    if (f.user) {
        sql += " AND actor = ?";
        args.push_back(*f.user);
    }
    if (f.path && !f.path->empty()) {
        PathRange r(*f.path);
        sql += " AND (" + r.sql("path") + " OR " + r.sql("dest") + ")";
        for (int i = 0; i < 2; ++i) {
            args.push_back(r.self);
            args.push_back(r.lo);
            args.push_back(r.hi);
        }
    }
    sql += " ORDER BY id DESC LIMIT ?";
    return events(s, sql, args, {std::max<std::int64_t>(f.limit, 1)});
}

std::map<Id, AuditEvent> lastChanges(Poco::Data::Session& s, const std::vector<Id>& nodes) {
    // The newest event per node, found through the node and destination indexes: the
    // work follows the nodes asked about, not the length of the log. A copy's node_id
    // is its source, which the copy did not change.
    const std::string ok = " AND result = 'ok' AND clutter = 0";
    std::map<Id, Id> newest;  // node -> event id
    constexpr std::size_t kChunk = 400;
    for (std::size_t from = 0; from < nodes.size(); from += kChunk) {
        std::vector<Id> chunk(
            nodes.begin() + static_cast<std::ptrdiff_t>(from),
            nodes.begin() + static_cast<std::ptrdiff_t>(std::min(from + kChunk, nodes.size())));
        const std::string in = "(" + placeholders(chunk.size()) + ")";
        for (const char* column : {"node_id", "dest_id"}) {
            const std::string c = column;
            const bool byNode = c == "node_id";
            std::vector<Id> node, event;
            Poco::Data::Statement st(s);
            st << "SELECT " + c + ", MAX(id) FROM audit WHERE " + c + " IN " + in + " AND " + c +
                      " <> 0 AND action IN " +
                      (byNode ? "('create', 'update', 'mkcol', 'move', 'restore')"
                              : "('move', 'copy')") +
                      ok + " GROUP BY " + c,
                into(node), into(event);
            for (const auto& n : chunk) st, bind(n);
            st.execute();
            for (std::size_t i = 0; i < node.size(); ++i) {
                Id& best = newest[node[i]];
                best = std::max(best, event[i]);
            }
        }
    }
    std::map<Id, AuditEvent> out;
    std::vector<Id> ids;
    for (const auto& [node, event] : newest) ids.push_back(event);
    for (std::size_t from = 0; from < ids.size(); from += kChunk) {
        std::vector<Id> chunk(
            ids.begin() + static_cast<std::ptrdiff_t>(from),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(from + kChunk, ids.size())));
        for (auto& e : events(s, "WHERE id IN (" + placeholders(chunk.size()) + ")", {}, chunk)) {
            Id node = e.action == "copy" ? e.destId : e.nodeId;
            out.emplace(node, std::move(e));
        }
    }
    return out;
}

bool hasOp(Poco::Data::Session& s, const std::string& op) {
    std::vector<std::int64_t> found;
    s << "SELECT id FROM audit WHERE op = ? LIMIT 1", bind(op), into(found), now;
    return !found.empty();
}

std::vector<RecordedChange> changesAfter(Poco::Data::Session& s, std::int64_t cursor,
                                         std::int64_t limit) {
    std::vector<std::int64_t> id, clutter;
    std::vector<std::string> action, path, dest;
    s << std::string(
             "SELECT id, action, path, dest, clutter FROM audit WHERE id > ? AND result = 'ok' AND "
             "action IN ") +
             kChangeActions + " ORDER BY id LIMIT ?",
        bind(cursor), bind(limit), into(id), into(action), into(path), into(dest), into(clutter),
        now;
    std::vector<RecordedChange> out;
    for (std::size_t i = 0; i < id.size(); ++i)
        out.push_back({id[i], action[i], path[i], dest[i], clutter[i] != 0});
    return out;
}

std::int64_t countChangesAfter(Poco::Data::Session& s, std::int64_t cursor) {
    std::int64_t n = 0;
    s << std::string(
             "SELECT COUNT(*) FROM audit WHERE id > ? AND result = 'ok' AND clutter = 0 AND action "
             "IN ") +
             kChangeActions,
        bind(cursor), into(n), now;
    return n;
}

std::int64_t lastId(Poco::Data::Session& s) {
    std::int64_t n = 0;
    s << "SELECT COALESCE(MAX(id), 0) FROM audit", into(n), now;
    return n;
}

}  // namespace kiroku::db::audit
