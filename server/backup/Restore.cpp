// restoreBackup(): see Backup.h.
#include "backup/Backup.h"

#include "backup/BackupError.h"
#include "backup/FileTree.h"
#include "backup/Manifest.h"
#include "backup/SqliteFile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>

namespace kiroku::backup {

namespace {

constexpr const char* kConfigName = "kiroku.properties";
constexpr const char* kMetaName = "meta.db";

// True when `dir` does not exist or holds nothing but lost+found (a fresh file system)
// and kiroku.properties (install.sh links it to /etc/kiroku before kirokud first runs).
bool freshTarget(const std::string& dir) {
    if (missingOrEmpty(dir)) return true;
    for (const auto& name : listFolder(dir)) {
        if (name != "lost+found" && name != kConfigName) return false;
    }
    return true;
}

std::string topName(const std::string& path) { return path.substr(0, path.find('/')); }

std::string folderOf(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throwErrno("open", path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Where the backup's configuration goes, and whether it must be written.
struct ConfigPlan {
    const ManifestEntry* entry = nullptr;
    std::string file;  // symbolic links followed: the installer links DIR/kiroku.properties to /etc
    bool write = false;
};

ConfigPlan planConfig(const Manifest& m, const DataDir& target, const RestoreOptions& options) {
    ConfigPlan plan;
    for (const auto& e : m.entries) {
        if (!e.folder && e.path == kConfigName) plan.entry = &e;
    }
    if (!plan.entry) return plan;
    plan.file = resolvedPath(options.configFile.empty() ? target.properties() : options.configFile);
    struct stat st {};
    if (::stat(plan.file.c_str(), &st) != 0) {
        plan.write = true;
    } else if (!S_ISREG(st.st_mode)) {
        throw BackupError(msg("restore.config_not_file", {{"path", plan.file}}));
    } else if (digestOf(plan.file).sha256 != plan.entry->sha256) {
        if (!options.force) {
            throw BackupError(msg("restore.config_differs", {{"path", plan.file}}));
        }
        plan.write = true;
    }
    std::string folder = folderOf(plan.file);
    if (plan.write && ::access(folder.c_str(), F_OK) == 0 && ::access(folder.c_str(), W_OK) != 0) {
        throw BackupError(
            msg("restore.config_unwritable", {{"path", plan.file}, {"folder", folder}}));
    }
    return plan;
}

}  // namespace

RestoreSummary restoreBackup(const std::string& srcArg, const DataDir& target,
                             const RestoreOptions& options, const Progress& progress) {
    const auto started = std::chrono::steady_clock::now();
    const std::string src = resolvedPath(srcArg);
    const std::string& root = target.root();
    if (isInside(root, src) || isInside(src, root)) {
        throw BackupError(msg("restore.overlap", {{"backup", src}, {"data", root}}));
    }
    // Nothing is changed before every check has passed: the backup first.
    const Manifest manifest = verifyBackup(src, progress);

    RestoreSummary summary;
    if (!freshTarget(root)) {
        if (!options.force) {
            throw BackupError(msg("restore.not_empty", {{"data", root}}));
        }
        if (::access(target.metaDb().c_str(), F_OK) != 0) {
            throw BackupError(msg("restore.not_data_dir", {{"data", root}}));
        }
        summary.replaced = true;
    }
    const ConfigPlan config = planConfig(manifest, target, options);
    if (summary.replaced && SqliteFile::isOpenElsewhere(target.metaDb())) {
        throw BackupError(msg("restore.in_use", {{"data", root}}));
    }

    // Copy into a staging folder beside the data (same file system, so the renames
    // below are atomic), checking every file against the manifest again as it goes.
    const bool created = ::access(root.c_str(), F_OK) != 0;
    const bool createdTmp = ::access(target.tmp().c_str(), F_OK) != 0;
    makeFolders(root, 0750);
    // Run as root, everything goes to the data directory's owner (the service user).
    struct stat rootStat {};
    if (::stat(root.c_str(), &rootStat) != 0) throwErrno("look at", root);
    const bool giveAway = ::geteuid() == 0 && (rootStat.st_uid != 0 || rootStat.st_gid != 0);
    auto own = [&](const std::string& path) {
        if (giveAway && ::lchown(path.c_str(), rootStat.st_uid, rootStat.st_gid) != 0) {
            throwErrno("give to the owner of " + root, path);
        }
    };
    makeFolders(target.tmp(), 0750);
    if (createdTmp) own(target.tmp());
    std::string stage = uniqueName(target.tmp() + "/restore-");
    TmpClaim claim(stage);
    try {
        makeFolder(stage);
        ProgressInfo p;
        p.phase = ProgressInfo::Phase::Restore;
        std::vector<const ManifestEntry*> entries;
        for (const auto& e : manifest.entries) {
            const std::string top = topName(e.path);
            if (e.path == kConfigName || top == "tmp" || top == "index" || top == "lost+found")
                continue;
            entries.push_back(&e);
            if (!e.folder) {
                ++p.totalFiles;
                p.totalBytes += e.size;
            }
        }
        for (const ManifestEntry* e : entries) {
            const std::string to = stage + "/" + e->path;
            if (e->folder) {
                makeFolder(to);
                own(to);
                continue;
            }
            Digest d = copyWithDigest(src + "/" + e->path, to);
            if (d.size != e->size || d.sha256 != e->sha256) {
                throw BackupError(msg("restore.backup_changed", {{"path", e->path}}));
            }
            own(to);
            setModeAndTime(to, e->mode, e->mtimeNs);
            ++p.files;
            p.bytes += d.size;
            if (progress) progress(p);
        }
        for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
            if ((*it)->folder)
                setModeAndTime(stage + "/" + (*it)->path, (*it)->mode, (*it)->mtimeNs);
        }
        syncFileSystem(stage);
        summary.files = p.files;
        summary.bytes = p.bytes;
    } catch (...) {
        try {
            removeTree(stage);
            if (created)
                removeTree(root);
            else if (createdTmp)
                removeTree(target.tmp());
        } catch (const std::exception&) {
        }
        throw;
    }

    // Swap in. The old meta.db goes first and the new one comes last, so an
    // interruption leaves no database that disagrees with the files (run again).
    if (summary.replaced) {
        for (const char* name : {"meta.db", "meta.db-wal", "meta.db-shm", "meta.db-journal"}) {
            if (::unlink((root + "/" + name).c_str()) != 0 && errno != ENOENT)
                throwErrno("remove", root + "/" + name);
        }
        syncFolder(root);
        for (const auto& name : listFolder(root)) {
            if (name != "tmp" && name != "lost+found" && name != kConfigName)
                removeTree(root + "/" + name);
        }
    }
    for (const auto& name : listFolder(stage)) {
        if (name != kMetaName) renamePath(stage + "/" + name, root + "/" + name);
    }
    renamePath(stage + "/" + kMetaName, root + "/" + kMetaName);
    syncFolder(root);
    removeTree(stage);

    if (config.entry) {
        ++summary.files;
        summary.bytes += config.entry->size;
    }
    if (config.write) {
        std::string text = readWhole(src + "/" + kConfigName);
        makeFolders(folderOf(config.file), 0750);
        // A file that is replaced keeps its owner and mode (install.sh: root:kiroku 0640
        // in /etc/kiroku); a new one in the data directory belongs to its owner.
        struct stat old {};
        const bool existed = ::stat(config.file.c_str(), &old) == 0;
        const mode_t mode = existed ? (old.st_mode & 07777) : config.entry->mode;
        writeFileDurably(config.file, text, mode);
        if (existed && ::geteuid() == 0 &&
            ::chown(config.file.c_str(), old.st_uid, old.st_gid) != 0) {
            throwErrno("give back to its owner", config.file);
        }
        if (!existed) own(config.file);
        setModeAndTime(config.file, mode, config.entry->mtimeNs);
        summary.configWritten = config.file;
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

}  // namespace kiroku::backup
