// 管理: the pages for people who manage — people (administrators), roles and terms
// (who holds what this 年度 and next, appointing next 年度's holder), folder permissions
// in plain words, the audit log, and the index's state. The admin and people services
// decide who may do what; these pages only offer it.

#include "core/Clock.h"
#include "core/FiscalYear.h"
#include "web/Format.h"
#include "web/WebRequest.h"

#include <Poco/NumberParser.h>

#include <algorithm>

namespace kiroku::web {

namespace {

using service::Rights;

bool overlaps(const service::AssignmentView& a, const FiscalYear& fy) {
    return a.from <= fy.last().str() && a.to >= fy.first().str();
}

}  // namespace

// The organisations whose space the caller manages (every one for administrators).
std::vector<service::OrgView> WebRequest::managedOrgs() {
    std::vector<service::OrgView> out;
    for (auto& o : ctx_.admin.organisations()) {
        if (ctx_.documents.rights(*caller_, o.space).allows(Rights::Manage))
            out.push_back(std::move(o));
    }
    return out;
}

std::string WebRequest::principalText(const std::string& principal) {
    auto colon = principal.find(':');
    std::string kind = principal.substr(0, colon), rest = principal.substr(colon + 1);
    auto slash = rest.find('/');
    if (kind == "person") {
        return msg("web.acl.person", {{"name", ctx_.history.displayName(rest)}}).in(lang_);
    }
    std::string org = rest.substr(0, slash),
                role = slash == std::string::npos ? "" : rest.substr(slash + 1);
    return msg(kind == "members" ? "web.acl.members" : "web.acl.role",
               {{"org", org}, {"role", role}})
        .in(lang_);
}

void WebRequest::adminPage() {
    auto orgs = managedOrgs();
    if (orgs.empty() && !caller_->subject.admin) {
        return sendError(403, msg("web.admin.managers_only"));
    }
    auto dict = pageDict(text("web.admin.title"));
    dict->ShowSection("NAV_ADMIN");
    if (caller_->subject.admin) dict->ShowSection("IS_ADMIN_HUB");
    // The day rights are decided on (the request's), the zone it is in, and a faked date.
    const auto clock = Clock::current();
    const Date today = Date::parse(caller_->subject.date).value_or(clock->today());
    const std::string todayText = dateText(today.year(), today.month(), today.day(), lang_);
    dict->SetValue("TODAY_TEXT",
                   msg("web.admin.today",
                       {{"date", todayText},
                        {"fiscal_year", fiscalYearText(FiscalYear::containing(today).year, lang_)},
                        {"zone", clock->zone().name()}})
                       .in(lang_));
    // The next April 1, when the terms change: try it before it happens.
    const Date april = FiscalYear{FiscalYear::containing(today).year + 1}.first();
    dict->SetValue("TRY_HREF", query("/admin/access", {{"on", april.str()}}));
    dict->SetValue("TRY_TEXT",
                   msg("web.access.try_april",
                       {{"date", dateText(april.year(), april.month(), april.day(), lang_)}})
                       .in(lang_));
    if (const auto& faked = clock->faked()) {
        dict->ShowSection("DATE_FAKED");
        dict->SetValue(
            "DATE_FAKED_TEXT",
            msg("web.admin.date_faked",
                {{"date", todayText}, {"variable", faked->variable}, {"value", faked->value}})
                .in(lang_));
    }
    for (const auto& o : orgs) {
        Dict* row = dict->AddSectionDictionary("ORG");
        row->SetValue("ORG_NAME", o.name);
        row->SetValue("ROLES_HREF", query("/admin/roles", {{"org", o.name}}));
        row->SetValue("ACL_HREF", query("/admin/permissions", {{"path", o.space.str()}}));
        row->SetValue("AUDIT_HREF", query("/admin/audit", {{"path", o.space.str()}}));
    }
    sendPage("admin", *dict);
}

// ---- people --------------------------------------------------------------------------------

void WebRequest::peoplePage(const Message* error) {
    std::vector<DocPath> spaces;
    for (const auto& o : managedOrgs()) spaces.push_back(o.space);
    auto people = ctx_.people.people(*caller_, spaces);
    auto dict = pageDict(text("web.people.title"));
    dict->ShowSection("NAV_ADMIN");
    addNotice(*dict);
    bool admin = caller_->subject.admin;
    if (admin) dict->ShowSection("CAN_ADD");
    if (error) {
        dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
        dict->SetValue("NEW_NAME", param("name"));
        dict->SetValue("NEW_DISPLAY", param("display"));
    }
    for (const auto& p : people) {
        Dict* row = dict->AddSectionDictionary("PERSON");
        row->SetValue("P_NAME", p.name);
        row->SetValue("P_DISPLAY", p.display);
        row->SetValue("P_STATE", text(p.disabled ? "web.people.disabled"
                                      : p.admin  ? "web.people.admin"
                                                 : "web.people.active"));
        if (admin && p.name != caller_->user.name) {
            row->ShowSection(p.disabled ? "CAN_ENABLE" : "CAN_DISABLE");
            row->SetValueAndShowSection("PASSWORD_HREF",
                                        query("/admin/people/password", {{"name", p.name}}),
                                        "CAN_PASSWORD");
        }
    }
    sendPage("people", *dict, error ? 400 : 200);
}

void WebRequest::addPerson() {
    try {
        ctx_.people.add(*caller_, param("name"), param("display"), param("password"));
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Invalid) throw;
        return peoplePage(&e.message());
    }
    redirect(query("/admin/people", {{"done", "person_added"}, {"name", param("name")}}));
}

