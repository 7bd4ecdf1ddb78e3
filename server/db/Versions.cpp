#include "db/Versions.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace kiroku::db::versions {

namespace {

std::vector<VersionRow> select(Poco::Data::Session& s, const std::string& where, Id arg) {
    std::vector<Id> id, node, size;
    std::vector<std::string> blob, modified, saved, by;
    std::vector<std::string> label;
    std::vector<Poco::Nullable<std::string>> path;
    s << "SELECT v.id, v.node_id, v.blob, v.size, v.modified, v.saved, v.saved_by, n.path, "
         "v.label FROM versions v JOIN nodes n ON n.id = v.node_id " +
             where,
        bind(arg), into(id), into(node), into(blob), into(size), into(modified), into(saved),
        into(by), into(path), into(label), now;
    std::vector<VersionRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], node[i], blob[i], size[i], modified[i], saved[i], by[i],
                       path[i].isNull() ? std::string() : path[i].value(), label[i]});
    }
    return out;
}

}  // namespace

Id add(Poco::Data::Session& s, const VersionRow& r) {
    Id id = 0;
    VersionRow v = r;
    s << "INSERT INTO versions (node_id, blob, size, modified, saved, saved_by) VALUES (?, ?, ?, "
         "?, ?, ?) "
         "RETURNING id",
        use(v.nodeId), use(v.blob), use(v.size), use(v.modified), use(v.saved), use(v.savedBy),
        into(id), now;
    return id;
}

std::vector<VersionRow> ofNode(Poco::Data::Session& s, Id node) {
    return select(s, "WHERE v.node_id = ? ORDER BY v.id DESC", node);
}

std::optional<VersionRow> byId(Poco::Data::Session& s, Id id) {
    auto rows = select(s, "WHERE v.id = ?", id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<std::string> dropOldest(Poco::Data::Session& s, Id node, int keep) {
    std::vector<std::string> blobs;
    std::int64_t k = std::max(keep, 0);
    s << "DELETE FROM versions WHERE node_id = ? AND label = '' AND id NOT IN "
         "(SELECT id FROM versions WHERE node_id = ? AND label = '' ORDER BY id DESC LIMIT ?) "
         "RETURNING blob",
        bind(node), bind(node), bind(k), into(blobs), now;
    return blobs;
}

void setLabel(Poco::Data::Session& s, Id id, const std::string& label) {
    s << "UPDATE versions SET label = ? WHERE id = ?", bind(label), bind(id), now;
}

void remove(Poco::Data::Session& s, Id id) {
    s << "DELETE FROM versions WHERE id = ?", bind(id), now;
}

std::vector<VersionRow> all(Poco::Data::Session& s) {
    std::vector<Id> id, node, size;
    std::vector<std::string> blob, modified, saved, by;
    std::vector<Poco::Nullable<std::string>> path;
    s << "SELECT v.id, v.node_id, v.blob, v.size, v.modified, v.saved, v.saved_by, n.path "
         "FROM versions v JOIN nodes n ON n.id = v.node_id ORDER BY v.id",
        into(id), into(node), into(blob), into(size), into(modified), into(saved), into(by),
        into(path), now;
    std::vector<VersionRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], node[i], blob[i], size[i], modified[i], saved[i], by[i],
                       path[i].isNull() ? std::string() : path[i].value()});
    }
    return out;
}

std::vector<std::string> blobs(Poco::Data::Session& s) {
    std::vector<std::string> out;
    s << "SELECT blob FROM versions", into(out), now;
    return out;
}

}  // namespace kiroku::db::versions
