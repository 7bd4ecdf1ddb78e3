#include "dav/Range.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace kiroku::dav {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Digits only, and few enough that the number fits in 64 bits.
bool digits(std::string_view s) {
    return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

std::uint64_t number(std::string_view s) { return std::stoull(std::string(s)); }

}  // namespace

RangeRequest parseRange(std::string_view header, std::uint64_t size) {
    RangeRequest whole;
    if (header.substr(0, 6) != "bytes=") return whole;
    std::string_view spec = trim(header.substr(6));
    if (spec.find(',') != std::string_view::npos) return whole;
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
    RangeRequest r;
    r.kind = RangeRequest::Kind::Part;
    if (a.empty()) {  // the last b bytes
        if (!digits(b)) return whole;
        std::uint64_t n = number(b);
        if (n == 0 || size == 0) return RangeRequest{RangeRequest::Kind::Unsatisfiable, {}};
        r.range.first = n >= size ? 0 : size - n;
        r.range.last = size - 1;
        return r;
    }
    if (!digits(a) || (!b.empty() && !digits(b))) return whole;
    r.range.first = number(a);
    if (!b.empty() && number(b) < r.range.first) return whole;
    if (r.range.first >= size) return RangeRequest{RangeRequest::Kind::Unsatisfiable, {}};
    r.range.last = b.empty() ? size - 1 : std::min<std::uint64_t>(number(b), size - 1);
    return r;
}

}  // namespace kiroku::dav
