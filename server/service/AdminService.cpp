#include "service/AdminService.h"

#include "db/Users.h"

#include "audit/AuditLog.h"
#include "core/Clock.h"
#include "core/FiscalYear.h"

#include <algorithm>
#include <map>

namespace kiroku::service {

namespace {

using Code = ServiceError::Code;

ServiceError notFound() { return ServiceError(Code::NotFound, msg("doc.not_found_short")); }

}  // namespace

AdminService::AdminService(DocumentService& documents, DocumentStore& store,
                           acl::Governance& governance, acl::AccessPolicy& policy, Database& db,
                           SearchService* search)
    : documents_(documents),
      store_(store),
      governance_(governance),
      policy_(policy),
      db_(db),
      search_(search) {}

template <typename F>
auto AdminService::refusals(F f) -> decltype(f()) {
    // The rules' refusals (a role not in the catalogue, an overlapping term …) carry
    // their own plain words; the store's go through the document service's mapping.
    try {
        return f();
    } catch (const StoreError& e) {
        throw ServiceError(e.kind() == StoreError::Kind::NotFound ? Code::NotFound : Code::Conflict,
                           e.message());
    } catch (const ServiceError&) {
        throw;
    } catch (const Refusal& e) {
        throw ServiceError(Code::Conflict, e.message());
    }
}

void AdminService::requireAdmin(const Caller& who) {
    if (!who.subject.admin) {
        throw ServiceError(Code::Forbidden, msg("rights.admin_only"));
    }
}

Decision AdminService::requireManage(const Caller& who, const DocPath& path) {
    if (!store_.stat(path)) throw notFound();
    Decision d = documents_.rights(who, path);
    if (d.allows(Rights::Manage)) return d;
    if (!documents_.findIfVisible(who, path)) throw notFound();
    throw ServiceError(Code::Forbidden, msg("rights.not_manager"));
}

OrgView AdminService::view(const acl::Organisation& o, const acl::PolicySnapshot& s) const {
    OrgView v{o.id, o.name, o.kind, std::nullopt, o.space()};
    if (const acl::Organisation* p = s.org(o.parentId)) v.parent = p->name;
    return v;
}

AssignmentView AdminService::view(const acl::RoleAssignment& a,
                                  const acl::PolicySnapshot& s) const {
    AssignmentView v;
    const acl::Organisation* o = s.org(a.orgId);
    v.id = a.id;
    v.user = a.userName;
    v.org = o ? o->name : std::string();
    v.role = a.role;
    v.from = a.start;
    v.to = a.end;
    v.openEnded = a.openEnded();
    if (o) v.kind = o->kind;
    return v;
}

Me AdminService::me(const Caller& who) {
    auto snap = policy_.snapshot();
    Me me;
    me.date = who.subject.date;
    me.fiscalYear = FiscalYear::containing(*Date::parse(who.subject.date)).japanese();
    const auto clock = Clock::current();
    me.timeZone = clock->zone().name();
    if (clock->faked()) me.fakedBy = clock->faked()->variable;
    for (const auto& a : snap->assignments) {
        if (a.userId != who.user.id) continue;
        AssignmentView v = view(a, *snap);
        v.current = a.start <= me.date && me.date <= a.end;
        v.readOnly = !v.current && std::any_of(who.subject.held.begin(), who.subject.held.end(),
                                               [&](const acl::Subject::Held& h) {
                                                   return h.readOnly && h.orgId == a.orgId &&
                                                          h.role == a.role;
                                               });
        me.roles.push_back(std::move(v));
    }
    for (const auto& e : documents_.list(who, DocPath(), false)) {
        if (!e.isDir) continue;
        Decision d = documents_.rights(who, e.path);
        me.folders.push_back({e.path, d.rights, d.via});
    }
    return me;
}

const std::vector<std::string>& AdminService::catalogue(OrgKind kind) const {
    return governance_.catalogue(kind);
}

std::vector<OrgView> AdminService::organisations() {
    auto snap = policy_.snapshot();
    std::vector<OrgView> out;
    for (const auto& [id, o] : snap->orgs) out.push_back(view(o, *snap));
    return out;
}

OrgView AdminService::addOrg(const Caller& who, const std::string& name, OrgKind kind,
                             const std::string& parent) {
    requireAdmin(who);
    auto o = refusals([&] {
        return governance_.addOrg(name, kind, parent,
                                  Actor{who.user.name, who.address, msg("label.admin").ja});
    });
    policy_.invalidate();
    return view(o, *policy_.snapshot());
}

OrgView AdminService::changeOrg(const Caller& who, const std::string& name,
                                const std::optional<std::string>& newName,
                                const std::optional<std::string>& newParent) {
    requireAdmin(who);
    if (!policy_.snapshot()->orgNamed(name)) throw notFound();
    Actor actor{who.user.name, who.address, msg("label.admin").ja};
    refusals([&] {
        if (newParent) governance_.checkMove(name, *newParent);
        if (newName) governance_.renameOrg(name, *newName, actor);
        if (newParent) governance_.moveOrg(newName ? *newName : name, *newParent, actor);
        return 0;
    });
    policy_.invalidate();
    auto snap = policy_.snapshot();
    const acl::Organisation* o = snap->orgNamed(newName ? *newName : name);
    if (!o) throw notFound();
    return view(*o, *snap);
}

std::vector<AssignmentView> AdminService::assignments(const Caller& who,
                                                      const std::optional<std::string>& org,
                                                      const std::optional<Date>& on) {
    auto snap = policy_.snapshot();
    std::vector<AssignmentView> out;
    std::map<std::int64_t, bool> shown;  // per organisation: may the caller see its space?
    for (const auto& a : refusals([&] { return governance_.assignments(org, on); })) {
        auto it = shown.find(a.orgId);
        if (it == shown.end()) {
            const acl::Organisation* o = snap->org(a.orgId);
            bool visible =
                who.subject.admin || (o && documents_.findIfVisible(who, o->space()).has_value());
            it = shown.emplace(a.orgId, visible).first;
        }
        if (it->second || a.userId == who.user.id) out.push_back(view(a, *snap));
    }
    return out;
}

AssignmentView AdminService::assign(const Caller& who, const std::string& user,
                                    const std::string& role, const std::string& org,
                                    const Date& from, const Date& to) {
    auto snap = policy_.snapshot();
    const acl::Organisation* o = snap->orgNamed(org);
    if (!o) throw ServiceError(Code::NotFound, msg("org.unknown"));
    Decision d = requireManage(who, o->space());
    auto a = refusals([&] {
        return governance_.assign(user, role, o->name, from, to,
                                  Actor{who.user.name, who.address, d.via});
    });
    policy_.invalidate();
    return view(a, *policy_.snapshot());
}

std::optional<Date> AdminService::endAssignment(const Caller& who, std::int64_t id,
                                                const Date& on) {
    auto snap = policy_.snapshot();
    auto it = std::find_if(snap->assignments.begin(), snap->assignments.end(),
                           [&](const acl::RoleAssignment& a) { return a.id == id; });
    if (it == snap->assignments.end()) throw notFound();
    const acl::Organisation* o = snap->org(it->orgId);
    Decision d = requireManage(who, o ? o->space() : DocPath());
    auto end = refusals([&] {
        return governance_.endAssignment(id, on, Actor{who.user.name, who.address, d.via});
    });
    policy_.invalidate();
    return end;
}

acl::RenewalPlan AdminService::renewalPlan(const Caller& who, const std::string& org,
                                           const FiscalYear& to,
                                           const std::vector<std::string>& roles) {
    requireAdmin(who);
    if (!policy_.snapshot()->orgNamed(org)) throw ServiceError(Code::NotFound, msg("org.unknown"));
    return refusals([&] { return governance_.planRenewal(org, to, roles); });
}

std::vector<AssignmentView> AdminService::renew(
    const Caller& who, const acl::RenewalPlan& plan,
    const std::optional<std::vector<std::int64_t>>& only) {
    requireAdmin(who);
    auto made = refusals([&] {
        return governance_.renew(plan, Actor{who.user.name, who.address, msg("label.admin").ja},
                                 only);
    });
    policy_.invalidate();
    auto snap = policy_.snapshot();
    std::vector<AssignmentView> out;
    for (const auto& a : made) out.push_back(view(a, *snap));
    return out;
}

AclView AdminService::acl(const Caller& who, const DocPath& path) {
    requireManage(who, path);
    auto snap = policy_.snapshot();
    AclView v;
    v.path = path;
    v.isProtected = snap->protectedPaths.count(path.str()) > 0;
    for (DocPath p = path;; p = p.parent()) {
        auto it = snap->entries.find(p.str());
        if (it != snap->entries.end()) {
            for (const auto& e : it->second) {
                v.entries.push_back({e.path, snap->describe(e.principal), e.rights, !(p == path)});
            }
        }
        if (p.isRoot() || snap->protectedPaths.count(p.str())) break;
    }
    v.yours = documents_.rights(who, path).rights;
    return v;
}

void AdminService::grant(const Caller& who, const DocPath& path, const std::string& principal,
                         Rights rights) {
    Decision d = requireManage(who, path);
    refusals([&] {
        governance_.grant(path, governance_.parsePrincipal(principal), rights,
                          Actor{who.user.name, who.address, d.via});
        return 0;
    });
    policy_.invalidate();
}

void AdminService::revoke(const Caller& who, const DocPath& path, const std::string& principal) {
    Decision d = requireManage(who, path);
    refusals([&] {
        governance_.revoke(path, governance_.parsePrincipal(principal),
                           Actor{who.user.name, who.address, d.via});
        return 0;
    });
    policy_.invalidate();
}

AccessReport AdminService::access(const Caller& who, const std::string& person, const Date& date,
                                  const std::optional<DocPath>& path) {
    requireAdmin(who);
    try {
        return acl::AccessReporter(policy_, governance_, store_, db_).report(person, date, path);
    } catch (const acl::AccessQueryError& e) {
        throw ServiceError(Code::NotFound, e.message());
    }
}

std::vector<AuditEvent> AdminService::auditLog(const Caller& who, const AuditFilter& filter) {
    if (!who.subject.admin) {
        // Others see the history of what they manage, nothing else.
        if (!filter.path) {
            throw ServiceError(Code::Forbidden, msg("audit.path_needed"));
        }
        requireManage(who, DocPath::fromText(*filter.path));
        // Only rows about what the caller may see: a protected subfolder's history
        // (names, authors) stays hidden from a manager of the folder above it
        // (security review, finding 8).
        std::vector<AuditEvent> shown;
        for (auto& e : audit::query(db_, filter)) {
            try {
                bool seen = documents_.rights(who, DocPath::fromText(e.path)).allows(Rights::Read);
                if (seen && (e.action == "move" || e.action == "copy") && !e.dest.empty()) {
                    seen = documents_.rights(who, DocPath::fromText(e.dest)).allows(Rights::Read);
                }
                if (seen) shown.push_back(std::move(e));
            } catch (const BadName&) {
            }
        }
        return shown;
    }
    return audit::query(db_, filter);
}

IndexStatus AdminService::indexStatus(const Caller& who) {
    if (!search_) throw ServiceError(Code::Internal, msg("search.unavailable"));
    return search_->status(who.subject.admin ? 50 : 0);
}

Preferences AdminService::preferences(const Caller& who) {
    auto lease = db_.lease();
    return db::users::preferences(**lease, who.user.id);
}

void AdminService::setPreferences(const Caller& who, const Preferences& p) {
    bool langOk = p.lang == "ja" || p.lang == "en";
    bool sizeOk = p.textSize == "s" || p.textSize == "m" || p.textSize == "l" || p.textSize == "xl";
    if (!langOk || !sizeOk) throw ServiceError(Code::Invalid, msg("web.settings.invalid"));
    Transaction tx(db_);
    db::users::setPreferences(tx.session(), who.user.id, p);
    tx.commit();
}

}  // namespace kiroku::service
