#pragma once
// 操作履歴: the audit log. Changes of the store write their events inside their own
// transactions (db/Audit.h); this is the way in for everything else — refusals, locks,
// logins, reads of rosters — and the way out, for `kiroku audit` and GET /api/audit.
// Thread-safe.

#include "db/Audit.h"
#include "db/Database.h"

#include <vector>

namespace kiroku::audit {

// Appends an event in a transaction of its own.
void append(Database& db, const AuditEvent& event);

// Events matching the filter, newest first.
std::vector<AuditEvent> query(Database& db, const AuditFilter& filter);

}  // namespace kiroku::audit
