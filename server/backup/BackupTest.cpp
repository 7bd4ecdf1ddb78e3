#include "backup/Backup.h"

#include "backup/BackupError.h"
#include "backup/FileTree.h"
#include "backup/Manifest.h"
#include "db/Database.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace kiroku;
using namespace kiroku::backup;
using namespace Poco::Data::Keywords;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::vector<std::string> names(const std::string& dir) {
    std::vector<std::string> out;
    Poco::File(dir).list(out);
    return out;
}

struct stat statOf(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st;
}

// Rows of a query's first column as text, through the raw C API (the copy is read-only).
std::vector<std::string> column(const std::string& dbFile, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(dbFile.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

class BackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        tmp_ = Poco::TemporaryFile::tempName();
        Poco::File(tmp_).createDirectories();
        data_ = std::make_unique<DataDir>(tmp_ + "/data");
        data_->ensureLayout();
        db_ = std::make_unique<Database>(data_->metaDb());
        {
            auto lease = db_->lease();
            **lease
                << "CREATE TABLE IF NOT EXISTS rows (batch INTEGER NOT NULL, n INTEGER NOT NULL)",
                now;
        }
        Poco::File(data_->files() + "/回覧").createDirectories();
        spit(data_->files() + "/回覧/お知らせ.txt", "夏祭りのお知らせ");
        spit(data_->files() + "/a.txt", "first");
        spit(data_->versions() + "/1", "older");
        Poco::File(data_->trash() + "/1/古い").createDirectories();
        spit(data_->trash() + "/1/古い/メモ.txt", "trash");
        Poco::File(data_->files() + "/空のフォルダ").createDirectories();
        spit(data_->tls() + "/key.pem", "-----BEGIN PRIVATE KEY-----");
        ::chmod((data_->tls() + "/key.pem").c_str(), 0600);
        Poco::File(data_->root() + "/journal")
            .createDirectories();  // a folder the backup does not know
        spit(data_->root() + "/journal/0001", "j");
        spit(data_->index() + "/CURRENT", "gen-1\n");                   // never backed up
        spit(data_->tmp() + "/upload-1", "partial");                    // never backed up
        Poco::File(data_->root() + "/lost+found").createDirectories();  // a disk of its own
        spit(data_->properties(), "http.listen = 127.0.0.1:8080\n");
    }
    void TearDown() override {
        db_.reset();
        Poco::File(tmp_).remove(true);
    }
    std::string tmp_;
    std::unique_ptr<DataDir> data_;
    std::unique_ptr<Database> db_;
};

}  // namespace

TEST_F(BackupTest, TakesEveryFolderButTmpAndIndexAndKeepsModesAndTimes) {
    const std::string dest = tmp_ + "/backup";
    BackupSummary s = writeBackup(*data_, dest);
    EXPECT_TRUE(s.withConfig);
    EXPECT_EQ(slurp(dest + "/files/回覧/お知らせ.txt"), "夏祭りのお知らせ");
    EXPECT_EQ(slurp(dest + "/journal/0001"), "j");
    EXPECT_EQ(slurp(dest + "/kiroku.properties"), "http.listen = 127.0.0.1:8080\n");
    EXPECT_TRUE(Poco::File(dest + "/files/空のフォルダ").isDirectory());
    EXPECT_FALSE(Poco::File(dest + "/index").exists());
    EXPECT_FALSE(Poco::File(dest + "/tmp").exists());
    EXPECT_FALSE(Poco::File(dest + "/lost+found").exists());
    EXPECT_FALSE(Poco::File(dest + "/.snapshot").exists());
    EXPECT_FALSE(Poco::File(dest + "/meta.db-wal").exists());
    EXPECT_EQ(statOf(dest + "/tls/key.pem").st_mode & 07777, 0600u);
    auto a = statOf(data_->files() + "/a.txt"), b = statOf(dest + "/files/a.txt");
    EXPECT_EQ(a.st_mtim.tv_sec, b.st_mtim.tv_sec);
    EXPECT_EQ(a.st_mtim.tv_nsec, b.st_mtim.tv_nsec);
    EXPECT_NE(a.st_ino, b.st_ino);  // a copy, not a link to the live file
    // Nothing is left behind in the data directory.
    EXPECT_EQ(names(data_->tmp()).size(), 1u);
    EXPECT_NO_THROW(verifyBackup(dest));
}

