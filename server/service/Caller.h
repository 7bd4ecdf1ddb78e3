#pragma once
// Caller: who is asking the document service — the person, their roles on today's date
// (the policy's Subject), their address (for the audit log and throttles), and the lock
// tokens their request submitted (WebDAV's If header; none for other protocols).
// One Caller belongs to one request.

#include "acl/Policy.h"
#include "db/Users.h"

#include <set>
#include <string>

namespace kiroku::service {

struct Caller {
    User user;
    std::string address;
    acl::Subject subject;
    std::set<std::string> lockTokens;
};

}  // namespace kiroku::service
