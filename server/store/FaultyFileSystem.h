#pragma once
// FaultyFileSystem (tests only): a FileSystem that counts the store's durable steps and
// makes one of them fail, or kills the process there, after first undoing what a power
// cut would lose — as LevelDB's fault_injection_test.cc does with its FaultInjectionEnv:
//
//   - data written to a file but not synced since is cut back to what was synced;
//   - names created, linked, renamed into or removed from a folder that was not synced
//     since are put back as they were (a replaced or removed file comes back from a
//     hard link taken beforehand).
//
// The metadata commit is a step too; SQLite's own durability (synchronous=FULL) is
// trusted. Not thread-safe: one change at a time.

#include "store/FileSystem.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiroku::test {

class FaultyFileSystem : public FileSystem {
public:
    // `root`: the data folder whose files a power cut affects; `shadowDir`: a folder
    // on the same file system, for links to removed names.
    FaultyFileSystem(FileSystem& real, std::string root, std::string shadowDir);

    // The n-th step (1-based) throws StoreError for `error` (an errno value) without
    // running. The commit can also fail after it happened (`afterCommit`).
    void failAt(int n, int error, bool afterCommit = false);
    // The process loses power and dies (_exit) just before the n-th step runs.
    void crashAt(int n);
    // Loses what a power cut would lose now and dies.
    [[noreturn]] void powerCut();

    int steps() const { return steps_; }

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

private:
    // Counts a step; fails or dies there when asked to.
    void step();
    std::string shadowOf(const std::string& path);

    struct NameChange {
        enum class Kind { Added, Removed, Renamed } kind;
        std::string path;     // Added/Removed: the name; Renamed: the destination
        std::string from;     // Renamed: the source
        std::string shadow;   // Removed, or Renamed over a file: a link to what was there
        bool folder = false;  // Removed: the name was a folder
        bool durable = false;
    };

    void cutBack(const std::string& dir);

    FileSystem& real_;
    std::string root_;
    std::string shadowDir_;
    int steps_ = 0;
    int failAt_ = 0;
    int failError_ = 0;
    bool failAfterCommit_ = false;
    int crashAt_ = 0;
    int shadows_ = 0;
    std::vector<NameChange> names_;
    std::map<int, std::uint64_t> fdInode_;
    std::map<std::uint64_t, std::int64_t> syncedSize_;  // inode -> bytes that are durable
};

}  // namespace kiroku::test
