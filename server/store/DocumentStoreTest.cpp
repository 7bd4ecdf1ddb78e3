#include "store/DocumentStore.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace kiroku;

namespace {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = Poco::TemporaryFile::tempName();
        dir_ = std::make_unique<DataDir>(root_);
        dir_->ensureLayout();
        db_ = std::make_unique<Database>(dir_->metaDb());
        store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
    }
    void TearDown() override {
        store_.reset();
        db_.reset();
        Poco::File(root_).remove(true);
    }
    void put(const std::string& path, const std::string& text) {
        auto up = store_->beginUpload(DocPath::fromText(path), actor_,
                                      static_cast<std::int64_t>(text.size()));
        up->write(text.data(), text.size());
        up->commit();
    }
    std::string read(const std::string& path) {
        std::ifstream in(dir_->files() + "/" + path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Regular files anywhere below a folder, but the lock files of running stores.
    static std::size_t filesUnder(const std::string& dir) {
        std::size_t n = 0;
        std::vector<Poco::File> children;
        Poco::File(dir).list(children);
        for (auto& c : children) {
            bool lock =
                c.path().size() > 5 && c.path().compare(c.path().size() - 5, 5, ".lock") == 0;
            n += c.isDirectory() ? filesUnder(c.path()) : lock ? 0 : 1;
        }
        return n;
    }
    std::string root_;
    Settings settings_;
    Actor actor_{"tester", "127.0.0.1", ""};
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
};

}  // namespace

TEST_F(StoreTest, OverwriteKeepsThePreviousVersion) {
    put("議事録.txt", "第1版");
    put("議事録.txt", "第2版");
    EXPECT_EQ(read("議事録.txt"), "第2版");
    auto versions = store_->versions(DocPath::fromText("議事録.txt"));
    ASSERT_EQ(versions.size(), 1u);
    store_->restoreVersion(versions[0].id, actor_);
    EXPECT_EQ(read("議事録.txt"), "第1版");
    EXPECT_EQ(store_->versions(DocPath::fromText("議事録.txt")).size(), 2u);
}

TEST_F(StoreTest, ANamedVersionIsKeptHoweverManyComeAfterIt) {
    settings_.keepVersions = 2;
    store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
    const DocPath doc = DocPath::fromText("総会資料.txt");
    put("総会資料.txt", "総会提出版");
    put("総会資料.txt", "修正1");
    auto first = store_->versions(doc);
    ASSERT_EQ(first.size(), 1u);
    store_->labelVersion(first[0].id, "総会提出版", actor_);
    for (int i = 2; i <= 6; ++i) put("総会資料.txt", "修正" + std::to_string(i));
    auto kept = store_->versions(doc);
    // Two unnamed versions, and the named one however old it is.
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept.back().id, first[0].id);
    EXPECT_EQ(kept.back().label, "総会提出版");
    int fd = store_->openVersion(first[0].id);
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))), "総会提出版");
    // Taking the name away lets it go with the next overwrite.
    store_->labelVersion(first[0].id, "", actor_);
    put("総会資料.txt", "修正7");
    EXPECT_EQ(store_->versions(doc).size(), 2u);
    EXPECT_FALSE(store_->version(first[0].id).has_value());
}

TEST_F(StoreTest, AbandonedUploadLeavesTheOldFileAndNoTemporaryFile) {
    put("a.txt", "old");
    {
        auto up = store_->beginUpload(DocPath::fromText("a.txt"), actor_, -1);
        up->write("new content that is never committed", 35);
    }
    EXPECT_EQ(read("a.txt"), "old");
    EXPECT_TRUE(store_->list(DocPath()).size() == 1);
    EXPECT_EQ(filesUnder(dir_->tmp()), 0u);
}

TEST_F(StoreTest, LeftoversOfACrashAreCleanedOnStart) {
    // A file of an earlier version, and the folder of a process that is gone.
    std::ofstream(dir_->tmp() + "/upload-deadbeef") << "half a file";
    Poco::File(dir_->tmp() + "/p-gone").createDirectories();
    std::ofstream(dir_->tmp() + "/p-gone/upload-1") << "half a file";
    std::ofstream(dir_->tmp() + "/p-gone.lock") << "";
    DocumentStore again(*dir_, *db_, settings_);
    EXPECT_EQ(filesUnder(dir_->tmp()), 0u);
    EXPECT_FALSE(Poco::File(dir_->tmp() + "/p-gone").exists());
    EXPECT_FALSE(Poco::File(dir_->tmp() + "/upload-deadbeef").exists());
}

TEST_F(StoreTest, DeleteGoesToTrashAndRestores) {
    store_->makeFolder(DocPath::fromText("引継ぎ"), actor_);
    put("引継ぎ/メモ.txt", "鍵は2本");
    std::int64_t id = store_->remove(DocPath::fromText("引継ぎ"), actor_);
    EXPECT_FALSE(store_->stat(DocPath::fromText("引継ぎ")));
    auto trash = store_->trash();
    ASSERT_EQ(trash.size(), 1u);
    EXPECT_EQ(trash[0].path, "引継ぎ");
    EXPECT_TRUE(trash[0].isDir);
    store_->restoreTrash(id, actor_);
    EXPECT_EQ(read("引継ぎ/メモ.txt"), "鍵は2本");
    EXPECT_TRUE(store_->trash().empty());
}

