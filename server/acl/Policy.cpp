#include "acl/Policy.h"

#include "db/Governance.h"
#include "db/Meta.h"
#include "db/Users.h"

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace kiroku::acl {

namespace {

constexpr auto kRecheckEvery = std::chrono::seconds(1);

// Ancestor-or-self paths of `path`, deepest first, ending with the root "".
std::vector<std::string> levels(const std::string& path) {
    std::vector<std::string> out;
    std::string p = path;
    for (;;) {
        out.push_back(p);
        if (p.empty()) break;
        auto slash = p.rfind('/');
        p = slash == std::string::npos ? std::string() : p.substr(0, slash);
    }
    return out;
}

bool within(const std::string& path, const std::string& folder) {
    if (folder.empty()) return true;
    return path == folder ||
           (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
            path[folder.size()] == '/');
}

}  // namespace

std::optional<Rights> parseRights(std::string_view t) {
    if (t == "none") return Rights::None;
    if (t == "read") return Rights::Read;
    if (t == "write") return Rights::Write;
    if (t == "manage") return Rights::Manage;
    return std::nullopt;
}

const char* rightsName(Rights r) {
    switch (r) {
        case Rights::None:
            return "none";
        case Rights::Read:
            return "read";
        case Rights::Write:
            return "write";
        case Rights::Manage:
            return "manage";
    }
    return "none";
}

std::optional<OrgKind> parseOrgKind(std::string_view t) {
    // The kinds by their English names, or by any of their Japanese names.
    for (auto kind : {OrgKind::City, OrgKind::District, OrgKind::Association}) {
        if (t == orgKindName(kind)) return kind;
        std::string names = msg(std::string("org.kind.") + orgKindName(kind)).ja;
        for (std::size_t start = 0; start <= names.size();) {
            std::size_t end = names.find(' ', start);
            if (end == std::string::npos) end = names.size();
            if (end > start && t == std::string_view(names).substr(start, end - start)) return kind;
            start = end + 1;
        }
    }
    return std::nullopt;
}

const char* orgKindName(OrgKind k) {
    switch (k) {
        case OrgKind::City:
            return "city";
        case OrgKind::District:
            return "district";
        case OrgKind::Association:
            return "association";
    }
    return "association";
}

std::string Subject::rolesLabel() const {
    std::string out;
    for (const auto& h : held) {
        if (!out.empty()) out += ", ";
        out += h.label;
        if (h.readOnly) out += " (" + msg("label.read_only").ja + ")";
    }
    return out;
}

const Organisation* PolicySnapshot::org(std::int64_t id) const {
    auto it = orgs.find(id);
    return it == orgs.end() ? nullptr : &it->second;
}

const Organisation* PolicySnapshot::orgNamed(const std::string& name) const {
    for (const auto& [id, o] : orgs) {
        if (o.name == name) return &o;
    }
    return nullptr;
}

std::string PolicySnapshot::describe(const Principal& p) const {
    const Organisation* o = org(p.orgId);
    std::string orgName = o ? o->name : "?";
    switch (p.kind) {
        case Principal::Kind::Role:
            return "role:" + orgName + "/" + p.role;
        case Principal::Kind::Members:
            return "members:" + orgName + "/" + p.role;
        case Principal::Kind::Person: {
            auto it = userNames.find(p.userId);
            return "person:" + (it == userNames.end() ? std::string("?") : it->second);
        }
    }
    return "?";
}

std::shared_ptr<const PolicySnapshot> AccessPolicy::load(Database& db) {
    auto snap = std::make_shared<PolicySnapshot>();
    auto lease = db.lease();
    Poco::Data::Session& s = **lease;
    for (const auto& o : db::governance::orgs(s)) {
        snap->orgs[o.id] = Organisation{
            o.id, o.name, parseOrgKind(o.kind).value_or(OrgKind::Association), o.parentId};
    }
    for (const auto& a : db::governance::assignments(s)) {
        snap->assignments.push_back(
            {a.id, a.userId, a.userName, a.orgId, a.role, a.start, a.end, a.renewedFrom});
    }
    for (const auto& r : db::governance::entries(s)) {
        AclEntry e;
        e.id = r.id;
        e.nodeId = r.nodeId;
        e.path = r.path;
        e.principal.kind = r.principal == "person"    ? Principal::Kind::Person
                           : r.principal == "members" ? Principal::Kind::Members
                                                      : Principal::Kind::Role;
        e.principal.orgId = r.orgId;
        e.principal.role = r.role;
        e.principal.userId = r.userId;
        e.rights = parseRights(r.rights).value_or(Rights::None);
        snap->entries[e.path].push_back(e);
    }
    for (const auto& r : db::governance::rules(s)) {
        if (r.isProtected) snap->protectedPaths.insert(r.path);
        if (r.auditReads) snap->auditedPaths.insert(r.path);
    }
    for (const auto& u : db::users::all(s)) snap->userNames[u.id] = u.name;
    snap->version = db::meta::get(s, "policy").value_or("0");
    return snap;
}

AccessPolicy::AccessPolicy(Database& db, const Settings& settings) : db_(db), settings_(settings) {}

std::shared_ptr<const PolicySnapshot> AccessPolicy::snapshot() {
    std::lock_guard<std::mutex> guard(mutex_);
    auto at = std::chrono::steady_clock::now();
    if (current_ && at - checked_ < kRecheckEvery) return current_;
    checked_ = at;
    if (current_) {
        auto lease = db_.lease();
        if (db::meta::get(**lease, "policy").value_or("0") == current_->version) return current_;
    }
    current_ = load(db_);
    return current_;
}

void AccessPolicy::recheck() {
    std::lock_guard<std::mutex> guard(mutex_);
    checked_ = {};
}

void AccessPolicy::invalidate() {
    std::lock_guard<std::mutex> guard(mutex_);
    current_.reset();
}

Subject AccessPolicy::subjectFor(const User& user, const Date& date) {
    auto snap = snapshot();
    Subject who;
    who.userId = user.id;
    who.name = user.name;
    who.admin = user.admin;
    who.date = date.str();
    std::string graceStart;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (graceFor_ != date.str()) {
            graceFor_ = date.str();
            graceStart_ = date.plusDays(-settings_.graceDays).str();
        }
        graceStart = graceStart_;
    }
    for (const auto& a : snap->assignments) {
        if (a.userId != user.id || a.start > who.date) continue;
        bool active = a.end >= who.date;
        bool grace = !active && a.end >= graceStart;
        if (!active && !grace) continue;
        auto same = std::find_if(who.held.begin(), who.held.end(), [&](const Subject::Held& h) {
            return h.orgId == a.orgId && h.role == a.role;
        });
        if (same != who.held.end()) {
            if (same->readOnly && active) {
                same->start = a.start;
                same->end = a.end;
            }
            same->readOnly = same->readOnly && !active;
            continue;
        }
        const Organisation* o = snap->org(a.orgId);
        who.held.push_back({a.orgId, a.role, !active,
                            (o ? o->name : std::string("?")) + "/" + a.role, a.start, a.end});
    }
    return who;
}

