#include "acl/Governance.h"

#include "db/Audit.h"
#include "db/Governance.h"
#include "db/Meta.h"
#include "db/Nodes.h"
#include "names/NearestName.h"
#include "store/Change.h"

#include <Poco/String.h>

#include <algorithm>
#include <set>

namespace kiroku::acl {

namespace {

std::string principalKind(Principal::Kind k) {
    switch (k) {
        case Principal::Kind::Role:
            return "role";
        case Principal::Kind::Members:
            return "members";
        case Principal::Kind::Person:
            return "person";
    }
    return "role";
}

void bumpAndAudit(Poco::Data::Session& s, const Actor& actor, const std::string& action,
                  const std::string& path, const std::string& detail) {
    db::meta::bumpPolicy(s);
    AuditEvent e;
    e.user = actor.user;
    e.roles = actor.roles;
    e.address = actor.address;
    e.action = action;
    e.path = path;
    e.dest = detail;
    e.result = "ok";
    if (auto row = db::nodes::byPath(s, path)) e.nodeId = row->id;
    db::audit::append(s, e);
}

void insertEntry(Poco::Data::Session& s, const std::string& path, const Principal& who,
                 Rights rights) {
    auto node = db::nodes::byPath(s, path);
    if (!node) throw GovernanceError(msg("folder.missing", {{"path", "/" + path}}));
    db::EntryRow e;
    e.nodeId = node->id;
    e.principal = principalKind(who.kind);
    e.orgId = who.orgId;
    e.role = who.role;
    e.userId = who.userId;
    e.rights = rightsName(rights);
    db::governance::putEntry(s, e);
}

}  // namespace

Governance::Governance(Database& db, DocumentStore& store, const Settings& settings)
    : db_(db), store_(store), settings_(settings) {}

const std::vector<std::string>& Governance::catalogue(OrgKind kind) const {
    switch (kind) {
        case OrgKind::City:
            return settings_.cityRoles;
        case OrgKind::District:
            return settings_.districtRoles;
        case OrgKind::Association:
            return settings_.associationRoles;
    }
    return settings_.associationRoles;
}

namespace {
// A login name, in any case (as UserDirectory::find): the exact one first. 0 if none.
std::int64_t userIdOf(const PolicySnapshot& snap, const std::string& name) {
    std::int64_t folded = 0;
    for (const auto& [id, n] : snap.userNames) {
        if (n == name) return id;
        if (!folded && Poco::icompare(n, name) == 0) folded = id;
    }
    return folded;
}

// unknownUser: "nobody has that login", naming the login it most likely misspells.
GovernanceError unknownUser(const PolicySnapshot& snap, const std::string& name) {
    std::vector<std::string> names;
    for (const auto& [id, n] : snap.userNames) names.push_back(n);
    if (auto near = nearestName(name, names)) {
        return GovernanceError(msg("user.unknown_near", {{"name", name}, {"near", *near}}));
    }
    return GovernanceError(msg("user.unknown", {{"name", name}}));
}
}  // namespace

const Organisation& Governance::requireOrg(const PolicySnapshot& snap, const std::string& name) {
    const Organisation* o = snap.orgNamed(name);
    if (!o) {
        std::vector<std::string> names;
        for (const auto& [id, org] : snap.orgs) names.push_back(org.name);
        if (auto near = nearestName(name, names)) {
            throw GovernanceError(
                msg("org.not_registered_near", {{"name", name}, {"near", *near}}));
        }
        throw GovernanceError(msg("org.not_registered", {{"name", name}}));
    }
    return *o;
}

Organisation Governance::addOrg(const std::string& name, OrgKind kind, const std::string& parent,
                                const Actor& actor) {
    DocPath space = DocPath::fromText(name);
    if (space.segments().size() != 1) {
        throw GovernanceError(msg("org.name_slash"));
    }
    auto snap = AccessPolicy::load(db_);
    if (snap->orgNamed(name)) {
        throw GovernanceError(msg("org.exists", {{"name", name}}));
    }
    std::int64_t parentId = 0;
    if (kind != OrgKind::City || !parent.empty()) {
        if (parent.empty()) {
            throw GovernanceError(msg("org.parent_needed"));
        }
        const Organisation& p = requireOrg(*snap, parent);
        bool fits = (kind == OrgKind::District && p.kind == OrgKind::City) ||
                    (kind == OrgKind::Association && p.kind == OrgKind::District);
        if (!fits) {
            throw GovernanceError(msg("org.wrong_parent"));
        }
        parentId = p.id;
    }
    // Folders first (idempotent): after a crash here, running the command again finishes it.
    auto ensure = [&](const DocPath& p) {
        auto e = store_.stat(p);
        if (!e)
            store_.makeFolder(p, actor);
        else if (!e->isDir)
            throw GovernanceError(msg("folder.is_a_file", {{"path", "/" + p.str()}}));
        store_.ensureNode(p);
    };
    ensure(space);
    std::vector<DocPath> folders;
    if (kind == OrgKind::Association) {
        for (const auto& c : settings_.categories)
            folders.push_back(space.child(DocPath::checkName(c)));
    } else if (kind == OrgKind::District) {
        folders.push_back(space.child(DocPath::checkName(settings_.sharedFolder)));
    }
    for (const auto& f : folders) ensure(f);

    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    std::int64_t id = db::governance::addOrg(s, name, orgKindName(kind), parentId);
    auto role = [&](const std::string& r) { return Principal{Principal::Kind::Role, id, r, 0}; };
    const std::string top = space.str();
    auto in = [](const std::vector<std::string>& list, const std::string& r) {
        return std::find(list.begin(), list.end(), r) != list.end();
    };
    // Which roles get what comes from the configurable catalogue (Settings), never from
    // role names written here.
    if (kind == OrgKind::Association) {
        const auto& roles = catalogue(kind);
        for (const auto& r : settings_.officerRoles) insertEntry(s, top, role(r), Rights::Write);
        for (const auto& r : settings_.headRoles) insertEntry(s, top, role(r), Rights::Manage);
        for (const auto& r : settings_.auditorRoles) {
            if (in(roles, r)) insertEntry(s, top, role(r), Rights::Read);
        }
        const std::string circular =
            space.child(DocPath::checkName(settings_.circularFolder)).str();
        for (const auto& r : roles) {
            if (!in(settings_.officerRoles, r) && !in(settings_.auditorRoles, r))
                insertEntry(s, circular, role(r), Rights::Read);
        }
        const std::string roster = space.child(DocPath::checkName(settings_.rosterFolder)).str();
        if (auto node = db::nodes::byPath(s, roster)) {
            db::governance::setProtected(s, node->id, true);
            db::governance::setAuditReads(s, node->id, true);
        }
        for (const auto& r : settings_.headRoles) insertEntry(s, roster, role(r), Rights::Manage);
        for (const auto& r : settings_.rosterWriterRoles) {
            if (in(roles, r)) insertEntry(s, roster, role(r), Rights::Write);
        }
    } else if (kind == OrgKind::District) {
        for (const auto& r : catalogue(kind)) {
            insertEntry(s, top, role(r),
                        in(settings_.districtStaffRoles, r) ? Rights::Write : Rights::Manage);
        }
        const std::string shared = space.child(DocPath::checkName(settings_.sharedFolder)).str();
        for (const auto& r : settings_.headRoles) {
            insertEntry(s, shared, Principal{Principal::Kind::Members, id, r, 0}, Rights::Write);
        }
    } else {
        for (const auto& r : catalogue(kind)) insertEntry(s, top, role(r), Rights::Write);
    }
    bumpAndAudit(s, actor, "org-add", top,
                 std::string(orgKindName(kind)) + (parent.empty() ? "" : " in " + parent));
    tx.commit();
    return Organisation{id, name, kind, parentId};
}

void Governance::renameOrg(const std::string& name, const std::string& newName,
                           const Actor& actor) {
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, name);
    DocPath from = o.space(), to = DocPath::fromText(newName);
    if (to.segments().size() != 1) throw GovernanceError(msg("org.name_slash"));
    if (snap->orgNamed(newName)) {
        throw GovernanceError(msg("org.exists", {{"name", newName}}));
    }
    // The folder and the organisation are renamed in one change; permission entries,
    // protection and history follow the folder's id.
    auto rename = [&](Poco::Data::Session& s) {
        db::governance::renameOrg(s, o.id, newName);
        bumpAndAudit(s, actor, "org-rename", to.str(), name);
    };
    if (store_.stat(from)) {
        store_.move(from, to, actor, false, [&](Change& change) { rename(change.session()); });
    } else {
        Transaction tx(db_);
        rename(tx.session());
        tx.commit();
    }
}

