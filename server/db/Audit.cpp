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

std::vector<AuditEvent> query(Poco::Data::Session& s, const AuditFilter& f) {
    std::string sql =
        "SELECT id, at, actor, roles, address, action, path, dest, result, node_id, dest_id FROM "
        "audit WHERE 1 = 1";
    std::vector<std::string> args;
    if (f.since) {
        sql += " AND at >= ?";
        args.push_back(*f.since);
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
    std::int64_t limit = std::max(f.limit, 1);
    std::vector<std::int64_t> id, node, dest;
    std::vector<std::string> at, user, roles, address, action, path, destPath, result;
    Poco::Data::Statement st(s);
    st << sql, into(id), into(at), into(user), into(roles), into(address), into(action), into(path),
        into(destPath), into(result), into(node), into(dest);
    for (auto& a : args) st, use(a);
    st, use(limit);
    st.execute();
    std::vector<AuditEvent> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        AuditEvent e;
        e.id = id[i];
        e.at = at[i];
        e.user = user[i];
        e.roles = roles[i];
        e.address = address[i];
        e.action = action[i];
        e.path = path[i];
        e.dest = destPath[i];
        e.result = result[i];
        e.nodeId = node[i];
        e.destId = dest[i];
        out.push_back(std::move(e));
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
