#include "core/HttpDate.h"

#include <ctime>

namespace kiroku {

namespace {

char* two(char* p, int v) {
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
    return p;
}

char* four(char* p, int v) {
    p = two(p, v / 100 % 100);
    return two(p, v % 100);
}

char* copy(char* p, const char* s) {
    while (*s) *p++ = *s++;
    return p;
}

std::tm utc(std::int64_t epochMicros) {
    std::time_t t = static_cast<std::time_t>(epochMicros / 1000000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return tm;
}

}  // namespace

void appendHttpDate(std::string& out, std::int64_t epochMicros) {
    static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm = utc(epochMicros);
    char buf[32];
    char* p = copy(buf, days[tm.tm_wday]);
    p = copy(p, ", ");
    p = two(p, tm.tm_mday);
    *p++ = ' ';
    p = copy(p, months[tm.tm_mon]);
    *p++ = ' ';
    p = four(p, tm.tm_year + 1900);
    *p++ = ' ';
    p = two(p, tm.tm_hour);
    *p++ = ':';
    p = two(p, tm.tm_min);
    *p++ = ':';
    p = two(p, tm.tm_sec);
    p = copy(p, " GMT");
    out.append(buf, static_cast<std::size_t>(p - buf));
}

void appendIsoDate(std::string& out, std::int64_t epochMicros) {
    std::tm tm = utc(epochMicros);
    char buf[24];
    char* p = four(buf, tm.tm_year + 1900);
    *p++ = '-';
    p = two(p, tm.tm_mon + 1);
    *p++ = '-';
    p = two(p, tm.tm_mday);
    *p++ = 'T';
    p = two(p, tm.tm_hour);
    *p++ = ':';
    p = two(p, tm.tm_min);
    *p++ = ':';
    p = two(p, tm.tm_sec);
    *p++ = 'Z';
    out.append(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace kiroku
