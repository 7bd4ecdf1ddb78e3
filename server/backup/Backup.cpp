#include "backup/Backup.h"

#include "backup/BackupError.h"
#include "backup/FileTree.h"
#include "backup/Manifest.h"
#include "backup/SqliteFile.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>

namespace kiroku::backup {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kConfigName = "kiroku.properties";
constexpr const char* kMetaName = "meta.db";

double millisSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::int64_t mtimeNs(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Top-level names of a data directory that a backup leaves out: uploads in progress,
// the search index (rebuilt from the files), meta.db and its companions (copied with
// SQLite's backup API instead), the configuration (added under its own name) and the
// file system's lost+found (a data directory on a disk of its own; root's, unreadable).
bool leftOut(const std::string& name) {
    return name == "tmp" || name == "index" || name == kMetaName ||
           name.rfind("meta.db-", 0) == 0 || name == kConfigName || name == "lost+found";
}

// One file or folder taken while the write lock was held.
struct Item {
    ManifestEntry entry;
    std::string staged;  // files: where the linked (or copied) bytes wait to be copied
};

// Hard-links every regular file under `from` into `stage`, mirroring the folders.
// Runs while meta.db's write lock is held, so it must be quick: one link() a file.
// A file on another file system than the staging folder is copied instead.
class Snapshot {
public:
    Snapshot(std::string root, std::string stage)
        : root_(std::move(root)), stage_(std::move(stage)) {}

    // Staging folders made by root are given to `owner`'s owner, so that kirokud (run
    // as the service user) can empty tmp/ of an interrupted backup's links.
    void giveFoldersTo(const std::string& owner) {
        struct stat st {};
        if (::geteuid() != 0 || ::stat(owner.c_str(), &st) != 0 || st.st_uid == 0) return;
        uid_ = st.st_uid;
        gid_ = st.st_gid;
        giveAway_ = true;
    }

    void take() {
        makeStagingFolder(stage_);
        for (const auto& name : listFolder(root_)) {
            if (!leftOut(name)) add(name);
        }
    }

    std::vector<Item> items;
    std::size_t skipped = 0;
    std::size_t copiedUnderLock = 0;

private:
    // Something may vanish between listing a folder and linking it: a store that
    // removes a pruned version or its journal entry after the commit does so outside
    // the lock. It was no longer part of the committed state: leave it out.
    void add(const std::string& rel) {
        const std::string from = root_ + "/" + rel, staged = stage_ + "/" + rel;
        struct stat st {};
        if (::lstat(from.c_str(), &st) != 0) {
            if (errno == ENOENT) return;
            throwErrno("look at", from);
        }
        Item item;
        item.entry.path = rel;
        item.entry.mode = st.st_mode & 07777;
        item.entry.mtimeNs = mtimeNs(st);
        if (S_ISDIR(st.st_mode)) {
            item.entry.folder = true;
            makeStagingFolder(staged);
            items.push_back(std::move(item));
            std::vector<std::string> names;
            try {
                names = listFolder(from);
            } catch (const BackupError&) {
                if (::lstat(from.c_str(), &st) != 0 && errno == ENOENT) return;
                throw;
            }
            for (const auto& name : names) add(rel + "/" + name);
        } else if (S_ISREG(st.st_mode)) {
            item.entry.size = static_cast<std::uint64_t>(st.st_size);
            item.staged = staged;
            if (::link(from.c_str(), staged.c_str()) != 0) {
                if (errno == ENOENT) return;
                if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP) {
                    throwErrno("link", from);
                }
                copyWithDigest(from, staged);
                ++copiedUnderLock;
            }
            items.push_back(std::move(item));
        } else {
            ++skipped;  // symbolic links, sockets …: the store never makes them
        }
    }

    void makeStagingFolder(const std::string& path) {
        makeFolder(path);
        if (giveAway_ && ::lchown(path.c_str(), uid_, gid_) != 0) throwErrno("give away", path);
    }

    std::string root_, stage_;
    bool giveAway_ = false;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
};

std::string megabytes(std::uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

// Removes what a failed backup wrote, leaving `dest` as it was found (absent or empty).
void undo(const std::string& dest, bool created, const std::string& stage) {
    try {
        if (!stage.empty()) removeTree(stage);
        if (created) {
            removeTree(dest);
        } else {
            for (const auto& name : listFolder(dest)) removeTree(dest + "/" + name);
        }
    } catch (const std::exception&) {
        // The original error matters more; a half backup has no MANIFEST and never verifies.
    }
}

using Problem = Message;

}  // namespace

std::string progressLine(const ProgressInfo& p) {
    const char* phase = p.phase == ProgressInfo::Phase::Copy     ? "backup.progress.copy"
                        : p.phase == ProgressInfo::Phase::Verify ? "backup.progress.verify"
                                                                 : "backup.progress.restore";
    return msg(phase, {{"files", std::to_string(p.files)},
                       {"total", std::to_string(p.totalFiles)},
                       {"mb", megabytes(p.bytes)},
                       {"total_mb", megabytes(p.totalBytes)}})
        .both();
}

BackupSummary writeBackup(const DataDir& data, const std::string& destArg,
                          const BackupOptions& options, const Progress& progress) {
    const auto started = Clock::now();
    const std::string& root = data.root();
    struct stat st {};
    if (::stat(data.metaDb().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        throw BackupError(msg("backup.not_data_dir", {{"path", root}}));
    }
    const std::string dest = resolvedPath(destArg);
    if (isInside(dest, root)) {
        throw BackupError(msg("backup.dest_inside", {{"dest", dest}, {"data", root}}));
    }
    if (!missingOrEmpty(dest)) {
        throw BackupError(msg("backup.dest_not_empty", {{"dest", dest}}));
    }
    const std::string config = options.configFile.empty() ? data.properties() : options.configFile;
    struct stat configStat {};
    const bool withConfig = ::stat(config.c_str(), &configStat) == 0 && S_ISREG(configStat.st_mode);
    if (!withConfig && !options.configFile.empty()) {
        throw BackupError(msg("backup.no_config", {{"path", config}}));
    }

    BackupSummary summary;
    summary.withConfig = withConfig;
    const bool created = ::access(dest.c_str(), F_OK) != 0;
    makeFolders(dest, 0750);
    std::string stage;
    std::unique_ptr<TmpClaim> claim;  // outlives the staging folder, removed on every path
    try {
        // The links must be on the data's file system: inside DEST when it is on the
        // same one, else in DATA/tmp/ (which kirokud empties when it starts).
        if (deviceOf(dest) == deviceOf(root)) {
            stage = dest + "/.snapshot";
        } else {
            makeFolders(data.tmp(), 0750);
            stage = uniqueName(data.tmp() + "/backup-");
            claim = std::make_unique<TmpClaim>(stage);
        }
        summary.stagedIn = stage;
        Snapshot snapshot(root, stage);
        if (stage.rfind(data.tmp(), 0) == 0) snapshot.giveFoldersTo(data.tmp());
        const std::string destMeta = dest + "/" + kMetaName;
        // SQLite will not back up from a connection inside a write transaction
        // (sqlite3_backup_step answers SQLITE_BUSY), so a second connection reads: it
        // starts its read transaction while the lock is held, when nobody can commit,
        // and in WAL mode it keeps seeing exactly that state after the lock is let go.
        // So the lock is held only for the links, and meta.db is copied afterwards.
        SqliteFile reader(data.metaDb(), SqliteFile::Mode::Existing);
        reader.setBusyTimeout(options.lockTimeoutMs);
        {
            SqliteFile writer(data.metaDb(), SqliteFile::Mode::Existing);
            writer.setBusyTimeout(options.lockTimeoutMs);
            writer.exec("BEGIN IMMEDIATE");
            const auto locked = Clock::now();
            try {
                reader.exec("BEGIN");
                reader.exec(
                    "SELECT count(*) FROM sqlite_master");  // the read transaction starts here
                snapshot.take();
            } catch (...) {
                try {
                    writer.exec("ROLLBACK");
                } catch (const std::exception&) {
                }
                throw;
            }
            writer.exec("ROLLBACK");  // nothing was written: this only lets go of the lock
            summary.lockMs = millisSince(locked);
        }
        {
            SqliteFile copy(destMeta, SqliteFile::Mode::Create);
            copy.exec("PRAGMA synchronous=OFF");  // flushed with everything else below
            reader.backupInto(copy);
            reader.exec("COMMIT");
            // The copy is self-contained: no -wal beside it, readable on read-only media.
            copy.exec("PRAGMA journal_mode=DELETE");
        }
        summary.skipped = snapshot.skipped;

        ProgressInfo p;
        p.phase = ProgressInfo::Phase::Copy;
        for (const auto& item : snapshot.items) {
            if (!item.entry.folder) {
                ++p.totalFiles;
                p.totalBytes += item.entry.size;
            }
        }
        struct stat metaStat {};
        if (::stat(destMeta.c_str(), &metaStat) != 0) throwErrno("look at", destMeta);
        p.totalFiles += 1 + (withConfig ? 1 : 0);
        p.totalBytes += static_cast<std::uint64_t>(metaStat.st_size) +
                        (withConfig ? static_cast<std::uint64_t>(configStat.st_size) : 0);

        Manifest manifest;
        auto copied = [&](const ManifestEntry& e) {
            ++p.files;
            p.bytes += e.size;
            if (progress) progress(p);
        };
        for (auto& item : snapshot.items) {
            ManifestEntry& e = item.entry;
            const std::string to = dest + "/" + e.path;
            if (e.folder) {
                makeFolder(to);
                ++summary.folders;
            } else {
                Digest d = copyWithDigest(item.staged, to);
                e.size = d.size;
                e.sha256 = d.sha256;
                setModeAndTime(to, e.mode, e.mtimeNs);
                copied(e);
            }
            manifest.entries.push_back(e);
        }
        // Folders get their times last: creating what is inside them changed them.
        for (auto it = snapshot.items.rbegin(); it != snapshot.items.rend(); ++it) {
            if (it->entry.folder)
                setModeAndTime(dest + "/" + it->entry.path, it->entry.mode, it->entry.mtimeNs);
        }
        removeTree(stage);
        stage.clear();

        if (withConfig) {
            ManifestEntry e;
            e.path = kConfigName;
            e.mode = configStat.st_mode & 07777;
            e.mtimeNs = mtimeNs(configStat);
            Digest d = copyWithDigest(config, dest + "/" + e.path);
            e.size = d.size;
            e.sha256 = d.sha256;
            setModeAndTime(dest + "/" + e.path, e.mode, e.mtimeNs);
            copied(e);
            manifest.entries.push_back(e);
        }
        {
            ManifestEntry e;
            e.path = kMetaName;
            struct stat liveMeta {};
            e.mode =
                (::stat(data.metaDb().c_str(), &liveMeta) == 0 ? liveMeta.st_mode : 0640) & 07777;
            if (::stat(destMeta.c_str(), &metaStat) != 0) throwErrno("look at", destMeta);
            e.mtimeNs = mtimeNs(metaStat);
            Digest d = digestOf(destMeta);
            e.size = d.size;
            e.sha256 = d.sha256;
            if (::chmod(destMeta.c_str(), e.mode) != 0) throwErrno("set the mode of", destMeta);
            copied(e);
            manifest.entries.push_back(e);
        }

        // Everything on the disk first; the MANIFEST, which makes the backup complete, last.
        syncFileSystem(dest);
        manifest.notes.push_back(
            "created " + Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ") +
            " by kiroku backup from " + root);
        manifest.notes.push_back(
            "meta.db and the file links were taken under meta.db's write lock");
        writeFileDurably(dest + "/" + Manifest::kFileName, manifest.text(), 0640);
        summary.files = manifest.fileCount();
        summary.bytes = manifest.byteCount();
        verifyBackup(dest, progress);
    } catch (...) {
        undo(dest, created, stage);
        throw;
    }
    summary.seconds = millisSince(started) / 1000.0;
    return summary;
}

Manifest verifyBackup(const std::string& dir, const Progress& progress) {
    Manifest m = Manifest::read(dir);
    std::vector<Problem> problems;
    ProgressInfo p;
    p.phase = ProgressInfo::Phase::Verify;
    p.totalFiles = m.fileCount();
    p.totalBytes = m.byteCount();
    bool metaListed = false, metaIntact = false;
    for (const auto& e : m.entries) {
        const std::string path = dir + "/" + e.path;
        struct stat st {};
        bool present = ::lstat(path.c_str(), &st) == 0;
        if (!present) {
            problems.push_back(msg("backup.problem.missing", {{"path", e.path}}));
        } else if (e.folder && !S_ISDIR(st.st_mode)) {
            problems.push_back(msg("backup.problem.not_folder", {{"path", e.path}}));
        } else if (!e.folder && !S_ISREG(st.st_mode)) {
            problems.push_back(msg("backup.problem.not_file", {{"path", e.path}}));
        } else if (!e.folder && static_cast<std::uint64_t>(st.st_size) != e.size) {
            problems.push_back(msg("backup.problem.size", {{"path", e.path}}));
        } else if (!e.folder) {
            Digest d = digestOf(path);
            if (d.size != e.size || d.sha256 != e.sha256) {
                problems.push_back(msg("backup.problem.content", {{"path", e.path}}));
            } else if (e.path == kMetaName) {
                metaIntact = true;
            }
        }
        if (e.path == kMetaName && !e.folder) metaListed = true;
        if (!e.folder) {
            ++p.files;
            p.bytes += e.size;
            if (progress) progress(p);
        }
    }
    if (!metaListed) problems.push_back(msg("backup.problem.no_meta"));
    if (metaIntact) {
        std::string check;
        try {
            check = SqliteFile(dir + "/" + kMetaName, SqliteFile::Mode::Immutable).integrityCheck();
        } catch (const BackupError& e) {
            check = e.what();
        }
        if (check != "ok") {
            problems.push_back(msg("backup.problem.integrity", {{"check", check}}));
        }
    }
    if (!problems.empty()) {
        std::string english, japanese;
        const std::size_t shown = std::min<std::size_t>(problems.size(), 5);
        for (std::size_t i = 0; i < shown; ++i) {
            english += (i ? "; " : "") + problems[i].en;
            japanese += (i ? " / " : "") + problems[i].ja;
        }
        if (problems.size() > shown) {
            Message more =
                msg("backup.problem.more", {{"count", std::to_string(problems.size() - shown)}});
            english += "; " + more.en;
            japanese += " / " + more.ja;
        }
        throw BackupError(msg("backup.damaged", {{"path", dir},
                                                 {"count", std::to_string(problems.size())},
                                                 {"problems_ja", japanese},
                                                 {"problems_en", english}}));
    }
    return m;
}

}  // namespace kiroku::backup
