// SearchService keeps the index current from the change journal and the disk, with a
// real store, a real Xapian index and an extractor that reads text files directly
// (the worker processes are tested in indexer/).
#include "search/SearchService.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <algorithm>
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
                // Scans and photos as the real extractors see them: a PDF without a
                // text layer, an image no ordinary extractor reads.
                if (endsWith(diskPath, ".pdf")) {
                    x.mime = "application/pdf";
                    x.ok = true;
                    if (s.str().rfind("scan:", 0) != 0) x.text = s.str();
                    return x;
                }
                if (endsWith(diskPath, ".jpg")) {
                    x.mime = "image/jpeg";
                    x.error = "unsupported type image/jpeg";
                    return x;
                }
                x.ok = true;
                x.mime = "text/plain";
                x.text = s.str();
                return x;
            });
    }
    static bool endsWith(const std::string& s, const std::string& end) {
        return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
    }
    // An OCR that reads what a test file says after "scan:", counting its calls.
    ExtractFn fakeOcr() {
        return [this](const std::string& diskPath) {
            ++ocrCalls_;
            std::ifstream in(diskPath);
            std::stringstream s;
            s << in.rdbuf();
            Extraction x;
            x.mime = endsWith(diskPath, ".pdf") ? "application/pdf" : "image/jpeg";
            if (s.str().rfind("scan:", 0) != 0) {
                x.error = "not a readable image";
                return x;
            }
            x.ok = true;
            x.text = s.str().substr(5);
            return x;
        };
    }
    int ocrCalls_ = 0;
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

TEST_F(SearchServiceTest, AScanIsFoundByNameAtOnceAndByItsWordsOnceOcrHasReadIt) {
    search_->enableOcr(dir_->index() + "/ocr", "jpn");
    store_->makeFolder(DocPath::fromText("申請書"), actor_);
    put("申請書/カーブミラー要望書.pdf", "scan:交差点に反射鏡を設置してください");
    put("申請書/敬老会.jpg", "scan:敬老会のご案内 公民館にて");
    put("申請書/議事録.pdf", "総会で防犯灯を決めた。文字のあるPDFです。");
    search_->processQueue();
    EXPECT_EQ(find("要望書"), std::vector<std::string>{"申請書/カーブミラー要望書.pdf"});
    EXPECT_TRUE(find("反射鏡").empty());
    EXPECT_EQ(find("防犯灯"), std::vector<std::string>{"申請書/議事録.pdf"});
    IndexStatus before = search_->status();
    EXPECT_EQ(before.ocrPending, 2) << "a PDF with text of its own is not a scan";
    EXPECT_EQ(before.failed, 0) << "a photo waiting for OCR is no failure";
    auto waiting = search_->stored("申請書/敬老会.jpg", true);
    ASSERT_TRUE(waiting);
    EXPECT_TRUE(waiting->ocrPending);
    EXPECT_FALSE(waiting->ocr);

    ExtractFn ocr = fakeOcr();
    EXPECT_EQ(search_->processOcr(ocr, 10), 2u);
    EXPECT_EQ(find("反射鏡"), std::vector<std::string>{"申請書/カーブミラー要望書.pdf"});
    EXPECT_EQ(find("公民館"), std::vector<std::string>{"申請書/敬老会.jpg"});
    auto read = search_->stored("申請書/敬老会.jpg", true);
    ASSERT_TRUE(read);
    EXPECT_TRUE(read->ocr);
    EXPECT_FALSE(read->ocrPending);
    EXPECT_EQ(read->text, "敬老会のご案内 公民館にて");
    EXPECT_EQ(search_->status().ocrPending, 0);
    EXPECT_EQ(search_->processOcr(ocr, 10), 0u);
    EXPECT_EQ(ocrCalls_, 2);
}

TEST_F(SearchServiceTest, OcrReadsTheSameContentOnceWhateverItsName) {
    search_->enableOcr(dir_->index() + "/ocr", "jpn");
    put("回覧.jpg", "scan:夏祭りのお知らせ");
    search_->processQueue();
    ExtractFn ocr = fakeOcr();
    search_->processOcr(ocr, 10);
    store_->move(DocPath::fromText("回覧.jpg"), DocPath::fromText("回覧_令和8年.jpg"), actor_);
    store_->copy(DocPath::fromText("回覧_令和8年.jpg"), DocPath::fromText("写し.jpg"), false,
                 actor_);
    search_->processQueue();
    EXPECT_EQ(search_->status().ocrPending, 0);
    auto paths = find("夏祭り");
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (std::vector<std::string>{"写し.jpg", "回覧_令和8年.jpg"}));
    EXPECT_EQ(ocrCalls_, 1);
    // A rebuilt index reads the kept text again, without OCR.
    search_->reindex();
    EXPECT_EQ(find("夏祭り").size(), 2u);
    EXPECT_EQ(search_->status().ocrPending, 0);
    EXPECT_EQ(ocrCalls_, 1);
}

TEST_F(SearchServiceTest, AScanChangedWhileOcrReadsItIsReadAgain) {
    search_->enableOcr(dir_->index() + "/ocr", "jpn");
    put("要望書.pdf", "scan:古い内容");
    search_->processQueue();
    ExtractFn base = fakeOcr();
    bool changed = false;
    ExtractFn changing = [&](const std::string& disk) {
        Extraction x = base(disk);
        if (!changed) {
            changed = true;
            put("要望書.pdf", "scan:新しい内容です");
        }
        return x;
    };
    search_->processOcr(changing, 1);
    EXPECT_TRUE(find("古い内容").empty()) << "what OCR read of an old version is not put";
    EXPECT_EQ(search_->status().ocrPending, 1);
    search_->processQueue();
    search_->processOcr(changing, 1);
    EXPECT_EQ(find("新しい内容"), std::vector<std::string>{"要望書.pdf"});
    EXPECT_EQ(search_->status().ocrPending, 0);
}

TEST_F(SearchServiceTest, AFailedOcrIsRecordedWithItsReasonAndTheFileKeepsItsName) {
    search_->enableOcr(dir_->index() + "/ocr", "jpn");
    put("壊れ写真.jpg", "not an image at all");
    search_->processQueue();
    ExtractFn ocr = fakeOcr();
    search_->processOcr(ocr, 1);
    IndexStatus s = search_->status();
    EXPECT_EQ(s.ocrPending, 0);
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.failures[0].reason, "OCR: not a readable image");
    EXPECT_EQ(find("壊れ写真"), std::vector<std::string>{"壊れ写真.jpg"});
}

TEST_F(SearchServiceTest, WithoutOcrAPhotoIsAFailureAndNothingWaits) {
    search_->disableOcr("tesseract-ocr-jpn is not installed");
    put("写真.jpg", "scan:見えない文字");
    search_->processQueue();
    IndexStatus s = search_->status();
    EXPECT_FALSE(s.ocrOn);
    EXPECT_EQ(s.ocrLanguages, "tesseract-ocr-jpn is not installed");
    EXPECT_EQ(s.ocrPending, 0);
    EXPECT_EQ(s.failed, 1);
    EXPECT_EQ(find("写真"), std::vector<std::string>{"写真.jpg"});
}
