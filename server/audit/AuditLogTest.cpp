// 操作履歴: the audit log on a real database: what goes in comes out newest first,
// nothing can change it afterwards, and the filters of `kiroku audit` and
// GET /api/audit select exactly what they say.
#include "audit/AuditLog.h"

#include "db/Audit.h"
#include "db/Database.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace kiroku;
using namespace Poco::Data::Keywords;

namespace {

class AuditLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        Poco::File(dir_).createDirectories();
        db_ = std::make_unique<Database>(dir_ + "/meta.db");
    }
    void TearDown() override {
        db_.reset();
        Poco::File(dir_).remove(true);
    }

    AuditEvent event(const std::string& user, const std::string& action, const std::string& path,
                     const std::string& dest = "", const std::string& at = "") {
        AuditEvent e;
        e.at = at;
        e.user = user;
        e.address = "192.168.1.20";
        e.action = action;
        e.path = path;
        e.dest = dest;
        e.result = "ok";
        return e;
    }
    void add(const AuditEvent& e) { audit::append(*db_, e); }

    std::vector<AuditEvent> query(const AuditFilter& f) { return audit::query(*db_, f); }
    static std::set<std::string> paths(const std::vector<AuditEvent>& events) {
        std::set<std::string> out;
        for (const auto& e : events) out.insert(e.path);
        return out;
    }

    std::string dir_;
    std::unique_ptr<Database> db_;
};

}  // namespace

TEST_F(AuditLogTest, AppendedEventsComeBackNewestFirstWithEveryField) {
    AuditEvent first = event("yamada", "create", "桜ヶ丘自治区/議事録/4月.txt");
    first.roles = "桜ヶ丘自治区/区長";
    first.nodeId = 12;
    add(first);
    AuditEvent second =
        event("suzuki", "move", "桜ヶ丘自治区/議事録/4月.txt", "桜ヶ丘自治区/引継ぎ/4月.txt");
    second.nodeId = 12;
    second.destId = 13;
    second.result = "denied";
    add(second);
    add(event("ito", "read", "桜ヶ丘自治区/回覧/お知らせ.pdf"));

    auto events = query(AuditFilter{});
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].user, "ito");
    EXPECT_EQ(events[1].user, "suzuki");
    EXPECT_EQ(events[2].user, "yamada");
    EXPECT_GT(events[0].id, events[1].id);
    EXPECT_GT(events[1].id, events[2].id);

    const AuditEvent& moved = events[1];
    EXPECT_EQ(moved.action, "move");
    EXPECT_EQ(moved.address, "192.168.1.20");
    EXPECT_EQ(moved.path, "桜ヶ丘自治区/議事録/4月.txt");
    EXPECT_EQ(moved.dest, "桜ヶ丘自治区/引継ぎ/4月.txt");
    EXPECT_EQ(moved.result, "denied");
    EXPECT_EQ(moved.nodeId, 12);
    EXPECT_EQ(moved.destId, 13);
    EXPECT_EQ(events[2].roles, "桜ヶ丘自治区/区長");
    // An event without a time gets the current one, as ISO 8601 UTC.
    ASSERT_FALSE(events[2].at.empty());
    EXPECT_EQ(events[2].at.back(), 'Z');
    EXPECT_EQ(events[2].at.substr(0, 4), nowIso().substr(0, 4));
}

TEST_F(AuditLogTest, TableRefusesUpdateAndDelete) {
    add(event("yamada", "delete", "桜ヶ丘自治区/名簿/会員名簿.xlsx"));
    {
        auto lease = db_->lease();
        EXPECT_ANY_THROW(
            (**lease << "UPDATE audit SET actor = 'someone-else', result = 'ok'", now));
        EXPECT_ANY_THROW((**lease << "UPDATE audit SET path = '' WHERE id > 0", now));
        EXPECT_ANY_THROW((**lease << "DELETE FROM audit", now));
        EXPECT_ANY_THROW((**lease << "DELETE FROM audit WHERE actor = 'yamada'", now));
    }
    {
        // Not from inside a transaction either.
        Transaction tx(*db_);
        EXPECT_ANY_THROW((tx.session() << "DELETE FROM audit", now));
    }
    auto events = query(AuditFilter{});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].user, "yamada");
    EXPECT_EQ(events[0].path, "桜ヶ丘自治区/名簿/会員名簿.xlsx");
}

