#pragma once
// UTF-8 for every part of Kiroku that handles it (server names, plugins, the indexer):
// thin wrappers over ICU's utf8.h macros, so there is one encoder and one validator and
// both are ICU's. Header-only (the macros need ICU's headers, not its library), so a
// plugin that links no ICU can use them. Pure functions, thread-safe.

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::indexer {

// How many of the first `maxBytes` bytes of UTF-8 `text` to keep so that no character
// is cut in two (for every cap on extracted text). `text` is assumed well-formed.
inline std::size_t utf8PrefixLength(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text.size();
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    auto cut = static_cast<std::ptrdiff_t>(maxBytes);  // signed: the macro subtracts from it
    U8_TRUNCATE_IF_INCOMPLETE(p, 0, cut);
    return static_cast<std::size_t>(cut);
}

// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values beyond
// U+10FFFF). With `mayBeTruncated` (the bytes are the start of a longer text), a
// character cut off at the very end still counts as well-formed. At most 2 GiB.
inline bool isValidUtf8(std::string_view bytes, bool mayBeTruncated = false) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    auto length = static_cast<std::int32_t>(bytes.size());
    if (mayBeTruncated) U8_TRUNCATE_IF_INCOMPLETE(p, 0, length);
    for (std::int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(p, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

// Appends one Unicode scalar value (not a surrogate, at most U+10FFFF) as UTF-8.
inline void appendUtf8(std::string& out, char32_t c) {
    std::uint8_t buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

// Unicode scalar values as UTF-8. Written into a buffer sized for the worst case, then
// cut: a byte at a time through std::string took twice as long (10 M characters of the
// bench corpus: 60-80 ms against 20-40 ms).
inline std::string toUtf8(std::u32string_view text) {
    std::string out(text.size() * U8_MAX_LENGTH, '\0');
    auto* p = reinterpret_cast<std::uint8_t*>(out.data());
    std::size_t length = 0;
    for (char32_t c : text) U8_APPEND_UNSAFE(p, length, static_cast<UChar32>(c));
    out.resize(length);
    return out;
}

}  // namespace kiroku::indexer
