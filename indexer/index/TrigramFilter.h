#pragma once
// What ASCII a document holds, in a few bytes (internal to the indexer): a Bloom filter
// (Bloom 1970) of its normalised content's ASCII trigrams and four-grams, three and four
// letters or digits in a row. The bigram postings let an ASCII word through wherever its
// bigrams occur apart (grep: gr, re and ep are in most manuals), and the check then reads
// and scans the whole text of each such document; a word of three or more letters is
// looked for only in the content of documents whose filter holds all its keys. The
// four-grams keep out most documents that hold a longer word's trigrams only apart (gre
// in progress, rep in report). A key the content holds always reads as held; about one in
// four that it does not also does (3 bits a key, two hashes), which costs only a check.
// Pure functions, thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::indexer {

// Content shorter than this (characters) is checked as fast as a filter is read: none is
// made for it.
constexpr std::size_t kTrigramFilterMinChars = 1024;

// The filter of a normalised content (at least 8 bytes), or "" when it is shorter than
// kTrigramFilterMinChars.
std::string trigramFilterOf(const std::u32string& normalised);

// The keys (trigrams and four-grams) of a normalised UTF-8 needle, each once (none when
// it has no three ASCII letters or digits in a row).
std::vector<std::uint32_t> filterKeysOf(std::string_view needle);

// False only when the content the filter was made of cannot contain a text with all of
// `keys`; true for no keys or no filter ("").
bool mayContain(std::string_view filter, const std::vector<std::uint32_t>& keys);

}  // namespace kiroku::indexer
