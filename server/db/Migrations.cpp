#include "db/Migrations.h"

#include "db/Database.h"
#include "db/Meta.h"
#include "db/Nodes.h"

#include <Poco/Data/Statement.h>

#include <functional>
#include <map>
#include <set>
#include <stdexcept>

using namespace Poco::Data::Keywords;

namespace kiroku::db {

namespace {

// The schema is SQLite's dialect: the statements that read and write it are portable,
// the tables themselves (AUTOINCREMENT, COLLATE NOCASE, triggers) are not. A
// PostgreSQL backend gets its own list with the same numbers.
using Migration = std::function<void(Poco::Data::Session&)>;

void run(Poco::Data::Session& s, std::initializer_list<const char*> statements) {
    for (const char* sql : statements) s << sql, now;
}

// 1: the first release (paths as keys).
void initialSchema(Poco::Data::Session& s) {
    run(s, {
               "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS users ("
               " id INTEGER PRIMARY KEY,"
               " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
               " display TEXT NOT NULL,"
               " password TEXT NOT NULL,"
               " disabled INTEGER NOT NULL DEFAULT 0,"
               " admin INTEGER NOT NULL DEFAULT 0,"
               " created TEXT NOT NULL,"
               " changed TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS props ("
               " path TEXT NOT NULL, parent TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,"
               " value TEXT NOT NULL, PRIMARY KEY (path, ns, name))",
               "CREATE INDEX IF NOT EXISTS props_parent ON props (parent)",
               "CREATE TABLE IF NOT EXISTS versions ("
               " id INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL,"
               " modified TEXT NOT NULL, saved TEXT NOT NULL, saved_by TEXT NOT NULL)",
               "CREATE INDEX IF NOT EXISTS versions_path ON versions (path)",
               "CREATE TABLE IF NOT EXISTS trash ("
               " id INTEGER PRIMARY KEY, path TEXT NOT NULL, is_dir INTEGER NOT NULL,"
               " size INTEGER NOT NULL, deleted TEXT NOT NULL, deleted_by TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS audit ("
               " id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, roles TEXT NOT NULL "
               "DEFAULT '',"
               " address TEXT NOT NULL, action TEXT NOT NULL, path TEXT NOT NULL DEFAULT '',"
               " dest TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT 'ok',"
               " clutter INTEGER NOT NULL DEFAULT 0)",
               "CREATE INDEX IF NOT EXISTS audit_at ON audit (at)",
               "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
               " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
               "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
               " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
               "CREATE TABLE IF NOT EXISTS organisations ("
               " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
               " kind TEXT NOT NULL CHECK (kind IN ('city', 'district', 'association')),"
               " parent_id INTEGER REFERENCES organisations (id), created TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS role_assignments ("
               " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),"
               " org_id INTEGER NOT NULL REFERENCES organisations (id), role TEXT NOT NULL,"
               " start_date TEXT NOT NULL, end_date TEXT NOT NULL, created TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS acl_entries ("
               " id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
               " principal TEXT NOT NULL CHECK (principal IN ('role', 'members', 'person')),"
               " org_id INTEGER NOT NULL DEFAULT 0, role TEXT NOT NULL DEFAULT '', user_id INTEGER "
               "NOT NULL DEFAULT 0,"
               " rights TEXT NOT NULL CHECK (rights IN ('none', 'read', 'write', 'manage')),"
               " UNIQUE (path, principal, org_id, role, user_id))",
               "CREATE TABLE IF NOT EXISTS acl_protected (path TEXT PRIMARY KEY)",
               "INSERT INTO meta (key, value) VALUES ('policy', '0') ON CONFLICT (key) DO NOTHING",
           });
}

std::vector<std::string> segmentsOf(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

// 2: stable ids. Every table that named a document or folder by its path names a node
// instead; versions and trash entries name their file by a blob name that no later
// change can reuse; the audit log gets the ids beside the readable paths and the
// operation id of the change step that wrote it.
void stableIds(Poco::Data::Session& s) {
    run(s, {
               "CREATE TABLE nodes ("
               " id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " parent_id INTEGER REFERENCES nodes (id),"
               " name TEXT NOT NULL,"
               " path TEXT,"
               " is_dir INTEGER NOT NULL,"
               " created TEXT NOT NULL)",
               "CREATE UNIQUE INDEX nodes_path ON nodes (path)",
               "CREATE INDEX nodes_parent ON nodes (parent_id)",
           });
    std::string at = nowIso();
    s << "INSERT INTO nodes (id, parent_id, name, path, is_dir, created) VALUES (1, NULL, '', '', "
         "1, ?)",
        bind(at), now;
    auto node = [&](const std::string& path, bool isDir) {
        return nodes::ensure(s, segmentsOf(path), isDir);
    };

    // Dead properties.
    run(s, {"CREATE TABLE props2 (node_id INTEGER NOT NULL REFERENCES nodes (id), ns TEXT NOT NULL,"
            " name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (node_id, ns, name))"});
    {
        std::vector<std::string> path, ns, name, value;
        s << "SELECT path, ns, name, value FROM props ORDER BY path", into(path), into(ns),
            into(name), into(value), now;
        for (std::size_t i = 0; i < path.size(); ++i) {
            Id id = node(path[i], false);
            s << "INSERT INTO props2 (node_id, ns, name, value) VALUES (?, ?, ?, ?)", bind(id),
                bind(ns[i]), bind(name[i]), bind(value[i]), now;
        }
    }
    run(s, {"DROP TABLE props", "ALTER TABLE props2 RENAME TO props"});

    // Versions: the files keep their names (the old id) as their blob names.
    run(s, {"CREATE TABLE versions2 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " node_id INTEGER NOT NULL REFERENCES nodes (id), blob TEXT NOT NULL UNIQUE,"
            " size INTEGER NOT NULL, modified TEXT NOT NULL, saved TEXT NOT NULL, saved_by TEXT "
            "NOT NULL)"});
    {
        std::vector<Id> id, size;
        std::vector<std::string> path, modified, saved, by;
        s << "SELECT id, path, size, modified, saved, saved_by FROM versions ORDER BY id", into(id),
            into(path), into(size), into(modified), into(saved), into(by), now;
        for (std::size_t i = 0; i < id.size(); ++i) {
            Id n = node(path[i], false);
            std::string blob = std::to_string(id[i]);
            s << "INSERT INTO versions2 (id, node_id, blob, size, modified, saved, saved_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                bind(id[i]), bind(n), bind(blob), bind(size[i]), bind(modified[i]), bind(saved[i]),
                bind(by[i]), now;
        }
    }
    run(s, {"DROP TABLE versions", "ALTER TABLE versions2 RENAME TO versions",
            "CREATE INDEX versions_node ON versions (node_id)"});

    // Trash: each trashed item becomes a detached node.
    run(s, {"CREATE TABLE trash2 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " node_id INTEGER NOT NULL REFERENCES nodes (id), path TEXT NOT NULL, blob TEXT NOT "
            "NULL UNIQUE,"
            " is_dir INTEGER NOT NULL, size INTEGER NOT NULL, deleted TEXT NOT NULL, deleted_by "
            "TEXT NOT NULL)"});
    {
        std::vector<Id> id, isDir, size;
        std::vector<std::string> path, deleted, by;
        s << "SELECT id, path, is_dir, size, deleted, deleted_by FROM trash ORDER BY id", into(id),
            into(path), into(isDir), into(size), into(deleted), into(by), now;
        for (std::size_t i = 0; i < id.size(); ++i) {
            auto segs = segmentsOf(path[i]);
            std::string name = segs.empty() ? std::string() : segs.back();
            Id n = 0;
            int dir = isDir[i] != 0 ? 1 : 0;
            s << "INSERT INTO nodes (parent_id, name, path, is_dir, created) VALUES (NULL, ?, "
                 "NULL, ?, ?) RETURNING id",
                bind(name), bind(dir), bind(at), into(n), now;
            std::string blob = std::to_string(id[i]);
            s << "INSERT INTO trash2 (id, node_id, path, blob, is_dir, size, deleted, deleted_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                bind(id[i]), bind(n), bind(path[i]), bind(blob), bind(dir), bind(size[i]),
                bind(deleted[i]), bind(by[i]), now;
        }
    }
    run(s, {"DROP TABLE trash", "ALTER TABLE trash2 RENAME TO trash"});

    // Permission entries and protected folders. A protected folder was a roster (名簿):
    // its reads stay recorded wherever it goes.
    run(s, {"CREATE TABLE acl_entries2 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " node_id INTEGER NOT NULL REFERENCES nodes (id),"
            " principal TEXT NOT NULL CHECK (principal IN ('role', 'members', 'person')),"
            " org_id INTEGER NOT NULL DEFAULT 0, role TEXT NOT NULL DEFAULT '', user_id INTEGER "
            "NOT NULL DEFAULT 0,"
            " rights TEXT NOT NULL CHECK (rights IN ('none', 'read', 'write', 'manage')),"
            " UNIQUE (node_id, principal, org_id, role, user_id))",
            "CREATE TABLE folder_rules (node_id INTEGER PRIMARY KEY REFERENCES nodes (id),"
            " protected INTEGER NOT NULL DEFAULT 0, audit_reads INTEGER NOT NULL DEFAULT 0)"});
    {
        std::vector<Id> id, org, user;
        std::vector<std::string> path, principal, role, rights;
        s << "SELECT id, path, principal, org_id, role, user_id, rights FROM acl_entries ORDER BY "
             "id",
            into(id), into(path), into(principal), into(org), into(role), into(user), into(rights),
            now;
        for (std::size_t i = 0; i < id.size(); ++i) {
            Id n = node(path[i], true);
            s << "INSERT INTO acl_entries2 (id, node_id, principal, org_id, role, user_id, rights) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                bind(id[i]), bind(n), bind(principal[i]), bind(org[i]), bind(role[i]),
                bind(user[i]), bind(rights[i]), now;
        }
        std::vector<std::string> protectedPaths;
        s << "SELECT path FROM acl_protected", into(protectedPaths), now;
        for (const auto& p : protectedPaths) {
            Id n = node(p, true);
            s << "INSERT INTO folder_rules (node_id, protected, audit_reads) VALUES (?, 1, 1)",
                bind(n), now;
        }
    }
    run(s, {"DROP TABLE acl_entries", "ALTER TABLE acl_entries2 RENAME TO acl_entries",
            "DROP TABLE acl_protected"});

    // The audit log: `user` is a reserved word elsewhere; ids beside the paths.
    run(s, {
               "ALTER TABLE audit RENAME COLUMN user TO actor",
               "ALTER TABLE audit ADD COLUMN node_id INTEGER NOT NULL DEFAULT 0",
               "ALTER TABLE audit ADD COLUMN dest_id INTEGER NOT NULL DEFAULT 0",
               "ALTER TABLE audit ADD COLUMN op TEXT NOT NULL DEFAULT ''",
               "CREATE INDEX audit_op ON audit (op) WHERE op <> ''",
               "CREATE INDEX audit_node ON audit (node_id) WHERE node_id <> 0",
               // Until now the search service made these itself.
               "CREATE TABLE IF NOT EXISTS index_failures (path TEXT PRIMARY KEY, reason TEXT NOT "
               "NULL, at TEXT NOT NULL)",
               "INSERT INTO meta (key, value) VALUES ('index_cursor', '0') ON CONFLICT (key) DO "
               "NOTHING",
           });
    // Everything that depended on paths is reloaded.
    meta::bumpPolicy(s);
}

// 3: what each person chose for the web pages.
void preferences(Poco::Data::Session& s) {
    run(s, {"CREATE TABLE preferences (user_id INTEGER PRIMARY KEY REFERENCES users (id),"
            " lang TEXT NOT NULL, text_size TEXT NOT NULL)"});
}

// 4: versions can be named to keep them (総会提出版).
void versionLabels(Poco::Data::Session& s) {
    run(s, {"ALTER TABLE versions ADD COLUMN label TEXT NOT NULL DEFAULT ''"});
}

// 5: who last changed a file is looked up by its node, also where a move or copy
// brought it (the folder pages ask for a page of files at a time).
void auditDestIndex(Poco::Data::Session& s) {
    run(s, {"CREATE INDEX audit_dest ON audit (dest_id) WHERE dest_id <> 0"});
}

// 6: handovers (引継ぎ) and the outgoing holder's notes. A record closes one role
// assignment; it keeps copies of the organisation, role, person and term so that it
// stays readable whatever happens to the assignment later.
void handovers(Poco::Data::Session& s) {
    run(s, {"CREATE TABLE handovers (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " assignment_id INTEGER NOT NULL UNIQUE, org_id INTEGER NOT NULL REFERENCES"
            " organisations (id), role TEXT NOT NULL, user_id INTEGER NOT NULL REFERENCES users"
            " (id), term_start TEXT NOT NULL, term_end TEXT NOT NULL, status TEXT NOT NULL,"
            " note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, created_by TEXT NOT NULL,"
            " submitted TEXT NOT NULL DEFAULT '', submitted_by TEXT NOT NULL DEFAULT '',"
            " received TEXT NOT NULL DEFAULT '', received_by TEXT NOT NULL DEFAULT '',"
            " received_on_paper INTEGER NOT NULL DEFAULT 0, recorded_by TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX handovers_role ON handovers (org_id, role)",
            "CREATE TABLE handover_matters (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " handover_id INTEGER NOT NULL REFERENCES handovers (id), title TEXT NOT NULL,"
            " status TEXT NOT NULL, due TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
            " documents TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX handover_matters_of ON handover_matters (handover_id)",
            "CREATE TABLE handover_contacts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " handover_id INTEGER NOT NULL REFERENCES handovers (id), name TEXT NOT NULL,"
            " organisation TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
            " note TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX handover_contacts_of ON handover_contacts (handover_id)",
            "CREATE TABLE handover_items (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " handover_id INTEGER NOT NULL REFERENCES handovers (id), name TEXT NOT NULL,"
            " place TEXT NOT NULL DEFAULT '', quantity INTEGER NOT NULL DEFAULT 1,"
            " note TEXT NOT NULL DEFAULT '', received TEXT NOT NULL DEFAULT '',"
            " received_by TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX handover_items_of ON handover_items (handover_id)"});
}

// 7: documents waiting for OCR (scanned PDFs, photos), oldest first. Like
// index_failures it is derived from the files and keyed by path.
void ocrQueue(Poco::Data::Session& s) {
    run(s, {"CREATE TABLE ocr_queue (path TEXT PRIMARY KEY, queued TEXT NOT NULL)",
            "CREATE INDEX ocr_queue_queued ON ocr_queue (queued)"});
}

// 8: a term carried into the next fiscal year by `kiroku role renew` names the term it
// continues: that term's holder stays, so it opens no handover record.
void renewedTerms(Poco::Data::Session& s) {
    run(s, {"ALTER TABLE role_assignments ADD COLUMN renewed_from INTEGER NOT NULL DEFAULT 0"});
}

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {initialSchema, stableIds,      preferences,
                                                versionLabels, auditDestIndex, handovers,
                                                ocrQueue,      renewedTerms};
    return list;
}

}  // namespace

int latestSchema() { return static_cast<int>(migrations().size()); }

int schemaVersion(Poco::Data::Session& s) {
    std::vector<std::string> tables;
    s << "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'", into(tables), now;
    if (tables.empty()) return 0;
    auto v = meta::get(s, "schema");
    return v ? std::atoi(v->c_str()) : 0;
}

void applyMigrations(Poco::Data::Session& s, int from, int to) {
    for (int v = from; v < to; ++v) {
        s << "BEGIN IMMEDIATE", now;
        try {
            migrations()[static_cast<std::size_t>(v)](s);
            meta::set(s, "schema", std::to_string(v + 1));
            s << "COMMIT", now;
        } catch (...) {
            s << "ROLLBACK", now;
            throw;
        }
    }
}

void migrate(Database& db) {
    for (;;) {
        Transaction tx(db);
        int version = schemaVersion(tx.session());
        if (version > latestSchema()) {
            throw std::runtime_error("meta.db has schema version " + std::to_string(version) +
                                     ", newer than this Kiroku knows (" +
                                     std::to_string(latestSchema()) +
                                     "): install the newer Kiroku again");
        }
        if (version == latestSchema()) return;  // rolls back the empty transaction
        migrations()[static_cast<std::size_t>(version)](tx.session());
        meta::set(tx.session(), "schema", std::to_string(version + 1));
        tx.commit();
    }
}

}  // namespace kiroku::db