bool AccessPolicy::matches(const PolicySnapshot& s, const Subject& who, const Principal& p,
                           bool& readOnly, std::string& label, const Subject::Held** held) const {
    if (p.kind == Principal::Kind::Person) {
        readOnly = false;
        label = who.name;
        if (held) *held = nullptr;
        return p.userId == who.userId;
    }
    bool found = false;
    readOnly = true;
    for (const auto& h : who.held) {
        if (h.role != p.role) continue;
        bool ok = h.orgId == p.orgId;
        if (!ok && p.kind == Principal::Kind::Members) {
            const Organisation* o = s.org(h.orgId);
            ok = o && o->kind == OrgKind::Association && o->parentId == p.orgId;
        }
        if (!ok) continue;
        if (!found || (readOnly && !h.readOnly)) {
            label = h.readOnly ? h.label + " (" + msg("label.read_only").ja + ")" : h.label;
            if (held) *held = &h;
        }
        found = true;
        readOnly = readOnly && h.readOnly;
    }
    return found;
}

Decision AccessPolicy::decideIn(const PolicySnapshot& s, const Subject& who, const DocPath& path,
                                std::vector<Grant>* grants) const {
    Decision d;
    if (who.admin) {
        d.rights = Rights::Manage;
        d.via = msg("label.admin").ja;
        return d;
    }
    // Each principal's deepest entry wins; a protected folder stops inheritance.
    struct Granted {
        Rights rights;
        std::string label;
        const AclEntry* entry;
        const Subject::Held* held;
    };
    std::map<Principal, Granted> decided;
    for (const auto& level : levels(path.str())) {
        auto it = s.entries.find(level);
        if (it != s.entries.end()) {
            for (const auto& e : it->second) {
                if (decided.count(e.principal)) continue;
                bool readOnly = false;
                std::string label;
                const Subject::Held* held = nullptr;
                if (!matches(s, who, e.principal, readOnly, label, &held)) continue;
                Rights r = e.rights;
                if (readOnly && r > Rights::Read) r = Rights::Read;
                decided[e.principal] = {r, label, &e, held};
            }
        }
        if (s.protectedPaths.count(level)) break;
    }
    for (const auto& [principal, granted] : decided) {
        if (granted.rights > d.rights) {
            d.rights = granted.rights;
            d.via = granted.label;
        } else if (granted.rights == d.rights && d.rights != Rights::None &&
                   d.via.find(granted.label) == std::string::npos) {
            d.via += ", " + granted.label;
        }
    }
    if (grants && d.rights != Rights::None) {
        for (const auto& [principal, granted] : decided) {
            if (granted.rights != d.rights) continue;
            grants->push_back(
                {*granted.entry, granted.rights,
                 granted.held ? std::optional<Subject::Held>(*granted.held) : std::nullopt});
        }
    }
    return d;
}

