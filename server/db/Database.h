#pragma once
// Database: the metadata database (meta.db, SQLite in WAL mode) reached through
// Poco::Data. Opening it applies the numbered migrations (db/Migrations.cpp) that the
// file has not had yet. Every SQL statement of Kiroku lives in this folder, written so
// that PostgreSQL accepts it too (ON CONFLICT, RETURNING, no SQLite-only functions);
// only the schema itself (db/Migrations.cpp) and how a write transaction begins are
// dialect-specific.
//
// Concurrency is decided by transactions: a Transaction holds the database's write
// lock from its first statement to commit or rollback, across threads and processes
// (kirokud and the kiroku CLI share the file). Nothing relies on an in-process mutex.
// Database is thread-safe; a Lease or a Transaction belongs to one thread.

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiroku {

class Database {
public:
    // Opens (creating if needed) the database file and migrates it to the current
    // schema. Throws Poco::Exception on failure, and std::runtime_error when the file
    // was written by a newer Kiroku (a schema this one does not know).
    explicit Database(std::string file, std::size_t maxConnections = 8);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // One pooled connection, returned to the pool when the Lease is destroyed.
    class Lease {
    public:
        Lease(Database& db, Poco::Data::Session session);
        ~Lease();
        Lease(Lease&&) = delete;
        Poco::Data::Session& operator*() { return session_; }
        Poco::Data::Session* operator->() { return &session_; }

    private:
        Database& db_;
        Poco::Data::Session session_;
    };

    // Blocks until a connection is free.
    std::unique_ptr<Lease> lease();

    const std::string& file() const { return file_; }

    // The schema version the file has now (the number of migrations applied).
    int schemaVersion();

private:
    Poco::Data::Session open();
    void giveBack(Poco::Data::Session session);

    std::string file_;
    std::size_t maxConnections_;
    std::size_t opened_ = 0;
    std::vector<Poco::Data::Session> idle_;
    std::mutex mutex_;
    std::condition_variable available_;
};

// A write transaction on its own pooled connection: it takes the write lock at once
// (SQLite: BEGIN IMMEDIATE), so two writers never deadlock on a lock upgrade, and
// rolls back on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Poco::Data::Session& session() { return **lease_; }
    void commit();
    // Ends the transaction now without its changes (also after a failed commit, when
    // SQLite may have ended it already; then nothing happens).
    void rollback() noexcept;

private:
    std::unique_ptr<Database::Lease> lease_;
    bool done_ = false;
};

// Current time as ISO 8601 UTC text with milliseconds, as stored in the database.
std::string nowIso();
// The same, `days` days before now.
std::string isoDaysAgo(int days);

}  // namespace kiroku
