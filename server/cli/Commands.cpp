#include "cli/Commands.h"

#include "cli/Env.h"

#include <Poco/Exception.h>

#include <cstdlib>
#include <set>
#include <sstream>

namespace kiroku::cli {

namespace {

// Flags that take no value.
const std::set<std::string> kSwitches = {"admin",           "repair", "force", "dry-run",
                                         "skip-duplicates", "open",   "yes"};
const std::set<std::string> kFlags = {
    "display", "admin",  "kind",  "parent",     "term",  "from",     "to",      "org",
    "on",      "since",  "user",  "path",       "limit", "category", "year",    "type",
    "sort",    "repair", "force", "older-than", "by",    "output",   "dry-run", "skip-duplicates",
    "open",    "yes",    "roles"};

std::string usage(const Env& env) { return env.text(msg("cli.usage")); }

// usageOf: the usage lines of one command (its first line, the lines that start with the
// command, and the explanation lines under them), then where the rest is. The whole
// usage when `command` is not one it lists: a reason should not drown in forty lines.
std::string usageOf(const Env& env, const std::string& command) {
    const std::string all = usage(env);
    std::istringstream lines(all);
    std::string line, header, out;
    bool first = true, inCommand = false;
    while (std::getline(lines, line)) {
        if (first) {
            header = line + "\n";
            first = false;
            continue;
        }
        const bool continuation = line.rfind("          ", 0) == 0;
        if (!continuation) {
            inCommand = !command.empty() &&
                        (line.rfind("  " + command + " ", 0) == 0 || line == "  " + command);
        }
        if (inCommand) out += line + "\n";
    }
    if (out.empty()) return all;
    return header + out + env.text(msg("cli.usage.more")) + "\n";
}

std::string languageFor(const std::string& asked) {
    if (asked == "en" || asked == "ja") return asked;
    return "ja";
}

}  // namespace

int run(const std::vector<std::string>& argv, std::istream& in, std::ostream& out,
        std::ostream& err) {
    Env env(in, out, err);
    const char* lang = std::getenv("KIROKU_LANG");
    env.lang = languageFor(lang ? lang : "");
    std::string dataDir, configFile;
    try {
        for (std::size_t i = 0; i < argv.size(); ++i) {
            const std::string& a = argv[i];
            if (a == "-h" || a == "--help" || a == "help") {
                out << usage(env);
                return 0;
            }
            if (a.rfind("--", 0) != 0) {
                env.args.push_back(a);
                continue;
            }
            std::string key = a.substr(2), value;
            auto eq = key.find('=');
            if (eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (kSwitches.count(key)) {
                value = "1";
            } else {
                if (i + 1 >= argv.size())
                    throw UsageError(msg("cli.usage.needs_value", {{"flag", "--" + key}}));
                value = argv[++i];
            }
            if (key == "data")
                dataDir = value;
            else if (key == "config")
                configFile = value;
            else if (key == "lang")
                env.lang = languageFor(value);
            else if (kFlags.count(key))
                env.flags[key] = value;
            else
                throw UsageError(msg("cli.usage.unknown_flag", {{"flag", "--" + key}}));
        }
        if (env.args.empty()) throw UsageError(msg("cli.usage.no_command"));
        if (env.args[0] == "defaults") {
            Settings::writeDefaults(out);
            return 0;
        }
        if (dataDir.empty()) throw UsageError(msg("cli.usage.no_data"));
        if (env.args[0] == "init") return initCommand(env, dataDir, configFile);
        if (env.args[0] == "backup") return backupCommand(env, dataDir, configFile);
        if (env.args[0] == "restore") return restoreCommand(env, dataDir, configFile);
        env.open(dataDir, configFile);
        const std::string& cmd = env.args[0];
        if (cmd == "user") return userCommand(env);
        if (cmd == "trash") return trashCommand(env);
        if (cmd == "versions") return versionsCommand(env);
        if (cmd == "check") return checkCommand(env);
        if (cmd == "org") return orgCommand(env);
        if (cmd == "role") return roleCommand(env);
        if (cmd == "acl") return aclCommand(env);
        if (cmd == "access") return accessCommand(env);
        if (cmd == "audit") return auditCommand(env);
        if (cmd == "search") return searchCommand(env);
        if (cmd == "index") return indexCommand(env);
        if (cmd == "reindex") return reindexCommand(env);
        if (cmd == "demo") return demoCommand(env);
        if (cmd == "handover") return handoverCommand(env);
        if (cmd == "import") return importCommand(env);
        throw UsageError(msg("cli.usage.unknown_command", {{"command", cmd}}));
    } catch (const UsageError& e) {
        err << "kiroku: " << env.text(e.message) << "\n"
            << usageOf(env, env.args.empty() ? "" : env.args[0]);
        return 2;
    } catch (const NotADataDirectory& e) {
        err << "kiroku: " << e.japanese() << " (" << e.english() << ")\n";
        return 2;
    } catch (const Refusal& e) {
        // Both languages: a refusal is what an administrator may need to look up.
        err << "kiroku: " << e.japanese() << " (" << e.english() << ")\n";
    } catch (const Poco::Exception& e) {
        err << "kiroku: " << e.displayText() << "\n";
    } catch (const std::exception& e) {
        err << "kiroku: " << e.what() << "\n";
    }
    return 1;
}

}  // namespace kiroku::cli
