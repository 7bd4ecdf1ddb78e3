#pragma once
// Database: the SQLite metadata file (meta.db) in WAL mode, reached through Poco::Data.
// Opening creates or upgrades the schema. Connections come from a small pool: a
// Lease is one connection for one thread at a time. Database is thread-safe.

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiroku {

class Database {
public:
    // Opens (creating if needed) the database file. Throws Poco::Exception on failure.
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

private:
    Poco::Data::Session open();
    void migrate(Poco::Data::Session& session);
    void giveBack(Poco::Data::Session session);

    std::string file_;
    std::size_t maxConnections_;
    std::size_t opened_ = 0;
    std::vector<Poco::Data::Session> idle_;
    std::mutex mutex_;
    std::condition_variable available_;
};

// Write transaction: BEGIN IMMEDIATE on construction (so two writers never deadlock
// on a lock upgrade), ROLLBACK on destruction unless commit() was called.
class WriteTransaction {
public:
    explicit WriteTransaction(Poco::Data::Session& session);
    ~WriteTransaction();
    void commit();

private:
    Poco::Data::Session& session_;
    bool done_ = false;
};

// Current time as ISO 8601 UTC text with milliseconds, as stored in the database.
std::string nowIso();

}  // namespace kiroku