void WebRequest::setPersonDisabled() {
    bool disable = param("state") == "disabled";
    ctx_.people.setDisabled(*caller_, param("name"), disable);
    redirect(query("/admin/people", {{"done", disable ? "person_disabled" : "person_enabled"},
                                     {"name", param("name")}}));
}

void WebRequest::passwordPage(const Message* error) {
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    auto dict = pageDict(text("web.people.password_title"));
    dict->ShowSection("NAV_ADMIN");
    dict->SetValue("P_NAME", param("name"));
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("password", *dict, error ? 400 : 200);
}

void WebRequest::setPassword() {
    try {
        ctx_.people.setPassword(*caller_, param("name"), param("password"));
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Invalid) throw;
        return passwordPage(&e.message());
    }
    redirect(query("/admin/people", {{"done", "password_set"}, {"name", param("name")}}));
}

// ---- organisations -------------------------------------------------------------------------

void WebRequest::orgsPage(const Message* error) {
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    auto orgs = ctx_.admin.organisations();
    auto dict = pageDict(text("web.orgs.title"));
    dict->ShowSection("NAV_ADMIN");
    addNotice(*dict);
    for (const auto& o : orgs) {
        Dict* row = dict->AddSectionDictionary("ORG");
        row->SetValue("O_NAME", o.name);
        row->SetValue("O_KIND", text(std::string("web.orgs.kind.") + service::orgKindName(o.kind)));
        row->SetValue("O_PARENT", o.parent ? *o.parent : text("web.none"));
        row->SetValue("O_HREF", folderHref(o.space));
        row->SetValue("O_ROLES_HREF", query("/admin/roles", {{"org", o.name}}));
        if (o.kind != service::OrgKind::Association) {
            Dict* opt = dict->AddSectionDictionary("PARENT_OPTION");
            opt->SetValue("VALUE", o.name);
            opt->SetValue("LABEL", o.name);
            if (param("parent") == o.name) opt->SetValue("SELECTED", "selected");
        }
    }
    for (const char* k : {"association", "district", "city"}) {
        Dict* opt = dict->AddSectionDictionary("KIND_OPTION");
        opt->SetValue("VALUE", k);
        opt->SetValue("LABEL", text(std::string("web.orgs.kind.") + k));
        if (param("kind") == k) opt->SetValue("SELECTED", "selected");
    }
    dict->SetValue("NEW_NAME", param("name"));
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("orgs", *dict, error ? 400 : 200);
}

