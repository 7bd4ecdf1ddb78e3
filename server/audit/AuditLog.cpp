#include "audit/AuditLog.h"

namespace kiroku::audit {

void append(Database& db, const AuditEvent& event) {
    auto lease = db.lease();
    db::audit::append(**lease, event);
}

std::vector<AuditEvent> query(Database& db, const AuditFilter& filter) {
    auto lease = db.lease();
    return db::audit::query(**lease, filter);
}

}  // namespace kiroku::audit