void Governance::moveOrg(const std::string& name, const std::string& newParent,
                         const Actor& actor) {
    checkMove(name, newParent);
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, name);
    const Organisation& p = requireOrg(*snap, newParent);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    db::governance::setOrgParent(s, o.id, p.id);
    bumpAndAudit(s, actor, "org-move", o.space().str(), newParent);
    tx.commit();
}

RoleAssignment Governance::assign(const std::string& user, const std::string& role,
                                  const std::string& org, const Date& from, const Date& to,
                                  const Actor& actor) {
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, org);
    const auto& cat = catalogue(o.kind);
    if (std::find(cat.begin(), cat.end(), role) == cat.end()) {
        std::string roles;
        for (const auto& r : cat) roles += (roles.empty() ? "" : ", ") + r;
        throw GovernanceError(msg("role.not_in_kind", {{"role", role}, {"roles", roles}}));
    }
    if (to < from) throw GovernanceError(msg("term.ends_before_start"));
    std::int64_t userId = userIdOf(*snap, user);
    if (!userId) throw unknownUser(*snap, user);
    for (const auto& a : snap->assignments) {
        if (a.userId == userId && a.orgId == o.id && a.role == role && a.start <= to.str() &&
            from.str() <= a.end) {
            throw GovernanceError(msg("term.overlap", {{"id", std::to_string(a.id)}}));
        }
    }
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    std::int64_t orgId = o.id;
    std::string f = from.str(), t = to.str();
    std::int64_t id = db::governance::addAssignment(s, userId, orgId, role, f, t);
    bumpAndAudit(s, actor, "role-assign", o.space().str(), user + " " + role + " " + f + ".." + t);
    tx.commit();
    return RoleAssignment{id, userId, user, orgId, role, f, t};
}

