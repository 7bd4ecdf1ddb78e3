#include "auth/LoginAudit.h"

#include "audit/AuditLog.h"
#include "core/Printable.h"
#include "messages/Messages.h"

#include <vector>

namespace kiroku {

namespace {
constexpr auto kWindow = std::chrono::minutes(10);
constexpr std::size_t kMaxWindows = 4096;
constexpr std::size_t kNamesNamed = 3;
constexpr std::size_t kNameBytes = 64;
const std::string& otherAddresses() {
    static const std::string label = msg("audit.other_addresses").ja;
    return label;
}
}  // namespace

LoginAudit::LoginAudit(Database& db, Poco::Logger& log, Clock clock)
    : db_(db), log_(log), clock_(std::move(clock)) {}

LoginAudit::~LoginAudit() { flush(); }

void LoginAudit::write(const std::string& name, const std::string& address,
                       const std::string& result, const std::string& detail) {
    try {
        AuditEvent e;
        e.user = name;
        e.address = address;
        e.action = "login";
        e.dest = detail;
        e.result = result;
        audit::append(db_, e);
    } catch (const std::exception& e) {
        log_.error("cannot write the audit log: %s", std::string(e.what()));
    }
}

void LoginAudit::close(const Window& w) {
    if (w.more == 0) return;
    std::string names;
    for (const auto& n : w.names) names += (names.empty() ? "" : ", ") + n;
    kiroku::Message summary =
        msg(w.names.size() >= kNamesNamed ? "audit.login_summary_more" : "audit.login_summary",
            {{"count", std::to_string(w.more)}, {"names", names}});
    write("", w.address, w.result, summary.ja);
    log_.warning("login %s: %s from %s", w.result, summary.en, w.address);
}

void LoginAudit::closeOld(std::chrono::steady_clock::time_point now) {
    std::vector<Window> done;
    for (auto it = windows_.begin(); it != windows_.end();) {
        if (now - it->second.start >= kWindow) {
            done.push_back(it->second);
            it = windows_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& w : done) close(w);
}

void LoginAudit::record(const std::string& rawName, const std::string& rawAddress,
                        const std::string& result) {
    std::string name = printable(rawName, kNameBytes);
    std::string address = printable(rawAddress, 64);
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = clock_();
    if (now - swept_ >= std::chrono::seconds(1)) {
        swept_ = now;
        closeOld(now);
    }
    std::string key = address + "\n" + result;
    auto it = windows_.find(key);
    if (it == windows_.end() && windows_.size() >= kMaxWindows) {
        address = otherAddresses();
        key = address + "\n" + result;
        it = windows_.find(key);
    }
    if (it != windows_.end() && now - it->second.start >= kWindow) {
        close(it->second);
        windows_.erase(it);
        it = windows_.end();
    }
    if (it == windows_.end()) {
        windows_[key] = Window{now, address, result, 0, {}};
        write(name, address, result, "");
        log_.warning("login %s for '%s' from %s", result, name, address);
        return;
    }
    ++it->second.more;
    if (it->second.names.size() < kNamesNamed) it->second.names.insert(name);
}

void LoginAudit::flush() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [key, w] : windows_) close(w);
    windows_.clear();
}

}  // namespace kiroku
