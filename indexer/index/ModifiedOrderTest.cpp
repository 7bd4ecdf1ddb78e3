// The order of equal scores: the newest first, by the table of modified times
// (ModifiedOrder.h) or by each candidate's value.

#include "kiroku/indexer/SearchIndex.h"

#include "index/ModifiedOrder.h"
#include "kiroku/indexer/FileTypes.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <string>
#include <vector>

using namespace kiroku::indexer;

// Equal scores put the newest first (docs/api.md), by the table of modified times when it
// fits its bound (ModifiedOrder.h) and by each candidate's value when it does not: the
// same order either way, on every page, whatever order the documents were added in.
TEST(SearchIndexOrder, EqualScoresPutTheNewestFirstWithOrWithoutTheTableOfTimes) {
    const std::string dir = Poco::TemporaryFile::tempName();
    struct Removed {
        std::string dir;
        ~Removed() { Poco::File(dir).remove(true); }
    } removed{dir};
    SearchIndex withTable(dir);
    const int days[] = {7, 2, 11, 0, 5, 9, 1, 10, 3, 8, 4, 6};  // added in this order
    {
        auto b = withTable.batch();
        for (int i = 0; i < 12; ++i) {
            IndexedDocument d;
            d.path = "東山地区/議事録/記録" + std::to_string(10 + i) + ".txt";  // names alike
            d.text = "回覧板の当番表について。";
            d.modifiedUs = 1700000000000000 + static_cast<std::int64_t>(days[i]) * 86400000000;
            d.type = "text";
            b.put(d);
        }
        b.commit();
    }
    std::vector<std::string> newestFirst;
    for (int day = 11; day >= 0; --day) {
        for (int i = 0; i < 12; ++i) {
            if (days[i] == day)
                newestFirst.push_back("東山地区/議事録/記録" + std::to_string(10 + i) + ".txt");
        }
    }
    SearchIndex withoutTable(dir, {}, 64);  // 16 bytes for the times: too few for 13
    for (const SearchIndex* index : {&withTable, &withoutTable}) {
        for (const char* text : {"当番表", "当番", "表"}) {
            for (bool byDate : {false, true}) {
                std::vector<std::string> seen;
                for (std::size_t offset = 0; offset < 12; offset += 5) {
                    SearchQuery q;
                    q.text = text;
                    q.offset = offset;
                    q.limit = 5;
                    q.byDate = byDate;
                    SearchResult r = index->search(q, ReadableScope::everything());
                    EXPECT_EQ(r.total, 12u) << text;
                    for (const auto& h : r.hits) seen.push_back(h.path);
                    if (r.hits.size() > 1) {
                        EXPECT_EQ(r.hits[0].score, r.hits[1].score) << text;
                    }
                }
                EXPECT_EQ(seen, newestFirst)
                    << text << (index == &withoutTable ? " (by value)" : "");
            }
        }
    }
    // The table holds a number for each document id (and 0 before the first), kept once
    // read; within a bound too small for it, none is read.
    std::ifstream current(dir + "/CURRENT");
    std::string generation;
    std::getline(current, generation);
    Xapian::Database db(dir + "/" + generation);
    ModifiedOrder fits(13 * 8), tooSmall(13 * 8 - 1);
    EXPECT_EQ(tooSmall.of(db, "state"), nullptr);
    EXPECT_EQ(tooSmall.bytes(), 0u);
    ModifiedTimes times = fits.of(db, "state");
    ASSERT_NE(times, nullptr);
    ASSERT_EQ(times->size(), 13u);
    EXPECT_EQ((*times)[0], 0u);
    for (std::size_t id = 1; id < 13; ++id)
        EXPECT_EQ((*times)[id], ModifiedOrder::sortingNumber(db.get_document(id).get_value(0)));
    EXPECT_EQ(fits.of(db, "state"), times);  // the same table for the same state
    EXPECT_EQ(fits.bytes(), 13u * 8 + 5);
}

TEST(ModifiedOrder, NumbersSortAsTheTimesAndNoneComesLast) {
    std::vector<double> times = {
        -1e15, -1.5, -0.0, 0.0, 1.0, 1700000000000000.0, 1700000000000001.0, 4e18};
    for (std::size_t i = 0; i + 1 < times.size(); ++i) {
        const auto a = ModifiedOrder::sortingNumber(Xapian::sortable_serialise(times[i]));
        const auto b = ModifiedOrder::sortingNumber(Xapian::sortable_serialise(times[i + 1]));
        EXPECT_LE(a, b) << times[i];
        if (times[i] != times[i + 1]) {
            EXPECT_LT(a, b) << times[i];
        }
        EXPECT_GT(a, 0u);
    }
    EXPECT_EQ(ModifiedOrder::sortingNumber(""), 0u);
}
