#pragma once
// The association's clock (時間帯): which day it is where the association is, whatever
// the machine's own time zone (a NAS or a container often runs on UTC). Rights, terms,
// 年度 and retention ask it for today (Date::today()); the pages show times in its zone.
//
// A test may fake it: KIROKU_TODAY=YYYY-MM-DD fixes the date, KIROKU_NOW (an instant,
// 2027-03-31T15:00:00Z) fixes the moment today is worked out from. Either is read once, at
// start-up; whoever starts (kirokud, kiroku) announces it with fakeWarning(), since a NAS
// left with one set would give everyone the wrong rights.

#include "core/FiscalYear.h"
#include "core/Refusal.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace kiroku {

// A zone name, KIROKU_TODAY or KIROKU_NOW that cannot be used: kirokud and kiroku refuse to
// start with this message (what is wrong, what to write).
class ClockError : public Refusal {
public:
    using Refusal::Refusal;
};

// The time on a wall clock in some zone.
struct LocalTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    Date date() const { return Date::of(year, month, day); }
};

// A zone of the time-zone database (ICU's copy of the IANA database), such as Asia/Tokyo.
// Immutable; copies share the zone; every call is thread-safe.
class TimeZone {
public:
    // The zone called `name` ("Asia/Tokyo"). Throws ClockError (clock.bad_zone) for a name the
    // database does not know, rather than falling back to UTC.
    static TimeZone named(const std::string& name);

    const std::string& name() const { return name_; }
    // The wall-clock time in this zone at an instant (seconds since 1970-01-01T00:00:00Z).
    LocalTime at(std::int64_t secondsSinceEpoch) const;

private:
    struct Zone;
    TimeZone(std::string name, std::shared_ptr<const Zone> zone)
        : name_(std::move(name)), zone_(std::move(zone)) {}
    std::string name_;
    std::shared_ptr<const Zone> zone_;
};

// What the environment fakes: the variable and its value as written.
struct FakedDate {
    std::string variable;  // KIROKU_TODAY or KIROKU_NOW
    std::string value;
};

// A clock: the association's zone, and the date or instant a test fixed. Immutable and
// thread-safe.
class Clock {
public:
    // The clock the zone setting and the two variables (null when unset) describe. Throws
    // ClockError for an unknown zone, a malformed value, or both variables set at once.
    static Clock configured(const std::string& zoneName, const char* today, const char* now);

    // The clock of this process. Until installed, the default zone (Settings::timeZone) with
    // the environment's KIROKU_TODAY and KIROKU_NOW.
    static std::shared_ptr<const Clock> current();
    // Makes the setting and the environment this process's clock and returns it. kirokud and
    // kiroku call it once, at start-up, before any other thread runs. Throws ClockError as
    // configured() does, leaving the clock as it was.
    static std::shared_ptr<const Clock> install(const std::string& zoneName);

    const TimeZone& zone() const { return zone_; }
    // Today in the zone: KIROKU_TODAY when set, else the date of now() in the zone.
    Date today() const;
    // The instant now, in seconds since the epoch: KIROKU_NOW when set (it stands still).
    std::int64_t now() const;
    // The line kirokud starts with (server.today): today, its 年度 and the zone.
    Message todayNotice() const;
    // What the environment fakes; nothing on a real NAS.
    const std::optional<FakedDate>& faked() const { return faked_; }
    // The warning to show when something is faked (clock.faked): the variable, its value,
    // the date it makes today, and that a real NAS must not have it set.
    std::optional<Message> fakeWarning() const;

private:
    Clock(TimeZone zone) : zone_(std::move(zone)) {}
    TimeZone zone_;
    std::optional<Date> fixedDate_;
    std::optional<std::int64_t> fixedNow_;
    std::optional<FakedDate> faked_;
};

}  // namespace kiroku
