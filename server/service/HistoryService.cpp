#include "service/HistoryService.h"

#include "audit/AuditLog.h"
#include "db/Nodes.h"
#include "db/Users.h"

#include <chrono>

namespace kiroku::service {

namespace {

bool movesSomething(const std::string& action) { return action == "move" || action == "copy"; }

std::int64_t steadySeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

bool HistoryService::shown(const Caller& who, const AuditEvent& e) {
    try {
        if (!documents_.rights(who, DocPath::fromText(e.path)).allows(Rights::Read)) return false;
        if (movesSomething(e.action) && !e.dest.empty()) {
            return documents_.rights(who, DocPath::fromText(e.dest)).allows(Rights::Read);
        }
        return true;
    } catch (const BadName&) {
        return false;
    }
}

std::string HistoryService::displayName(const std::string& user) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto reload = [&] {
        auto lease = db_.lease();
        names_.clear();
        for (const auto& u : db::users::all(**lease)) {
            names_[u.name] = u.display.empty() ? u.name : u.display;
        }
        namesAt_ = steadySeconds();
    };
    // People are added and renamed rarely: read them again every 10 seconds, or when a
    // name is not known yet (at most once a second).
    if (names_.empty() || steadySeconds() - namesAt_ > 10) reload();
    auto it = names_.find(user);
    if (it == names_.end() && steadySeconds() - namesAt_ >= 1) {
        reload();
        it = names_.find(user);
    }
    return it == names_.end() ? user : it->second;
}

ChangeView HistoryService::view(const AuditEvent& e) {
    ChangeView v;
    v.at = e.at;
    v.user = e.user;
    v.who = displayName(e.user);
    v.action = e.action;
    if (movesSomething(e.action) && !e.dest.empty()) {
        v.path = e.dest;
        v.from = e.path;
    } else {
        v.path = e.path;
    }
    return v;
}

std::vector<ChangeView> HistoryService::recent(const Caller& who, std::size_t limit) {
    std::vector<ChangeView> out;
    // Most recent changes are in folders the person reads; looking further back is
    // bounded so that a person who sees little does not scan the whole log.
    int window = 200;
    std::int64_t before = 0;
    for (int round = 0; round < 5 && out.size() < limit; ++round) {
        AuditFilter f;
        f.changesOnly = true;
        f.limit = window;
        auto events = audit::query(db_, f);
        for (const auto& e : events) {
            if (before && e.id >= before) continue;
            if (out.size() >= limit) break;
            if (shown(who, e)) out.push_back(view(e));
        }
        if (static_cast<int>(events.size()) < window) break;
        before = events.back().id;
        window *= 4;
    }
    return out;
}

std::vector<ChangeView> HistoryService::changesWithin(const Caller& who, const DocPath& root,
                                                      const std::string& since,
                                                      const std::string& until, std::size_t limit) {
    AuditFilter f;
    f.changesOnly = true;
    f.path = root.str();
    f.since = since;
    f.until = until;
    f.limit = static_cast<int>(limit);
    std::vector<ChangeView> out;
    for (const auto& e : audit::query(db_, f)) {
        if (shown(who, e)) out.push_back(view(e));
    }
    return out;
}

std::map<std::string, ChangeView> HistoryService::lastChanges(
    const Caller& who, const DocPath& dir, const std::vector<std::string>& names) {
    std::vector<std::string> paths;
    paths.reserve(names.size());
    for (const auto& n : names) paths.push_back(dir.isRoot() ? n : dir.str() + "/" + n);
    std::map<db::Id, std::string> nameOf;
    std::map<db::Id, AuditEvent> events;
    {
        auto lease = db_.lease();
        std::vector<db::Id> ids;
        for (auto& row : db::nodes::byPaths(**lease, paths)) {
            ids.push_back(row.id);
            nameOf.emplace(row.id, std::move(row.name));
        }
        events = db::audit::lastChanges(**lease, ids);
    }
    std::map<std::string, ChangeView> out;
    for (const auto& [node, e] : events) {
        if (shown(who, e)) out.emplace(nameOf[node], view(e));
    }
    return out;
}

}  // namespace kiroku::service
