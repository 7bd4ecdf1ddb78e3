#pragma once
// Backup and restore of a whole data directory (`kiroku backup`, `kiroku restore`).
//
// writeBackup() takes a consistent copy while kirokud keeps running. Kiroku changes
// files/, versions/ and trash/ only while it holds SQLite's write lock on meta.db,
// and replaces files only by rename, never in place. So the backup takes that lock
// (BEGIN IMMEDIATE) and, while holding it, hard-links every file of the data
// directory into a staging folder (instant) and starts a read transaction of meta.db
// on a second connection, which keeps seeing that moment (WAL); it then lets go, and
// copies meta.db (SQLite's online backup API, from that read transaction) and the
// linked files at leisure. Every folder
// and top-level file is taken generically, except tmp/ (uploads in progress),
// index/ (rebuilt from the files) and meta.db's -wal/-shm (inside the copy); the
// configuration file is added as kiroku.properties. DEST/MANIFEST (Manifest.h) is
// written last, after everything is flushed to the disk, and then the backup is
// verified as verifyBackup() does.
//
// restoreBackup() verifies a backup first and changes nothing when it is damaged;
// it then copies everything into a staging folder in the target's tmp/, flushes it,
// and renames it into place, meta.db last. It leaves out index/: kirokud starts
// with an empty index and indexes every file in its start-up scan (or run
// `kiroku reindex` before starting it). kirokud must not run on the target: a
// database that another process has open is not replaced.
//
// Every function throws BackupError (a Refusal: English and Japanese) on refusal or
// failure. Functions are safe to call from several threads on different folders.

#include "core/DataDir.h"

#include <cstdint>
#include <functional>
#include <string>

namespace kiroku::backup {

class Manifest;

// How far a long step has come; reported after each file.
struct ProgressInfo {
    enum class Phase { Copy, Verify, Restore };
    Phase phase = Phase::Copy;
    std::size_t files = 0, totalFiles = 0;
    std::uint64_t bytes = 0, totalBytes = 0;
};
using Progress = std::function<void(const ProgressInfo&)>;

// "コピー中 copying: 12 / 40 files, 1.2 / 3.4 MB", for a progress line.
std::string progressLine(const ProgressInfo& p);

struct BackupOptions {
    // The configuration file to include; empty: DATA/kiroku.properties (left out
    // when it does not exist).
    std::string configFile;
    // How long to wait for kirokud's write transactions to finish.
    int lockTimeoutMs = 30000;
};

struct BackupSummary {
    std::size_t files = 0;  // files in the backup, meta.db and the configuration included
    std::size_t folders = 0;
    std::uint64_t bytes = 0;
    std::size_t skipped = 0;  // symbolic links and special files, which are left out
    bool withConfig = false;
    std::string stagedIn;  // where the hard links were made while the lock was held
    double lockMs = 0;     // how long kirokud's writers were held up
    double seconds = 0;    // the whole backup, verification included
};

// Writes a backup of `data` to `dest`, which must not exist or be an empty folder,
// and must not be inside the data directory. On failure what was written to dest is
// removed again.
BackupSummary writeBackup(const DataDir& data, const std::string& dest,
                          const BackupOptions& options = {}, const Progress& progress = {});

// Checks a backup: MANIFEST present and well-formed, every listed folder there and
// every listed file with its size and SHA-256 (read back from the disk), and
// `PRAGMA integrity_check` of its meta.db. Returns the manifest. Throws BackupError
// listing the first problems found.
Manifest verifyBackup(const std::string& dir, const Progress& progress = {});

struct RestoreOptions {
    // Replace the contents of a target that is not empty (a data directory).
    bool force = false;
    // Where the backup's configuration goes; empty: DIR/kiroku.properties. A
    // different existing file is replaced only with `force`.
    std::string configFile;
};

struct RestoreSummary {
    std::size_t files = 0;
    std::uint64_t bytes = 0;
    bool replaced = false;      // the target held a data directory, now replaced
    std::string configWritten;  // the configuration file written, if any
    double seconds = 0;
};

// Restores the backup in `src` into `target`. The target must not exist or be empty
// (lost+found and kiroku.properties aside), unless options.force is set and it holds
// a data directory (meta.db) that nothing has open: then its contents are replaced
// entirely (tmp/, lost+found and kiroku.properties kept). Run as root, what is
// restored goes to the target's owner; a replaced configuration file keeps its owner
// and mode. Nothing is changed when src fails verification or a check fails.
RestoreSummary restoreBackup(const std::string& src, const DataDir& target,
                             const RestoreOptions& options = {}, const Progress& progress = {});

}  // namespace kiroku::backup
