#pragma once
// POSIX file helpers for backup and restore: copying with a SHA-256 of the bytes,
// modes and nanosecond times, durable writes, and path checks. Nothing here knows
// about Kiroku's layout; callers pass absolute paths. Every function throws
// BackupError naming the path and the system's reason. Thread-safe (no shared state).

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku::backup {

// Size and SHA-256 (64 lowercase hex digits) of some bytes.
struct Digest {
    std::uint64_t size = 0;
    std::string sha256;
};

// Copies the bytes of the regular file `from` to `to`, which must not exist (created
// with mode 0600; set the real mode afterwards). Not synced. Returns the digest of
// the bytes written.
Digest copyWithDigest(const std::string& from, const std::string& to);

// Reads a file and returns its digest. Asks the kernel to drop its cached pages
// first, so that what was written is read back from the disk where possible.
Digest digestOf(const std::string& path);

// Sets permission bits and the modification time (nanoseconds since the epoch).
void setModeAndTime(const std::string& path, mode_t mode, std::int64_t mtimeNs);

// The names in a folder (without "." and ".."), sorted.
std::vector<std::string> listFolder(const std::string& dir);

// Creates one folder (mode 0700 until its real mode is set). Existing is an error.
void makeFolder(const std::string& path);

// Creates a folder and any missing parents with `mode`; existing is fine.
void makeFolders(const std::string& path, mode_t mode);

// Removes a file or a whole folder tree; missing is not an error.
void removeTree(const std::string& path);

// Renames, throwing on failure.
void renamePath(const std::string& from, const std::string& to);

// Writes `text` to `path` durably: a temporary file beside it, fsync, rename, fsync
// of the folder.
void writeFileDurably(const std::string& path, const std::string& text, mode_t mode);

// Flushes every written file and folder of the file system holding `path` (syncfs).
void syncFileSystem(const std::string& path);

// fsync of a folder, so that creates and renames inside it are durable.
void syncFolder(const std::string& dir);

// True when `path` does not exist or is an empty folder; throws when it is a file.
bool missingOrEmpty(const std::string& path);

// The absolute path with every symbolic link and "." / ".." resolved; for a path
// that does not exist yet, its longest existing parent is resolved and the rest kept.
std::string resolvedPath(const std::string& path);

// True when `inner` is `outer` or lies below it (both resolved first).
bool isInside(const std::string& inner, const std::string& outer);

// The device of the file system holding `path`.
dev_t deviceOf(const std::string& path);

// A name that does not exist yet: prefix + random hex.
std::string uniqueName(const std::string& prefix);

// Keeps a staging folder in a data directory's tmp/ from being swept while it is used:
// the lock file <folder>.lock, created before the folder and held with flock() for as
// long as this object lives, is how processes sharing tmp/ tell a folder in use from
// one a process left behind when it died (store/TempArea in newer versions). The
// folder itself is neither created nor removed here. Not thread-safe.
class TmpClaim {
public:
    explicit TmpClaim(const std::string& folder);
    ~TmpClaim();  // removes the lock file and lets go of it
    TmpClaim(const TmpClaim&) = delete;
    TmpClaim& operator=(const TmpClaim&) = delete;

private:
    std::string lockFile_;
    int fd_ = -1;
};

// Throws BackupError for the current errno: "cannot <action> <path>: <reason>".
[[noreturn]] void throwErrno(const std::string& action, const std::string& path);

}  // namespace kiroku::backup
