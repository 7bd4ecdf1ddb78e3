#include "cli/Commands.h"

#include "auth/UserDirectory.h"
#include "backup/Backup.h"
#include "core/DataDir.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "acl/Governance.h"
#include "audit/AuditLog.h"
#include "search/Extraction.h"
#include "search/SearchService.h"
#include "store/Checker.h"
#include "store/DocumentStore.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <Poco/NumberParser.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstring>
#include <set>
#include <iomanip>
#include <map>

namespace kiroku::cli {

namespace {

const char* const kUsage =
    "usage: kiroku --data DIR [--config FILE] COMMAND\n"
    "  (--config: the configuration kirokud uses, when it is not DIR/kiroku.properties)\n"
    "  user add NAME --display \"山田 太郎\" [--admin]\n"
    "                                       add a person (password from stdin or a prompt)\n"
    "  user admin NAME on|off               make or unmake a system administrator\n"
    "  user passwd NAME                     set a new password\n"
    "  user disable NAME | user enable NAME stop or allow logins\n"
    "  user list                            list people\n"
    "  trash list                           what was deleted\n"
    "  trash restore ID [--to PATH]         put a deleted file or folder back\n"
    "  versions list PATH                   earlier versions of a file\n"
    "  versions restore ID                  make an earlier version current again\n"
    "  org add NAME --kind city|district|association [--parent ORG]\n"
    "  org list | org rename NAME NEW | org move NAME --parent ORG\n"
    "  role assign USER ROLE ORG --term R7|令和7年度|2025 | --from DATE --to DATE\n"
    "  role list [--org ORG] [--on DATE] | role end ID [--on DATE]\n"
    "  acl show PATH | acl grant PATH PRINCIPAL none|read|write|manage | acl revoke PATH PRINCIPAL\n"
    "  acl protect PATH on|off              stop (or resume) inheriting entries from above\n"
    "                                       PRINCIPAL: role:ORG/ROLE, members:DISTRICT/ROLE, person:NAME\n"
    "  audit [--since DATE] [--user NAME] [--path PATH] [--limit N]\n"
    "  search QUERY [--path P] [--org O] [--category C] [--year R7] [--type pdf] [--sort date] [--limit N]\n"
    "  index status | index scan            indexing progress and failures; index files changed on disk\n"
    "  reindex                              rebuild the search index from the files (searches keep working)\n"
    "  check [--repair]                     compare the files with the metadata (and mend what differs)\n"
    "  backup DEST                          write a verified copy of the data folder to DEST (kirokud may run)\n"
    "  restore SRC [--force]                put the backup SRC back into DIR (stop kirokud first; --force:\n"
    "                                       replace the contents of a data folder that is not empty)\n"
    "  demo                                 add the demo organisations, people and documents\n"
    "  defaults                             print the configuration file with every default (no --data)\n";

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Env {
    std::vector<std::string> args;
    std::map<std::string, std::string> flags;
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    std::unique_ptr<DataDir> dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<DocumentStore> store;
    Settings settings;

    const std::string& arg(std::size_t i, const char* what) const {
        if (i >= args.size()) throw UsageError(std::string("missing ") + what);
        return args[i];
    }
    void open(const std::string& dataDir, const std::string& configFile) {
        dir = std::make_unique<DataDir>(dataDir);
        dir->ensureLayout();
        std::string file = configFile.empty() ? dir->properties() : configFile;
        if (!configFile.empty() && !Poco::File(file).exists()) throw UsageError("no configuration file " + file);
        if (Poco::File(file).exists()) {
            Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
                new Poco::Util::PropertyFileConfiguration(file));
            settings = Settings::from(*config);
        }
        db = std::make_unique<Database>(dir->metaDb(), 2);
        store = std::make_unique<DocumentStore>(*dir, *db, settings);
    }
    Actor actor() const { return Actor{"kiroku-cli", "local", "管理者 admin (CLI)"}; }
    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    acl::Governance governance() { return acl::Governance(*db, *store, settings); }
};

Date dateArg(const std::string& text) {
    auto d = Date::parse(text);
    if (!d) throw UsageError("not a date (YYYY-MM-DD): " + text);
    return *d;
}

std::string readPassword(Env& env, const std::string& prompt) {
    if (&env.in == &std::cin && ::isatty(STDIN_FILENO)) {
        auto ask = [&](const std::string& text) {
            termios old {};
            ::tcgetattr(STDIN_FILENO, &old);
            termios quiet = old;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
            env.err << text << std::flush;
            std::string line;
            std::getline(std::cin, line);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
            env.err << "\n";
            return line;
        };
        std::string first = ask(prompt);
        if (ask("もう一度 / again: ") != first) throw UserError("the two passwords differ", "2 回のパスワードが違います");
        return first;
    }
    std::string line;
    if (!std::getline(env.in, line)) throw UsageError("no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int userCommand(Env& env) {
    UserDirectory users(*env.db);
    const std::string& sub = env.arg(1, "user subcommand (add, passwd, list, disable, enable)");
    if (sub == "list") {
        for (const auto& u : users.list()) {
            env.out << std::left << std::setw(20) << u.name << " " << u.display
                    << (u.admin ? "  [administrator / 管理者]" : "") << (u.disabled ? "  [disabled / 無効]" : "") << "\n";
        }
        return 0;
    }
    const std::string& name = env.arg(2, "login name");
    auto audited = [&](const char* action) {
        AuditEvent e;
        e.user = "kiroku-cli";
        e.roles = "管理者 admin (CLI)";
        e.address = "local";
        e.action = action;
        e.dest = name;
        e.result = "ok";
        audit::append(*env.db, e);
    };
    if (sub == "add") {
        if (!env.flags.count("display")) throw UsageError("user add needs --display \"NAME\"");
        UserDirectory::checkName(name);
        users.add(name, env.flags["display"], readPassword(env, "パスワード / password: "));
        if (env.flag("admin")) users.setAdmin(name, true);
        audited(env.flag("admin") ? "user-add-admin" : "user-add");
        env.out << "added " << name << (env.flag("admin") ? " (administrator)" : "") << "\n";
    } else if (sub == "admin") {
        const std::string& onOff = env.arg(3, "on or off");
        if (onOff != "on" && onOff != "off") throw UsageError("user admin NAME on|off");
        users.setAdmin(name, onOff == "on");
        audited(onOff == "on" ? "admin-on" : "admin-off");
        env.out << name << (onOff == "on" ? " is now an administrator" : " is no longer an administrator") << "\n";
    } else if (sub == "passwd") {
        users.setPassword(name, readPassword(env, "新しいパスワード / new password: "));
        audited("user-passwd");
        env.out << "password changed for " << name << "\n";
    } else if (sub == "disable" || sub == "enable") {
        users.setDisabled(name, sub == "disable");
        audited(sub == "disable" ? "user-disable" : "user-enable");
        env.out << name << (sub == "disable" ? " disabled" : " enabled") << "\n";
    } else {
        throw UsageError("unknown user subcommand " + sub);
    }
    return 0;
}

int trashCommand(Env& env) {
    const std::string& sub = env.arg(1, "trash subcommand (list, restore)");
    if (sub == "list") {
        for (const auto& t : env.store->trash()) {
            env.out << std::setw(6) << t.id << "  " << t.deleted << "  " << std::setw(12) << t.deletedBy << "  "
                    << (t.isDir ? "[folder] " : "") << "/" << t.path << "  (" << t.size << " bytes)\n";
        }
        return 0;
    }
    if (sub == "restore") {
        std::int64_t id = std::stoll(env.arg(2, "trash ID"));
        std::optional<DocPath> to;
        if (env.flags.count("to")) to = DocPath::fromText(env.flags["to"]);
        DocPath restored = env.store->restoreTrash(id, env.actor(), to);
        env.out << "restored /" << restored.str() << "\n";
        return 0;
    }
    throw UsageError("unknown trash subcommand " + sub);
}

int versionsCommand(Env& env) {
    const std::string& sub = env.arg(1, "versions subcommand (list, restore)");
    if (sub == "list") {
        DocPath path = DocPath::fromText(env.arg(2, "file path"));
        for (const auto& v : env.store->versions(path)) {
            env.out << std::setw(6) << v.id << "  saved " << v.saved << " by " << v.savedBy << "  (was modified "
                    << v.modified << ", " << v.size << " bytes)\n";
        }
        return 0;
    }
    if (sub == "restore") {
        std::int64_t id = std::stoll(env.arg(2, "version ID"));
        DocPath path = env.store->restoreVersion(id, env.actor());
        env.out << "restored version " << id << " as the current /" << path.str() << "\n";
        return 0;
    }
    throw UsageError("unknown versions subcommand " + sub);
}

int demoCommand(Env& env);

int orgCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "org subcommand (add, list, rename, move)");
    if (sub == "list") {
        auto snap = acl::AccessPolicy::load(*env.db);
        std::function<void(std::int64_t, int)> show = [&](std::int64_t parent, int depth) {
            for (const auto& [id, o] : snap->orgs) {
                if (o.parentId != parent) continue;
                env.out << std::string(depth * 2, ' ') << o.name << "  (" << acl::orgKindName(o.kind) << ", /" << o.space().str() << "/)\n";
                show(id, depth + 1);
            }
        };
        show(0, 0);
        return 0;
    }
    const std::string& name = env.arg(2, "organisation name");
    if (sub == "add") {
        if (!env.flag("kind")) throw UsageError("org add needs --kind city|district|association");
        auto kind = acl::parseOrgKind(env.flags["kind"]);
        if (!kind) throw UsageError("--kind must be city, district or association");
        auto o = gov.addOrg(name, *kind, env.flag("parent") ? env.flags["parent"] : "", env.actor());
        env.out << "added " << o.name << " (" << acl::orgKindName(o.kind) << ") with its space /" << o.space().str() << "/\n";
    } else if (sub == "rename") {
        gov.renameOrg(name, env.arg(3, "new name"), env.actor());
        env.out << "renamed " << name << " to " << env.args[3] << "\n";
    } else if (sub == "move") {
        if (!env.flag("parent")) throw UsageError("org move needs --parent ORG");
        gov.moveOrg(name, env.flags["parent"], env.actor());
        env.out << "moved " << name << " under " << env.flags["parent"] << "\n";
    } else {
        throw UsageError("unknown org subcommand " + sub);
    }
    return 0;
}

int roleCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "role subcommand (assign, list, end)");
    if (sub == "list") {
        auto snap = acl::AccessPolicy::load(*env.db);
        std::optional<std::string> org;
        if (env.flag("org")) org = env.flags["org"];
        std::optional<Date> on;
        if (env.flag("on")) on = dateArg(env.flags["on"]);
        for (const auto& a : gov.assignments(org, on)) {
            const auto* o = snap->org(a.orgId);
            env.out << std::setw(5) << a.id << "  " << a.userName << "  " << (o ? o->name : "?") << "/" << a.role
                    << "  " << a.start << " .. " << a.end << "\n";
        }
        return 0;
    }
    if (sub == "assign") {
        const std::string& user = env.arg(2, "login name");
        const std::string& role = env.arg(3, "role");
        const std::string& org = env.arg(4, "organisation");
        std::optional<Date> from, to;
        if (env.flag("term")) {
            auto fy = FiscalYear::parse(env.flags["term"]);
            if (!fy) throw UsageError("--term takes a fiscal year such as R7, 令和7年度 or 2025");
            from = fy->first();
            to = fy->last();
        }
        if (env.flag("from")) from = dateArg(env.flags["from"]);
        if (env.flag("to")) to = dateArg(env.flags["to"]);
        if (!from || !to) throw UsageError("role assign needs --term, or --from and --to");
        auto a = gov.assign(user, role, org, *from, *to, env.actor());
        env.out << "assigned #" << a.id << ": " << user << " is " << org << "/" << role << " from " << a.start
                << " to " << a.end << "\n";
        return 0;
    }
    if (sub == "end") {
        std::int64_t id = std::stoll(env.arg(2, "assignment ID (see role list)"));
        Date on = env.flag("on") ? dateArg(env.flags["on"]) : Date::today();
        auto end = gov.endAssignment(id, on, env.actor());
        if (end) env.out << "assignment #" << id << " ends on " << end->str() << "\n";
        else env.out << "assignment #" << id << " was cancelled (it had not started)\n";
        return 0;
    }
    throw UsageError("unknown role subcommand " + sub);
}

