// A database as the first release left it (paths as keys) is migrated to stable ids
// without losing anything: versions, trash entries, dead properties, permission
// entries, protection and the audit log keep their meaning.
#include "db/Audit.h"
#include "db/Database.h"
#include "db/Governance.h"
#include "db/Migrations.h"
#include "db/Nodes.h"
#include "db/Props.h"
#include "db/Trash.h"
#include "db/Versions.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

using namespace kiroku;
using namespace Poco::Data::Keywords;

namespace {

class MigrationTest : public ::testing::Test {
protected:
    void SetUp() override {
        file_ = Poco::TemporaryFile::tempName() + ".db";
        Poco::Data::SQLite::Connector::registerConnector();
    }
    void TearDown() override {
        for (const char* tail : {"", "-wal", "-shm"}) {
            Poco::File f(file_ + tail);
            if (f.exists()) f.remove();
        }
    }
    std::string file_;
};

TEST_F(MigrationTest, FirstReleaseDatabaseKeepsEverythingUnderStableIds) {
    {
        Poco::Data::Session s("SQLite", file_);
        db::applyMigrations(s, 0, 1);
        s << "INSERT INTO users (id, name, display, password, created, changed) VALUES (1, "
             "'yamada', '山田', 'x', 't', 't')",
            now;
        s << "INSERT INTO organisations (id, name, kind, created) VALUES (1, '桜ヶ丘自治区', "
             "'association', 't')",
            now;
        s << "INSERT INTO acl_entries (path, principal, org_id, role, rights) VALUES "
             "('桜ヶ丘自治区', 'role', 1, '区長', 'manage')",
            now;
        s << "INSERT INTO acl_entries (path, principal, org_id, role, rights) VALUES "
             "('桜ヶ丘自治区/名簿', 'role', 1, '書記', 'write')",
            now;
        s << "INSERT INTO acl_protected (path) VALUES ('桜ヶ丘自治区/名簿')", now;
        s << "INSERT INTO props (path, parent, ns, name, value) VALUES "
             "('桜ヶ丘自治区/議事録/a.txt', '桜ヶ丘自治区/議事録', 'urn:x', 'c', '<c "
             "xmlns=\"urn:x\">1</c>')",
            now;
        s << "INSERT INTO versions (id, path, size, modified, saved, saved_by) VALUES (7, "
             "'桜ヶ丘自治区/議事録/a.txt', 3, 'm', 's', 'yamada')",
            now;
        s << "INSERT INTO trash (id, path, is_dir, size, deleted, deleted_by) VALUES (4, "
             "'桜ヶ丘自治区/古い', 1, 10, 'd', 'yamada')",
            now;
        s << "INSERT INTO audit (at, user, address, action, path) VALUES ('t', 'yamada', 'local', "
             "'create', '桜ヶ丘自治区/議事録/a.txt')",
            now;
    }
    Database db(file_);
    EXPECT_EQ(db.schemaVersion(), db::latestSchema());
    auto lease = db.lease();
    auto& s = **lease;
    auto doc = db::nodes::byPath(s, "桜ヶ丘自治区/議事録/a.txt");
    ASSERT_TRUE(doc);
    EXPECT_FALSE(doc->isDir);
    auto folder = db::nodes::byPath(s, "桜ヶ丘自治区/議事録");
    ASSERT_TRUE(folder);
    EXPECT_TRUE(folder->isDir);
    EXPECT_EQ(doc->parentId, folder->id);

    auto versions = db::versions::ofNode(s, doc->id);
    ASSERT_EQ(versions.size(), 1u);
    EXPECT_EQ(versions[0].blob, "7");  // the file keeps its name
    EXPECT_EQ(versions[0].path, "桜ヶ丘自治区/議事録/a.txt");

    auto trash = db::trash::all(s);
    ASSERT_EQ(trash.size(), 1u);
    EXPECT_EQ(trash[0].blob, "4");
    EXPECT_EQ(trash[0].path, "桜ヶ丘自治区/古い");
    auto trashed = db::nodes::byId(s, trash[0].nodeId);
    ASSERT_TRUE(trashed);
    EXPECT_FALSE(trashed->path);  // out of the tree until restored

    auto props = db::props::ofNode(s, doc->id);
    ASSERT_EQ(props.size(), 1u);
    EXPECT_EQ(props[0].name, "c");

    auto entries = db::governance::entries(s);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].path, "桜ヶ丘自治区");
    EXPECT_EQ(entries[1].path, "桜ヶ丘自治区/名簿");
    auto rules = db::governance::rules(s);
    ASSERT_EQ(rules.size(), 1u);
    EXPECT_EQ(rules[0].path, "桜ヶ丘自治区/名簿");
    EXPECT_TRUE(rules[0].isProtected);
    EXPECT_TRUE(rules[0].auditReads);

    AuditFilter all;
    auto events = db::audit::query(s, all);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user, "yamada");
    EXPECT_EQ(events[0].action, "create");
}

TEST_F(MigrationTest, ANewerDatabaseIsRefused) {
    {
        Poco::Data::Session s("SQLite", file_);
        db::applyMigrations(s, 0, db::latestSchema());
        s << "UPDATE meta SET value = '999' WHERE key = 'schema'", now;
    }
    EXPECT_THROW(Database db(file_), std::runtime_error);
}

TEST_F(MigrationTest, NodeIdsAreNeverReused) {
    Database db(file_);
    Transaction tx(db);
    auto& s = tx.session();
    db::Id a = db::nodes::ensure(s, {"a"}, false);
    s << "DELETE FROM nodes WHERE id = ?", bind(a), now;
    db::Id b = db::nodes::ensure(s, {"b"}, false);
    EXPECT_GT(b, a);
    tx.commit();
}

}  // namespace
