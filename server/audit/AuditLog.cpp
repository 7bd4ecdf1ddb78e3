#include "audit/AuditLog.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace kiroku::audit {

void append(Poco::Data::Session& s, const AuditEvent& e, bool clutter) {
    std::string at = e.at.empty() ? nowIso() : e.at;
    AuditEvent v = e;
    int c = clutter ? 1 : 0;
    s << "INSERT INTO audit (at, user, roles, address, action, path, dest, result, clutter)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(at), use(v.user), use(v.roles), use(v.address), use(v.action), use(v.path), use(v.dest),
        use(v.result), use(c), now;
}

std::vector<AuditEvent> query(Database& db, const AuditFilter& f) {
    std::string sql = "SELECT id, at, user, roles, address, action, path, dest, result FROM audit WHERE 1 = 1";
    std::vector<std::string> args;
    if (f.since) {
        sql += " AND at >= ?";
        args.push_back(*f.since);
    }
    if (f.user) {
        sql += " AND user = ?";
        args.push_back(*f.user);
    }
    if (f.path && !f.path->empty()) {
        sql += " AND (path = ? OR (path >= ? AND path < ?) OR dest = ? OR (dest >= ? AND dest < ?))";
        for (int i = 0; i < 2; ++i) {
            args.push_back(*f.path);
            args.push_back(*f.path + "/");
            args.push_back(*f.path + "0");
        }
    }
    sql += " ORDER BY id DESC LIMIT " + std::to_string(std::max(f.limit, 1));
    std::vector<std::int64_t> id;
    std::vector<std::string> at, user, roles, address, action, path, dest, result;
    auto lease = db.lease();
    Poco::Data::Statement st(**lease);
    st << sql, into(id), into(at), into(user), into(roles), into(address), into(action), into(path), into(dest),
        into(result);
    for (auto& a : args) st, use(a);
    st.execute();
    std::vector<AuditEvent> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], at[i], user[i], roles[i], address[i], action[i], path[i], dest[i], result[i]});
    }
    return out;
}

}  // namespace kiroku::audit