int aclCommand(Env& env) {
    auto gov = env.governance();
    const std::string& sub = env.arg(1, "acl subcommand (show, grant, revoke, protect)");
    DocPath path = DocPath::fromText(env.arg(2, "folder path"));
    if (sub == "show") {
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
            env.out << "/" << level << (level.empty() ? "" : "/") << (level == path.str() ? "" : "  (inherited)")
                    << (prot ? "  [protected: does not inherit]" : "") << "\n";
            if (it == snap->entries.end()) continue;
            for (const auto& e : it->second) {
                env.out << "    " << std::left << std::setw(36) << snap->describe(e.principal) << " "
                        << acl::rightsName(e.rights) << "\n";
            }
        }
        return 0;
    }
    if (sub == "grant" || sub == "revoke") {
        acl::Principal who = gov.parsePrincipal(env.arg(3, "principal"));
        if (sub == "grant") {
            auto rights = acl::parseRights(env.arg(4, "rights (none, read, write, manage)"));
            if (!rights) throw UsageError("rights are none, read, write or manage");
            gov.grant(path, who, *rights, env.actor());
            env.out << "granted " << env.args[4] << " on /" << path.str() << " to " << env.args[3] << "\n";
        } else {
            gov.revoke(path, who, env.actor());
            env.out << "revoked " << env.args[3] << " on /" << path.str() << "\n";
        }
        return 0;
    }
    if (sub == "protect") {
        const std::string& onOff = env.arg(3, "on or off");
        if (onOff != "on" && onOff != "off") throw UsageError("acl protect PATH on|off");
        gov.setProtected(path, onOff == "on", env.actor());
        env.out << "/" << path.str() << (onOff == "on" ? " no longer inherits" : " inherits again") << "\n";
        return 0;
    }
    throw UsageError("unknown acl subcommand " + sub);
}