Date Governance::openEnd() { return *Date::parse(kOpenEnd); }

namespace {

// The renewal of `org` into `to` as the terms `all` stand (planRenewal's contract).
RenewalPlan planOf(const Organisation& org, const FiscalYear& to,
                   const std::vector<std::string>& roles, const std::vector<RoleAssignment>& all) {
    RenewalPlan plan;
    plan.org = org.name;
    plan.to = to;
    plan.roles = roles;
    const std::string ending = FiscalYear{to.year - 1}.last().str();
    const std::string first = to.first().str(), last = to.last().str();
    for (const auto& role : roles) {
        std::vector<Renewal> ofRole;
        std::set<std::int64_t> seen;
        for (const auto& a : all) {
            if (a.orgId != org.id || a.role != role || a.end != ending || seen.count(a.userId))
                continue;
            seen.insert(a.userId);
            bool holds = std::any_of(all.begin(), all.end(), [&](const RoleAssignment& b) {
                return b.userId == a.userId && b.orgId == org.id && b.role == role &&
                       b.start <= last && first <= b.end;
            });
            if (holds) {
                ++plan.alreadyAssigned;
                continue;
            }
            ofRole.push_back({a, first, last});
        }
        std::sort(ofRole.begin(), ofRole.end(), [](const Renewal& x, const Renewal& y) {
            return x.from.userName < y.from.userName;
        });
        plan.carried.insert(plan.carried.end(), ofRole.begin(), ofRole.end());
    }
    return plan;
}

}  // namespace

RenewalPlan Governance::planRenewal(const std::string& org, const FiscalYear& to,
                                    const std::vector<std::string>& roles) {
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, org);
    const auto& cat = catalogue(o.kind);
    std::vector<std::string> looked;
    for (const auto& r : roles) {
        if (std::find(cat.begin(), cat.end(), r) == cat.end()) {
            std::string names;
            for (const auto& c : cat) names += (names.empty() ? "" : ", ") + c;
            throw GovernanceError(msg("role.not_in_kind", {{"role", r}, {"roles", names}}));
        }
    }
    // In the catalogue's order, each once.
    for (const auto& c : cat) {
        if (roles.empty() || std::find(roles.begin(), roles.end(), c) != roles.end())
            looked.push_back(c);
    }
    return planOf(o, to, looked, snap->assignments);
}