void WebRequest::addOrg() {
    auto kind = service::parseOrgKind(param("kind"));
    if (!kind) {
        Message m = msg("web.orgs.bad_kind");
        return orgsPage(&m);
    }
    try {
        ctx_.admin.addOrg(*caller_, param("name"), *kind, param("parent"));
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Forbidden) throw;
        return orgsPage(&e.message());
    }
    redirect(query("/admin/orgs", {{"done", "org_added"}, {"name", param("name")}}));
}

// ---- roles and terms -----------------------------------------------------------------------

void WebRequest::rolesPage() {
    auto orgs = managedOrgs();
    if (orgs.empty()) return sendError(403, msg("web.admin.managers_only"));
    std::string orgName = param("org").empty() ? orgs.front().name : param("org");
    auto org =
        std::find_if(orgs.begin(), orgs.end(), [&](const auto& o) { return o.name == orgName; });
    if (org == orgs.end()) return sendError(404, msg("org.unknown"));
    FiscalYear now = FiscalYear::containing(Date::today());
    FiscalYear next{now.year + 1};
    auto dict = pageDict(text("web.roles.title"));
    dict->ShowSection("NAV_ADMIN");
    addNotice(*dict);
    dict->SetValue("ORG_NAME", org->name);
    dict->SetValue("THIS_YEAR", fiscalYearText(now.year, lang_));
    dict->SetValue("NEXT_YEAR", fiscalYearText(next.year, lang_));
    for (const auto& o : orgs) {
        Dict* opt = dict->AddSectionDictionary("ORG_OPTION");
        opt->SetValue("VALUE", o.name);
        opt->SetValue("LABEL", o.name);
        if (o.name == org->name) opt->SetValue("SELECTED", "selected");
    }
    auto terms = ctx_.admin.assignments(*caller_, org->name, std::nullopt);
    for (const auto& role : ctx_.admin.catalogue(org->kind)) {
        Dict* row = dict->AddSectionDictionary("ROLE");
        row->SetValue("ROLE_NAME", role);
        for (const auto& [section, fy] :
             {std::make_pair("THIS", now), std::make_pair("NEXT", next)}) {
            bool any = false;
            for (const auto& a : terms) {
                if (a.role != role || !overlaps(a, fy)) continue;
                any = true;
                Dict* h = row->AddSectionDictionary(std::string(section) + "_HOLDER");
                h->SetValue("H_NAME", ctx_.history.displayName(a.user));
                h->SetValue("H_TERM", msg("web.roles.term",
                                          {{"from", a.from},
                                           {"to", a.openEnded ? text("term.open_end") : a.to}})
                                          .in(lang_));
                h->SetValue("H_ID", std::to_string(a.id));
            }
            if (!any) row->ShowSection(std::string(section) + "_NOBODY");
            row->SetValue(
                std::string(section) + "_ASSIGN_HREF",
                query("/admin/roles/assign",
                      {{"org", org->name}, {"role", role}, {"year", std::to_string(fy.year)}}));
        }
    }
    sendPage("roles", *dict);
}

