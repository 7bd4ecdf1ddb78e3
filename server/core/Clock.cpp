#include "core/Clock.h"

#include "core/Settings.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <regex>

namespace kiroku {

struct TimeZone::Zone {
    std::unique_ptr<const icu::TimeZone> icu;
};

TimeZone TimeZone::named(const std::string& name) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
    // ICU answers an unknown name with its "Etc/Unknown" zone, which runs on UTC: exactly the
    // silent fallback that would move every term by hours.
    if (name.empty() || !zone || *zone == icu::TimeZone::getUnknown()) {
        throw ClockError(msg("clock.bad_zone", {{"zone", name}}));
    }
    return TimeZone(name, std::make_shared<const Zone>(Zone{std::move(zone)}));
}

LocalTime TimeZone::at(std::int64_t seconds) const {
    UErrorCode status = U_ZERO_ERROR;
    std::int32_t raw = 0, dst = 0;
    // const calls of an ICU zone are thread-safe.
    zone_->icu->getOffset(static_cast<UDate>(seconds) * 1000.0, false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    Poco::DateTime t(Poco::Timestamp::fromEpochTime(
        static_cast<std::time_t>(seconds + (static_cast<std::int64_t>(raw) + dst) / 1000)));
    return LocalTime{t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()};
}

namespace {

// "2027-03-31T15:00:00Z" or "2027-04-01T00:00:00+09:00": seconds since the epoch.
std::optional<std::int64_t> parseInstant(const std::string& text) {
    static const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))");
    if (!std::regex_match(text, shape)) return std::nullopt;
    Poco::DateTime t;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, t, tzd))
        return std::nullopt;
    if (!Poco::DateTime::isValid(
            std::atoi(text.substr(0, 4).c_str()), std::atoi(text.substr(5, 2).c_str()),
            std::atoi(text.substr(8, 2).c_str()), std::atoi(text.substr(11, 2).c_str()),
            std::atoi(text.substr(14, 2).c_str()), std::atoi(text.substr(17, 2).c_str())))
        return std::nullopt;
    return t.timestamp().epochTime() - tzd;
}

std::mutex& currentMutex() {
    static std::mutex m;
    return m;
}

std::shared_ptr<const Clock>& currentClock() {
    static std::shared_ptr<const Clock> clock;
    return clock;
}

}  // namespace

Clock Clock::configured(const std::string& zoneName, const char* today, const char* now) {
    Clock c(TimeZone::named(zoneName));
    if (today && now) throw ClockError(msg("clock.both_faked"));
    if (today) {
        c.fixedDate_ = Date::parse(today);
        if (!c.fixedDate_ || std::string(today) != c.fixedDate_->str())
            throw ClockError(msg("clock.bad_today", {{"text", today}}));
        c.faked_ = FakedDate{"KIROKU_TODAY", today};
    }
    if (now) {
        c.fixedNow_ = parseInstant(now);
        if (!c.fixedNow_) throw ClockError(msg("clock.bad_now", {{"text", now}}));
        c.faked_ = FakedDate{"KIROKU_NOW", now};
    }
    return c;
}

std::shared_ptr<const Clock> Clock::current() {
    std::lock_guard<std::mutex> lock(currentMutex());
    auto& clock = currentClock();
    if (!clock) {
        clock = std::make_shared<const Clock>(configured(
            Settings().timeZone, std::getenv("KIROKU_TODAY"), std::getenv("KIROKU_NOW")));
    }
    return clock;
}

std::shared_ptr<const Clock> Clock::install(const std::string& zoneName) {
    auto clock = std::make_shared<const Clock>(
        configured(zoneName, std::getenv("KIROKU_TODAY"), std::getenv("KIROKU_NOW")));
    std::lock_guard<std::mutex> lock(currentMutex());
    currentClock() = clock;
    return clock;
}

std::int64_t Clock::now() const {
    if (fixedNow_) return *fixedNow_;
    return static_cast<std::int64_t>(std::time(nullptr));
}

Date Clock::today() const {
    if (fixedDate_) return *fixedDate_;
    return zone_.at(now()).date();
}

Message Clock::todayNotice() const {
    const Date day = today();
    return msg("server.today", {{"year", std::to_string(day.year())},
                                {"month", std::to_string(day.month())},
                                {"day", std::to_string(day.day())},
                                {"fiscal_year", FiscalYear::containing(day).japanese()},
                                {"zone", zone_.name()}});
}

std::optional<Message> Clock::fakeWarning() const {
    if (!faked_) return std::nullopt;
    const Date day = today();
    return msg("clock.faked", {{"variable", faked_->variable},
                               {"value", faked_->value},
                               {"date", day.str()},
                               {"fiscal_year", FiscalYear::containing(day).japanese()}});
}

}  // namespace kiroku
