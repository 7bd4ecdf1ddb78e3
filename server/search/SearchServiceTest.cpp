// SearchService keeps the index current from the change journal and the disk, with a
// real store, a real Xapian index and an extractor that reads text files directly
// (the worker processes are tested in indexer/).
#include "search/SearchService.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace kiroku;

namespace {

class SearchServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = Poco::TemporaryFile::tempName();
        dir_ = std::make_unique<DataDir>(root_);
        dir_->ensureLayout();
        db_ = std::make_unique<Database>(dir_->metaDb());
        store_ = std::make_unique<DocumentStore>(*dir_, *db_, settings_);
        index_ = std::make_unique<indexer::SearchIndex>(dir_->index(), indexer::NormaliseOptions{});
        search_ = std::make_unique<SearchService>(
            *db_, *store_, *index_, [this](const std::string& diskPath) {
                Extraction x;
                if (diskPath.find("壊れた") != std::string::npos) {
                    x.error = "the extractor crashed";
                    return x;
                }
                std::ifstream in(diskPath);
                std::stringstream s;
                s << in.rdbuf();
                x.ok = true;
                x.text = s.str();
                return x;
            });
    }
    void TearDown() override {
        search_.reset();
        index_.reset();
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
    std::vector<std::string> find(
        const std::string& words,
        const indexer::ReadableScope& readable = indexer::ReadableScope::everything()) {
        indexer::SearchQuery q;
        q.text = words;
        std::vector<std::string> paths;
        auto r = search_->search(q, readable);
        for (const auto& h : r.hits) paths.push_back(h.path);
        EXPECT_EQ(r.total, paths.size());
        return paths;
    }

    std::string root_;
    Settings settings_;
    Actor actor_{"tester", "127.0.0.1", ""};
    std::unique_ptr<DataDir> dir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<DocumentStore> store_;
    std::unique_ptr<indexer::SearchIndex> index_;
    std::unique_ptr<SearchService> search_;
};

}  // namespace

TEST_F(SearchServiceTest, TheQueueAppliesCreateMoveAndDelete) {
    store_->makeFolder(DocPath::fromText("議事録"), actor_);
    put("議事録/総会.txt", "防犯灯のLED化を承認した");
    EXPECT_EQ(search_->status().pending, 1);  // the file (making a folder changes no document)
    search_->processQueue();
    EXPECT_EQ(search_->status().pending, 0);
    EXPECT_EQ(find("防犯灯"), std::vector<std::string>{"議事録/総会.txt"});

    store_->move(DocPath::fromText("議事録"), DocPath::fromText("過去の議事録"), actor_);
    search_->processQueue();
    EXPECT_EQ(find("防犯灯"), std::vector<std::string>{"過去の議事録/総会.txt"});

    store_->remove(DocPath::fromText("過去の議事録/総会.txt"), actor_);
    search_->processQueue();
    EXPECT_TRUE(find("防犯灯").empty());
    EXPECT_EQ(search_->status().indexed, 0);
}

TEST_F(SearchServiceTest, AFailedExtractionIsRecordedAndTheDocumentIsFoundByName) {
    put("壊れた資料.txt", "中身は読めない");
    search_->processQueue();
    IndexStatus s = search_->status();
    EXPECT_EQ(s.failed, 1);
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.failures[0].path, "壊れた資料.txt");
    EXPECT_EQ(s.failures[0].reason, "the extractor crashed");
    EXPECT_EQ(find("資料"), std::vector<std::string>{"壊れた資料.txt"});
    EXPECT_TRUE(find("中身").empty());
    // Fixed and saved again: the failure is forgotten.
    store_->move(DocPath::fromText("壊れた資料.txt"), DocPath::fromText("直した資料.txt"), actor_);
    search_->processQueue();
    EXPECT_EQ(find("中身"), std::vector<std::string>{"直した資料.txt"});
}

TEST_F(SearchServiceTest, AScanFindsFilesChangedOnTheDiskByHand) {
    std::ofstream(dir_->files() + "/手で置いた.txt") << "集会所の鍵は二本";
    EXPECT_EQ(search_->scan(), 1u);
    EXPECT_EQ(find("集会所"), std::vector<std::string>{"手で置いた.txt"});
    Poco::File(dir_->files() + "/手で置いた.txt").remove();
    EXPECT_EQ(search_->scan(), 1u);
    EXPECT_TRUE(find("集会所").empty());
    EXPECT_EQ(search_->scan(), 0u);
}

TEST_F(SearchServiceTest, OnlyWhatTheFilterAcceptsIsFoundOrCounted) {
    put("回覧.txt", "夏祭りのお知らせ");
    put("名簿.txt", "夏祭りの係 山田 0000-00-0001");
    search_->processQueue();
    EXPECT_EQ(find("夏祭り").size(), 2u);
    indexer::ReadableScope notTheRoster;
    notTheRoster.points["名簿.txt"] = false;
    EXPECT_EQ(find("夏祭り", notTheRoster), std::vector<std::string>{"回覧.txt"});
    EXPECT_TRUE(find("山田", notTheRoster).empty());
    // The caller's own decision, asked for every candidate, is kept to as well.
    indexer::ReadableScope confirmed;
    confirmed.confirm = [](const std::string& path) { return path != "名簿.txt"; };
    EXPECT_EQ(find("夏祭り", confirmed), std::vector<std::string>{"回覧.txt"});
}

TEST_F(SearchServiceTest, AReindexRebuildsFromTheFilesAndMovesTheCursor) {
    put("a.txt", "引継ぎ書");
    put("b.txt", "引継ぎの懸案事項");
    EXPECT_EQ(search_->reindex(), 2u);
    EXPECT_EQ(search_->status().pending, 0);
    EXPECT_EQ(find("引継").size(), 2u);
}
