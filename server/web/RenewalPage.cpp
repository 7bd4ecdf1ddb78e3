// 来年度への引き継ぎ（更新）: the April renewal as one page for administrators. It lists
// the holders whose term ends on the last day of the fiscal year before the one chosen
// (each ticked), and carries the ticked ones over with one button (AdminService::renew,
// all or nothing). The list the person saw rides along in the form: when the terms
// changed meanwhile, nothing is changed and the page says so.

#include "core/FiscalYear.h"
#include "web/Format.h"
#include "web/WebRequest.h"

#include <Poco/NumberParser.h>

#include <algorithm>

namespace kiroku::web {

namespace {

std::string joinedIds(const std::vector<acl::Renewal>& carried) {
    std::vector<std::int64_t> ids;
    for (const auto& r : carried) ids.push_back(r.from.id);
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

}  // namespace

void WebRequest::renewPage(const Message* error) {
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    auto orgs = ctx_.admin.organisations();
    if (orgs.empty()) return sendError(404, msg("org.unknown"));
    const std::string orgName = param("org").empty() ? orgs.front().name : param("org");
    if (std::none_of(orgs.begin(), orgs.end(), [&](const auto& o) { return o.name == orgName; }))
        return sendError(404, msg("org.unknown"));
    // Into this fiscal year while last year's holders still wait (April, May), else next.
    const FiscalYear now = FiscalYear::containing(*Date::parse(caller_->subject.date));
    std::optional<FiscalYear> to;
    if (!param("year").empty()) {
        to = FiscalYear::parse(param("year"));
        if (!to) return sendError(400, msg("api.bad_year"));
    }
    acl::RenewalPlan plan;
    if (to) {
        plan = ctx_.admin.renewalPlan(*caller_, orgName, *to, {});
    } else {
        plan = ctx_.admin.renewalPlan(*caller_, orgName, now, {});
        if (plan.carried.empty())
            plan = ctx_.admin.renewalPlan(*caller_, orgName, {now.year + 1}, {});
    }
    const std::string yearText = fiscalYearText(plan.to.year, lang_);
    auto dict = pageDict(text("web.renew.title"));
    dict->ShowSection("NAV_ADMIN");
    dict->SetValue("ORG_NAME", orgName);
    dict->SetValue("YEAR", std::to_string(plan.to.year));
    dict->SetValue("HEADING", msg("web.renew.heading", {{"year", yearText}}).in(lang_));
    dict->SetValue("WHAT", msg("web.renew.what", {{"year", yearText}}).in(lang_));
    dict->SetValue("SUBMIT", msg("web.renew.submit", {{"year", yearText}}).in(lang_));
    dict->SetValue("SHOWN", joinedIds(plan.carried));
    for (const auto& o : orgs) {
        Dict* opt = dict->AddSectionDictionary("ORG_OPTION");
        opt->SetValue("VALUE", o.name);
        opt->SetValue("LABEL", o.name);
        if (o.name == orgName) opt->SetValue("SELECTED", "selected");
    }
    for (int y : {now.year, now.year + 1}) {
        Dict* opt = dict->AddSectionDictionary("YEAR_OPTION");
        opt->SetValue("VALUE", std::to_string(y));
        opt->SetValue("LABEL", fiscalYearText(y, lang_));
        if (y == plan.to.year) opt->SetValue("SELECTED", "selected");
    }
    auto term = [&](const std::string& from, const std::string& to) {
        auto f = Date::parse(from), t = Date::parse(to);
        if (!f || !t) return from + " - " + to;
        return msg("web.roles.term", {{"from", dateText(f->year(), f->month(), f->day(), lang_)},
                                      {"to", dateText(t->year(), t->month(), t->day(), lang_)}})
            .in(lang_);
    };
    for (const auto& r : plan.carried) {
        Dict* row = dict->AddSectionDictionary("HOLDER");
        row->SetValue("H_ID", std::to_string(r.from.id));
        row->SetValue("H_NAME", ctx_.history.displayName(r.from.userName));
        row->SetValue("H_ROLE", r.from.role);
        row->SetValue("H_NOW", term(r.from.start, r.from.end));
        row->SetValue("H_NEXT", term(r.start, r.end));
    }
    if (plan.carried.empty())
        dict->ShowSection("NOBODY");
    else
        dict->ShowSection("SOMEONE");
    if (plan.alreadyAssigned) {
        dict->SetValueAndShowSection(
            "ALREADY_TEXT",
            msg("web.renew.already",
                {{"count", std::to_string(plan.alreadyAssigned)}, {"year", yearText}})
                .in(lang_),
            "ALREADY");
    }
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("renew", *dict, error ? 400 : 200);
}

void WebRequest::renew() {
    if (!caller_->subject.admin) return sendError(403, msg("rights.admin_only"));
    auto to = FiscalYear::parse(param("year"));
    if (!to) return sendError(400, msg("api.bad_year"));
    std::vector<std::int64_t> ticked;
    for (const auto& [name, value] : form_) {
        if (name != "id") continue;
        Poco::Int64 id = 0;
        if (!Poco::NumberParser::tryParse64(value, id) || id < 1)
            return sendError(400, msg("renew.changed"));
        ticked.push_back(id);
    }
    if (ticked.empty()) {
        Message m = msg("web.renew.none_ticked");
        return renewPage(&m);
    }
    try {
        // The list as the person saw it: if it is not the list now, nothing changes.
        acl::RenewalPlan plan = ctx_.admin.renewalPlan(*caller_, param("org"), *to, {});
        if (joinedIds(plan.carried) != param("shown"))
            throw service::ServiceError(service::ServiceError::Code::Conflict,
                                        msg("renew.changed"));
        auto made = ctx_.admin.renew(*caller_, plan, ticked);
        redirect(query(
            "/admin/roles",
            {{"org", param("org")}, {"done", "renewed"}, {"count", std::to_string(made.size())}}));
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Conflict) throw;
        return renewPage(&e.message());
    }
}

}  // namespace kiroku::web
