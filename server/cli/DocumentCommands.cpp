// kiroku trash …, versions …, check: the store's own commands.
#include "cli/Env.h"
#include "db/Database.h"
#include "store/Checker.h"

#include <iomanip>

namespace kiroku::cli {

int trashCommand(Env& env) {
    const std::string& sub = env.arg(1, "cli.what.trash_subcommand");
    if (sub == "list") {
        for (const auto& t : env.store->trash()) {
            env.out << std::setw(6) << t.id << "  " << t.deleted << "  " << std::setw(12)
                    << t.deletedBy << "  ";
            if (t.isDir) env.out << "[" << env.text(msg("cli.trash.folder")) << "] ";
            env.out << "/" << t.path << "  ("
                    << env.text(msg("cli.bytes", {{"n", std::to_string(t.size)}})) << ")\n";
        }
        return 0;
    }
    if (sub == "restore") {
        std::int64_t id = numberArg(env.arg(2, "cli.what.trash_id"));
        std::optional<DocPath> to;
        if (env.flag("to")) to = DocPath::fromText(env.flags["to"]);
        DocPath restored = env.store->restoreTrash(id, env.actor(), to);
        env.say(msg("cli.trash.restored", {{"path", "/" + restored.str()}}));
        return 0;
    }
    if (sub == "purge") {
        // Either one entry by its number, or everything older than some days.
        if (env.flag("older-than")) {
            if (env.args.size() > 2) throw UsageError(msg("cli.trash.purge_either"));
            std::int64_t days = numberArg(env.flags["older-than"]);
            std::size_t n =
                env.store->purgeTrashBefore(isoDaysAgo(static_cast<int>(days)), env.actor());
            env.say(msg("cli.trash.purged_count",
                        {{"n", std::to_string(n)}, {"days", std::to_string(days)}}));
            return 0;
        }
        std::int64_t id = numberArg(env.arg(2, "cli.what.trash_id"));
        std::string path;
        for (const auto& t : env.store->trash()) {
            if (t.id == id) path = t.path;
        }
        env.store->purgeTrash(id, env.actor());
        env.say(msg("cli.trash.purged", {{"path", "/" + path}}));
        return 0;
    }
    unknownSubcommand("trash", sub);
}

int versionsCommand(Env& env) {
    const std::string& sub = env.arg(1, "cli.what.versions_subcommand");
    if (sub == "list") {
        DocPath path = DocPath::fromText(env.arg(2, "cli.what.file_path"));
        for (const auto& v : env.store->versions(path)) {
            env.out << std::setw(6) << v.id << "  "
                    << env.text(msg("cli.versions.row", {{"saved", v.saved},
                                                         {"by", v.savedBy},
                                                         {"modified", v.modified},
                                                         {"size", std::to_string(v.size)}}))
                    << "\n";
        }
        return 0;
    }
    if (sub == "restore") {
        std::int64_t id = numberArg(env.arg(2, "cli.what.version_id"));
        DocPath path = env.store->restoreVersion(id, env.actor());
        env.say(
            msg("cli.versions.restored", {{"id", std::to_string(id)}, {"path", "/" + path.str()}}));
        return 0;
    }
    unknownSubcommand("versions", sub);
}

int checkCommand(Env& env) {
    CheckReport report = checkStore(*env.dir, *env.db);
    env.say(msg("cli.check.checked", {{"files", std::to_string(report.documents)},
                                      {"folders", std::to_string(report.folders)}}));
    // The problems themselves are for the administrator's eyes and name paths in the
    // data folder; they are plain English, like the log.
    for (const auto& p : report.problems)
        env.out << "  " << env.text(msg("cli.check.problem")) << ": " << p.what << "\n";
    if (report.unknownFiles)
        env.say(msg("cli.check.unknown", {{"n", std::to_string(report.unknownFiles)}}));
    if (env.flag("repair")) {
        for (const auto& line : repairStore(*env.dir, *env.db, report)) {
            env.out << "  " << env.text(msg("cli.check.repaired")) << ": " << line << "\n";
        }
        report = checkStore(*env.dir, *env.db);
    }
    if (report.problems.empty()) {
        env.say(msg("cli.check.clean"));
        return 0;
    }
    env.say(msg("cli.check.problems", {{"n", std::to_string(report.problems.size())}}));
    return 1;
}

}  // namespace kiroku::cli
