#pragma once
// Fast date formatting for protocol output (called for every entry of a listing).
// Pure functions, thread-safe.

#include <cstdint>
#include <string>

namespace kiroku {

// RFC 1123 / HTTP date, e.g. "Mon, 23 Nov 2026 05:01:15 GMT", appended to out.
void appendHttpDate(std::string& out, std::int64_t epochMicros);
// ISO 8601 UTC, e.g. "2026-11-23T05:01:15Z", appended to out.
void appendIsoDate(std::string& out, std::int64_t epochMicros);

}  // namespace kiroku
