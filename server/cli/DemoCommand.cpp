// kiroku demo: the demo organisations, people, terms and documents (cli/demo/), added
// to a data folder. Running it again adds only what is missing; each demo person holds
// their role in the current fiscal year (again after April 1).
#include "auth/UserDirectory.h"
#include "cli/Env.h"

#include <algorithm>
#include <sstream>

namespace kiroku {
// cli/demo, built into the program: (path below cli/demo, contents).
const std::vector<std::pair<std::string, std::string>>& demoFiles();
}  // namespace kiroku

namespace kiroku::cli {

namespace {

std::vector<std::string> fieldsOf(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
    return out;
}

struct Demo {
    struct User {
        std::string name, display, password;
        bool admin = false;
    };
    struct Org {
        std::string name, kind, parent;
    };
    struct Role {
        std::string user, role, org;
    };
    std::vector<User> users;
    std::vector<Org> orgs;
    std::vector<Role> roles, nextRoles, handovers;
    std::vector<std::pair<std::string, std::string>> documents;  // drive path, text
};

Demo loadDemo() {
    Demo demo;
    const std::string prefix = "files/";
    for (const auto& [path, text] : demoFiles()) {
        if (path.compare(0, prefix.size(), prefix) == 0) {
            demo.documents.emplace_back(path.substr(prefix.size()), text);
            continue;
        }
        if (path != "setup.tsv") continue;
        std::stringstream in(text);
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line[0] == '#') continue;
            auto f = fieldsOf(line);
            if (f[0] == "user" && f.size() >= 4)
                demo.users.push_back({f[1], f[2], f[3], f.size() > 4 && f[4] == "admin"});
            if (f[0] == "org" && f.size() >= 3)
                demo.orgs.push_back({f[1], f[2], f.size() > 3 ? f[3] : ""});
            if (f[0] == "role" && f.size() >= 4) demo.roles.push_back({f[1], f[2], f[3]});
            if (f[0] == "next" && f.size() >= 4) demo.nextRoles.push_back({f[1], f[2], f[3]});
            if (f[0] == "handover" && f.size() >= 4) demo.handovers.push_back({f[1], f[2], f[3]});
        }
    }
    return demo;
}

}  // namespace

int demoCommand(Env& env) {
    Demo demo = loadDemo();
    UserDirectory users(*env.db);
    for (const auto& u : demo.users) {
        if (!users.find(u.name)) users.add(u.name, u.display, u.password);
        if (u.admin) users.setAdmin(u.name, true);
    }
    Actor actor{"kiroku-demo", "local", msg("label.admin_cli").ja};
    auto gov = env.governance();
    auto snap = acl::AccessPolicy::load(*env.db);
    for (const auto& o : demo.orgs) {
        if (!snap->orgNamed(o.name))
            gov.addOrg(o.name, *acl::parseOrgKind(o.kind), o.parent, actor);
    }
    FiscalYear term = FiscalYear::containing(Date::today());
    auto assign = [&](const Demo::Role& r, const FiscalYear& year) {
        const auto* org = acl::AccessPolicy::load(*env.db)->orgNamed(r.org);
        bool holds = std::any_of(
            snap->assignments.begin(), snap->assignments.end(), [&](const acl::RoleAssignment& a) {
                return a.userName == r.user && org && a.orgId == org->id && a.role == r.role &&
                       a.start <= year.first().str() && year.first().str() <= a.end;
            });
        if (!holds) gov.assign(r.user, r.role, r.org, year.first(), year.last(), actor);
    };
    for (const auto& r : demo.roles) assign(r, term);
    for (const auto& r : demo.nextRoles) assign(r, FiscalYear{term.year + 1});
    for (const auto& [path, text] : demo.documents) {
        DocPath p = DocPath::fromText(path);
        if (env.store->stat(p)) continue;
        auto upload = env.store->beginUpload(p, actor, static_cast<std::int64_t>(text.size()));
        upload->write(text.data(), text.size());
        upload->commit();
    }
    for (const auto& h : demo.handovers) addDemoHandover(env, h.org, h.role, h.user);
    env.say(msg("cli.demo.ready", {{"data", env.dir->root()}, {"term", term.japanese()}}));
    for (const auto& u : demo.users)
        env.out << "  " << u.name << " / " << u.password << "   " << u.display << "\n";
    return 0;
}

}  // namespace kiroku::cli