std::vector<RoleAssignment> Governance::renew(
    const RenewalPlan& plan, const Actor& actor,
    const std::optional<std::vector<std::int64_t>>& only) {
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, plan.org);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    // The terms as they stand inside this transaction: a change made meanwhile shows.
    std::vector<RoleAssignment> all;
    for (const auto& a : db::governance::assignments(s)) {
        all.push_back({a.id, a.userId, a.userName, a.orgId, a.role, a.start, a.end, a.renewedFrom});
    }
    RenewalPlan now = planOf(o, plan.to, plan.roles, all);
    auto key = [](const std::vector<Renewal>& list) {
        std::vector<std::int64_t> ids;
        for (const auto& r : list) ids.push_back(r.from.id);
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    const std::vector<std::int64_t> planned = key(plan.carried), current = key(now.carried);
    if (planned != current) throw GovernanceError(msg("renew.changed"));
    std::set<std::int64_t> wanted(planned.begin(), planned.end());
    if (only) {
        wanted.clear();
        for (std::int64_t id : *only) {
            if (!std::binary_search(current.begin(), current.end(), id))
                throw GovernanceError(msg("renew.changed"));
            wanted.insert(id);
        }
    }
    std::vector<RoleAssignment> made;
    for (const auto& r : now.carried) {
        if (!wanted.count(r.from.id)) continue;
        const RoleAssignment& a = r.from;
        std::int64_t id =
            db::governance::addAssignment(s, a.userId, a.orgId, a.role, r.start, r.end, a.id);
        made.push_back({id, a.userId, a.userName, a.orgId, a.role, r.start, r.end, a.id});
        AuditEvent e;
        e.user = actor.user;
        e.roles = actor.roles;
        e.address = actor.address;
        e.action = "role-renew";
        e.path = o.space().str();
        e.dest = a.userName + " " + a.role + " " + r.start + ".." + r.end + " (" + a.start + ".." +
                 a.end + ")";
        e.result = "ok";
        if (auto row = db::nodes::byPath(s, e.path)) e.nodeId = row->id;
        db::audit::append(s, e);
    }
    if (!made.empty()) db::meta::bumpPolicy(s);
    tx.commit();
    return made;
}

std::optional<Date> Governance::endAssignment(std::int64_t id, const Date& on, const Actor& actor) {
    auto snap = AccessPolicy::load(db_);
    auto it = std::find_if(snap->assignments.begin(), snap->assignments.end(),
                           [&](const RoleAssignment& a) { return a.id == id; });
    if (it == snap->assignments.end()) {
        throw GovernanceError(msg("term.not_found"));
    }
    const Organisation* o = snap->org(it->orgId);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    if (on.str() < it->start) {
        db::governance::deleteAssignment(s, id);
        bumpAndAudit(s, actor, "role-cancel", o ? o->space().str() : "",
                     it->userName + " " + it->role + " " + it->start + ".." + it->end);
        tx.commit();
        return std::nullopt;
    }
    std::string end = std::min(on.str(), it->end);
    db::governance::setAssignmentEnd(s, id, end);
    bumpAndAudit(s, actor, "role-end", o ? o->space().str() : "",
                 it->userName + " " + it->role + " until " + end);
    tx.commit();
    return Date::parse(end);
}

void Governance::checkMove(const std::string& name, const std::string& newParent) {
    auto snap = AccessPolicy::load(db_);
    const Organisation& o = requireOrg(*snap, name);
    const Organisation& p = requireOrg(*snap, newParent);
    bool fits = (o.kind == OrgKind::District && p.kind == OrgKind::City) ||
                (o.kind == OrgKind::Association && p.kind == OrgKind::District);
    if (!fits) {
        throw GovernanceError(msg("org.wrong_parent"));
    }
}