SearchService openSearch(Env& env, indexer::SearchIndex& index) {
    std::size_t workers = static_cast<std::size_t>(std::max(env.settings.extractWorkers, 1));
    return SearchService(*env.db, *env.store, index, workerPoolExtractor(executableDir(), workers), workers);
}

// An index written by an earlier version answers wrongly: say so, and how to mend it.
bool indexIsCurrent(Env& env, const indexer::SearchIndex& index) {
    if (index.hasCurrentFormat()) return true;
    env.err << "検索索引は以前の版で作られたため、作り直しが必要です: kiroku reindex を実行してください"
               "（kirokud は起動時に自動で作り直します）。\n"
               "The search index was written by an earlier version of Kiroku: run 'kiroku reindex' "
               "(kirokud rebuilds it when it starts).\n";
    return false;
}

int searchCommand(Env& env) {
    indexer::SearchIndex index(env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji});
    if (!indexIsCurrent(env, index)) return 1;
    SearchService search = openSearch(env, index);
    search.processQueue(1000000);
    indexer::SearchQuery q;
    for (std::size_t i = 1; i < env.args.size(); ++i) q.text += (i > 1 ? " " : "") + env.args[i];
    if (env.flag("path")) q.folder = DocPath::fromText(env.flags["path"]).str();
    if (env.flag("org")) q.organisation = env.flags["org"];
    if (env.flag("category")) q.category = env.flags["category"];
    if (env.flag("year")) {
        auto fy = FiscalYear::parse(env.flags["year"]);
        if (!fy) throw UsageError("--year takes a fiscal year such as 2025, R7 or 令和7年度");
        q.year = fy->year;
    }
    if (env.flag("type")) q.type = env.flags["type"];
    q.byDate = env.flag("sort") && env.flags["sort"] == "date";
    if (env.flag("limit")) q.limit = static_cast<std::size_t>(std::max(1, std::atoi(env.flags["limit"].c_str())));
    // The CLI on the NAS sees everything.
    auto r = search.search(q, [](const std::string&) { return true; });
    env.out << r.total << " 件 / documents\n";
    for (const auto& h : r.hits) {
        std::string snippet = h.snippet;
        for (const char* tag : {"<mark>", "</mark>"}) {
            for (auto at = snippet.find(tag); at != std::string::npos; at = snippet.find(tag)) {
                snippet.replace(at, std::strlen(tag), std::string(tag)[1] == '/' ? "】" : "【");
            }
        }
        env.out << "/" << h.path << "  (" << (h.year ? FiscalYear{h.year}.japanese() : "-") << ", " << h.type << ")\n    "
                << snippet << "\n";
    }
    return 0;
}

