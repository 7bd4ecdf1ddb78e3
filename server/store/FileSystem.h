#pragma once
// FileSystem: the seam through which the store takes every durable step — creating,
// writing and syncing files, renames, links, unlinks, folders, folder syncs — and the
// metadata commit that ends a change. PosixFileSystem does them; a test puts a
// fault-injecting one in its place to fail or crash the store at each step (see
// store/FaultyFileSystem.h). Reads (stat, listing, opening for reading) do not go
// through it: they change nothing.
//
// Every call throws StoreError with errno mapped to a kind (ENOSPC, EDQUOT and EFBIG:
// InsufficientStorage; ENOENT: NotFound; EEXIST, ENOTEMPTY: Exists; others: Io). The
// messages name paths relative to nothing the client sent: callers pass absolute
// paths, which stay in the English detail (for the log) and never reach a client.
// Implementations are thread-safe.

#include <cstdint>
#include <optional>
#include <string>

namespace kiroku {

class Transaction;

class FileSystem {
public:
    virtual ~FileSystem() = default;

    // A new file for writing (it must not exist), mode 0640; returns its descriptor.
    virtual int create(const std::string& path) = 0;
    virtual void write(int fd, const char* data, std::size_t size, const std::string& path) = 0;
    // Sets a file's modification time (seconds since the epoch).
    virtual void setModified(int fd, std::int64_t epochSeconds, const std::string& path) = 0;
    virtual void sync(int fd, const std::string& path) = 0;
    virtual void close(int fd, const std::string& path) = 0;

    // Renames, replacing `to` if it exists.
    virtual void rename(const std::string& from, const std::string& to) = 0;
    // Renames only if `to` does not exist (StoreError Exists otherwise).
    virtual void renameNoReplace(const std::string& from, const std::string& to) = 0;
    virtual void link(const std::string& from, const std::string& to) = 0;
    virtual void unlink(const std::string& path) = 0;
    virtual void makeDir(const std::string& path) = 0;
    virtual void removeDir(const std::string& path) = 0;
    // fsync of a folder, so that names created or removed in it are durable.
    virtual void syncDir(const std::string& path) = 0;

    // The metadata commit that ends a change.
    virtual void commit(Transaction& tx) = 0;
};

class PosixFileSystem : public FileSystem {
public:
    int create(const std::string& path) override;
    void write(int fd, const char* data, std::size_t size, const std::string& path) override;
    void setModified(int fd, std::int64_t epochSeconds, const std::string& path) override;
    void sync(int fd, const std::string& path) override;
    void close(int fd, const std::string& path) override;
    void rename(const std::string& from, const std::string& to) override;
    void renameNoReplace(const std::string& from, const std::string& to) override;
    void link(const std::string& from, const std::string& to) override;
    void unlink(const std::string& path) override;
    void makeDir(const std::string& path) override;
    void removeDir(const std::string& path) override;
    void syncDir(const std::string& path) override;
    void commit(Transaction& tx) override;
};

// The process-wide PosixFileSystem.
FileSystem& posixFileSystem();

// Identity of a file or folder on disk (device and inode), to tell whether a name
// still refers to what a change put there. Nothing when the path does not exist.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileIdentity& o) const { return device == o.device && inode == o.inode; }
};
std::optional<FileIdentity> identityOf(const std::string& path);

}  // namespace kiroku
