// kiroku org …, role … (assign, list, end, renew), acl …: organisations, terms and
// permission entries.
#include "cli/Env.h"

#include <unistd.h>

#include <functional>
#include <iomanip>
#include <sstream>

namespace kiroku::cli {

namespace {

// Refuses a path where there is nothing (or no folder, when `folder`), naming the folder
// the administrator most likely meant.
void requireExisting(Env& env, acl::Governance& gov, const DocPath& path, bool folder) {
    auto e = env.store->stat(path);
    if (e && (e->isDir || !folder)) return;
    if (auto near = gov.nearestFolder(path)) {
        throw acl::GovernanceError(msg("cli.acl.no_folder_near",
                                       {{"path", "/" + path.str()}, {"near", "/" + near->str()}}));
    }
    throw acl::GovernanceError(msg("cli.acl.no_folder", {{"path", "/" + path.str()}}));
}

// kiroku role renew ORG --to R9 [--roles 会員,班長] [--dry-run] [--yes]: the preview,
// then (asked on a terminal, --yes in a script) the renewal, all or nothing.
int renewCommand(Env& env, acl::Governance& gov) {
    const std::string& org = env.arg(2, "cli.what.org_name");
    if (!env.flag("to")) throw UsageError(msg("cli.usage.renew_to_needed"));
    FiscalYear to = yearArg("--to", env.flags["to"]);
    std::vector<std::string> roles;
    if (env.flag("roles")) {
        std::stringstream list(env.flags["roles"]);
        for (std::string r; std::getline(list, r, ',');) {
            if (!r.empty()) roles.push_back(r);
        }
        if (roles.empty()) throw UsageError(msg("cli.usage.renew_roles_empty"));
    }
    acl::RenewalPlan plan = gov.planRenewal(org, to, roles);
    const std::string year = to.japanese() + " (" + std::to_string(to.year) + ")";
    const std::string count = std::to_string(plan.carried.size());
    env.say(msg("cli.renew.heading", {{"org", org}, {"year", year}, {"count", count}}));
    for (const auto& r : plan.carried) {
        env.out << "  " << r.from.role << "  " << r.from.userName << "  " << r.from.start << " .. "
                << r.from.end << "  ->  " << r.start << " .. " << r.end << "\n";
    }
    if (plan.alreadyAssigned) {
        env.say(msg("cli.renew.already",
                    {{"count", std::to_string(plan.alreadyAssigned)}, {"year", year}}));
    }
    if (plan.carried.empty()) {
        env.say(msg("cli.renew.nothing"));
        return 0;
    }
    if (env.flag("dry-run")) {
        env.say(msg("cli.renew.dry_run"));
        return 0;
    }
    if (!env.flag("yes")) {
        if (&env.in != &std::cin || !::isatty(STDIN_FILENO)) {
            throw acl::GovernanceError(msg("cli.renew.needs_yes"));
        }
        env.out << env.text(msg("cli.renew.confirm", {{"count", count}})) << " " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
            env.say(msg("cli.renew.aborted"));
            return 1;
        }
    }
    auto made = gov.renew(plan, env.actor());
    env.say(msg("cli.renew.done", {{"count", std::to_string(made.size())}, {"year", year}}));
    return 0;
}

}  // namespace

int orgCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "cli.what.org_subcommand");
    if (sub == "list") {
        auto snap = acl::AccessPolicy::load(*env.db);
        std::function<void(std::int64_t, int)> show = [&](std::int64_t parent, int depth) {
            for (const auto& [id, o] : snap->orgs) {
                if (o.parentId != parent) continue;
                env.out << std::string(depth * 2, ' ') << o.name << "  ("
                        << acl::orgKindName(o.kind) << ", /" << o.space().str() << "/)\n";
                show(id, depth + 1);
            }
        };
        show(0, 0);
        return 0;
    }
    const std::string& name = env.arg(2, "cli.what.org_name");
    if (sub == "add") {
        if (!env.flag("kind")) throw UsageError(msg("cli.usage.kind_needed"));
        auto kind = acl::parseOrgKind(env.flags["kind"]);
        if (!kind) throw UsageError(msg("cli.usage.bad_kind"));
        auto o =
            gov.addOrg(name, *kind, env.flag("parent") ? env.flags["parent"] : "", env.actor());
        env.say(msg("cli.org.added", {{"name", o.name},
                                      {"kind", acl::orgKindName(o.kind)},
                                      {"space", "/" + o.space().str() + "/"}}));
    } else if (sub == "rename") {
        const std::string& newName = env.arg(3, "cli.what.new_name");
        gov.renameOrg(name, newName, env.actor());
        env.say(msg("cli.org.renamed", {{"name", name}, {"new", newName}}));
    } else if (sub == "move") {
        if (!env.flag("parent")) throw UsageError(msg("cli.usage.parent_needed"));
        gov.moveOrg(name, env.flags["parent"], env.actor());
        env.say(msg("cli.org.moved", {{"name", name}, {"parent", env.flags["parent"]}}));
    } else {
        unknownSubcommand("org", sub);
    }
    return 0;
}

int roleCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "cli.what.role_subcommand");
    if (sub == "list") {
        auto snap = acl::AccessPolicy::load(*env.db);
        std::optional<std::string> org;
        if (env.flag("org")) org = env.flags["org"];
        std::optional<Date> on;
        if (env.flag("on")) on = dateArg(env.flags["on"]);
        for (const auto& a : gov.assignments(org, on)) {
            const auto* o = snap->org(a.orgId);
            env.out << std::setw(5) << a.id << "  " << a.userName << "  " << (o ? o->name : "?")
                    << "/" << a.role << "  " << a.start << " .. "
                    << (a.openEnded() ? env.text(msg("term.open_end")) : a.end) << "\n";
        }
        return 0;
    }
    if (sub == "renew") return renewCommand(env, gov);
    if (sub == "assign") {
        const std::string& user = env.arg(2, "cli.what.login_name");
        const std::string& role = env.arg(3, "cli.what.role");
        const std::string& org = env.arg(4, "cli.what.org_name");
        std::optional<Date> from, to;
        if (env.flag("term")) {
            FiscalYear fy = yearArg("--term", env.flags["term"]);
            from = fy.first();
            to = fy.last();
        }
        if (env.flag("from")) from = dateArg(env.flags["from"]);
        // Held without an end date (期限なし): --open, or --to none.
        const bool open = env.flag("open") || (env.flag("to") && env.flags["to"] == "none");
        if (env.flag("open") && env.flag("to")) throw UsageError(msg("cli.usage.open_and_to"));
        if (open)
            to = acl::Governance::openEnd();
        else if (env.flag("to"))
            to = dateArg(env.flags["to"]);
        if (!from || !to) throw UsageError(msg("cli.usage.term_needed"));
        auto a = gov.assign(user, role, org, *from, *to, env.actor());
        if (a.openEnded()) {
            env.say(msg("cli.role.assigned_open", {{"id", std::to_string(a.id)},
                                                   {"user", user},
                                                   {"org", org},
                                                   {"role", role},
                                                   {"from", a.start}}));
            return 0;
        }
        env.say(msg("cli.role.assigned", {{"id", std::to_string(a.id)},
                                          {"user", user},
                                          {"org", org},
                                          {"role", role},
                                          {"from", a.start},
                                          {"to", a.end}}));
        return 0;
    }
    if (sub == "end") {
        std::int64_t id = numberArg(env.arg(2, "cli.what.assignment_id"));
        Date on = env.flag("on") ? dateArg(env.flags["on"]) : Date::today();
        auto end = gov.endAssignment(id, on, env.actor());
        if (end)
            env.say(msg("cli.role.ended", {{"id", std::to_string(id)}, {"date", end->str()}}));
        else
            env.say(msg("cli.role.cancelled", {{"id", std::to_string(id)}}));
        return 0;
    }
    unknownSubcommand("role", sub);
}

int aclCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "cli.what.acl_subcommand");
    DocPath path = DocPath::fromText(env.arg(2, "cli.what.folder_path"));
    if (sub == "show") {
        requireExisting(env, gov, path, false);
        auto snap = acl::AccessPolicy::load(*env.db);
        // The entries that apply here: this folder's own and those inherited from above.
        std::vector<std::string> chain;
        for (DocPath p = path;; p = p.parent()) {
            chain.push_back(p.str());
            if (snap->protectedPaths.count(p.str()) || p.isRoot()) break;
        }
        for (const auto& level : chain) {
            auto it = snap->entries.find(level);
            bool prot = snap->protectedPaths.count(level) > 0;
            if (it == snap->entries.end() && !prot) continue;
            env.out << "/" << level << (level.empty() ? "" : "/");
            if (level != path.str()) env.out << "  (" << env.text(msg("cli.acl.inherited")) << ")";
            if (prot) env.out << "  [" << env.text(msg("cli.acl.protected")) << "]";
            env.out << "\n";
            if (it == snap->entries.end()) continue;
            for (const auto& e : it->second) {
                env.out << "    " << std::left << std::setw(36) << snap->describe(e.principal)
                        << " " << acl::rightsName(e.rights) << "\n";
            }
        }
        return 0;
    }
    if (sub == "grant" || sub == "revoke") {
        const std::string& principal = env.arg(3, "cli.what.principal");
        acl::Principal who = gov.parsePrincipal(principal);
        if (sub == "grant") {
            const std::string& rightsText = env.arg(4, "cli.what.rights");
            auto rights = acl::parseRights(rightsText);
            if (!rights) throw UsageError(msg("cli.usage.bad_rights"));
            requireExisting(env, gov, path, false);
            gov.grant(path, who, *rights, env.actor());
            env.say(msg(
                "cli.acl.granted",
                {{"rights", rightsText}, {"path", "/" + path.str()}, {"principal", principal}}));
        } else {
            gov.revoke(path, who, env.actor());
            env.say(msg("cli.acl.revoked", {{"path", "/" + path.str()}, {"principal", principal}}));
        }
        return 0;
    }
    if (sub == "protect") {
        const std::string& onOff = env.arg(3, "cli.what.on_off");
        if (onOff != "on" && onOff != "off")
            throw UsageError(msg("cli.usage.on_off", {{"command", "acl protect PATH"}}));
        requireExisting(env, gov, path, true);
        gov.setProtected(path, onOff == "on", env.actor());
        env.say(msg(onOff == "on" ? "cli.acl.protect_on" : "cli.acl.protect_off",
                    {{"path", "/" + path.str()}}));
        return 0;
    }
    unknownSubcommand("acl", sub);
}

}  // namespace kiroku::cli