int indexCommand(Env& env) {
    indexer::SearchIndex index(env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji});
    SearchService search = openSearch(env, index);
    const std::string& sub = env.arg(1, "index subcommand (status, scan)");
    if (sub == "scan") {
        std::size_t changes = search.processQueue(1000000);
        std::size_t scanned = search.scan();
        env.out << "applied " << changes << " recorded changes; the scan updated " << scanned << " documents\n";
        return 0;
    }
    if (sub != "status") throw UsageError("unknown index subcommand " + sub);
    indexIsCurrent(env, index);
    IndexStatus s = search.status(1000);
    env.out << "indexed " << s.indexed << ", pending " << s.pending << ", failed " << s.failed << "\n";
    for (const auto& f : s.failures) env.out << "  failed: /" << f.path << "  (" << f.reason << ")\n";
    return 0;
}

int reindexCommand(Env& env) {
    indexer::SearchIndex index(env.dir->index(), indexer::NormaliseOptions{env.settings.itaiji});
    SearchService search = openSearch(env, index);
    std::size_t n = search.reindex();
    env.out << "rebuilt the search index: " << n << " documents\n";
    return 0;
}

int checkCommand(Env& env) {
    CheckReport report = checkStore(*env.dir, *env.db);
    env.out << "checked " << report.documents << " files and " << report.folders << " folders\n";
    for (const auto& p : report.problems) env.out << "  problem: " << p.what << "\n";
    if (report.unknownFiles) {
        env.out << "  " << report.unknownFiles << " files and folders were added on the disk directly "
                << "(not a problem; --repair gives them their ids)\n";
    }
    if (env.flag("repair")) {
        for (const auto& line : repairStore(*env.dir, *env.db, report)) env.out << "  repaired: " << line << "\n";
        report = checkStore(*env.dir, *env.db);
    }
    if (report.problems.empty()) {
        env.out << "問題は見つかりませんでした / no problems found\n";
        return 0;
    }
    env.out << report.problems.size() << " 件の問題があります。kiroku check --repair で直せます / "
            << report.problems.size() << " problems: kiroku check --repair mends them\n";
    return 1;
}

// Progress on a terminal: one line, rewritten in place at most ten times a second.
backup::Progress progressPrinter(Env& env) {
    if (&env.out != &std::cout || !::isatty(STDOUT_FILENO)) return {};
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [&env, last](const backup::ProgressInfo& p) {
        auto now = std::chrono::steady_clock::now();
        if (p.files < p.totalFiles && now - *last < std::chrono::milliseconds(100)) return;
        *last = now;
        env.out << "\r" << std::left << std::setw(72) << backup::progressLine(p) << std::flush;
    };
}

int backupCommand(Env& env, const std::string& dataDir, const std::string& configFile) {
    backup::BackupOptions options;
    options.configFile = configFile;
    auto progress = progressPrinter(env);
    auto s = backup::writeBackup(DataDir(dataDir), env.arg(1, "backup folder (DEST)"), options, progress);
    if (progress) env.out << "\r" << std::string(72, ' ') << "\r";
    env.out << std::fixed << std::setprecision(1) << "バックアップを書き、検証しました / backup written and verified: "
            << env.args[1] << "\n  " << s.files << " files, " << s.folders << " folders, "
            << static_cast<double>(s.bytes) / (1024.0 * 1024.0) << " MB" << (s.withConfig ? " (configuration included)" : "")
            << "; meta.db integrity_check ok; writers held up " << s.lockMs << " ms; " << s.seconds << " s\n";
    if (s.skipped) env.out << "  " << s.skipped << " symbolic links or special files left out / リンク等は含めていません\n";
    return 0;
}

