#pragma once
// Range (RFC 9110 §14): the one byte range of a GET that Kiroku serves partially. More
// than one range, or a header it cannot read, means the whole file (which the RFC
// allows); a range that starts past the end is unsatisfiable (416). Pure: no I/O.

#include <cstdint>
#include <string_view>

namespace kiroku::dav {

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
};

struct RangeRequest {
    enum class Kind { Whole, Part, Unsatisfiable };
    Kind kind = Kind::Whole;
    ByteRange range;  // for Part
};

// `header` is the Range header's value; `size` the file's size in bytes.
RangeRequest parseRange(std::string_view header, std::uint64_t size);

}  // namespace kiroku::dav
