#include "index/TextFiles.h"

#include "index/Generations.h"
#include "index/Schema.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace kiroku::indexer;

namespace {

// Documents short and long (past the 16 KB cut, so with a rest), some with a word deep in.
std::vector<IndexedDocument> documents() {
    std::vector<IndexedDocument> out;
    for (int i = 0; i < 40; ++i) {
        IndexedDocument d;
        d.path = "東山地区/議事録/" + std::to_string(i) + ".txt";
        const std::size_t filler = static_cast<std::size_t>(i % 5) * 9000;
        d.text = "第" + std::to_string(i) + "回の会議。" + std::string(filler, 'x') +
                 (i % 3 == 0 ? "防災倉庫の鍵は集会所に" : "回覧板の当番表") +
                 std::string(filler, 'y');
        d.modifiedUs = 1700000000000000 + i;
        d.type = "text";
        out.push_back(d);
    }
    return out;
}

struct Folder {
    std::string path = Poco::TemporaryFile::tempName();
    ~Folder() {
        if (Poco::File(path).exists()) Poco::File(path).remove(true);
    }
};

// Rebuilds `index` of `docs` by one writer.
void rebuildWith(SearchIndex& index, const std::vector<IndexedDocument>& docs) {
    index.rebuild(
        [&](SearchIndex::Batch& w, std::size_t) {
            for (const auto& d : docs) w.put(d);
        },
        1);
}

std::vector<std::string> shown(const SearchIndex& index, const std::string& text) {
    SearchQuery q;
    q.text = text;
    q.limit = 50;
    std::vector<std::string> out;
    for (const auto& h : index.search(q, ReadableScope::everything()).hits)
        out.push_back(h.path + " | " + h.snippet);
    return out;
}

}  // namespace

// Format 11: a rebuilt generation keeps its texts in files of its own; searches, checks
// deep in long texts, snippets and the stored text answer as from texts in the index.
TEST(TextFiles, ARebuiltIndexAnswersAsOneWithItsTextsInside) {
    Folder inside, rebuilt;
    SearchIndex a(inside.path), b(rebuilt.path);
    const auto docs = documents();
    auto batch = a.batch();
    for (const auto& d : docs) batch.put(d);
    batch.commit();
    b.rebuild(
        [&](SearchIndex::Batch& w, std::size_t writer) {
            for (std::size_t i = writer; i < docs.size(); i += 2) w.put(docs[i]);
        },
        2);
    const std::string generation = liveGeneration(rebuilt.path);
    EXPECT_TRUE(Poco::File(generation + "/" + textsFileName(0)).exists());
    EXPECT_TRUE(Poco::File(generation + "/" + textsFileName(1)).exists());
    {
        Xapian::Database db(generation);
        for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
            const Xapian::Document doc = db.get_document(id);
            EXPECT_TRUE(doc.get_value(kTextsSlot).empty()) << id;
            EXPECT_TRUE(doc.get_value(kMoreTextsSlot).empty()) << id;
            EXPECT_FALSE(doc.get_value(kTextsRefSlot).empty()) << id;
        }
    }
    for (const std::string text :
         {"防災倉庫の鍵", "回覧板の当番", "会議", "第7回", "x回覧板", "鍵は集会所にyy"}) {
        const auto expected = shown(a, text);
        EXPECT_FALSE(expected.empty()) << text;
        EXPECT_EQ(shown(b, text), expected) << text;
    }
    for (const auto& d : docs) {
        ASSERT_TRUE(b.stored(d.path, true).has_value()) << d.path;
        EXPECT_EQ(b.stored(d.path, true)->text, d.text) << d.path;
    }
}

// What changes after a rebuild keeps its texts in the index: the new text is found, the
// old one no more, and the files are never written again.
TEST(TextFiles, ADocumentChangedAfterARebuildIsFoundByItsNewText) {
    Folder folder;
    SearchIndex index(folder.path);
    const auto docs = documents();
    rebuildWith(index, docs);
    const std::string file = liveGeneration(folder.path) + "/" + textsFileName(0);
    const auto size = Poco::File(file).getSize();
    IndexedDocument changed = docs[3];  // held 防災倉庫の鍵
    changed.text = "自主防災訓練の案内";
    auto batch = index.batch();
    batch.put(changed);
    batch.commit();
    EXPECT_EQ(Poco::File(file).getSize(), size);
    EXPECT_EQ(shown(index, "自主防災訓練").size(), 1u);
    for (const auto& hit : shown(index, "防災倉庫の鍵"))
        EXPECT_EQ(hit.find(changed.path + " "), std::string::npos) << hit;
    EXPECT_EQ(index.stored(changed.path, true)->text, changed.text);
}

// A reference that names no texts, or texts past its file's end, reads as nothing (the
// texts then read as damaged), and allocates nothing it could not read.
TEST(TextFiles, DamagedReferencesAndShortFilesReadAsNothing) {
    Folder folder;
    Poco::File(folder.path).createDirectories();
    PackedTexts packed = packTexts("回覧板の当番表", "回覧板の当番表");
    std::string ref;
    {
        TextsFileWriter writer(folder.path + "/" + textsFileName(0), 0);
        writer.append(packTexts("最初の文書", "最初の文書"));
        ref = writer.append(packed);
        writer.flush();
    }
    TextFiles files(folder.path);
    EXPECT_EQ(files.first(ref), packed.first);
    EXPECT_EQ(files.more(ref), "");
    std::string other = ref;
    other[0] = '\x01';  // file 1: none
    EXPECT_EQ(files.first(other), "");
    EXPECT_EQ(files.first(""), "");
    EXPECT_EQ(files.first("\xff\xff\xff"), "");  // a varint cut short
    std::string far;
    putVarint(far, 0);
    putVarint(far, 1ull << 40);  // past the end
    putVarint(far, 1ull << 30);
    putVarint(far, 0);
    EXPECT_EQ(files.first(far), "");
    // Cut short after it was written: the texts past the cut read as nothing.
    const std::string path = folder.path + "/" + textsFileName(0);
    Poco::File(path).setSize(Poco::File(path).getSize() - 1);
    EXPECT_EQ(TextFiles(folder.path).first(ref), "");
    EXPECT_EQ(TextFiles(folder.path + "/none").first(ref), "");
}

// A rebuild that fails while writing (here: a document that cannot be read) leaves the
// live generation as it was and no texts files of the one it was building.
TEST(TextFiles, ARebuildThatFailsLeavesTheLiveGenerationAndNoFiles) {
    Folder folder;
    SearchIndex index(folder.path);
    const auto docs = documents();
    rebuildWith(index, docs);
    const std::string live = liveGeneration(folder.path);
    EXPECT_THROW(index.rebuild(
                     [&](SearchIndex::Batch& w, std::size_t writer) {
                         for (std::size_t i = 0; i < docs.size(); ++i) {
                             if (writer == 1 && i == 20) throw std::runtime_error("disk error");
                             w.put(docs[i]);
                         }
                     },
                     2),
                 std::runtime_error);
    EXPECT_EQ(liveGeneration(folder.path), live);
    EXPECT_FALSE(Poco::File(folder.path + "/" + nextGeneration(live)).exists());
    EXPECT_FALSE(Poco::File(folder.path + "/" + nextGeneration(live) + ".build").exists());
    EXPECT_EQ(shown(index, "防災倉庫の鍵").size(), 14u);  // 0, 3, … 39
}
