#pragma once
// Printable text for logs and the audit log: whatever a stranger sent (a login name, a
// request target) is written so that it can neither forge a line nor drive a terminal.
// Control characters (C0, DEL, C1, so CR, LF and ESC too) and bytes that are not UTF-8
// become "?", and the text is cut at `maxBytes` (on a character boundary) with "…".
// Pure and thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace kiroku {

std::string printable(std::string_view text, std::size_t maxBytes = 256);

}  // namespace kiroku
