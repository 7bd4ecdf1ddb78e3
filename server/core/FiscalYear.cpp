#include "core/FiscalYear.h"

#include "core/Clock.h"

#include "kiroku/indexer/FiscalYears.h"
#include "kiroku/indexer/Normaliser.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>

#include <cstdlib>

namespace kiroku {

namespace {

bool allDigits(std::string_view s) {
    if (s.empty() || s.size() > 4) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

Date Date::of(int year, int month, int day) {
    return Date(Poco::DateTimeFormatter::format(Poco::DateTime(year, month, day), "%Y-%m-%d"));
}

std::optional<Date> Date::parse(std::string_view raw) {
    std::string text = indexer::normaliseToUtf8(raw);  // ２０２５－０４－０１ as 2025-04-01
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    std::string_view t(text);
    if (!allDigits(t.substr(0, 4)) || !allDigits(t.substr(5, 2)) || !allDigits(t.substr(8, 2)))
        return std::nullopt;
    int y = std::atoi(text.substr(0, 4).c_str()), m = std::atoi(text.substr(5, 2).c_str()),
        d = std::atoi(text.substr(8, 2).c_str());
    if (y < 1900 || !Poco::DateTime::isValid(y, m, d)) return std::nullopt;
    return Date(text);
}

Date Date::today() { return Clock::current()->today(); }

int Date::year() const { return std::atoi(text_.substr(0, 4).c_str()); }
int Date::month() const { return std::atoi(text_.substr(5, 2).c_str()); }
int Date::day() const { return std::atoi(text_.substr(8, 2).c_str()); }

Date Date::plusDays(int days) const {
    Poco::DateTime date(year(), month(), day());
    date += Poco::Timespan(days, 0, 0, 0, 0);
    return of(date.year(), date.month(), date.day());
}

std::optional<FiscalYear> FiscalYear::parse(std::string_view raw) {
    const int year = indexer::parseFiscalYear(raw);
    if (!year) return std::nullopt;
    return FiscalYear{year};
}

FiscalYear FiscalYear::containing(const Date& date) {
    int y = date.year();
    return FiscalYear{date.str().substr(5, 2) < "04" ? y - 1 : y};
}

std::string FiscalYear::japanese() const {
    if (year >= 2019)
        return year == 2019 ? "令和元年度" : "令和" + std::to_string(year - 2018) + "年度";
    if (year >= 1989)
        return year == 1989 ? "平成元年度" : "平成" + std::to_string(year - 1988) + "年度";
    return std::to_string(year) + "年度";
}

}  // namespace kiroku
