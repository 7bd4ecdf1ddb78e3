#pragma once
// Table `versions`: earlier contents of overwritten files. Each row names the node it
// belongs to and the file that holds the bytes, versions/<blob>; blob names are unique
// and chosen before the row exists, so a file left behind by a failed change never
// collides with a later one.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace kiroku::db {

struct VersionRow {
    Id id = 0;
    Id nodeId = 0;
    std::string blob;
    std::int64_t size = 0;
    std::string modified;  // when the content was last modified before it was replaced
    std::string saved;     // when it was replaced
    std::string savedBy;
    std::string path;   // the document's current path ("" while it is in the trash)
    std::string label;  // a name given to keep it (総会提出版); "" for none
};

namespace versions {

Id add(Poco::Data::Session& s, const VersionRow& row);
std::vector<VersionRow> ofNode(Poco::Data::Session& s, Id node);  // newest first
std::optional<VersionRow> byId(Poco::Data::Session& s, Id id);
// Names a version ("" takes the name away).
void setLabel(Poco::Data::Session& s, Id id, const std::string& label);
// Deletes all but the newest `keep` unnamed versions of a node (named ones are kept);
// returns the blobs to remove.
std::vector<std::string> dropOldest(Poco::Data::Session& s, Id node, int keep);
void remove(Poco::Data::Session& s, Id id);
// Every blob name, for checks.
std::vector<std::string> blobs(Poco::Data::Session& s);
// Every version (for checks), oldest first.
std::vector<VersionRow> all(Poco::Data::Session& s);

}  // namespace versions
}  // namespace kiroku::db
