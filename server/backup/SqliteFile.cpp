#include "backup/SqliteFile.h"

#include "backup/BackupError.h"

#include <sqlite3.h>

namespace kiroku::backup {

namespace {

// A file name as an SQLite URI ("file:/a%20b/meta.db"): '%', '?' and '#' escaped.
std::string fileUri(const std::string& path) {
    static const char* const digits = "0123456789ABCDEF";
    std::string out = "file:";
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20) {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

}  // namespace

SqliteFile::SqliteFile(const std::string& path, Mode mode) : path_(path) {
    int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    std::string name = fileUri(path);
    switch (mode) {
        case Mode::Existing:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::Create:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case Mode::Immutable:
            flags |= SQLITE_OPEN_READONLY;
            name += "?immutable=1";
            break;
    }
    int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) fail("open", rc);
    sqlite3_extended_result_codes(db_, 1);
}

SqliteFile::~SqliteFile() { sqlite3_close_v2(db_); }

void SqliteFile::fail(const std::string& what, int rc) const {
    std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_BUSY) {
        throw BackupError(
            msg("backup.db_busy", {{"path", path_}}),
            "meta.db stayed locked while trying to " + what + " " + path_ + ": " + reason);
    }
    throw BackupError(
        msg("backup.db_failed", {{"what", what}, {"path", path_}, {"reason", reason}}));
}

void SqliteFile::setBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

void SqliteFile::exec(const std::string& sql) {
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail("run '" + sql + "' on", rc);
}

void SqliteFile::backupInto(SqliteFile& dest) {
    sqlite3_backup* b = sqlite3_backup_init(dest.db_, "main", db_, "main");
    if (!b) dest.fail("start the backup into", sqlite3_errcode(dest.db_));
    int rc = sqlite3_backup_step(b, -1);
    int finish = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fail("copy", rc);
    if (finish != SQLITE_OK) dest.fail("write the copy", finish);
}

bool SqliteFile::isOpenElsewhere(const std::string& path) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(fileUri(path).c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI,
                             nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 500);
        rc = sqlite3_exec(db,
                          "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM "
                          "sqlite_master; COMMIT",
                          nullptr, nullptr, nullptr);
    }
    sqlite3_close_v2(db);
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

std::string SqliteFile::integrityCheck() {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA integrity_check(20)", -1, &stmt, nullptr);
    if (rc != SQLITE_OK) fail("check", rc);
    std::string out;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        if (!out.empty()) out += "\n";
        out += text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) fail("check", rc);
    return out;
}

}  // namespace kiroku::backup
