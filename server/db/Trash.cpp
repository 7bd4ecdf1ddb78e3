#include "db/Trash.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace kiroku::db::trash {

namespace {

std::vector<TrashRow> select(Poco::Data::Session& s, const std::string& where,
                             std::optional<Id> arg) {
    std::vector<Id> id, node, isDir, size;
    std::vector<std::string> path, blob, deleted, by;
    Poco::Data::Statement st(s);
    st << "SELECT id, node_id, path, blob, is_dir, size, deleted, deleted_by FROM trash " + where,
        into(id), into(node), into(path), into(blob), into(isDir), into(size), into(deleted),
        into(by);
    if (arg) st, bind(*arg);
    st.execute();
    std::vector<TrashRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back(
            {id[i], node[i], path[i], blob[i], isDir[i] != 0, size[i], deleted[i], by[i]});
    }
    return out;
}

}  // namespace

Id add(Poco::Data::Session& s, const TrashRow& r) {
    Id id = 0;
    TrashRow t = r;
    int dir = t.isDir ? 1 : 0;
    s << "INSERT INTO trash (node_id, path, blob, is_dir, size, deleted, deleted_by) VALUES (?, ?, "
         "?, ?, ?, ?, ?) "
         "RETURNING id",
        use(t.nodeId), use(t.path), use(t.blob), use(dir), use(t.size), use(t.deleted),
        use(t.deletedBy), into(id), now;
    return id;
}

std::vector<TrashRow> all(Poco::Data::Session& s) {
    return select(s, "ORDER BY id DESC", std::nullopt);
}

std::optional<TrashRow> byId(Poco::Data::Session& s, Id id) {
    auto rows = select(s, "WHERE id = ?", id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<TrashRow> deletedBefore(Poco::Data::Session& s, const std::string& iso) {
    std::vector<Id> id, node, isDir, size;
    std::vector<std::string> path, blob, deleted, by;
    s << "SELECT id, node_id, path, blob, is_dir, size, deleted, deleted_by FROM trash WHERE "
         "deleted < ? ORDER BY id",
        bind(iso), into(id), into(node), into(path), into(blob), into(isDir), into(size),
        into(deleted), into(by), now;
    std::vector<TrashRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back(
            {id[i], node[i], path[i], blob[i], isDir[i] != 0, size[i], deleted[i], by[i]});
    }
    return out;
}

void remove(Poco::Data::Session& s, Id id) { s << "DELETE FROM trash WHERE id = ?", bind(id), now; }

std::vector<std::string> blobs(Poco::Data::Session& s) {
    std::vector<std::string> out;
    s << "SELECT blob FROM trash", into(out), now;
    return out;
}

}  // namespace kiroku::db::trash
