// kiroku access PERSON [PATH] [--on DATE]: what a person can open and do on a date, and why
// (acl/AccessReport.h), to try the April 1 change before it happens.
#include "acl/AccessReport.h"
#include "cli/Env.h"

#include <iomanip>

namespace kiroku::cli {

namespace {

// The term as the role line says it; `brief`: without the end of the grace period (the
// role line above says it), for the reasons under each place.
std::string termText(const Env& env, const acl::AccessRole& r, bool brief = false) {
    if (r.openEnded()) {
        return env.text(
            msg("cli.access.term", {{"from", r.from}, {"to", env.text(msg("term.open_end"))}}));
    }
    if (r.readOnly && brief)
        return env.text(msg("cli.access.term_ended_brief", {{"from", r.from}, {"to", r.to}}));
    if (r.readOnly) {
        return env.text(msg("cli.access.term_ended",
                            {{"from", r.from}, {"to", r.to}, {"until", r.readOnlyUntil}}));
    }
    return env.text(msg("cli.access.term", {{"from", r.from}, {"to", r.to}}));
}

std::string reasonText(const Env& env, const acl::AccessReason& r) {
    using Kind = acl::AccessReason::Kind;
    if (r.kind == Kind::Admin) return env.text(msg("label.admin"));
    const std::string entry = r.principal + " " + acl::rightsName(r.entryRights);
    const std::string where = "/" + r.entryPath + (r.entryPath.empty() ? "" : "/");
    if (r.kind == Kind::Person) {
        return env.text(msg("cli.access.why_person", {{"entry", entry}, {"where", where}}));
    }
    return env.text(msg("cli.access.why_role", {{"role", r.role->role},
                                                {"term", termText(env, *r.role, true)},
                                                {"entry", entry},
                                                {"where", where}}));
}

}  // namespace

int accessCommand(Env& env) {
    const std::string& person = env.arg(1, "cli.what.login_name");
    std::optional<DocPath> path;
    if (env.args.size() > 2) path = DocPath::fromText(env.args[2]);
    Date on = Date::today();
    if (env.flag("on")) {
        auto d = acl::accessDate(env.flags["on"]);
        if (!d) throw UsageError(msg("cli.usage.bad_access_date", {{"text", env.flags["on"]}}));
        on = *d;
    }
    auto gov = env.governance();
    acl::AccessPolicy policy(*env.db, env.settings);
    acl::AccessReport report =
        acl::AccessReporter(policy, gov, *env.store, *env.db).report(person, on, path);

    env.say(msg("cli.access.heading", {{"name", report.person.name},
                                       {"display", report.person.display},
                                       {"date", report.date},
                                       {"fiscal_year", FiscalYear::containing(on).japanese()}}));
    if (report.person.disabled) env.out << "  " << env.text(msg("cli.access.disabled")) << "\n";
    if (report.person.admin) env.out << "  " << env.text(msg("cli.access.admin")) << "\n";
    for (const auto& r : report.roles) {
        env.out << "  "
                << env.text(msg("cli.access.role", {{"role", r.role}, {"term", termText(env, r)}}))
                << "\n";
    }
    if (report.roles.empty() && !report.person.admin)
        env.out << "  " << env.text(msg("cli.access.no_roles")) << "\n";
    // One block a place: "RIGHTS  /PATH/", then why, indented.
    for (const auto& p : report.points) {
        env.out << std::left << std::setw(8) << acl::rightsName(p.rights) << "/" << p.path.str()
                << (p.isDir && !p.path.isRoot() ? "/" : "");
        if (p.passThrough) env.out << "  [" << env.text(msg("cli.access.pass_through")) << "]";
        env.out << "\n";
        for (const auto& r : p.reasons) env.out << "        " << reasonText(env, r) << "\n";
        if (p.reasons.empty())
            env.out << "        " << env.text(msg("cli.access.why_none")) << "\n";
    }
    return 0;
}

}  // namespace kiroku::cli
