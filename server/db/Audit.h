#pragma once
// Table `audit` (操作履歴): the append-only audit log, which is also the change journal
// the search index follows. A change writes its rows inside its own transaction, with
// the change's operation id (`op`) so that crash recovery can tell whether it
// committed. SQLite triggers refuse UPDATE and DELETE on the table.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiroku {

struct AuditEvent {
    std::int64_t id = 0;
    std::string at;  // ISO 8601 UTC
    std::string user;
    std::string roles;  // roles whose rights were used
    std::string address;
    std::string action;  // create, update, delete, move, copy, mkcol, proppatch, lock, unlock,
                         // lock-break, restore, read, login, org-add, role-assign, acl-grant …
    std::string path;
    std::string dest;
    std::string result;       // ok, denied, failed, throttled
    std::int64_t nodeId = 0;  // the document or folder (0: none, or not known)
    std::int64_t destId = 0;  // the destination of a copy or move
    std::string op;           // the change step that wrote it ("" outside change steps)
    bool clutter = false;     // a client's own clutter file (._*, .DS_Store): not indexed
};

struct AuditFilter {
    std::optional<std::string> since;  // ISO date or time; events at or after it
    std::optional<std::string> until;  // ISO date or time; events before it
    std::optional<std::string> user;
    std::optional<std::string> path;  // events on this path or below it
    bool changesOnly = false;         // only successful changes of documents and folders
    int limit = 1000;
};

// A recorded change, as the index queue reads it.
struct RecordedChange {
    std::int64_t id = 0;
    std::string action, path, dest;
    bool clutter = false;
};

namespace db::audit {

void append(Poco::Data::Session& s, const AuditEvent& event);
// Events matching the filter, newest first.
std::vector<AuditEvent> query(Poco::Data::Session& s, const AuditFilter& filter);
// For each of `nodes`, the newest successful change that made its content or put it
// where it is (create, update, mkcol, restore, a move or copy to it), keyed by node;
// nodes without one are left out.
std::map<Id, AuditEvent> lastChanges(Poco::Data::Session& s, const std::vector<Id>& nodes);
// True when a change step with this operation id committed.
bool hasOp(Poco::Data::Session& s, const std::string& op);
// Successful changes to documents after `cursor`, oldest first.
std::vector<RecordedChange> changesAfter(Poco::Data::Session& s, std::int64_t cursor,
                                         std::int64_t limit);
std::int64_t countChangesAfter(Poco::Data::Session& s, std::int64_t cursor);
std::int64_t lastId(Poco::Data::Session& s);

}  // namespace db::audit
}  // namespace kiroku