int restoreCommand(Env& env, const std::string& dataDir, const std::string& configFile) {
    backup::RestoreOptions options;
    options.force = env.flag("force");
    options.configFile = configFile;
    auto progress = progressPrinter(env);
    DataDir dir(dataDir);
    auto s = backup::restoreBackup(env.arg(1, "backup folder (SRC)"), dir, options, progress);
    if (progress) env.out << "\r" << std::string(72, ' ') << "\r";
    env.out << std::fixed << std::setprecision(1) << "復元しました / restored: " << s.files << " files, "
            << static_cast<double>(s.bytes) / (1024.0 * 1024.0) << " MB into " << dir.root()
            << (s.replaced ? " (its previous contents replaced)" : "") << "\n";
    if (!s.configWritten.empty()) env.out << "  configuration / 設定: " << s.configWritten << "\n";
    env.out << "次に kirokud を起動してください。起動時にすべてのファイルを検索索引に入れ直します。\n"
               "Next: start kirokud (sudo systemctl start kirokud); it indexes every file again when it starts.\n"
               "(または起動前に / or before starting it: kiroku --data " << dir.root() << " reindex)\n";
    struct stat st {};
    if (::geteuid() == 0 && ::stat(dir.root().c_str(), &st) == 0 && st.st_uid == 0) {
        env.out << "ファイルの持ち主は root です。サービスの利用者に渡してください / the files belong to root; "
                   "give them to the service's user:\n  chown -R kiroku:kiroku " << dir.root() << "\n";
    }
    return 0;
}

int auditCommand(Env& env) {
    AuditFilter filter;
    if (env.flag("since")) filter.since = dateArg(env.flags["since"].substr(0, 10)).str() + env.flags["since"].substr(std::min<std::size_t>(10, env.flags["since"].size()));
    if (env.flag("user")) filter.user = env.flags["user"];
    if (env.flag("path")) filter.path = DocPath::fromText(env.flags["path"]).str();
    if (env.flag("limit")) {
        int limit = 0;
        if (!Poco::NumberParser::tryParse(env.flags["limit"], limit) || limit < 1) throw UsageError("--limit takes a positive number");
        filter.limit = limit;
    }
    for (const auto& e : audit::query(*env.db, filter)) {
        env.out << e.at << "  " << std::left << std::setw(12) << e.user << " " << std::setw(8) << e.result << " "
                << std::setw(12) << e.action << " /" << e.path << (e.dest.empty() ? "" : " -> " + e.dest) << "  ["
                << e.address << (e.roles.empty() ? "" : "; " + e.roles) << "]\n";
    }
    return 0;
}

}  // namespace

int run(const std::vector<std::string>& argv, std::istream& in, std::ostream& out, std::ostream& err) {
    Env env{{}, {}, in, out, err, nullptr, nullptr, nullptr, {}};
    std::string dataDir, configFile;
    try {
        for (std::size_t i = 0; i < argv.size(); ++i) {
            const std::string& a = argv[i];
            if (a == "-h" || a == "--help" || a == "help") {
                out << kUsage;
                return 0;
            }
            if (a.rfind("--", 0) == 0) {
                std::string key = a.substr(2), value;
                auto eq = key.find('=');
                if (eq != std::string::npos) {
                    value = key.substr(eq + 1);
                    key = key.substr(0, eq);
                } else if (key == "admin" || key == "repair" || key == "force") {
                    value = "1";  // a switch, no value
                } else {
                    if (i + 1 >= argv.size()) throw UsageError("--" + key + " needs a value");
                    value = argv[++i];
                }
                static const std::set<std::string> known = {"display", "admin", "kind", "parent", "term",
                                                            "from", "to", "org", "on", "since", "user",
                                                            "path", "limit", "category", "year", "type",
                                                            "sort", "repair", "force"};
                if (key == "data") dataDir = value;
                else if (key == "config") configFile = value;
                else if (known.count(key)) env.flags[key] = value;
                else throw UsageError("unknown option --" + key);
            } else {
                env.args.push_back(a);
            }
        }
        if (env.args.empty()) throw UsageError("no command given");
        if (env.args[0] == "defaults") {
            Settings::writeDefaults(out);
            return 0;
        }
        if (dataDir.empty()) throw UsageError("--data DIR is required");
        // Before env.open: neither may create meta.db or empty tmp/ of the data directory.
        if (env.args[0] == "backup") return backupCommand(env, dataDir, configFile);
        if (env.args[0] == "restore") return restoreCommand(env, dataDir, configFile);
        env.open(dataDir, configFile);
        const std::string& cmd = env.args[0];
        if (cmd == "user") return userCommand(env);
        if (cmd == "trash") return trashCommand(env);
        if (cmd == "versions") return versionsCommand(env);
        if (cmd == "demo") return demoCommand(env);
        if (cmd == "org") return orgCommand(env);
        if (cmd == "role") return roleCommand(env);
        if (cmd == "acl") return aclCommand(env);
        if (cmd == "audit") return auditCommand(env);
        if (cmd == "search") return searchCommand(env);
        if (cmd == "index") return indexCommand(env);
        if (cmd == "reindex") return reindexCommand(env);
        if (cmd == "check") return checkCommand(env);
        throw UsageError("unknown command " + cmd);
    } catch (const UsageError& e) {
        err << "kiroku: " << e.what() << "\n" << kUsage;
        return 2;
    } catch (const Refusal& e) {
        err << "kiroku: " << e.japanese() << " (" << e.what() << ")\n";
    } catch (const Poco::Exception& e) {
        err << "kiroku: " << e.displayText() << "\n";
    } catch (const std::exception& e) {
        err << "kiroku: " << e.what() << "\n";
    }
    return 1;
}

