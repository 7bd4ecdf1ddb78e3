#include "acl/AccessReport.h"

#include "db/Users.h"

#include <set>

namespace kiroku::acl {

std::optional<Date> accessDate(std::string_view text) {
    if (auto d = Date::parse(text)) return d;
    if (auto fy = FiscalYear::parse(text)) return fy->first();
    return std::nullopt;
}

AccessRole AccessReporter::role(const Subject::Held& held) const {
    AccessRole r{held.label, held.start, held.end, held.readOnly, {}};
    if (held.readOnly) {
        if (auto end = Date::parse(held.end))
            r.readOnlyUntil = end->plusDays(policy_.graceDays()).str();
    }
    return r;
}

AccessPoint AccessReporter::point(const PolicySnapshot& snap, const Subject& who,
                                  const DocPath& path, bool isDir) {
    AccessPoint p;
    p.path = path;
    p.isDir = isDir;
    Explanation why = policy_.explain(who, path);
    p.rights = why.decision.rights;
    p.passThrough = isDir && p.rights == Rights::None && policy_.canTraverse(who, path);
    if (who.admin) {
        AccessReason admin;
        admin.kind = AccessReason::Kind::Admin;
        admin.entryRights = p.rights;
        p.reasons.push_back(admin);
    }
    for (const auto& g : why.grants) {
        AccessReason r;
        r.kind = g.role ? AccessReason::Kind::Role : AccessReason::Kind::Person;
        if (g.role) r.role = role(*g.role);
        r.entryPath = g.entry.path;
        r.principal = snap.describe(g.entry.principal);
        r.entryRights = g.entry.rights;
        p.reasons.push_back(std::move(r));
    }
    return p;
}

AccessReport AccessReporter::report(const std::string& person, const Date& date,
                                    const std::optional<DocPath>& path) {
    std::optional<User> user;
    {
        auto lease = db_.lease();
        user = db::users::find(**lease, person);
    }
    if (!user) {
        throw AccessQueryError(AccessQueryError::Kind::NoPerson,
                               msg("user.unknown", {{"name", person}}));
    }
    AccessReport r;
    r.person = *user;
    r.date = date.str();
    const Subject who = policy_.subjectFor(*user, date);
    for (const auto& held : who.held) r.roles.push_back(role(held));
    auto snap = policy_.snapshot();

    if (path) {
        auto e = store_.stat(*path);
        if (!e) {
            if (auto near = governance_.nearestFolder(*path)) {
                throw AccessQueryError(AccessQueryError::Kind::NoPath,
                                       msg("access.no_path_near", {{"path", "/" + path->str()},
                                                                   {"near", "/" + near->str()}}));
            }
            throw AccessQueryError(AccessQueryError::Kind::NoPath,
                                   msg("access.no_path", {{"path", "/" + path->str()}}));
        }
        r.points.push_back(point(*snap, who, *path, e->isDir));
        return r;
    }

    // The spaces, the folders directly inside them, and where entries and protections sit.
    std::set<std::string> paths;
    for (const auto& top : store_.list(DocPath(), false)) {
        if (!top.isDir) continue;
        paths.insert(top.path.str());
        for (const auto& inside : store_.list(top.path, false)) {
            if (inside.isDir) paths.insert(inside.path.str());
        }
    }
    for (const auto& [where, entries] : snap->entries) paths.insert(where);
    for (const auto& where : snap->protectedPaths) paths.insert(where);
    for (const auto& where : paths) {
        DocPath p = DocPath::fromText(where);
        auto e = store_.stat(p);
        if (!e) continue;  // an entry of something in the trash
        r.points.push_back(point(*snap, who, p, e->isDir));
    }
    return r;
}

}  // namespace kiroku::acl