void WebRequest::assignPage(const Message* error) {
    auto fy = FiscalYear::parse(param("year"));
    if (!fy) return sendError(400, msg("api.bad_year"));
    std::vector<DocPath> spaces;
    for (const auto& o : managedOrgs()) spaces.push_back(o.space);
    auto people = ctx_.people.people(*caller_, spaces);
    auto dict = pageDict(text("web.roles.assign_title"));
    dict->ShowSection("NAV_ADMIN");
    dict->SetValue("ORG_NAME", param("org"));
    dict->SetValue("ROLE_NAME", param("role"));
    dict->SetValue("YEAR", std::to_string(fy->year));
    dict->SetValue("YEAR_TEXT", fiscalYearText(fy->year, lang_));
    dict->SetValue("BACK_HREF", query("/admin/roles", {{"org", param("org")}}));
    // The holder of the year before comes first: re-appointing (再任) is one click.
    std::string before;
    for (const auto& a : ctx_.admin.assignments(*caller_, param("org"), std::nullopt)) {
        if (a.role == param("role") && overlaps(a, FiscalYear{fy->year - 1})) before = a.user;
    }
    for (const auto& p : people) {
        if (p.disabled) continue;
        Dict* opt = dict->AddSectionDictionary("PERSON_OPTION");
        opt->SetValue("VALUE", p.name);
        opt->SetValue("LABEL", p.display + " (" + p.name + ")");
        if (p.name == (param("user").empty() ? before : param("user")))
            opt->SetValue("SELECTED", "selected");
    }
    if (!before.empty())
        dict->SetValueAndShowSection("BEFORE", ctx_.history.displayName(before), "HAS_BEFORE");
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("assign", *dict, error ? 400 : 200);
}

void WebRequest::assign() {
    auto fy = FiscalYear::parse(param("year"));
    if (!fy) return sendError(400, msg("api.bad_year"));
    try {
        ctx_.admin.assign(*caller_, param("user"), param("role"), param("org"), fy->first(),
                          fy->last());
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Forbidden ||
            e.code() == service::ServiceError::Code::NotFound)
            throw;
        return assignPage(&e.message());
    }
    redirect(query("/admin/roles",
                   {{"org", param("org")},
                    {"done", "assigned"},
                    {"name", ctx_.history.displayName(param("user")) + " / " + param("role") +
                                 " / " + fiscalYearText(fy->year, lang_)}}));
}

void WebRequest::endTerm() {
    const std::int64_t id = idParam("term.not_found");
    if (param("confirm") != "yes") {
        // Ending a term early takes the person's rights away today: asked once more.
        auto terms = ctx_.admin.assignments(*caller_, std::nullopt, std::nullopt);
        auto t =
            std::find_if(terms.begin(), terms.end(), [&](const auto& a) { return a.id == id; });
        if (t == terms.end()) return sendError(404, msg("term.not_found"));
        auto dict = pageDict(text("web.roles.end_heading"));
        dict->ShowSection("NAV_ADMIN");
        dict->SetValue("TERM_TEXT",
                       t->org + " " + t->role + " " + ctx_.history.displayName(t->user));
        dict->SetValue("ID", std::to_string(id));
        dict->SetValue("ORG_NAME", t->org);
        dict->SetValue("BACK_HREF", query("/admin/roles", {{"org", t->org}}));
        return sendPage("confirm_end", *dict);
    }
    ctx_.admin.endAssignment(*caller_, id, Date::today());
    redirect(query("/admin/roles", {{"org", param("org")}, {"done", "term_ended"}}));
}

// ---- permissions ---------------------------------------------------------------------------