namespace {

struct DemoUser {
    const char* name;
    const char* display;
    const char* password;
};

const DemoUser kDemoUsers[] = {
    {"admin", "管理者 (市の連絡担当)", "kiroku-admin-1"},
    {"yamada", "山田 太郎 (桜ヶ丘自治区 区長)", "sakura-kucho-1"},
    {"suzuki", "鈴木 花子 (桜ヶ丘自治区 書記)", "sakura-shoki-1"},
    {"sato", "佐藤 次郎 (緑町自治区 区長)", "midori-kucho-1"},
    {"ito", "伊藤 三郎 (桜ヶ丘自治区 会員)", "sakura-kaiin-1"},
    {"tanaka", "田中 一郎 (東山地区 地区委員)", "higashi-iin-1"},
};

struct DemoOrg {
    const char* name;
    acl::OrgKind kind;
    const char* parent;
};

const DemoOrg kDemoOrgs[] = {
    {"みどり市", acl::OrgKind::City, ""},
    {"東山地区", acl::OrgKind::District, "みどり市"},
    {"桜ヶ丘自治区", acl::OrgKind::Association, "東山地区"},
    {"緑町自治区", acl::OrgKind::Association, "東山地区"},
};

struct DemoRole {
    const char* user;
    const char* role;
    const char* org;
};

const DemoRole kDemoRoles[] = {
    {"yamada", "区長", "桜ヶ丘自治区"}, {"suzuki", "書記", "桜ヶ丘自治区"}, {"ito", "会員", "桜ヶ丘自治区"},
    {"sato", "区長", "緑町自治区"},     {"tanaka", "地区委員", "東山地区"},
};

struct DemoFile {
    const char* path;
    const char* text;
};

const DemoFile kDemoFiles[] = {
    {"桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt",
     "桜ヶ丘自治区 令和7年度 定期総会 議事録\n\n日時：令和7年4月20日（日）午前10時\n場所：桜ヶ丘集会所\n"
     "出席：42世帯（委任状 18通を含む）\n\n1. 令和6年度 事業報告・会計報告　承認\n"
     "2. 令和7年度 事業計画案・予算案　承認\n   ・防犯灯のLED化（残り6基）\n   ・集会所の雨漏り修繕\n"
     "3. 役員改選　区長 山田太郎、書記 鈴木花子 を選任\n\n以上\n"},
    {"桜ヶ丘自治区/議事録/令和7年度_第1回役員会議事録.txt",
     "桜ヶ丘自治区 令和7年度 第1回役員会 議事録\n\n日時：令和7年5月11日（日）午後7時\n"
     "議題：\n・ごみ集積所（第5集積所）のカラス対策ネットの購入\n・夏祭り（8月23日）の役割分担\n"
     "・回覧板の順番の見直し\n"},
    {"桜ヶ丘自治区/引継ぎ/令和6年度_区長引継ぎ書.txt",
     "区長 引継ぎ書（令和6年度 → 令和7年度）\n\n前任：中村 次郎　後任：山田 太郎\n\n"
     "■ 鍵・印鑑・通帳\n・集会所の鍵 2本（1本は副区長が保管）\n・区長印 1個\n・通帳 1冊（会計が保管）\n\n"
     "■ 懸案事項\n・集会所の雨漏り（見積依頼中）\n・カーブミラー設置要望（桜ヶ丘2丁目）\n"},
    {"桜ヶ丘自治区/様式・申請書/防犯灯設置要望書_様式.txt",
     "防犯灯設置要望書\n\nみどり市長 様\n\n申請日：令和　年　月　日\n自治区名：\n代表者氏名：\n"
     "設置希望場所：\n理由：\n\n担当課：市民協働課\n"},
    {"桜ヶ丘自治区/回覧/回覧_夏祭りのお知らせ.txt",
     "回覧　夏祭りのお知らせ\n\n日時：8月23日（土）午後5時から\n場所：第3公園\n"
     "盆踊り、子ども向けの縁日があります。お手伝いいただける方は班長までお知らせください。\n"},
    {"桜ヶ丘自治区/名簿/役員名簿.txt",
     "桜ヶ丘自治区 役員名簿 (個人情報: 区長と書記のみ閲覧できます)\n\n区長　山田 太郎　0000-00-0001\n"
     "書記　鈴木 花子　0000-00-0002\n会計　高橋 明美　0000-00-0003\n"},
    {"緑町自治区/議事録/定期総会議事録.txt",
     "緑町自治区 定期総会 議事録\n\n・防犯カメラ 2台の設置を承認\n・盆踊りは8月16日\n"},
    {"東山地区/共有/地区役員会_連絡事項.txt",
     "東山地区 地区役員会 連絡事項\n\n・各自治区の総会資料を5月末までに共有フォルダへ入れてください。\n"
     "・防災訓練は9月1日に合同で行います。\n"},
};

int demoCommand(Env& env) {
    UserDirectory users(*env.db);
    for (const auto& u : kDemoUsers) {
        if (!users.find(u.name)) users.add(u.name, u.display, u.password);
    }
    users.setAdmin("admin", true);
    Actor actor{"kiroku-demo", "local", "管理者 admin (CLI)"};
    auto gov = env.governance();
    auto snap = acl::AccessPolicy::load(*env.db);
    for (const auto& o : kDemoOrgs) {
        if (!snap->orgNamed(o.name)) gov.addOrg(o.name, o.kind, o.parent, actor);
    }
    // Each demo person holds the demo role in the current fiscal year (again after April 1).
    FiscalYear term = FiscalYear::containing(Date::today());
    for (const auto& r : kDemoRoles) {
        const auto* org = acl::AccessPolicy::load(*env.db)->orgNamed(r.org);
        bool holds = std::any_of(snap->assignments.begin(), snap->assignments.end(), [&](const acl::RoleAssignment& a) {
            return a.userName == r.user && org && a.orgId == org->id && a.role == r.role &&
                   a.start <= term.first().str() && term.first().str() <= a.end;
        });
        if (!holds) gov.assign(r.user, r.role, r.org, term.first(), term.last(), actor);
    }
    for (const auto& f : kDemoFiles) {
        DocPath p = DocPath::fromText(f.path);
        if (env.store->stat(p)) continue;
        std::string text = f.text;
        auto upload = env.store->beginUpload(p, actor, static_cast<std::int64_t>(text.size()));
        upload->write(text.data(), text.size());
        upload->commit();
    }
    env.out << "Demo data is ready in " << env.dir->root() << " (terms: " << term.japanese() << ").\n"
            << "Demo logins (ログイン名 / パスワード):\n";
    for (const auto& u : kDemoUsers) env.out << "  " << u.name << " / " << u.password << "   " << u.display << "\n";
    return 0;
}

}  // namespace

}  // namespace kiroku::cli
