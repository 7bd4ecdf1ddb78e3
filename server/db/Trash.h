#pragma once
// Table `trash`: deleted files and folders, kept as trash/<blob> until purged. The
// deleted node keeps its id (and with it its versions, dead properties and permission
// entries), detached from the tree, so a restore brings all of it back.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace kiroku::db {

struct TrashRow {
    Id id = 0;
    Id nodeId = 0;
    std::string path;  // where it was
    std::string blob;
    bool isDir = false;
    std::int64_t size = 0;
    std::string deleted;
    std::string deletedBy;
};

namespace trash {

Id add(Poco::Data::Session& s, const TrashRow& row);
std::vector<TrashRow> all(Poco::Data::Session& s);  // newest first
std::optional<TrashRow> byId(Poco::Data::Session& s, Id id);
void remove(Poco::Data::Session& s, Id id);
// Entries deleted before `iso` (ISO 8601 UTC), oldest first.
std::vector<TrashRow> deletedBefore(Poco::Data::Session& s, const std::string& iso);
// Every blob name, for checks.
std::vector<std::string> blobs(Poco::Data::Session& s);

}  // namespace trash
}  // namespace kiroku::db
