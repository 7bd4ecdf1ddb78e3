#include "db/Database.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

using namespace Poco::Data::Keywords;

namespace kiroku {

namespace {

constexpr int kSchemaVersion = 1;

const char* const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    // People who can log in. Rights come from roles (later), never from this table.
    "CREATE TABLE IF NOT EXISTS users ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " display TEXT NOT NULL,"
    " password TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " admin INTEGER NOT NULL DEFAULT 0,"
    " created TEXT NOT NULL,"
    " changed TEXT NOT NULL)",
    // WebDAV dead properties; value is the whole property element as XML.
    "CREATE TABLE IF NOT EXISTS props ("
    " path TEXT NOT NULL, parent TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY (path, ns, name))",
    "CREATE INDEX IF NOT EXISTS props_parent ON props (parent)",
    // Earlier contents of overwritten files, kept as versions/<id>.
    "CREATE TABLE IF NOT EXISTS versions ("
    " id INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL,"
    " modified TEXT NOT NULL, saved TEXT NOT NULL, saved_by TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS versions_path ON versions (path)",
    // Deleted files and folders, kept as trash/<id>.
    "CREATE TABLE IF NOT EXISTS trash ("
    " id INTEGER PRIMARY KEY, path TEXT NOT NULL, is_dir INTEGER NOT NULL,"
    " size INTEGER NOT NULL, deleted TEXT NOT NULL, deleted_by TEXT NOT NULL)",
    // 操作履歴: the audit log. Every change is written here in the same transaction as
    // its metadata (result 'ok'), so it is also the journal the index queue reads;
    // refusals, failed logins and reads of rosters are logged too. Append-only.
    "CREATE TABLE IF NOT EXISTS audit ("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, roles TEXT NOT NULL DEFAULT '',"
    " address TEXT NOT NULL, action TEXT NOT NULL, path TEXT NOT NULL DEFAULT '',"
    " dest TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT 'ok',"
    " clutter INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS audit_at ON audit (at)",
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    // 団体: city -> district -> association; each has a space folder in the drive.
    "CREATE TABLE IF NOT EXISTS organisations ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK (kind IN ('city', 'district', 'association')),"
    " parent_id INTEGER REFERENCES organisations (id), created TEXT NOT NULL)",
    // 任期: a person holds a role in an organisation from start to end (inclusive dates).
    "CREATE TABLE IF NOT EXISTS role_assignments ("
    " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),"
    " org_id INTEGER NOT NULL REFERENCES organisations (id), role TEXT NOT NULL,"
    " start_date TEXT NOT NULL, end_date TEXT NOT NULL, created TEXT NOT NULL)",
    // Permission entries on folders (or files), inherited downwards per principal.
    // principal: 'role' (org_id, role), 'members' (district org_id, role held in any member
    // association) or 'person' (user_id). rights: none, read, write, manage.
    "CREATE TABLE IF NOT EXISTS acl_entries ("
    " id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
    " principal TEXT NOT NULL CHECK (principal IN ('role', 'members', 'person')),"
    " org_id INTEGER NOT NULL DEFAULT 0, role TEXT NOT NULL DEFAULT '', user_id INTEGER NOT NULL DEFAULT 0,"
    " rights TEXT NOT NULL CHECK (rights IN ('none', 'read', 'write', 'manage')),"
    " UNIQUE (path, principal, org_id, role, user_id))",
    // Folders that do not inherit entries from above (名簿: personal information).
    "CREATE TABLE IF NOT EXISTS acl_protected (path TEXT PRIMARY KEY)",
};

}  // namespace

std::string nowIso() {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

Database::Database(std::string file, std::size_t maxConnections)
    : file_(std::move(file)), maxConnections_(maxConnections) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session first = open();
    first << "PRAGMA journal_mode=WAL", now;
    migrate(first);
    idle_.push_back(first);
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

void Database::migrate(Poco::Data::Session& s) {
    WriteTransaction tx(s);
    for (const char* sql : kSchema) s << sql, now;
    s << "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
        bind(std::to_string(kSchemaVersion)), now;
    s << "INSERT OR IGNORE INTO meta (key, value) VALUES ('policy', '0')", now;
    tx.commit();
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

WriteTransaction::WriteTransaction(Poco::Data::Session& session) : session_(session) {
    session_ << "BEGIN IMMEDIATE", now;
}

WriteTransaction::~WriteTransaction() {
    if (done_) return;
    try {
        session_ << "ROLLBACK", now;
    } catch (...) {
        // The connection is unusable either way; nothing more can be done here.
    }
}

void WriteTransaction::commit() {
    session_ << "COMMIT", now;
    done_ = true;
}

}  // namespace kiroku
