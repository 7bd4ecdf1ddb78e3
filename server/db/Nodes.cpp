#include "db/Nodes.h"

#include "db/Database.h"
#include "db/PathRange.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <iterator>

using namespace Poco::Data::Keywords;

namespace kiroku::db::nodes {

namespace {

std::vector<NodeRow> select(Poco::Data::Session& s, const std::string& where,
                            const std::vector<std::string>& text, const std::vector<Id>& ids) {
    std::vector<Id> id, parent, isDir;
    std::vector<std::string> name;
    std::vector<Poco::Nullable<std::string>> path;
    Poco::Data::Statement st(s);
    st << "SELECT id, COALESCE(parent_id, 0), name, path, is_dir FROM nodes " + where, into(id),
        into(parent), into(name), into(path), into(isDir);
    for (const auto& t : text) st, bind(t);
    for (const auto& i : ids) st, bind(i);
    st.execute();
    std::vector<NodeRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        NodeRow r{id[i], parent[i], name[i], std::nullopt, isDir[i] != 0};
        if (!path[i].isNull()) r.path = path[i].value();
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::optional<NodeRow> byPath(Poco::Data::Session& s, const std::string& path) {
    auto rows = select(s, "WHERE path = ?", {path}, {});
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<NodeRow> byId(Poco::Data::Session& s, Id id) {
    auto rows = select(s, "WHERE id = ?", {}, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<NodeRow> byPaths(Poco::Data::Session& s, const std::vector<std::string>& paths) {
    std::vector<NodeRow> out;
    constexpr std::size_t kChunk = 400;
    for (std::size_t from = 0; from < paths.size(); from += kChunk) {
        std::vector<std::string> chunk(
            paths.begin() + static_cast<std::ptrdiff_t>(from),
            paths.begin() + static_cast<std::ptrdiff_t>(std::min(from + kChunk, paths.size())));
        std::string in;
        for (std::size_t i = 0; i < chunk.size(); ++i) in += i ? ", ?" : "?";
        auto rows = select(s, "WHERE path IN (" + in + ")", chunk, {});
        std::move(rows.begin(), rows.end(), std::back_inserter(out));
    }
    return out;
}

Id create(Poco::Data::Session& s, Id parent, const std::string& name, const std::string& path,
          bool isDir) {
    Id id = 0;
    int dir = isDir ? 1 : 0;
    std::string n = name, p = path, at = nowIso();
    s << "INSERT INTO nodes (parent_id, name, path, is_dir, created) VALUES (?, ?, ?, ?, ?) "
         "RETURNING id",
        use(parent), use(n), use(p), use(dir), use(at), into(id), now;
    return id;
}

Id createDetached(Poco::Data::Session& s, const std::string& name, bool isDir) {
    Id id = 0;
    int dir = isDir ? 1 : 0;
    std::string at = nowIso();
    s << "INSERT INTO nodes (parent_id, name, path, is_dir, created) VALUES (NULL, ?, NULL, ?, ?) "
         "RETURNING id",
        bind(name), bind(dir), bind(at), into(id), now;
    return id;
}

Id ensure(Poco::Data::Session& s, const std::vector<std::string>& segments, bool isDir) {
    if (segments.empty()) return kRootNode;
    std::string full;
    for (const auto& seg : segments) full += (full.empty() ? "" : "/") + seg;
    if (auto row = byPath(s, full)) {
        if (row->isDir != isDir) {
            int dir = isDir ? 1 : 0;
            Id id = row->id;
            s << "UPDATE nodes SET is_dir = ? WHERE id = ?", use(dir), use(id), now;
        }
        return row->id;
    }
    Id parent = kRootNode;
    std::string path;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        path += (path.empty() ? "" : "/") + segments[i];
        bool last = i + 1 == segments.size();
        auto row = last ? std::nullopt : byPath(s, path);
        if (row) {
            if (!row->isDir) {
                Id id = row->id;
                s << "UPDATE nodes SET is_dir = 1 WHERE id = ?", use(id), now;
            }
            parent = row->id;
        } else {
            parent = create(s, parent, segments[i], path, last ? isDir : true);
        }
    }
    return parent;
}

std::vector<NodeRow> children(Poco::Data::Session& s, Id parent) {
    return select(s, "WHERE parent_id = ? AND path IS NOT NULL ORDER BY name", {}, {parent});
}

std::vector<Id> subtree(Poco::Data::Session& s, Id id) {
    std::vector<Id> out;
    s << "WITH RECURSIVE sub (id) AS (SELECT id FROM nodes WHERE id = ? "
         "UNION ALL SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id) SELECT id FROM sub",
        bind(id), into(out), now;
    return out;
}

void place(Poco::Data::Session& s, Id id, Id parent, const std::string& name,
           const std::string& path) {
    // Stale rows where the subtree goes (their files are gone: removed by hand, or rows
    // an upgrade made for versions kept by path) make way first.
    std::vector<std::pair<Id, std::string>> stale;
    {
        PathRange r(path);
        std::vector<Id> ids;
        std::vector<std::string> paths;
        s << "SELECT id, path FROM nodes WHERE " + r.sql("path"), bind(r.self), bind(r.lo),
            bind(r.hi), into(ids), into(paths), now;
        auto mine = subtree(s, id);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (std::find(mine.begin(), mine.end(), ids[i]) != mine.end()) continue;
            s << "UPDATE nodes SET path = NULL, parent_id = NULL WHERE id = ?", bind(ids[i]), now;
            stale.emplace_back(ids[i], paths[i]);
        }
    }
    // Paths below the node are its path and the names on the way down: no arithmetic
    // on the old paths, which may be NULL (a folder coming back from the trash).
    s << "UPDATE nodes SET parent_id = ?, name = ?, path = NULL WHERE id = ?", bind(parent),
        bind(name), bind(id), now;
    s << "WITH RECURSIVE sub (id, path) AS (SELECT id, ? FROM nodes WHERE id = ? "
         "UNION ALL SELECT n.id, CASE WHEN sub.path = '' THEN n.name ELSE sub.path || '/' || "
         "n.name END "
         "FROM nodes n JOIN sub ON n.parent_id = sub.id) "
         "UPDATE nodes SET path = (SELECT sub.path FROM sub WHERE sub.id = nodes.id) "
         "WHERE id IN (SELECT id FROM sub)",
        bind(path), bind(id), now;
    // The versions a stale row kept belong to what now has its path.
    for (const auto& [old, p] : stale) {
        if (auto now_ = byPath(s, p)) {
            s << "UPDATE versions SET node_id = ? WHERE node_id = ?", bind(now_->id), bind(old),
                now;
        }
    }
}

void detach(Poco::Data::Session& s, Id id) {
    s << "WITH RECURSIVE sub (id) AS (SELECT id FROM nodes WHERE id = ? "
         "UNION ALL SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id) "
         "UPDATE nodes SET path = NULL WHERE id IN (SELECT id FROM sub)",
        bind(id), now;
    s << "UPDATE nodes SET parent_id = NULL WHERE id = ?", bind(id), now;
}

void retireWithin(Poco::Data::Session& s, const std::string& path) {
    PathRange r(path);
    s << "UPDATE nodes SET path = NULL, parent_id = NULL WHERE " + r.sql("path"), bind(r.self),
        bind(r.lo), bind(r.hi), now;
}

std::vector<std::string> forgetSubtree(Poco::Data::Session& s, Id id) {
    std::vector<std::string> blobs;
    for (Id n : subtree(s, id)) {
        std::vector<std::string> b;
        s << "DELETE FROM versions WHERE node_id = ? RETURNING blob", bind(n), into(b), now;
        blobs.insert(blobs.end(), b.begin(), b.end());
        s << "DELETE FROM props WHERE node_id = ?", bind(n), now;
        s << "DELETE FROM acl_entries WHERE node_id = ?", bind(n), now;
        s << "DELETE FROM folder_rules WHERE node_id = ?", bind(n), now;
    }
    return blobs;
}

std::vector<NodeRow> live(Poco::Data::Session& s) {
    return select(s, "WHERE path IS NOT NULL ORDER BY path", {}, {});
}

}  // namespace kiroku::db::nodes
