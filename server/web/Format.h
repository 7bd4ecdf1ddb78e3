#pragma once
// How the web pages write numbers, dates, sizes and file types for people: dates as
// 令和8年4月1日（水） (English: Wed 1 Apr 2026), sizes as 1.2 MB, types as PDF, Word,
// 画像. Pure functions, thread-safe; times are shown in the association's time zone
// (setting time.zone, core/Clock.h), not the machine's.

#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::web {

// A calendar date in the page's language ("ja" or "en").
std::string dateText(int year, int month, int day, std::string_view lang);
// The association's date of a time in microseconds since the epoch.
std::string dateOfMicros(std::int64_t micros, std::string_view lang);
// The association's date and time (令和8年4月1日（水） 14:05) of an ISO 8601 UTC time as the
// audit log writes it ("2026-04-01T05:05:00Z", with or without fractions); the text
// itself when it cannot be read.
std::string dateTimeOfIso(const std::string& iso, std::string_view lang);
// The association's calendar date "YYYY-MM-DD" of an ISO 8601 UTC time (for <time datetime>).
std::string isoDateOfIso(const std::string& iso);
std::string isoDateOfMicros(std::int64_t micros);
// 10000 -> "10,000" (digits grouped by three, as Japanese writes counts too).
std::string countText(std::uint64_t n);
// 1 234 bytes -> "1.2 KB"; under 1 KB in bytes.
std::string sizeText(std::uint64_t bytes, std::string_view lang);
// The fiscal year 2025 as 令和7年度 (English: FY2025); empty for 0.
std::string fiscalYearText(int year, std::string_view lang);
// The kind of file a name is, in plain words (PDF, Word, Excel, 画像, 文字 …), and the
// icon (web/icons/NAME.svg) the folder list shows for it.
struct FileKind {
    std::string code;  // catalogue code of the word: web.kind.pdf …
    std::string icon;  // file-pdf …
    bool image = false, pdf = false;
};
FileKind kindOf(std::string_view name);

}  // namespace kiroku::web