void WebRequest::permissionsPage(const Message* error) {
    DocPath path = pathParam("path");
    service::AclView v = ctx_.admin.acl(*caller_, path);
    auto dict = pageDict(text("web.acl.title"));
    dict->ShowSection("NAV_ADMIN");
    addNotice(*dict);
    addBreadcrumbs(*dict, path, true);
    dict->SetValue("PATH", path.str());
    dict->SetValue("FOLDER_NAME", path.isRoot() ? text("web.crumb.top") : path.name());
    dict->SetValue("FOLDER_HREF", folderHref(path));
    if (v.isProtected) dict->ShowSection("PROTECTED");
    for (const auto& e : v.entries) {
        Dict* row = dict->AddSectionDictionary("ENTRY");
        row->SetValue(
            "SENTENCE",
            msg("web.acl.sentence",
                {{"who", principalText(e.principal)},
                 {"rights", text("web.acl.rights." + std::string(service::rightsName(e.rights)))}})
                .in(lang_));
        row->SetValue("E_PRINCIPAL", e.principal);
        if (e.inherited) {
            row->SetValueAndShowSection("FROM", e.path.empty() ? text("web.crumb.top") : e.path,
                                        "INHERITED");
        } else {
            row->ShowSection("OWN");
        }
    }
    if (v.entries.empty()) dict->ShowSection("NO_ENTRY");
    // The principals one can name: each role of each organisation, the roles of a
    // district's member associations, and each person.
    for (const auto& o : ctx_.admin.organisations()) {
        for (const auto& role : ctx_.admin.catalogue(o.kind)) {
            Dict* opt = dict->AddSectionDictionary("PRINCIPAL_OPTION");
            std::string p = "role:" + o.name + "/" + role;
            opt->SetValue("VALUE", p);
            opt->SetValue("LABEL", principalText(p));
        }
        if (o.kind == service::OrgKind::District) {
            for (const auto& role : ctx_.admin.catalogue(service::OrgKind::Association)) {
                Dict* opt = dict->AddSectionDictionary("PRINCIPAL_OPTION");
                std::string p = "members:" + o.name + "/" + role;
                opt->SetValue("VALUE", p);
                opt->SetValue("LABEL", principalText(p));
            }
        }
    }
    for (const char* r : {"read", "write", "manage", "none"}) {
        Dict* opt = dict->AddSectionDictionary("RIGHTS_OPTION");
        opt->SetValue("VALUE", r);
        opt->SetValue("LABEL", text(std::string("web.acl.rights.") + r));
    }
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("permissions", *dict, error ? 400 : 200);
}

void WebRequest::grant() {
    DocPath path = pathParam("path");
    auto rights = service::parseRights(param("rights"));
    if (!rights) {
        Message m = msg("web.acl.bad_rights");
        return permissionsPage(&m);
    }
    try {
        ctx_.admin.grant(*caller_, path, param("principal"), *rights);
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Invalid &&
            e.code() != service::ServiceError::Code::BadRequest)
            throw;
        return permissionsPage(&e.message());
    }
    redirect(query("/admin/permissions", {{"path", path.str()}, {"done", "granted"}}));
}

void WebRequest::revoke() {
    DocPath path = pathParam("path");
    ctx_.admin.revoke(*caller_, path, param("principal"));
    redirect(query("/admin/permissions", {{"path", path.str()}, {"done", "revoked"}}));
}

// ---- the audit log and the index -----------------------------------------------------------

void WebRequest::auditPage() {
    AuditFilter f;
    if (!param("path").empty()) f.path = pathParam("path").str();
    if (!param("user").empty()) f.user = param("user");
    if (!param("since").empty()) {
        if (!Date::parse(param("since"))) return sendError(400, msg("api.bad_date"));
        f.since = param("since");
    }
    f.limit = 300;
    if (!caller_->subject.admin && !f.path) {
        auto orgs = managedOrgs();
        if (orgs.empty()) return sendError(403, msg("web.admin.managers_only"));
        f.path = orgs.front().space.str();
    }
    auto events = ctx_.admin.auditLog(*caller_, f);
    auto dict = pageDict(text("web.audit.title"));
    dict->ShowSection("NAV_ADMIN");
    dict->SetValue("F_PATH", f.path.value_or(""));
    dict->SetValue("F_USER", param("user"));
    dict->SetValue("F_SINCE", param("since"));
    for (const auto& e : events) {
        Dict* row = dict->AddSectionDictionary("EVENT");
        row->SetValue("A_WHEN", dateTimeOfIso(e.at, lang_));
        row->SetValue("A_WHO",
                      e.user.empty() ? text("web.none") : ctx_.history.displayName(e.user));
        std::string what;
        try {
            what = text("web.audit.action." + e.action);
        } catch (const std::logic_error&) {
            what = e.action;
        }
        row->SetValue("A_WHAT", what);
        row->SetValue("A_WHERE",
                      e.dest.empty() ? e.path
                      : e.path.empty()
                          ? e.dest
                          : msg("web.audit.moved", {{"from", e.path}, {"to", e.dest}}).in(lang_));
        row->SetValue("A_RESULT", e.result == "ok"
                                      ? text("web.audit.ok")
                                      : text("web.audit.refused") + " (" + e.result + ")");
        row->SetValue("A_ADDRESS", e.address);
    }
    if (events.empty()) dict->ShowSection("NO_EVENT");
    sendPage("audit", *dict);
}