TEST_F(BackupTest, ManifestVerificationCatchesAFlippedByte) {
    const std::string dest = tmp_ + "/backup";
    writeBackup(*data_, dest);
    std::string text = slurp(dest + "/files/回覧/お知らせ.txt");
    text[3] ^= 0x01;
    spit(dest + "/files/回覧/お知らせ.txt", text);
    try {
        verifyBackup(dest);
        FAIL() << "a flipped byte was not noticed";
    } catch (const BackupError& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "content differs from MANIFEST (SHA-256): files/回覧/お知らせ.txt"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(e.japanese().find("壊れています"), std::string::npos);
    }
}

TEST_F(BackupTest, ManifestVerificationCatchesAMissingFileAndAMissingManifest) {
    const std::string dest = tmp_ + "/backup";
    writeBackup(*data_, dest);
    ::unlink((dest + "/versions/1").c_str());
    try {
        verifyBackup(dest);
        FAIL() << "a missing file was not noticed";
    } catch (const BackupError& e) {
        EXPECT_NE(std::string(e.what()).find("missing: versions/1"), std::string::npos) << e.what();
    }
    ::unlink((dest + "/MANIFEST").c_str());
    EXPECT_THROW(verifyBackup(dest), BackupError);  // incomplete: no MANIFEST
}

// A database damaged before its digest was taken matches the MANIFEST; integrity_check
// still finds it.
TEST_F(BackupTest, IntegrityCheckCatchesADamagedDatabaseThatMatchesItsManifest) {
    const std::string dest = tmp_ + "/backup";
    writeBackup(*data_, dest);
    std::string db = slurp(dest + "/meta.db");
    ASSERT_GT(db.size(), 3 * 4096u);
    for (std::size_t i = 2 * 4096 + 100; i < 3 * 4096; ++i) db[i] = static_cast<char>(0xA5);
    spit(dest + "/meta.db", db);
    Manifest m = Manifest::read(dest);
    for (auto& e : m.entries) {
        if (e.path == "meta.db") e.sha256 = digestOf(dest + "/meta.db").sha256;
    }
    spit(dest + "/MANIFEST", m.text());
    try {
        verifyBackup(dest);
        FAIL() << "a damaged database was not noticed";
    } catch (const BackupError& e) {
        EXPECT_NE(std::string(e.what()).find("integrity_check"), std::string::npos) << e.what();
    }
}

TEST_F(BackupTest, DestinationInsideTheDataDirectoryIsRefused) {
    for (const std::string& dest :
         {data_->root(), data_->files() + "/backup", data_->tmp() + "/x/y"}) {
        EXPECT_THROW(writeBackup(*data_, dest), BackupError) << dest;
    }
    // Also through a symbolic link that leads inside.
    ASSERT_EQ(::symlink(data_->tmp().c_str(), (tmp_ + "/link").c_str()), 0);
    try {
        writeBackup(*data_, tmp_ + "/link/backup");
        FAIL() << "a destination inside the data directory was accepted";
    } catch (const BackupError& e) {
        EXPECT_NE(e.japanese().find("データフォルダ"), std::string::npos);
    }
    EXPECT_FALSE(Poco::File(data_->tmp() + "/backup").exists());
    EXPECT_FALSE(Poco::File(data_->files() + "/backup").exists());
}

TEST_F(BackupTest, ANonEmptyDestinationIsRefusedAndLeftAlone) {
    const std::string dest = tmp_ + "/backup";
    Poco::File(dest).createDirectories();
    spit(dest + "/mine.txt", "keep me");
    EXPECT_THROW(writeBackup(*data_, dest), BackupError);
    EXPECT_EQ(slurp(dest + "/mine.txt"), "keep me");
    EXPECT_EQ(names(dest).size(), 1u);
}

