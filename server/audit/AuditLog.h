#pragma once
// 操作履歴: the audit log. append() writes one event inside the caller's transaction,
// so a change and its record commit together; the table refuses UPDATE and DELETE.
// query() reads it back for `kiroku audit` and GET /api/audit. Thread-safe.

#include "db/Database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiroku {

struct AuditEvent {
    std::int64_t id = 0;
    std::string at;       // ISO 8601 UTC
    std::string user;
    std::string roles;    // roles whose rights were used
    std::string address;
    std::string action;   // create, update, delete, move, copy, mkcol, proppatch, lock, unlock,
                          // lock-break, restore, read, login, org-add, role-assign, acl-grant …
    std::string path;
    std::string dest;
    std::string result;   // ok, denied, failed, throttled
};

struct AuditFilter {
    std::optional<std::string> since;  // ISO date or time; events at or after it
    std::optional<std::string> user;
    std::optional<std::string> path;   // events on this path or below it
    int limit = 1000;
};

namespace audit {

// Appends an event using the caller's session (inside its transaction, if any).
void append(Poco::Data::Session& session, const AuditEvent& event, bool clutter = false);

// Events matching the filter, newest first.
std::vector<AuditEvent> query(Database& db, const AuditFilter& filter);

}  // namespace audit
}  // namespace kiroku
