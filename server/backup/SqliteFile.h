#pragma once
// SqliteFile: one raw sqlite3 connection, for what backup and restore need of meta.db
// and that Poco::Data does not offer: holding the write lock of a live database,
// SQLite's online backup API into another file, and `PRAGMA integrity_check` of a
// backup without changing it. Errors throw BackupError. Not thread-safe: one
// SqliteFile belongs to one thread.

#include <string>

struct sqlite3;

namespace kiroku::backup {

class SqliteFile {
public:
    enum class Mode {
        Existing,   // read-write; the file must exist
        Create,     // read-write; created when missing
        Immutable,  // read-only, never written, not even -wal/-shm (a backup on any medium)
    };
    SqliteFile(const std::string& path, Mode mode);
    ~SqliteFile();
    SqliteFile(const SqliteFile&) = delete;
    SqliteFile& operator=(const SqliteFile&) = delete;

    // Waits up to `ms` for another connection's lock before failing with SQLITE_BUSY.
    void setBusyTimeout(int ms);
    void exec(const std::string& sql);

    // Copies the whole main database into `dest` with the online backup API, in one
    // step. Inside a read transaction of this connection the copy is that transaction's
    // view. SQLite refuses (BUSY) while this connection holds a write transaction.
    void backupInto(SqliteFile& dest);

    // "ok", or the problems PRAGMA integrity_check lists (first few, one per line).
    std::string integrityCheck();

    const std::string& path() const { return path_; }

    // True when another connection, in this process or another, has the database open
    // (kirokud keeps its pooled connections open while it runs): in WAL mode each of
    // them holds a shared lock that an exclusive-mode transaction cannot get past.
    // False when the file cannot be opened as a database at all. Runs a checkpoint
    // on the way out when it gets the lock.
    static bool isOpenElsewhere(const std::string& path);

private:
    [[noreturn]] void fail(const std::string& what, int rc) const;
    std::string path_;
    sqlite3* db_ = nullptr;
};

}  // namespace kiroku::backup
