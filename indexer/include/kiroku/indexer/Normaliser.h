#pragma once
// The Japanese normaliser: one function for documents and queries, so that what a
// person types and what a document contains meet in the same form.
//
// In order: Unicode NFKC with case folding (ICU's NFKC_Casefold, which also drops
// default-ignorable characters such as variation selectors), katakana folded to
// hiragana by code point (U+30A1–U+30F6 minus 0x60: サーバー -> さーばー, unlike ICU's
// transliterator), optionally a small table of variant kanji (itaiji: 髙 -> 高), and
// every whitespace character removed (PDF extractors put spaces between scripts).
// Each output character remembers the byte offset in the input it came from, for
// highlighting matches in the original text. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::indexer {

struct NormaliseOptions {
    bool itaiji = false;  // fold a small table of variant kanji (off by default)
    // The association's time zone: a document's fiscal year from its modified time and the
    // days of a date filter are where the association is, not in the machine's zone.
    std::string timeZone = "Asia/Tokyo";
};

struct Normalised {
    std::u32string text;                // the normalised characters
    std::vector<std::uint32_t> origin;  // for text[i]: byte offset in the input where it starts
    std::uint32_t inputSize = 0;        // the input's length in bytes

    // The normalised text as UTF-8.
    std::string utf8() const;
    // The input byte range [begin, end) that produced text[from, to).
    std::pair<std::uint32_t, std::uint32_t> sourceRange(std::size_t from, std::size_t to) const;
};

// Normalises UTF-8 text. Invalid UTF-8 bytes are replaced by U+FFFD.
Normalised normalise(std::string_view utf8, const NormaliseOptions& options = {});

// Only the normalised text, as UTF-8 (for queries and tests).
std::string normaliseToUtf8(std::string_view utf8, const NormaliseOptions& options = {});

}  // namespace kiroku::indexer