TEST_F(AuditLogTest, SinceKeepsEventsAtOrAfterIt) {
    add(event("yamada", "create", "a", "", "2025-03-31T23:59:59.999Z"));
    add(event("yamada", "create", "b", "", "2025-04-01T00:00:00.000Z"));
    add(event("yamada", "create", "c", "", "2025-06-15T08:30:00.000Z"));

    AuditFilter byDate;
    byDate.since = "2025-04-01";
    EXPECT_EQ(paths(query(byDate)), (std::set<std::string>{"b", "c"}));

    AuditFilter byTime;
    byTime.since = "2025-06-15T08:30:00.000Z";
    EXPECT_EQ(paths(query(byTime)), (std::set<std::string>{"c"}));

    AuditFilter future;
    future.since = "2030-01-01";
    EXPECT_TRUE(query(future).empty());
}

TEST_F(AuditLogTest, UserFilterKeepsOnlyThatPersonsEvents) {
    add(event("yamada", "create", "a"));
    add(event("suzuki", "create", "b"));
    add(event("yamada", "update", "c"));
    add(event("yamada2", "update", "d"));

    AuditFilter f;
    f.user = "yamada";
    auto events = query(f);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].path, "c");
    EXPECT_EQ(events[1].path, "a");
}

TEST_F(AuditLogTest, LimitKeepsTheNewestEvents) {
    for (int i = 0; i < 5; ++i) add(event("yamada", "create", "file" + std::to_string(i)));
    AuditFilter f;
    f.limit = 2;
    auto events = query(f);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].path, "file4");
    EXPECT_EQ(events[1].path, "file3");
}

TEST_F(AuditLogTest, PathFilterMatchesThePathBelowItAndDestinationsButNotSiblings) {
    add(event("u", "mkcol", "a/b"));                  // the path itself
    add(event("u", "create", "a/b/c.txt"));           // below it
    add(event("u", "create", "a/b/d/e.txt"));         // further below
    add(event("u", "move", "x/y.txt", "a/b/y.txt"));  // moved into it
    add(event("u", "copy", "x/z", "a/b"));            // copied onto it
    add(event("u", "create", "a/bc"));                // a sibling that starts the same
    add(event("u", "create", "a/bc/f.txt"));
    add(event("u", "create", "a/b.txt"));                  // '.' sorts before '/'
    add(event("u", "create", "a/b-2/g.txt"));              // '-' too
    add(event("u", "create", "a/b0"));                     // '0' right after '/'
    add(event("u", "move", "q.txt", "a/bc/q.txt"));        // moved into the sibling
    add(event("u", "mkcol", "a"));                         // the folder above
    add(event("u", "create", "桜ヶ丘自治区/名簿/x.txt"));  // elsewhere

    AuditFilter f;
    f.path = "a/b";
    EXPECT_EQ(paths(query(f)),
              (std::set<std::string>{"a/b", "a/b/c.txt", "a/b/d/e.txt", "x/y.txt", "x/z"}));

    AuditFilter japanese;
    japanese.path = "桜ヶ丘自治区";
    EXPECT_EQ(paths(query(japanese)), (std::set<std::string>{"桜ヶ丘自治区/名簿/x.txt"}));

    AuditFilter everything;
    everything.path = "";
    EXPECT_EQ(query(everything).size(), 13u);
}

TEST_F(AuditLogTest, HasOpFindsAnEventByItsOperationId) {
    AuditEvent inChange = event("yamada", "update", "a.txt");
    inChange.op = "7f3a-0001";
    {
        Transaction tx(*db_);
        db::audit::append(tx.session(), inChange);
        tx.commit();
    }
    AuditEvent rolledBack = event("yamada", "update", "b.txt");
    rolledBack.op = "7f3a-0002";
    {
        Transaction tx(*db_);
        db::audit::append(tx.session(), rolledBack);
    }
    add(event("yamada", "login", ""));

    auto lease = db_->lease();
    EXPECT_TRUE(db::audit::hasOp(**lease, "7f3a-0001"));
    EXPECT_FALSE(db::audit::hasOp(**lease, "7f3a-0002"));  // its transaction never committed
    EXPECT_FALSE(db::audit::hasOp(**lease, "7f3a-000"));
    EXPECT_FALSE(db::audit::hasOp(**lease, "7f3a-0003"));
}
