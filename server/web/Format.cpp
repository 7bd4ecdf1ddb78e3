#include "web/Format.h"

#include "core/Clock.h"
#include "core/FiscalYear.h"
#include "messages/Messages.h"

#include <Poco/String.h>

#include <cstdio>
#include <ctime>

namespace kiroku::web {

namespace {

// Sakamoto's method: 0 = Sunday.
int weekday(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

std::string eraYear(int year, int month, int day) {
    int key = year * 10000 + month * 100 + day;
    const char* era;
    int first;
    if (key >= 20190501) {
        era = "令和";
        first = 2019;
    } else if (key >= 19890108) {
        era = "平成";
        first = 1989;
    } else {
        era = "昭和";
        first = 1926;
    }
    int n = year - first + 1;
    return std::string(era) + (n == 1 ? std::string("元") : std::to_string(n)) + "年";
}

// The association's wall-clock time at an instant (core/Clock.h), not the machine's.
LocalTime localOf(std::int64_t seconds) { return Clock::current()->zone().at(seconds); }

bool parseIso(const std::string& iso, LocalTime& local) {
    std::tm utc{};
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                    &utc.tm_hour, &utc.tm_min, &utc.tm_sec) != 6)
        return false;
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    local = localOf(static_cast<std::int64_t>(timegm(&utc)));
    return true;
}

LocalTime localOfMicros(std::int64_t micros) {
    // Floor, not truncation: a time before 1970 belongs to the second that began before it.
    return localOf(micros / 1000000 - (micros % 1000000 < 0 ? 1 : 0));
}

std::string twoDigits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

}  // namespace

std::string dateText(int year, int month, int day, std::string_view lang) {
    static const char* const jaDays[] = {"日", "月", "火", "水", "木", "金", "土"};
    static const char* const enDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const enMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (month < 1 || month > 12 || day < 1 || day > 31) return {};
    int w = weekday(year, month, day);
    if (lang == "en") {
        return std::string(enDays[w]) + " " + std::to_string(day) + " " + enMonths[month - 1] +
               " " + std::to_string(year);
    }
    return eraYear(year, month, day) + std::to_string(month) + "月" + std::to_string(day) + "日（" +
           jaDays[w] + "）";
}

std::string dateOfMicros(std::int64_t micros, std::string_view lang) {
    LocalTime t = localOfMicros(micros);
    return dateText(t.year, t.month, t.day, lang);
}

std::string dateTimeOfIso(const std::string& iso, std::string_view lang) {
    LocalTime t;
    if (!parseIso(iso, t)) return iso;
    return dateText(t.year, t.month, t.day, lang) + " " + std::to_string(t.hour) + ":" +
           twoDigits(t.minute);
}

std::string isoDateOfIso(const std::string& iso) {
    LocalTime t;
    if (!parseIso(iso, t)) return {};
    return t.date().str();
}

std::string isoDateOfMicros(std::int64_t micros) { return localOfMicros(micros).date().str(); }

std::string countText(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string sizeText(std::uint64_t bytes, std::string_view lang) {
    if (bytes < 1024) return msg("web.size.bytes", {{"count", std::to_string(bytes)}}).in(lang);
    static const char* const units[] = {"KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes) / 1024;
    int u = 0;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

std::string fiscalYearText(int year, std::string_view lang) {
    if (year <= 0) return {};
    if (lang == "en") return "FY" + std::to_string(year);
    return FiscalYear{year}.japanese();  // 2019 is 令和元年度, as officers write it
}

FileKind kindOf(std::string_view name) {
    std::string ext;
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos && dot + 1 < name.size()) {
        ext = Poco::toLower(std::string(name.substr(dot + 1)));
    }
    FileKind k{"web.kind.other", "file", false, false};
    if (ext == "pdf") return {"web.kind.pdf", "file-pdf", false, true};
    if (ext == "doc" || ext == "docx" || ext == "odt" || ext == "rtf")
        return {"web.kind.word", "file-word", false, false};
    if (ext == "xls" || ext == "xlsx" || ext == "ods" || ext == "csv")
        return {"web.kind.excel", "file-excel", false, false};
    if (ext == "ppt" || ext == "pptx" || ext == "odp")
        return {"web.kind.slides", "file-slides", false, false};
    if (ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "gif" || ext == "webp" ||
        ext == "heic" || ext == "tif" || ext == "tiff")
        return {"web.kind.image", "file-image", ext != "heic" && ext != "tif" && ext != "tiff",
                false};
    if (ext == "txt" || ext == "md") return {"web.kind.text", "file-text", false, false};
    if (ext == "html" || ext == "htm") return {"web.kind.web", "file-text", false, false};
    if (ext == "zip") return {"web.kind.zip", "file", false, false};
    if (ext == "jtd" || ext == "jtdc") return {"web.kind.ichitaro", "file-word", false, false};
    return k;
}

}  // namespace kiroku::web