Decision AccessPolicy::decide(const Subject& who, const DocPath& path) {
    auto snap = snapshot();
    return decideIn(*snap, who, path);
}

Explanation AccessPolicy::explain(const Subject& who, const DocPath& path) {
    auto snap = snapshot();
    Explanation e;
    e.decision = decideIn(*snap, who, path, &e.grants);
    return e;
}

Decision AccessPolicy::decideChild(const Subject& who, const Decision& parent,
                                   const DocPath& child) {
    auto snap = snapshot();
    const std::string& c = child.str();
    if (who.admin || (!snap->entries.count(c) && !snap->protectedPaths.count(c))) return parent;
    return decideIn(*snap, who, child);
}

Decision AccessPolicy::decideChild(const PolicySnapshot& snap, const Subject& who,
                                   const Decision& parent, const std::string& child) const {
    if (who.admin || (!snap.entries.count(child) && !snap.protectedPaths.count(child)))
        return parent;
    return decideIn(snap, who, DocPath::fromText(child));
}

AccessPolicy::ReadMap AccessPolicy::readMap(const PolicySnapshot& snap, const Subject& who) const {
    ReadMap m;
    m.atRoot = decideIn(snap, who, DocPath()).allows(Rights::Read);
    if (who.admin) return m;
    auto add = [&](const std::string& path) {
        if (!m.points.count(path))
            m.points[path] = decideIn(snap, who, DocPath::fromText(path)).allows(Rights::Read);
    };
    for (const auto& [path, entries] : snap.entries) add(path);
    for (const auto& path : snap.protectedPaths) add(path);
    return m;
}

bool AccessPolicy::canTraverse(const Subject& who, const DocPath& folder) {
    if (who.admin || folder.isRoot()) return true;
    auto snap = snapshot();
    if (decideIn(*snap, who, folder).allows(Rights::Read)) return true;
    const std::string f = folder.str();
    for (const auto& [path, entries] : snap->entries) {
        if (path == f || !within(path, f)) continue;
        for (const auto& e : entries) {
            if (e.rights < Rights::Read) continue;
            bool readOnly = false;
            std::string label;
            if (!matches(*snap, who, e.principal, readOnly, label)) continue;
            // Only if that deeper folder really is readable (no deeper override).
            if (decideIn(*snap, who, DocPath::fromText(path)).allows(Rights::Read)) return true;
        }
    }
    return false;
}

Rights AccessPolicy::leastWithin(const Subject& who, const DocPath& path) {
    auto snap = snapshot();
    Rights least = decideIn(*snap, who, path).rights;
    if (who.admin) return least;
    const std::string top = path.str();
    auto visit = [&](const std::string& p) {
        if (p != top && within(p, top))
            least = std::min(least, decideIn(*snap, who, DocPath::fromText(p)).rights);
    };
    for (const auto& [p, entries] : snap->entries) visit(p);
    for (const auto& p : snap->protectedPaths) visit(p);
    return least;
}

bool AccessPolicy::carriesRules(const DocPath& path) {
    auto snap = snapshot();
    const std::string top = path.str();
    for (const auto& [p, entries] : snap->entries) {
        if (within(p, top)) return true;
    }
    for (const auto* set : {&snap->protectedPaths, &snap->auditedPaths}) {
        for (const auto& p : *set) {
            if (within(p, top)) return true;
        }
    }
    return false;
}

bool AccessPolicy::isRoster(const DocPath& path) {
    auto snap = snapshot();
    if (snap->auditedPaths.empty()) return false;
    for (const auto& level : levels(path.str())) {
        if (snap->auditedPaths.count(level)) return true;
    }
    return false;
}

}  // namespace kiroku::acl
