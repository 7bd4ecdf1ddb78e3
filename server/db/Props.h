#pragma once
// Table `props`: WebDAV dead properties of a node, each stored as the whole property
// element, a self-contained XML fragment.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <map>
#include <string>
#include <vector>

namespace kiroku::db {

struct PropRow {
    std::string ns;
    std::string name;
    std::string xml;
};

namespace props {

std::vector<PropRow> ofNode(Poco::Data::Session& s, Id node);
// The properties of a folder and of its live children, keyed by their current path.
std::map<std::string, std::vector<PropRow>> ofFolderAndChildren(Poco::Data::Session& s, Id folder);
void set(Poco::Data::Session& s, Id node, const PropRow& prop);
void remove(Poco::Data::Session& s, Id node, const std::string& ns, const std::string& name);
// How many properties a node has, and their total size in bytes.
std::pair<std::int64_t, std::int64_t> usage(Poco::Data::Session& s, Id node);
// Gives `to` the properties of `from` (a copy).
void copy(Poco::Data::Session& s, Id from, Id to);

}  // namespace props
}  // namespace kiroku::db