TEST_F(StoreTest, PurgeDeletesTheTrashEntryItsVersionsAndPropertiesForGood) {
    store_->makeFolder(DocPath::fromText("引継ぎ"), actor_);
    put("引継ぎ/メモ.txt", "鍵は2本");
    put("引継ぎ/メモ.txt", "鍵は3本");  // one version kept
    PropChange c;
    c.prop = DeadProp{"urn:t", "note", "<note xmlns=\"urn:t\">x</note>"};
    store_->patchProps(DocPath::fromText("引継ぎ/メモ.txt"), {c}, actor_);
    put("残す.txt", "残る");
    put("残す.txt", "残る2");
    std::int64_t id = store_->remove(DocPath::fromText("引継ぎ"), actor_);
    ASSERT_EQ(filesUnder(dir_->versions()), 2u);
    ASSERT_EQ(filesUnder(dir_->trash()), 1u);

    store_->purgeTrash(id, actor_);
    EXPECT_TRUE(store_->trash().empty());
    EXPECT_EQ(filesUnder(dir_->trash()), 0u);
    EXPECT_EQ(filesUnder(dir_->versions()), 1u);  // only 残す.txt's version
    EXPECT_EQ(store_->versions(DocPath::fromText("残す.txt")).size(), 1u);
    {
        auto lease = db_->lease();
        int props = -1;
        **lease << "SELECT COUNT(*) FROM props", Poco::Data::Keywords::into(props),
            Poco::Data::Keywords::now;
        EXPECT_EQ(props, 0);
    }
    try {
        store_->purgeTrash(id, actor_);
        FAIL() << "purged twice";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::NotFound);
    }
}

TEST_F(StoreTest, PurgeBeforeACutoffKeepsWhatIsNewer) {
    put("古い.txt", "a");
    put("新しい.txt", "b");
    std::int64_t old = store_->remove(DocPath::fromText("古い.txt"), actor_);
    store_->remove(DocPath::fromText("新しい.txt"), actor_);
    {
        auto lease = db_->lease();
        **lease << "UPDATE trash SET deleted = '2020-01-01T00:00:00.000Z' WHERE id = ?",
            Poco::Data::Keywords::bind(old), Poco::Data::Keywords::now;
    }
    EXPECT_EQ(store_->purgeTrashBefore(isoDaysAgo(30), actor_), 1u);
    auto left = store_->trash();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].path, "新しい.txt");
    EXPECT_EQ(store_->purgeTrashBefore(isoDaysAgo(30), actor_), 0u);
}

TEST_F(StoreTest, RefusesANameThatDiffersOnlyByCase) {
    put("Report.txt", "x");
    try {
        put("report.TXT", "y");
        FAIL() << "case twin accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::CaseConflict);
    }
    EXPECT_EQ(store_->list(DocPath()).size(), 1u);
}

TEST_F(StoreTest, FreeSpaceReserveRefusesUploadsAndWritesNothing) {
    settings_.minFreeBytes = std::numeric_limits<std::int64_t>::max() / 4;
    DocumentStore tight(*dir_, *db_, settings_);
    try {
        tight.beginUpload(DocPath::fromText("big.bin"), actor_, 10);
        FAIL() << "upload accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::InsufficientStorage);
    }
    EXPECT_FALSE(tight.stat(DocPath::fromText("big.bin")));
}

TEST_F(StoreTest, MoveCarriesDeadPropertiesAndHistory) {
    store_->makeFolder(DocPath::fromText("a"), actor_);
    put("a/x.txt", "1");
    put("a/x.txt", "2");
    store_->patchProps(DocPath::fromText("a/x.txt"),
                       {{false, {"urn:t", "p", "<p xmlns=\"urn:t\">v</p>"}}}, actor_);
    store_->move(DocPath::fromText("a"), DocPath::fromText("b"), actor_);
    auto props = store_->deadProps(DocPath::fromText("b/x.txt"));
    ASSERT_EQ(props.size(), 1u);
    EXPECT_EQ(props[0].xml, "<p xmlns=\"urn:t\">v</p>");
    EXPECT_TRUE(store_->deadProps(DocPath::fromText("a/x.txt")).empty());
    EXPECT_EQ(store_->versions(DocPath::fromText("b/x.txt")).size(), 1u);
    auto children = store_->deadPropsWithChildren(DocPath::fromText("b"));
    EXPECT_EQ(children.count("b/x.txt"), 1u);
}

TEST_F(StoreTest, CopyOfAFolderIsComplete) {
    store_->makeFolder(DocPath::fromText("src"), actor_);
    store_->makeFolder(DocPath::fromText("src/sub"), actor_);
    put("src/sub/f.txt", "内容");
    store_->copy(DocPath::fromText("src"), DocPath::fromText("dst"), true, actor_);
    EXPECT_EQ(read("dst/sub/f.txt"), "内容");
    EXPECT_EQ(read("src/sub/f.txt"), "内容");
    store_->copy(DocPath::fromText("src"), DocPath::fromText("shallow"), false, actor_);
    EXPECT_TRUE(store_->list(DocPath::fromText("shallow")).empty());
}

TEST_F(StoreTest, LinksPlacedByHandAreInvisible) {
    ASSERT_EQ(::symlink("/etc", (dir_->files() + "/etc").c_str()), 0);
    EXPECT_FALSE(store_->stat(DocPath::fromText("etc")));
    EXPECT_FALSE(store_->stat(DocPath::fromText("etc/passwd")));
    EXPECT_TRUE(store_->list(DocPath()).empty());
}
