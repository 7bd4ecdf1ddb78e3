// kiroku user add|admin|passwd|disable|enable|list
#include "audit/AuditLog.h"
#include "auth/UserDirectory.h"
#include "cli/Env.h"

#include <iomanip>

namespace kiroku::cli {

int userCommand(Env& env) {
    UserDirectory users(*env.db);
    const std::string& sub = env.arg(1, "cli.what.user_subcommand");
    if (sub == "list") {
        for (const auto& u : users.list()) {
            env.out << std::left << std::setw(20) << u.name << " " << u.display;
            if (u.admin) env.out << "  [" << env.text(msg("cli.user.is_admin")) << "]";
            if (u.disabled) env.out << "  [" << env.text(msg("cli.user.is_disabled")) << "]";
            env.out << "\n";
        }
        return 0;
    }
    const std::string& name = env.arg(2, "cli.what.login_name");
    auto audited = [&](const char* action) {
        AuditEvent e;
        e.user = "kiroku-cli";
        e.roles = msg("label.admin_cli").ja;
        e.address = "local";
        e.action = action;
        e.dest = name;
        e.result = "ok";
        audit::append(*env.db, e);
    };
    if (sub == "add") {
        if (!env.flag("display")) throw UsageError(msg("cli.usage.display_needed"));
        UserDirectory::checkName(name);
        users.add(name, env.flags["display"], readPassword(env, msg("cli.password.prompt")));
        if (env.flag("admin")) users.setAdmin(name, true);
        audited(env.flag("admin") ? "user-add-admin" : "user-add");
        env.say(
            msg(env.flag("admin") ? "cli.user.added_admin" : "cli.user.added", {{"name", name}}));
    } else if (sub == "admin") {
        const std::string& onOff = env.arg(3, "cli.what.on_off");
        if (onOff != "on" && onOff != "off")
            throw UsageError(msg("cli.usage.on_off", {{"command", "user admin NAME"}}));
        users.setAdmin(name, onOff == "on");
        audited(onOff == "on" ? "admin-on" : "admin-off");
        env.say(msg(onOff == "on" ? "cli.user.admin_on" : "cli.user.admin_off", {{"name", name}}));
    } else if (sub == "passwd") {
        users.setPassword(name, readPassword(env, msg("cli.password.new")));
        audited("user-passwd");
        env.say(msg("cli.user.password_changed", {{"name", name}}));
    } else if (sub == "disable" || sub == "enable") {
        users.setDisabled(name, sub == "disable");
        audited(sub == "disable" ? "user-disable" : "user-enable");
        env.say(msg(sub == "disable" ? "cli.user.disabled" : "cli.user.enabled", {{"name", name}}));
    } else {
        unknownSubcommand("user", sub);
    }
    return 0;
}

}  // namespace kiroku::cli
