#include "index/CheckAhead.h"

#include "index/CheckCache.h"
#include "index/Generations.h"
#include "index/TrigramFilter.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <string>

using namespace kiroku::indexer;

namespace {

// An index of `n` documents, the i-th holding 当番表i, rebuilt by two writers (so their
// texts are in the generation's files, TextFiles.h); removed with the fixture.
class CheckAheadTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        index_ = std::make_unique<SearchIndex>(dir_);
        index_->rebuild(
            [](SearchIndex::Batch& b, std::size_t writer) {
                for (int i = static_cast<int>(writer); i < kDocuments; i += 2) {
                    IndexedDocument d;
                    d.path = "東山地区/議事録/" + std::to_string(i) + ".txt";
                    d.text = std::string(static_cast<std::size_t>(i % 7) * 3000, 'x') +
                             "回覧板の当番表" + std::to_string(i);
                    d.modifiedUs = 1700000000000000;
                    d.type = "text";
                    b.put(d);
                }
            },
            2);
        db_ = Xapian::Database(liveGeneration(dir_));
        texts_ = TextFiles(liveGeneration(dir_));
    }
    void TearDown() override {
        db_.close();
        index_.reset();
        Poco::File(dir_).remove(true);
    }
    // A check of `variant`, remembered in `cache`.
    TextCheck checkOf(const std::string& variant) {
        TextCheck c;
        c.variants = {variant};
        c.filterKeys = {filterKeysOf(variant)};
        c.known = {cache_.states(variant, db_.get_lastdocid() + 1)};
        return c;
    }
    static constexpr int kDocuments = 3000;
    std::string dir_;
    std::unique_ptr<SearchIndex> index_;
    Xapian::Database db_;
    TextFiles texts_;
    CheckCache cache_;
};

}  // namespace

// Issue 14: every candidate checked ahead, on either thread, has what its text holds
// written down, as the matcher's own check would write it.
TEST_F(CheckAheadTest, EveryCandidateCheckedIsWrittenAsTheMatcherWouldFindIt) {
    TextCheck c = checkOf("当番表1");  // 1, 10–19, 100–199, 1000–1999: 1,111 documents
    const std::size_t checked =
        checkAhead(db_, liveGeneration(dir_), texts_, Xapian::Query::MatchAll, {c}, {}, kDocuments);
    EXPECT_EQ(checked, static_cast<std::size_t>(kDocuments));  // too few pass to stop early
    std::size_t found = 0;
    for (Xapian::docid id = 1; id <= db_.get_lastdocid(); ++id) {
        const std::uint8_t state = (*c.known[0])[id].load();
        ASSERT_NE(state, 0) << id;
        found += state == 1;
    }
    EXPECT_EQ(found, 1111u);
}

// It stops once enough have passed (the matcher needs no more for its count), and it
// leaves a query of few candidates to the matcher.
TEST_F(CheckAheadTest, StopsWhenEnoughPassAndLeavesFewCandidatesAlone) {
    TextCheck all = checkOf("当番表");
    CheckAheadLimits limits;
    limits.chunk = 100;
    const std::size_t checked = checkAhead(db_, liveGeneration(dir_), texts_,
                                           Xapian::Query::MatchAll, {all}, {}, 500, limits);
    EXPECT_GE(checked, 500u);
    EXPECT_LE(checked, 700u);  // a chunk more on each thread at most
    std::size_t written = 0;
    for (Xapian::docid id = 1; id <= db_.get_lastdocid(); ++id) written += (*all.known[0])[id] != 0;
    EXPECT_EQ(written, checked);

    TextCheck few = checkOf("当番表2");
    limits.fewest = kDocuments + 1;
    EXPECT_EQ(checkAhead(db_, liveGeneration(dir_), texts_, Xapian::Query::MatchAll, {few}, {},
                         10000, limits),
              0u);
    for (Xapian::docid id = 1; id <= db_.get_lastdocid(); ++id)
        ASSERT_EQ((*few.known[0])[id].load(), 0) << id;
}

// A search counted for the first time with its candidates checked ahead gives the same
// total and page as one whose checks are all remembered already.
TEST_F(CheckAheadTest, ASearchCheckedAheadAnswersAsOneCheckedBefore) {
    SearchQuery q;
    q.text = "当番表1";
    q.limit = 20;
    const SearchResult first = index_->search(q, ReadableScope::everything());
    EXPECT_TRUE(first.totalExact);
    EXPECT_EQ(first.total, 1111u);
    SearchIndex again(dir_, {}, SearchIndex::kDefaultCacheBytes, 0);
    const SearchResult fresh = again.search(q, ReadableScope::everything());
    const SearchResult remembered = again.search(q, ReadableScope::everything());
    ASSERT_EQ(fresh.hits.size(), 20u);
    ASSERT_EQ(remembered.hits.size(), 20u);
    for (std::size_t n = 0; n < 20; ++n) {
        EXPECT_EQ(first.hits[n].path, fresh.hits[n].path) << n;
        EXPECT_EQ(remembered.hits[n].path, fresh.hits[n].path) << n;
    }
}
