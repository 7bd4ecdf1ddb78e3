// kiroku audit: the 操作履歴, newest first.
#include "audit/AuditLog.h"
#include "cli/Env.h"
#include "core/Printable.h"

#include <Poco/NumberParser.h>

#include <iomanip>

namespace kiroku::cli {

int auditCommand(Env& env) {
    AuditFilter filter;
    if (env.flag("since")) {
        const std::string& since = env.flags["since"];
        filter.since = dateArg(since.substr(0, 10)).str() +
                       since.substr(std::min<std::size_t>(10, since.size()));
    }
    if (env.flag("user")) filter.user = env.flags["user"];
    if (env.flag("path")) filter.path = DocPath::fromText(env.flags["path"]).str();
    if (env.flag("limit"))
        filter.limit =
            static_cast<int>(std::min<std::int64_t>(numberArg(env.flags["limit"]), 1000000));
    for (const auto& e : audit::query(*env.db, filter)) {
        // Rows written before the audit log kept its text printable are made so here.
        env.out << e.at << "  " << std::left << std::setw(12) << printable(e.user) << " "
                << std::setw(8) << e.result << " " << std::setw(12) << printable(e.action) << " /"
                << printable(e.path, 4096)
                << (e.dest.empty() ? "" : " -> " + printable(e.dest, 4096)) << "  ["
                << printable(e.address) << (e.roles.empty() ? "" : "; " + printable(e.roles))
                << "]\n";
    }
    return 0;
}

}  // namespace kiroku::cli