void WebRequest::indexPage() {
    // The counts are of the whole drive: administrators only.
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    IndexStatus s = ctx_.admin.indexStatus(*caller_);
    auto dict = pageDict(text("web.index.title"));
    dict->ShowSection("NAV_ADMIN");
    dict->SetValue("INDEXED", std::to_string(s.indexed));
    dict->SetValue("PENDING", std::to_string(s.pending));
    dict->SetValue("FAILED", std::to_string(s.failed));
    dict->SetValue("OCR_PENDING", std::to_string(s.ocrPending));
    dict->SetValue("OCR_WHAT", s.ocrLanguages);
    dict->ShowSection(s.ocrOn ? "OCR_ON" : "OCR_OFF");
    for (const auto& f : s.failures) {
        Dict* row = dict->AddSectionDictionary("FAILURE");
        row->SetValue("F_PATH", f.path);
        row->SetValue("F_REASON", f.reason);
        row->SetValue("F_AT", dateTimeOfIso(f.at, lang_));
    }
    if (s.failures.empty()) dict->ShowSection("NO_FAILURE");
    sendPage("index_status", *dict);
}

// ---- この日に だれが 何を できるか ----------------------------------------------------------

void WebRequest::accessPage() {
    // It names every folder and every person: administrators only. A GET form: it changes
    // nothing.
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    auto dict = pageDict(text("web.access.title"));
    dict->ShowSection("NAV_ADMIN");
    const std::string person = param("user"), onText = param("on"), pathText = param("path");
    dict->SetValue("F_ON", onText.empty() ? caller_->subject.date : onText);
    dict->SetValue("F_PATH", pathText);
    for (const auto& p : ctx_.people.people(*caller_, {})) {
        Dict* opt = dict->AddSectionDictionary("PERSON_OPTION");
        opt->SetValue("VALUE", p.name);
        opt->SetValue("LABEL", p.display + " (" + p.name + ")");
        if (p.name == person) opt->SetValue("SELECTED", "selected");
    }
    auto refuse = [&](const Message& m, const char* field, const char* section) {
        dict->SetValueAndShowSection("ERROR", text(m), "HAS_ERROR");
        dict->SetValue("ERROR_FIELD", field);
        dict->ShowSection(section);
        sendPage("access", *dict, 400);
    };
    if (person.empty()) return sendPage("access", *dict);
    auto on = service::accessDate(onText.empty() ? caller_->subject.date : onText);
    if (!on) return refuse(msg("web.access.bad_date"), "access-on", "ON_ERROR");
    std::optional<DocPath> path;
    if (!pathText.empty()) path = pathParam("path");
    service::AccessReport r;
    try {
        r = ctx_.admin.access(*caller_, person, *on, path);
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::NotFound) throw;
        if (e.message().code == "user.unknown")
            return refuse(e.message(), "access-user", "USER_ERROR");
        return refuse(e.message(), "access-path", "PATH_ERROR");
    }

    const std::string who = msg("web.acl.person", {{"name", r.person.display}}).in(lang_);
    Dict* result = dict->AddSectionDictionary("RESULT");
    result->SetValue("RESULT_HEADING",
                     msg("web.access.result_heading",
                         {{"name", who},
                          {"date", dateText(on->year(), on->month(), on->day(), lang_)},
                          {"fiscal_year", fiscalYearText(FiscalYear::containing(*on).year, lang_)}})
                         .in(lang_));
    if (r.person.disabled) result->ShowSection("DISABLED");
    if (r.person.admin) result->ShowSection("IS_ADMIN");
    // `brief`: without the end of the grace period, which the roles above say.
    auto termText = [&](const service::AccessRole& a, bool brief = false) {
        if (a.openEnded()) {
            return msg("web.access.term", {{"from", a.from}, {"to", text("term.open_end")}})
                .in(lang_);
        }
        if (a.readOnly && brief)
            return msg("web.access.term_ended_brief", {{"from", a.from}, {"to", a.to}}).in(lang_);
        if (a.readOnly) {
            return msg("web.access.term_ended",
                       {{"from", a.from}, {"to", a.to}, {"until", a.readOnlyUntil}})
                .in(lang_);
        }
        return msg("web.access.term", {{"from", a.from}, {"to", a.to}}).in(lang_);
    };
    auto roleText = [&](const service::AccessRole& a) {
        auto slash = a.role.find('/');
        return msg("web.acl.role",
                   {{"org", a.role.substr(0, slash)}, {"role", a.role.substr(slash + 1)}})
            .in(lang_);
    };
    for (const auto& a : r.roles) {
        result->AddSectionDictionary("ROLE")->SetValue(
            "ROLE_TEXT",
            msg("web.access.role", {{"role", roleText(a)}, {"term", termText(a)}}).in(lang_));
    }
    if (r.roles.empty() && !r.person.admin) result->ShowSection("NO_ROLE");
    for (const auto& p : r.points) {
        Dict* row = result->AddSectionDictionary("POINT");
        const std::string rightsText =
            text("web.acl.rights." + std::string(service::rightsName(p.rights)));
        row->SetValue("P_PATH", "/" + p.path.str() + (p.isDir && !p.path.isRoot() ? "/" : ""));
        row->SetValue("P_HREF", query("/admin/permissions",
                                      {{"path", (p.isDir ? p.path : p.path.parent()).str()}}));
        row->SetValue("P_RIGHTS", rightsText);
        if (p.passThrough) row->ShowSection("PASS_THROUGH");
        if (path) {
            result->SetValueAndShowSection(
                "SUMMARY_TEXT",
                msg("web.acl.sentence", {{"who", who}, {"rights", rightsText}}).in(lang_),
                "SUMMARY");
        }
        for (const auto& reason : p.reasons) {
            std::string why;
            const std::string where =
                reason.entryPath.empty() ? text("web.crumb.top") : "/" + reason.entryPath + "/";
            const std::string rule =
                msg("web.acl.sentence",
                    {{"who", principalText(reason.principal)},
                     {"rights", text("web.acl.rights." +
                                     std::string(service::rightsName(reason.entryRights)))}})
                    .in(lang_);
            switch (reason.kind) {
                case service::AccessReason::Kind::Admin:
                    why = text("web.access.why_admin");
                    break;
                case service::AccessReason::Kind::Person:
                    why =
                        msg("web.access.why_person", {{"where", where}, {"rule", rule}}).in(lang_);
                    break;
                case service::AccessReason::Kind::Role:
                    why = msg("web.access.why_role", {{"role", roleText(*reason.role)},
                                                      {"term", termText(*reason.role, true)},
                                                      {"where", where},
                                                      {"rule", rule}})
                              .in(lang_);
                    break;
            }
            row->AddSectionDictionary("WHY")->SetValue("WHY_TEXT", why);
        }
        if (p.reasons.empty())
            row->AddSectionDictionary("WHY")->SetValue("WHY_TEXT", text("web.access.why_none"));
    }
    sendPage("access", *dict);
}

}  // namespace kiroku::web
