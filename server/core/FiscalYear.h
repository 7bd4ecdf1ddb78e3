#pragma once
// 年度: the Japanese fiscal year, April 1 to March 31, named by the year it starts in.
// Terms of office default to one fiscal year. Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace kiroku {

// A calendar date as "YYYY-MM-DD" text compares correctly as a string; Date keeps
// that text form and guarantees it is a real date.
class Date {
public:
    // Parses "YYYY-MM-DD" (also full-width, normalised as search text is). Nothing for
    // anything else.
    static std::optional<Date> parse(std::string_view text);
    // Today in the association's time zone (setting time.zone), whatever the machine's
    // own zone; KIROKU_TODAY or KIROKU_NOW when a test fakes it (core/Clock.h).
    static Date today();
    static Date of(int year, int month, int day);

    const std::string& str() const { return text_; }
    int year() const;
    int month() const;  // 1 to 12
    int day() const;    // 1 to 31
    Date plusDays(int days) const;
    bool operator<(const Date& o) const { return text_ < o.text_; }
    bool operator<=(const Date& o) const { return text_ <= o.text_; }
    bool operator==(const Date& o) const { return text_ == o.text_; }

private:
    explicit Date(std::string text) : text_(std::move(text)) {}
    std::string text_;
};

struct FiscalYear {
    int year = 0;  // Western year the fiscal year starts in (令和7年度 = 2025)

    // Parses "R7", "R07", "令和7年度", "令和元年度", "H30", "平成30年度", "S63", "2025",
    // "2025年度", "FY2025" (full-width too) with indexer::parseFiscalYear, the parser the
    // search index reads document names and queries with. Nothing for anything else.
    static std::optional<FiscalYear> parse(std::string_view text);
    // The fiscal year a date falls in.
    static FiscalYear containing(const Date& date);

    Date first() const { return Date::of(year, 4, 1); }
    Date last() const { return Date::of(year + 1, 3, 31); }
    std::string japanese() const;  // "令和7年度"
};

}  // namespace kiroku
