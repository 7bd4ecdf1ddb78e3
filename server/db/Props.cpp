#include "db/Props.h"

using namespace Poco::Data::Keywords;

namespace kiroku::db::props {

std::vector<PropRow> ofNode(Poco::Data::Session& s, Id node) {
    std::vector<std::string> ns, name, value;
    s << "SELECT ns, name, value FROM props WHERE node_id = ? ORDER BY ns, name", bind(node),
        into(ns), into(name), into(value), now;
    std::vector<PropRow> out;
    for (std::size_t i = 0; i < ns.size(); ++i) out.push_back({ns[i], name[i], value[i]});
    return out;
}

std::map<std::string, std::vector<PropRow>> ofFolderAndChildren(Poco::Data::Session& s, Id folder) {
    std::vector<std::string> path, ns, name, value;
    s << "SELECT n.path, p.ns, p.name, p.value FROM props p JOIN nodes n ON n.id = p.node_id "
         "WHERE (n.id = ? OR n.parent_id = ?) AND n.path IS NOT NULL",
        bind(folder), bind(folder), into(path), into(ns), into(name), into(value), now;
    std::map<std::string, std::vector<PropRow>> out;
    for (std::size_t i = 0; i < path.size(); ++i)
        out[path[i]].push_back({ns[i], name[i], value[i]});
    return out;
}

void set(Poco::Data::Session& s, Id node, const PropRow& prop) {
    PropRow p = prop;
    s << "INSERT INTO props (node_id, ns, name, value) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (node_id, ns, name) DO UPDATE SET value = excluded.value",
        use(node), use(p.ns), use(p.name), use(p.xml), now;
}

void remove(Poco::Data::Session& s, Id node, const std::string& ns, const std::string& name) {
    s << "DELETE FROM props WHERE node_id = ? AND ns = ? AND name = ?", bind(node), bind(ns),
        bind(name), now;
}

std::pair<std::int64_t, std::int64_t> usage(Poco::Data::Session& s, Id node) {
    std::int64_t count = 0, bytes = 0;
    s << "SELECT COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM props WHERE node_id = ?",
        bind(node), into(count), into(bytes), now;
    return {count, bytes};
}

void copy(Poco::Data::Session& s, Id from, Id to) {
    s << "INSERT INTO props (node_id, ns, name, value) SELECT ?, ns, name, value FROM props WHERE "
         "node_id = ? "
         "ON CONFLICT (node_id, ns, name) DO UPDATE SET value = excluded.value",
        bind(to), bind(from), now;
}

}  // namespace kiroku::db::props
