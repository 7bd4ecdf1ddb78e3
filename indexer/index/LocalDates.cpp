#include "index/LocalDates.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <ctime>
#include <map>
#include <mutex>

namespace kiroku::indexer {

struct LocalDates::Zone {
    std::unique_ptr<icu::TimeZone> icu;
};

LocalDates::LocalDates(const std::string& name)
    : zone_(std::make_unique<const Zone>(Zone{std::unique_ptr<icu::TimeZone>(
          icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)))})) {}

LocalDates::~LocalDates() = default;

const LocalDates& LocalDates::in(const std::string& name) {
    // One per zone named in this process (one, in practice), never freed.
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<const LocalDates>> zones;
    std::lock_guard<std::mutex> lock(mutex);
    auto& dates = zones[name];
    if (!dates) dates = std::make_unique<const LocalDates>(name);
    return *dates;
}

int LocalDates::fiscalYearAt(std::int64_t us) const {
    const double ms = static_cast<double>(us / 1000);
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    // const calls of an ICU zone are thread-safe.
    zone_->icu->getOffset(ms, false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    std::time_t local = static_cast<std::time_t>(us / 1000000 + (raw + dst) / 1000);
    std::tm tm{};
    ::gmtime_r(&local, &tm);
    return tm.tm_mon + 1 >= 4 ? tm.tm_year + 1900 : tm.tm_year + 1899;
}

double LocalDates::startOfDay(int year, int month, int day) const {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    const double wall = static_cast<double>(::timegm(&tm)) * 1000.0;  // midnight, as if UTC
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone_->icu->getOffset(wall, true, raw, dst, status);  // `wall` read as local time
    if (U_FAILURE(status)) raw = dst = 0;
    return (wall - raw - dst) * 1000.0;
}

}  // namespace kiroku::indexer
