#include "db/Governance.h"

#include "db/Database.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace kiroku::db::governance {

std::vector<OrgRow> orgs(Poco::Data::Session& s) {
    std::vector<Id> id, parent;
    std::vector<std::string> name, kind;
    s << "SELECT id, name, kind, COALESCE(parent_id, 0) FROM organisations ORDER BY id", into(id),
        into(name), into(kind), into(parent), now;
    std::vector<OrgRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) out.push_back({id[i], name[i], kind[i], parent[i]});
    return out;
}

Id addOrg(Poco::Data::Session& s, const std::string& name, const std::string& kind, Id parent) {
    Id id = 0;
    std::string at = nowIso();
    Poco::Nullable<Id> p;
    if (parent) p = parent;
    s << "INSERT INTO organisations (name, kind, parent_id, created) VALUES (?, ?, ?, ?) RETURNING "
         "id",
        bind(name), bind(kind), bind(p), bind(at), into(id), now;
    return id;
}

void renameOrg(Poco::Data::Session& s, Id id, const std::string& name) {
    s << "UPDATE organisations SET name = ? WHERE id = ?", bind(name), bind(id), now;
}

void setOrgParent(Poco::Data::Session& s, Id id, Id parent) {
    s << "UPDATE organisations SET parent_id = ? WHERE id = ?", bind(parent), bind(id), now;
}

std::vector<AssignmentRow> assignments(Poco::Data::Session& s) {
    std::vector<Id> id, user, org, renewedFrom;
    std::vector<std::string> userName, role, start, end;
    s << "SELECT a.id, a.user_id, u.name, a.org_id, a.role, a.start_date, a.end_date, "
         "a.renewed_from FROM role_assignments a "
         "JOIN users u ON u.id = a.user_id ORDER BY a.start_date, a.id",
        into(id), into(user), into(userName), into(org), into(role), into(start), into(end),
        into(renewedFrom), now;
    std::vector<AssignmentRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back(
            {id[i], user[i], userName[i], org[i], role[i], start[i], end[i], renewedFrom[i]});
    }
    return out;
}

Id addAssignment(Poco::Data::Session& s, Id user, Id org, const std::string& role,
                 const std::string& start, const std::string& end, Id renewedFrom) {
    Id id = 0;
    std::string at = nowIso();
    s << "INSERT INTO role_assignments (user_id, org_id, role, start_date, end_date, created, "
         "renewed_from) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        bind(user), bind(org), bind(role), bind(start), bind(end), bind(at), bind(renewedFrom),
        into(id), now;
    return id;
}

void setAssignmentEnd(Poco::Data::Session& s, Id id, const std::string& end) {
    s << "UPDATE role_assignments SET end_date = ? WHERE id = ?", bind(end), bind(id), now;
}

void deleteAssignment(Poco::Data::Session& s, Id id) {
    s << "DELETE FROM role_assignments WHERE id = ?", bind(id), now;
}

std::vector<EntryRow> entries(Poco::Data::Session& s) {
    std::vector<Id> id, node, org, user;
    std::vector<std::string> path, principal, role, rights;
    s << "SELECT e.id, e.node_id, n.path, e.principal, e.org_id, e.role, e.user_id, e.rights "
         "FROM acl_entries e JOIN nodes n ON n.id = e.node_id WHERE n.path IS NOT NULL ORDER BY "
         "e.id",
        into(id), into(node), into(path), into(principal), into(org), into(role), into(user),
        into(rights), now;
    std::vector<EntryRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], node[i], path[i], principal[i], org[i], role[i], user[i], rights[i]});
    }
    return out;
}

std::vector<RuleRow> rules(Poco::Data::Session& s) {
    std::vector<Id> node, prot, audited;
    std::vector<std::string> path;
    s << "SELECT r.node_id, n.path, r.protected, r.audit_reads FROM folder_rules r "
         "JOIN nodes n ON n.id = r.node_id WHERE n.path IS NOT NULL",
        into(node), into(path), into(prot), into(audited), now;
    std::vector<RuleRow> out;
    for (std::size_t i = 0; i < node.size(); ++i)
        out.push_back({node[i], path[i], prot[i] != 0, audited[i] != 0});
    return out;
}

void putEntry(Poco::Data::Session& s, const EntryRow& e) {
    EntryRow v = e;
    s << "INSERT INTO acl_entries (node_id, principal, org_id, role, user_id, rights) VALUES (?, "
         "?, ?, ?, ?, ?) "
         "ON CONFLICT (node_id, principal, org_id, role, user_id) DO UPDATE SET rights = "
         "excluded.rights",
        use(v.nodeId), use(v.principal), use(v.orgId), use(v.role), use(v.userId), use(v.rights),
        now;
}

bool deleteEntry(Poco::Data::Session& s, const EntryRow& e) {
    EntryRow v = e;
    std::vector<Id> gone;
    s << "DELETE FROM acl_entries WHERE node_id = ? AND principal = ? AND org_id = ? AND role = ? "
         "AND user_id = ? "
         "RETURNING id",
        use(v.nodeId), use(v.principal), use(v.orgId), use(v.role), use(v.userId), into(gone), now;
    return !gone.empty();
}

namespace {

void setRule(Poco::Data::Session& s, Id node, const char* column, bool on) {
    int flag = on ? 1 : 0;
    s << std::string("INSERT INTO folder_rules (node_id, ") + column +
             ") VALUES (?, ?) ON CONFLICT (node_id) DO UPDATE SET " + column + " = excluded." +
             column,
        bind(node), bind(flag), now;
    s << "DELETE FROM folder_rules WHERE node_id = ? AND protected = 0 AND audit_reads = 0",
        bind(node), now;
}

}  // namespace

void setProtected(Poco::Data::Session& s, Id node, bool on) { setRule(s, node, "protected", on); }

void setAuditReads(Poco::Data::Session& s, Id node, bool on) {
    setRule(s, node, "audit_reads", on);
}

bool hasRulesWithin(Poco::Data::Session& s, Id node) {
    std::vector<Id> found;
    s << "WITH RECURSIVE sub (id) AS (SELECT id FROM nodes WHERE id = ? "
         "UNION ALL SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id) "
         "SELECT sub.id FROM sub WHERE EXISTS (SELECT 1 FROM acl_entries e WHERE e.node_id = "
         "sub.id) "
         "OR EXISTS (SELECT 1 FROM folder_rules r WHERE r.node_id = sub.id) LIMIT 1",
        bind(node), into(found), now;
    return !found.empty();
}

}  // namespace kiroku::db::governance
