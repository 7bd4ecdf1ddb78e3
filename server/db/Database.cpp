#include "db/Database.h"

#include "db/Migrations.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <fcntl.h>
#include <unistd.h>

using namespace Poco::Data::Keywords;

namespace kiroku {

namespace {
std::string iso(const Poco::Timestamp& t) {
    return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%S.%iZ");
}
}  // namespace

std::string nowIso() { return iso(Poco::Timestamp()); }

std::string isoDaysAgo(int days) {
    return iso(Poco::Timestamp() - Poco::Timespan(days, 0, 0, 0, 0));
}

Database::Database(std::string file, std::size_t maxConnections)
    : file_(std::move(file)), maxConnections_(maxConnections) {
    Poco::Data::SQLite::Connector::registerConnector();
    // SQLite would create the file readable by everyone (0644 less the umask); the
    // metadata holds password hashes and the audit log. Its -wal and -shm files take
    // this file's mode.
    int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd >= 0) ::close(fd);
    Poco::Data::Session first = open();
    first << "PRAGMA journal_mode=WAL", now;
    idle_.push_back(first);
    db::migrate(*this);
}

Database::~Database() = default;

Poco::Data::Session Database::open() {
    Poco::Data::Session s("SQLite", file_);
    s << "PRAGMA busy_timeout=10000", now;
    s << "PRAGMA synchronous=FULL", now;
    s << "PRAGMA foreign_keys=ON", now;
    ++opened_;
    return s;
}

int Database::schemaVersion() {
    auto l = lease();
    return db::schemaVersion(**l);
}

std::unique_ptr<Database::Lease> Database::lease() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            Poco::Data::Session s = idle_.back();
            idle_.pop_back();
            return std::make_unique<Lease>(*this, s);
        }
        if (opened_ < maxConnections_) {
            Poco::Data::Session s = open();
            return std::make_unique<Lease>(*this, s);
        }
        available_.wait(lock);
    }
}

void Database::giveBack(Poco::Data::Session session) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(session);
    }
    available_.notify_one();
}

Database::Lease::Lease(Database& db, Poco::Data::Session session)
    : db_(db), session_(std::move(session)) {}

Database::Lease::~Lease() { db_.giveBack(session_); }

Transaction::Transaction(Database& db) : lease_(db.lease()) {
    // SQLite: take the write lock now, not at the first write (PostgreSQL: BEGIN, with
    // row locks taken by the statements themselves).
    session() << "BEGIN IMMEDIATE", now;
}

Transaction::~Transaction() {
    if (!done_) rollback();
}

void Transaction::rollback() noexcept {
    try {
        session() << "ROLLBACK", now;
    } catch (...) {
        // No transaction was open any more, or the connection is unusable either way.
    }
    done_ = true;
}

void Transaction::commit() {
    session() << "COMMIT", now;
    done_ = true;
}

}  // namespace kiroku
