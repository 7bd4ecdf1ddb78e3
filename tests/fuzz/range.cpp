// range: the Range header of a GET (server/dav/Range.h), for a file size taken from the
// input's first line (below 10^18 bytes, which Range.h's numbers are sized for).
// Asserts: never throws; a partial answer lies inside the file (first <= last < size);
// an unsatisfiable one only for a header that starts at or past the end; and a range
// the parser accepted parses the same when written back as "bytes=first-last".
#include "dav/Range.h"
#include "FuzzSupport.h"

#include <charconv>

using namespace kiroku::dav;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = kiroku::fuzz::asText(data, size);
    std::uint64_t fileSize = 0;
    auto newline = input.find('\n');
    std::string_view header = input;
    if (newline != std::string_view::npos) {
        std::from_chars(input.data(), input.data() + newline, fileSize);
        fileSize %= 1000000000000000000u;
        header = input.substr(newline + 1);
    }
    RangeRequest r = parseRange(header, fileSize);
    if (r.kind == RangeRequest::Kind::Part) {
        FUZZ_CHECK(r.range.first <= r.range.last);
        FUZZ_CHECK(r.range.last < fileSize);
        std::string again =
            "bytes=" + std::to_string(r.range.first) + "-" + std::to_string(r.range.last);
        RangeRequest s = parseRange(again, fileSize);
        FUZZ_CHECK(s.kind == RangeRequest::Kind::Part);
        FUZZ_CHECK(s.range.first == r.range.first && s.range.last == r.range.last);
    }
    if (r.kind == RangeRequest::Kind::Unsatisfiable) FUZZ_CHECK(header.substr(0, 6) == "bytes=");
    return 0;
}
