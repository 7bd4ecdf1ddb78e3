// Database and Transaction: the write lock, the connection pool and the schema, on a
// real SQLite file in a temporary folder.
#include "db/Database.h"

#include "db/Migrations.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

using namespace kiroku;
using namespace Poco::Data::Keywords;
using namespace std::chrono;

namespace {

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        Poco::File(dir_).createDirectories();
        file_ = dir_ + "/meta.db";
    }
    void TearDown() override { Poco::File(dir_).remove(true); }

    // A scratch table of this test's own, so that nothing depends on Kiroku's schema.
    static void makeScratch(Database& db) {
        auto lease = db.lease();
        **lease << "CREATE TABLE scratch (id INTEGER PRIMARY KEY, text TEXT NOT NULL)", now;
    }
    static int scratchRows(Database& db) {
        auto lease = db.lease();
        int n = -1;
        **lease << "SELECT COUNT(*) FROM scratch", into(n), now;
        return n;
    }

    std::string dir_;
    std::string file_;
};

}  // namespace

TEST_F(DatabaseTest, OpeningMigratesToTheLatestSchema) {
    ASSERT_GT(db::latestSchema(), 0);
    {
        Database db(file_);
        EXPECT_EQ(db.schemaVersion(), db::latestSchema());
    }
    // Opening it again applies nothing and keeps the version.
    Database again(file_);
    EXPECT_EQ(again.schemaVersion(), db::latestSchema());
}

TEST_F(DatabaseTest, TransactionDestroyedWithoutCommitRollsBack) {
    Database db(file_);
    makeScratch(db);
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO scratch (text) VALUES ('never committed')", now;
    }
    EXPECT_EQ(scratchRows(db), 0);
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO scratch (text) VALUES ('committed')", now;
        tx.commit();
    }
    EXPECT_EQ(scratchRows(db), 1);
}

TEST_F(DatabaseTest, RollbackAfterCommitIsHarmless) {
    Database db(file_);
    makeScratch(db);
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO scratch (text) VALUES ('kept')", now;
        tx.commit();
        tx.rollback();
        tx.rollback();
    }
    EXPECT_EQ(scratchRows(db), 1);
    // The connection went back to the pool usable: a new transaction on it works.
    Transaction next(db);
    next.session() << "INSERT INTO scratch (text) VALUES ('next')", now;
    next.commit();
    EXPECT_EQ(scratchRows(db), 2);
}

TEST_F(DatabaseTest, FailedCommitLeavesNothingAndAUsableConnection) {
    // Only one connection, so the next transaction must reuse the one whose commit failed.
    Database db(file_, 1);
    {
        auto lease = db.lease();
        **lease << "CREATE TABLE parent (id INTEGER PRIMARY KEY)", now;
        **lease << "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL"
                   " REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
            now;
    }
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO child (parent) VALUES (42)", now;
        // A deferred foreign key fails at COMMIT, which leaves SQLite's transaction open.
        EXPECT_ANY_THROW(tx.commit());
        tx.rollback();
        tx.rollback();
    }
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO child (parent) VALUES (7)", now;
        EXPECT_ANY_THROW(tx.commit());
        // No rollback(): the destructor must end the transaction itself.
    }
    {
        Transaction tx(db);
        tx.session() << "INSERT INTO parent (id) VALUES (1)", now;
        tx.session() << "INSERT INTO child (parent) VALUES (1)", now;
        EXPECT_NO_THROW(tx.commit());
    }
    int children = -1;
    auto lease = db.lease();
    **lease << "SELECT COUNT(*) FROM child", into(children), now;
    EXPECT_EQ(children, 1);
}

// kirokud and the kiroku CLI each open the file with a Database of their own; their
// transactions must exclude each other through SQLite's lock, not an in-process mutex.
TEST_F(DatabaseTest, TransactionsOnTwoDatabasesOnOneFileExcludeEachOther) {
    Database first(file_);
    makeScratch(first);
    Database second(file_);

    auto holder = std::make_unique<Transaction>(first);
    holder->session() << "INSERT INTO scratch (text) VALUES ('first')", now;

    std::atomic<bool> acquired{false};
    auto started = steady_clock::now();
    auto other = std::async(std::launch::async, [&] {
        Transaction tx(second);
        acquired = true;
        int seen = -1;
        tx.session() << "SELECT COUNT(*) FROM scratch", into(seen), now;
        tx.session() << "INSERT INTO scratch (text) VALUES ('second')", now;
        tx.commit();
        return std::make_pair(steady_clock::now() - started, seen);
    });

    std::this_thread::sleep_for(milliseconds(600));
    EXPECT_FALSE(acquired) << "the second transaction began while the first held the lock";
    holder->commit();
    holder.reset();

    ASSERT_EQ(other.wait_for(seconds(8)), std::future_status::ready);
    auto [waited, seen] = other.get();
    EXPECT_GE(waited, milliseconds(400));
    EXPECT_EQ(seen, 1);  // it began after the first committed, and saw its row
    EXPECT_EQ(scratchRows(first), 2);
}

TEST_F(DatabaseTest, PoolLendsAtMostMaxConnectionsAndWaitsForAReturn) {
    Database db(file_, 2);
    auto a = db.lease();
    auto b = db.lease();
    EXPECT_NE((*a)->impl(), (*b)->impl());  // two distinct connections

    std::atomic<bool> leased{false};
    auto third = std::async(std::launch::async, [&] {
        auto c = db.lease();
        leased = true;
        int one = 0;
        **c << "SELECT 1", into(one), now;
        return one;
    });
    std::this_thread::sleep_for(milliseconds(400));
    EXPECT_FALSE(leased) << "a third connection was lent out of a pool of two";

    a.reset();
    auto status = third.wait_for(seconds(5));
    if (status != std::future_status::ready) b.reset();  // let the waiter finish either way
    ASSERT_EQ(status, std::future_status::ready) << "returning a lease did not wake the waiter";
    EXPECT_EQ(third.get(), 1);
}
