// The association's clock: today is Tokyo's whatever the machine's zone, a bad zone name is
// refused rather than taken as UTC, and faked dates are checked and announced.

#include "core/Clock.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace kiroku;

namespace {

// 2027-03-31T15:00:00Z: midnight of April 1, 2027 in Tokyo (+09:00, no summer time).
constexpr std::int64_t kTokyoMidnightApril1 = 1806505200;

}  // namespace

TEST(TimeZone, TokyoIsNineHoursAheadOfUtcAllYear) {
    TimeZone tokyo = TimeZone::named("Asia/Tokyo");
    EXPECT_EQ(tokyo.name(), "Asia/Tokyo");
    LocalTime t = tokyo.at(kTokyoMidnightApril1);
    EXPECT_EQ(t.date().str(), "2027-04-01");
    EXPECT_EQ(t.hour, 0);
    EXPECT_EQ(t.minute, 0);
    LocalTime before = tokyo.at(kTokyoMidnightApril1 - 1);
    EXPECT_EQ(before.date().str(), "2027-03-31");
    EXPECT_EQ(before.hour, 23);
    EXPECT_EQ(before.second, 59);
    EXPECT_EQ(tokyo.at(0).hour, 9);  // 1970-01-01T00:00:00Z
}

TEST(TimeZone, SummerTimeZonesFollowTheDatabase) {
    TimeZone berlin = TimeZone::named("Europe/Berlin");
    EXPECT_EQ(berlin.at(1782907200).hour, 14);  // 2026-07-01T12:00:00Z: CEST, +02:00
    EXPECT_EQ(berlin.at(1767268800).hour, 13);  // 2026-01-01T12:00:00Z: CET, +01:00
    EXPECT_EQ(TimeZone::named("UTC").at(kTokyoMidnightApril1).hour, 15);
}

TEST(TimeZone, AnUnknownNameIsRefusedNotTakenAsUtc) {
    for (const char* bad : {"", "Tokyo", "Asia/Tokio", "Japan Standard Time", "Asia/Tokyo "}) {
        try {
            TimeZone::named(bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const ClockError& e) {
            EXPECT_EQ(e.code(), "clock.bad_zone");
            EXPECT_NE(e.english().find("Asia/Tokyo"), std::string::npos) << e.english();
            EXPECT_NE(e.english().find("time.zone"), std::string::npos) << e.english();
        }
    }
}

TEST(Clock, TodayIsTheAssociationsDateWhateverTheMachinesZone) {
    // The machine's zone must not matter: the test sets it to UTC and to Honolulu.
    for (const char* machine : {"UTC", "Pacific/Honolulu"}) {
        ::setenv("TZ", machine, 1);
        ::tzset();
        Clock before = Clock::configured("Asia/Tokyo", nullptr, "2027-03-31T14:59:59Z");
        EXPECT_EQ(before.today().str(), "2027-03-31") << machine;
        EXPECT_EQ(FiscalYear::containing(before.today()).year, 2026);
        Clock after = Clock::configured("Asia/Tokyo", nullptr, "2027-03-31T15:00:00Z");
        EXPECT_EQ(after.today().str(), "2027-04-01") << machine;
        EXPECT_EQ(FiscalYear::containing(after.today()).year, 2027);
        EXPECT_EQ(after.now(), kTokyoMidnightApril1);
    }
    ::unsetenv("TZ");
    ::tzset();
    EXPECT_EQ(Clock::configured("UTC", nullptr, "2027-03-31T15:00:00Z").today().str(),
              "2027-03-31");
    EXPECT_EQ(Clock::configured("Asia/Tokyo", nullptr, "2027-04-01T00:00:00+09:00").now(),
              kTokyoMidnightApril1);
}

TEST(Clock, AnUnfakedClockRunsAndSaysNothing) {
    Clock c = Clock::configured("Asia/Tokyo", nullptr, nullptr);
    EXPECT_FALSE(c.faked());
    EXPECT_FALSE(c.fakeWarning());
    EXPECT_NEAR(static_cast<double>(c.now()), static_cast<double>(std::time(nullptr)), 5);
    EXPECT_EQ(c.today().str(), TimeZone::named("Asia/Tokyo").at(c.now()).date().str());
}

TEST(Clock, AFakedDateIsAnnounced) {
    Clock c = Clock::configured("Asia/Tokyo", "2027-04-01", nullptr);
    EXPECT_EQ(c.today().str(), "2027-04-01");
    ASSERT_TRUE(c.faked());
    EXPECT_EQ(c.faked()->variable, "KIROKU_TODAY");
    auto warning = c.fakeWarning();
    ASSERT_TRUE(warning);
    EXPECT_NE(warning->en.find("WARNING"), std::string::npos);
    EXPECT_NE(warning->en.find("KIROKU_TODAY=2027-04-01"), std::string::npos) << warning->en;
    EXPECT_NE(warning->en.find("real NAS"), std::string::npos) << warning->en;
    EXPECT_NE(warning->ja.find("令和9年度"), std::string::npos) << warning->ja;

    Clock now = Clock::configured("Asia/Tokyo", nullptr, "2027-03-31T15:30:00Z");
    EXPECT_EQ(now.faked()->variable, "KIROKU_NOW");
    EXPECT_NE(now.fakeWarning()->en.find("2027-04-01"), std::string::npos);
}

TEST(Clock, TheStartLineNamesTheDayTheFiscalYearAndTheZone) {
    Message m = Clock::configured("Asia/Tokyo", "2026-12-01", nullptr).todayNotice();
    EXPECT_NE(m.ja.find("2026年12月1日（令和8年度）"), std::string::npos) << m.ja;
    EXPECT_NE(m.ja.find("Asia/Tokyo"), std::string::npos) << m.ja;
}

TEST(Clock, MalformedFakesAreRefusedNotIgnored) {
    for (const char* bad :
         {"", "2027-4-1", "2027-02-30", "20270401", "２０２７－０４－０１", "2027-04-01 "}) {
        try {
            Clock::configured("Asia/Tokyo", bad, nullptr);
            ADD_FAILURE() << "KIROKU_TODAY accepted \"" << bad << "\"";
        } catch (const ClockError& e) {
            EXPECT_EQ(e.code(), "clock.bad_today") << bad;
        }
    }
    for (const char* bad : {"", "2027-03-31", "2027-03-31T15:00:00", "2027-03-31 15:00:00Z",
                            "2027-02-30T15:00:00Z", "2027-03-31T25:00:00Z", "now"}) {
        try {
            Clock::configured("Asia/Tokyo", nullptr, bad);
            ADD_FAILURE() << "KIROKU_NOW accepted \"" << bad << "\"";
        } catch (const ClockError& e) {
            EXPECT_EQ(e.code(), "clock.bad_now") << bad;
        }
    }
    try {
        Clock::configured("Asia/Tokyo", "2027-04-01", "2027-03-31T15:00:00Z");
        ADD_FAILURE() << "both fakes accepted";
    } catch (const ClockError& e) {
        EXPECT_EQ(e.code(), "clock.both_faked");
    }
    EXPECT_THROW(Clock::configured("Mars/Olympus", nullptr, nullptr), ClockError);
}
