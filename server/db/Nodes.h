#pragma once
// Table `nodes`: a stable id for every file and folder Kiroku knows. Everything else
// that belongs to a document or folder (permission entries, protection, dead
// properties, versions, trash entries, audit rows) refers to its id, so it follows the
// document through MOVE and rename. `path` is the node's current path (DocPath::str(),
// "" for the root), kept here and nowhere else; it is NULL while the node is in the
// trash or after the file vanished from the disk. Ids are never reused.
//
// Functions take the caller's session, usually a Transaction's, and are not
// synchronised beyond what the transaction gives.

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiroku::db {

using Id = std::int64_t;
constexpr Id kRootNode = 1;

struct NodeRow {
    Id id = 0;
    Id parentId = 0;  // 0 for the root and for nodes in the trash
    std::string name;
    std::optional<std::string> path;
    bool isDir = false;
};

namespace nodes {

std::optional<NodeRow> byPath(Poco::Data::Session& s, const std::string& path);
std::optional<NodeRow> byId(Poco::Data::Session& s, Id id);
// The live nodes at these paths (in no particular order; paths without one are left out).
std::vector<NodeRow> byPaths(Poco::Data::Session& s, const std::vector<std::string>& paths);

// The id of the node at the path given by its segments, creating rows for it and
// for missing folders above it. A row of the other kind (file/folder) is corrected.
Id ensure(Poco::Data::Session& s, const std::vector<std::string>& segments, bool isDir);

// Live children of a folder.
std::vector<NodeRow> children(Poco::Data::Session& s, Id parent);

// Ids of a node and everything below it, the node first.
std::vector<Id> subtree(Poco::Data::Session& s, Id id);

// Creates a node below `parent` (a new id).
Id create(Poco::Data::Session& s, Id parent, const std::string& name, const std::string& path,
          bool isDir);

// Creates a node outside the tree (a trash entry made from a file found by a check).
Id createDetached(Poco::Data::Session& s, const std::string& name, bool isDir);

// Places a node (and, with it, everything below it) at a new parent, name and path;
// the paths below it are recomputed from the names. Rows at the new path or below it
// that are not part of the subtree are stale (nothing is there on the disk) and are
// retired first.
void place(Poco::Data::Session& s, Id id, Id parent, const std::string& name,
           const std::string& path);

// Takes a node and everything below it out of the tree (into the trash): no path.
void detach(Poco::Data::Session& s, Id id);

// Retires the rows at `path` and below (their files are gone): no path, no parent.
void retireWithin(Poco::Data::Session& s, const std::string& path);

// Forgets what belongs to a node and everything below it — dead properties, versions
// (returns their blobs, to remove), permission entries, rules — when it is purged from
// the trash. The node rows stay (ids are never reused; the audit log names them).
std::vector<std::string> forgetSubtree(Poco::Data::Session& s, Id id);

// Every live node: (path, id, is_dir), for checks.
std::vector<NodeRow> live(Poco::Data::Session& s);

}  // namespace nodes
}  // namespace kiroku::db
