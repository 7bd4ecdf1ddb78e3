// Dates in the association's time zone, whatever the machine's (LocalDates.h): a file
// saved at 01:00 on April 1 in Tokyo is of the new fiscal year on a machine that runs on
// UTC, and a date filter's days start at midnight in Tokyo.

#include "index/LocalDates.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

using namespace kiroku::indexer;

namespace {

// 2027-03-31T16:00:00Z: 2027-04-01 01:00 in Tokyo.
constexpr std::int64_t kAprilFirstInTokyoUs = 1806508800LL * 1000000;

// The machine's zone, UTC for the test's life.
class OnAUtcMachine : public ::testing::Test {
protected:
    void SetUp() override {
        const char* tz = std::getenv("TZ");
        saved_ = tz ? std::optional<std::string>(tz) : std::nullopt;
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
    void TearDown() override {
        if (saved_) {
            ::setenv("TZ", saved_->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    std::optional<std::string> saved_;
};

}  // namespace

TEST_F(OnAUtcMachine, TheFiscalYearOfAnInstantIsWhereTheAssociationIs) {
    EXPECT_EQ(LocalDates::in("Asia/Tokyo").fiscalYearAt(kAprilFirstInTokyoUs), 2027);
    EXPECT_EQ(LocalDates::in("UTC").fiscalYearAt(kAprilFirstInTokyoUs), 2026);
    // 2027-03-31T15:00:00Z is midnight in Tokyo: a second before, still the old year.
    constexpr std::int64_t kMidnightUs = kAprilFirstInTokyoUs - 3600LL * 1000000;
    EXPECT_EQ(LocalDates::in("Asia/Tokyo").fiscalYearAt(kMidnightUs), 2027);
    EXPECT_EQ(LocalDates::in("Asia/Tokyo").fiscalYearAt(kMidnightUs - 1000000), 2026);
    // Midnight of 2027-04-01 in Tokyo is 15:00 UTC the day before.
    EXPECT_DOUBLE_EQ(LocalDates::in("Asia/Tokyo").startOfDay(2027, 4, 1), kMidnightUs * 1.0);
    // A day of 23 hours (summer time begins in New York on 2027-03-14).
    EXPECT_DOUBLE_EQ(LocalDates::in("America/New_York").startOfDay(2027, 3, 15) -
                         LocalDates::in("America/New_York").startOfDay(2027, 3, 14),
                     23.0 * 3600 * 1e6);
}

TEST_F(OnAUtcMachine, ADocumentAndADateFilterFollowTheAssociationsZone) {
    const std::string dir = Poco::TemporaryFile::tempName();
    {
        NormaliseOptions tokyo;
        tokyo.timeZone = "Asia/Tokyo";
        SearchIndex index(dir, tokyo);
        auto b = index.batch();
        IndexedDocument d;
        d.path = "桜ヶ丘自治区/回覧/お知らせ.txt";  // no year in its name, folders or text
        d.text = "防災訓練のお知らせ";
        d.modifiedUs = kAprilFirstInTokyoUs;
        d.type = "text";
        b.put(d);
        b.commit();
        auto stored = index.stored(d.path, false);
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->year, 2027);

        SearchQuery q;
        q.text = "防災訓練";
        q.from = "2027-04-01";
        EXPECT_EQ(index.search(q, ReadableScope::everything()).hits.size(), 1u);
        q.from.clear();
        q.to = "2027-03-31";
        EXPECT_EQ(index.search(q, ReadableScope::everything()).hits.size(), 0u);
    }
    Poco::File(dir).remove(true);
}