// A writer like kirokud: each transaction adds ten rows and, while it holds the lock,
// renames one file into files/. Every backup must hold whole transactions only, and
// exactly the files of the rows it holds.
TEST_F(BackupTest, ABackupTakenWhileAnotherThreadWritesIsConsistent) {
    std::atomic<bool> stop{false};
    std::atomic<int> batches{0};
    std::thread writer([&] {
        for (int batch = 1; !stop; ++batch) {
            Transaction tx(*db_);
            for (int n = 0; n < 10; ++n)
                tx.session() << "INSERT INTO rows (batch, n) VALUES (?, ?)", use(batch), use(n),
                    now;
            const std::string tmp = data_->tmp() + "/w" + std::to_string(batch);
            spit(tmp, "batch " + std::to_string(batch));
            ::rename(tmp.c_str(), (data_->files() + "/batch-" + std::to_string(batch)).c_str());
            tx.commit();
            batches = batch;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    struct Join {
        std::atomic<bool>& stop;
        std::thread& writer;
        ~Join() {
            stop = true;
            writer.join();
        }
    } join{stop, writer};
    while (batches < 20) std::this_thread::yield();
    for (int i = 0; i < 3; ++i) {
        const std::string dest = tmp_ + "/backup" + std::to_string(i);
        BackupSummary s = writeBackup(*data_, dest);  // verifies, integrity_check included
        EXPECT_LT(s.lockMs, 5000.0);
        auto counts = column(dest + "/meta.db", "SELECT count(*) FROM rows");
        ASSERT_EQ(counts.size(), 1u);
        EXPECT_EQ(std::stoi(counts[0]) % 10, 0) << "a transaction was cut in half";
        auto inDb = column(dest + "/meta.db", "SELECT DISTINCT batch FROM rows");
        std::set<std::string> expected, found;
        for (const auto& b : inDb) expected.insert("batch-" + b);
        for (const auto& name : names(dest + "/files")) {
            if (name.rfind("batch-", 0) == 0) found.insert(name);
        }
        EXPECT_EQ(found, expected);
        EXPECT_GT(expected.size(), 0u);
        EXPECT_EQ(column(dest + "/meta.db", "PRAGMA journal_mode")[0], "delete");
    }
    EXPECT_GT(batches.load(), 20);
}

TEST_F(BackupTest, LinksAreStagedInTheDataDirectoryWhenTheBackupIsOnAnotherDisk) {
    struct stat shm {
    }, here{};
    // Debian mounts /dev/shm as a file system of its own (tmpfs): the backup goes there.
    ASSERT_EQ(::stat("/dev/shm", &shm), 0) << "this test needs /dev/shm (a tmpfs)";
    ASSERT_EQ(::stat(tmp_.c_str(), &here), 0);
    ASSERT_NE(shm.st_dev, here.st_dev) << "/dev/shm must be another file system than " << tmp_;
    ASSERT_EQ(::access("/dev/shm", W_OK), 0) << "/dev/shm must be writable";
    const std::string dest = Poco::TemporaryFile::tempName("/dev/shm");
    // While the files are copied, the staging folder is claimed the way processes
    // sharing tmp/ claim theirs: <folder>.lock, held with flock().
    bool claimed = false;
    auto progress = [&](const ProgressInfo& p) {
        if (p.phase != ProgressInfo::Phase::Copy || claimed) return;
        for (const auto& name : names(data_->tmp())) {
            if (name.rfind("backup-", 0) != 0 || name.size() < 5 ||
                name.substr(name.size() - 5) != ".lock")
                continue;
            int fd = ::open((data_->tmp() + "/" + name).c_str(), O_RDWR | O_CLOEXEC);
            claimed = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
            if (fd >= 0) ::close(fd);
        }
    };
    BackupSummary s = writeBackup(*data_, dest, {}, progress);
    EXPECT_TRUE(claimed);
    EXPECT_EQ(s.stagedIn.rfind(data_->tmp() + "/backup-", 0), 0u) << s.stagedIn;
    EXPECT_EQ(names(data_->tmp()).size(), 1u);  // the staging links are gone
    EXPECT_NO_THROW(verifyBackup(dest));
    Poco::File(dest).remove(true);
}

TEST_F(BackupTest, RestoreBringsBackEverythingButTheIndex) {
    const std::string dest = tmp_ + "/backup";
    writeBackup(*data_, dest);
    DataDir target(tmp_ + "/restored");
    RestoreSummary r = restoreBackup(dest, target);
    EXPECT_FALSE(r.replaced);
    EXPECT_EQ(r.configWritten, target.properties());
    EXPECT_EQ(slurp(target.files() + "/回覧/お知らせ.txt"), "夏祭りのお知らせ");
    EXPECT_EQ(slurp(target.trash() + "/1/古い/メモ.txt"), "trash");
    EXPECT_EQ(slurp(target.root() + "/journal/0001"), "j");
    EXPECT_TRUE(Poco::File(target.files() + "/空のフォルダ").isDirectory());
    EXPECT_FALSE(Poco::File(target.index()).exists());
    EXPECT_EQ(statOf(target.tls() + "/key.pem").st_mode & 07777, 0600u);
    for (const std::string rel : {"/files/a.txt", "/files/回覧", "/versions/1"}) {
        auto a = statOf(data_->root() + rel), b = statOf(target.root() + rel);
        EXPECT_EQ(a.st_mtim.tv_sec, b.st_mtim.tv_sec) << rel;
        EXPECT_EQ(a.st_mtim.tv_nsec, b.st_mtim.tv_nsec) << rel;
    }
    EXPECT_EQ(names(target.tmp()).size(), 0u);
    // The restored database opens and holds what the original held.
    EXPECT_EQ(column(target.metaDb(), "SELECT count(*) FROM users").size(), 1u);

    // Not empty: refused without --force, replaced entirely with it.
    spit(target.files() + "/new.txt", "after the backup");
    EXPECT_THROW(restoreBackup(dest, target), BackupError);
    EXPECT_TRUE(Poco::File(target.files() + "/new.txt").exists());
    spit(target.properties(), "changed\n");
    RestoreOptions force;
    force.force = true;
    r = restoreBackup(dest, target, force);
    EXPECT_TRUE(r.replaced);
    EXPECT_FALSE(Poco::File(target.files() + "/new.txt").exists());
    EXPECT_EQ(slurp(target.properties()), "http.listen = 127.0.0.1:8080\n");

    // Not while something has the database open (kirokud keeps its connections open).
    try {
        restoreBackup(dest, *data_, force);
        FAIL() << "restored over a data directory in use";
    } catch (const BackupError& e) {
        EXPECT_NE(std::string(e.what()).find("stop it first"), std::string::npos) << e.what();
    }
    EXPECT_EQ(slurp(data_->tmp() + "/upload-1"), "partial");
    EXPECT_EQ(names(data_->tmp()).size(), 1u);

    // A folder that is not a data directory is never emptied, even with --force.
    const std::string other = tmp_ + "/other";
    Poco::File(other).createDirectories();
    spit(other + "/precious.txt", "mine");
    EXPECT_THROW(restoreBackup(dest, DataDir(other), force), BackupError);
    EXPECT_EQ(slurp(other + "/precious.txt"), "mine");
}

TEST_F(BackupTest, ADamagedBackupIsNotRestored) {
    const std::string dest = tmp_ + "/backup";
    writeBackup(*data_, dest);
    std::string text = slurp(dest + "/files/a.txt");
    text[0] ^= 0x20;
    spit(dest + "/files/a.txt", text);
    DataDir target(tmp_ + "/restored");
    EXPECT_THROW(restoreBackup(dest, target), BackupError);
    EXPECT_FALSE(Poco::File(target.root()).exists());
}

TEST(ManifestTest, PathsWithTabsAndBackslashesSurviveTheRoundTrip) {
    Manifest m;
    ManifestEntry f;
    f.path = "files/a\tb\\c\nd.txt";
    f.mode = 0640;
    f.mtimeNs = 1767225600123456789;
    f.size = 3;
    f.sha256 = std::string(64, 'a');
    m.entries.push_back(f);
    ManifestEntry d;
    d.folder = true;
    d.path = "files";
    d.mode = 0750;
    m.entries.push_back(d);
    Manifest back = Manifest::parse(m.text());
    ASSERT_EQ(back.entries.size(), 2u);
    EXPECT_EQ(back.entries[0].path, f.path);
    EXPECT_EQ(back.entries[0].mtimeNs, f.mtimeNs);
    EXPECT_EQ(back.entries[0].mode, 0640u);
    EXPECT_TRUE(back.entries[1].folder);
    EXPECT_THROW(Manifest::parse("# kiroku-backup 1\nf\t0640\t1.000000000\t3\tzz\tfiles/x\n"),
                 BackupError);
    EXPECT_THROW(Manifest::parse("# kiroku-backup 1\nd\t0750\t1.000000000\t-\t-\t../etc\n"),
                 BackupError);
}