std::vector<RoleAssignment> Governance::assignments(const std::optional<std::string>& org,
                                                    const std::optional<Date>& on) {
    auto snap = AccessPolicy::load(db_);
    std::int64_t orgId = org ? requireOrg(*snap, *org).id : 0;
    std::vector<RoleAssignment> out;
    for (const auto& a : snap->assignments) {
        if (org && a.orgId != orgId) continue;
        if (on && (a.start > on->str() || a.end < on->str())) continue;
        out.push_back(a);
    }
    return out;
}

Principal Governance::parsePrincipal(const std::string& text) {
    auto colon = text.find(':');
    std::string kind = colon == std::string::npos ? "" : text.substr(0, colon);
    std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
    auto snap = AccessPolicy::load(db_);
    if (kind == "person") {
        if (std::int64_t id = userIdOf(*snap, rest))
            return Principal{Principal::Kind::Person, 0, "", id};
        throw unknownUser(*snap, rest);
    }
    auto slash = rest.rfind('/');
    if ((kind == "role" || kind == "members") && slash != std::string::npos) {
        const Organisation& o = requireOrg(*snap, rest.substr(0, slash));
        std::string role = rest.substr(slash + 1);
        if (kind == "members" && o.kind != OrgKind::District) {
            throw GovernanceError(msg("principal.members_district"));
        }
        const auto& cat = catalogue(kind == "members" ? OrgKind::Association : o.kind);
        if (std::find(cat.begin(), cat.end(), role) == cat.end()) {
            throw GovernanceError(msg("role.unknown", {{"role", role}}));
        }
        return Principal{kind == "members" ? Principal::Kind::Members : Principal::Kind::Role, o.id,
                         role, 0};
    }
    throw GovernanceError(msg("principal.syntax"));
}

void Governance::grant(const DocPath& path, const Principal& who, Rights rights,
                       const Actor& actor) {
    if (!store_.stat(path))
        throw GovernanceError(msg("folder.missing", {{"path", "/" + path.str()}}));
    auto snap = AccessPolicy::load(db_);
    store_.ensureNode(path);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    insertEntry(s, path.str(), who, rights);
    bumpAndAudit(s, actor, "acl-grant", path.str(), snap->describe(who) + " " + rightsName(rights));
    tx.commit();
}

void Governance::revoke(const DocPath& path, const Principal& who, const Actor& actor) {
    auto snap = AccessPolicy::load(db_);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    auto node = db::nodes::byPath(s, path.str());
    db::EntryRow e;
    e.nodeId = node ? node->id : 0;
    e.principal = principalKind(who.kind);
    e.orgId = who.orgId;
    e.role = who.role;
    e.userId = who.userId;
    if (!node || !db::governance::deleteEntry(s, e)) {
        throw GovernanceError(msg("acl.no_such_entry", {{"path", "/" + path.str()}}));
    }
    bumpAndAudit(s, actor, "acl-revoke", path.str(), snap->describe(who));
    tx.commit();
}

void Governance::setProtected(const DocPath& path, bool on, const Actor& actor) {
    auto e = store_.stat(path);
    if (!e || !e->isDir) throw GovernanceError(msg("folder.missing", {{"path", "/" + path.str()}}));
    db::Id node = store_.ensureNode(path);
    Transaction tx(db_);
    Poco::Data::Session& s = tx.session();
    db::governance::setProtected(s, node, on);
    bumpAndAudit(s, actor, on ? "acl-protect" : "acl-unprotect", path.str(), "");
    tx.commit();
}

std::optional<DocPath> Governance::nearestFolder(const DocPath& path) const {
    DocPath at;
    bool corrected = false;
    for (const auto& name : path.segments()) {
        auto e = store_.stat(at.child(name));
        if (e && e->isDir) {
            at = at.child(name);
            continue;
        }
        std::vector<std::string> folders;
        for (const auto& child : store_.list(at, false)) {
            if (child.isDir) folders.push_back(child.path.name());
        }
        auto near = nearestName(name, folders);
        if (!near) return std::nullopt;
        at = at.child(*near);
        corrected = true;
    }
    if (!corrected) return std::nullopt;
    return at;
}

}  // namespace kiroku::acl
