// kiroku backup DEST, kiroku restore SRC [--force]
#include "backup/Backup.h"
#include "cli/Env.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <sstream>

namespace kiroku::cli {

namespace {

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

std::string decimal(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << v;
    return s.str();
}

}  // namespace

int backupCommand(Env& env, const std::string& dataDir, const std::string& configFile) {
    backup::BackupOptions options;
    options.configFile = configFile;
    auto progress = progressPrinter(env);
    DataDir dir(dataDir);
    requireDataDirectory(dir);
    const std::string& dest = env.arg(1, "cli.what.backup_dest");
    auto s = backup::writeBackup(dir, dest, options, progress);
    if (progress) env.out << "\r" << std::string(72, ' ') << "\r";
    env.say(msg("cli.backup.written",
                {{"dest", dest},
                 {"files", std::to_string(s.files)},
                 {"folders", std::to_string(s.folders)},
                 {"mb", decimal(static_cast<double>(s.bytes) / (1024.0 * 1024.0))},
                 {"lock_ms", decimal(s.lockMs)},
                 {"seconds", decimal(s.seconds)}}));
    if (s.withConfig) env.say(msg("cli.backup.with_config"));
    if (s.skipped) env.say(msg("cli.backup.skipped", {{"n", std::to_string(s.skipped)}}));
    return 0;
}

int restoreCommand(Env& env, const std::string& dataDir, const std::string& configFile) {
    backup::RestoreOptions options;
    options.force = env.flag("force");
    options.configFile = configFile;
    auto progress = progressPrinter(env);
    DataDir dir(dataDir);
    auto s = backup::restoreBackup(env.arg(1, "cli.what.backup_src"), dir, options, progress);
    if (progress) env.out << "\r" << std::string(72, ' ') << "\r";
    env.say(msg(s.replaced ? "cli.restore.done_replaced" : "cli.restore.done",
                {{"files", std::to_string(s.files)},
                 {"mb", decimal(static_cast<double>(s.bytes) / (1024.0 * 1024.0))},
                 {"data", dir.root()}}));
    if (!s.configWritten.empty()) env.say(msg("cli.restore.config", {{"path", s.configWritten}}));
    env.say(msg("cli.restore.next", {{"data", dir.root()}}));
    struct stat st {};
    if (::geteuid() == 0 && ::stat(dir.root().c_str(), &st) == 0 && st.st_uid == 0) {
        env.say(msg("cli.restore.chown", {{"data", dir.root()}}));
    }
    return 0;
}

}  // namespace kiroku::cli
