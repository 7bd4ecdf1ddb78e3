#include "audit/AuditLog.h"

#include "core/Printable.h"

namespace kiroku::audit {

void append(Database& db, const AuditEvent& event) {
    // What a stranger may have sent (a login name, an address) is stored printable and
    // bounded, so that `kiroku audit` can never replay a forged line or a terminal code.
    AuditEvent e = event;
    e.user = printable(e.user, 64);
    e.roles = printable(e.roles, 512);
    e.address = printable(e.address, 64);
    e.dest = printable(e.dest, 1024);
    auto lease = db.lease();
    db::audit::append(**lease, e);
}

std::vector<AuditEvent> query(Database& db, const AuditFilter& filter) {
    auto lease = db.lease();
    return db::audit::query(**lease, filter);
}

}  // namespace kiroku::audit
