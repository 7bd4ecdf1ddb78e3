#pragma once
// How a document sits in the Xapian database (internal to the indexer): its value slots,
// the prefixes of its boolean terms, and the metadata keys of a generation. Every file
// that reads or writes the index uses these names, so a change here is a change of the
// index format (kFormat). Pure functions, thread-safe.

#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

namespace kiroku::indexer {

// Value slots.
constexpr Xapian::valueno kModifiedSlot = 0;   // modified time (µs), sortable_serialise
constexpr Xapian::valueno kPathSlot = 1;       // the document's path, as given
constexpr Xapian::valueno kTextsSlot = 2;      // the normalised and the extracted content,
                                               // the first 16 KB of a long one (StoredText.h)
constexpr Xapian::valueno kMoreTextsSlot = 3;  // the rest of a long one
constexpr Xapian::valueno kYearsSlot = 4;      // the document's year terms, space-separated
constexpr Xapian::valueno kOcrSlot = 5;        // "1" when the content was read by OCR
constexpr Xapian::valueno kTextsRefSlot = 7;   // where a rebuild put its texts (TextFiles.h),
                                               // instead of kTextsSlot and kMoreTextsSlot
constexpr Xapian::valueno kTrigramsSlot = 6;   // its content's ASCII trigrams and four-grams
                                               // (TrigramFilter.h)

// A name occurrence counts like 8 in the text.
constexpr Xapian::termcount kNameWeight = 8;

// Every kSyncChars normalised characters, the stored form remembers where they came
// from in the original text, so a snippet normalises a few hundred bytes, not the text.
constexpr std::size_t kSyncChars = 128;

// How documents are indexed and stored; an index written another way must be rebuilt.
constexpr const char* kFormatKey = "kiroku.index-format";
// 11: a rebuilt generation's texts in files of their own (reading them through Xapian
// was most of a check);
// 10: four-grams in the filter too (grep read the manuals holding gre and rep apart);
// 9: a filter of each long content's ASCII trigrams (an ASCII word read every manual
// holding its bigrams apart);
// 8: a long document's texts in two values, its first 16 KB apart (a snippet or a check
// near the start read and unpacked whole manuals);
// 7: the normalised content as an LZ4 block (a check unpacked a zstd frame of both
// texts: two thirds of its time), the original as zstd with it as prefix;
// 6: each character a term of its own (a search for one character read the postings of
// every bigram starting with it), no end marker;
// 5: every bigram posted again (3 and 4 left out those in a third of the documents,
// which made a term of them a check of every document), the normalised text with zstd;
// 4: year terms (YearTerms.h); 3: frequent bigrams not posted for content; 2: every
// bigram posted. Only the current format is read: an earlier one is rebuilt.
constexpr const char* kFormat = "11";

// Boolean term prefixes: the document's id (its path), each folder above it, its
// organisation (first folder), its category (second folder), the fiscal year it is filed
// under, type.
constexpr const char* kIdPrefix = "Q";
constexpr const char* kFolderPrefix = "XF";
constexpr const char* kOrganisationPrefix = "XO";
constexpr const char* kCategoryPrefix = "XK";
constexpr const char* kYearPrefix = "XY";
constexpr const char* kTypePrefix = "XT";

// Weighted term prefixes: each year the document's folders, name or content spell (any
// spelling: 令和5年度, R5, 2023…), and each month of a date they spell (YearTerms.h).
constexpr const char* kNamedYearPrefix = "XN";
constexpr const char* kNamedMonthPrefix = "XM";

// The boolean term `prefix` + `value`; a value that would make the term longer than
// Xapian allows (deep Japanese paths) is replaced by its SHA-1, the same way each time.
std::string boolTerm(const std::string& prefix, const std::string& value);

// The non-empty segments of a path ("a/b/c.txt" -> a, b, c.txt).
std::vector<std::string> pathSegments(const std::string& path);

// The last segment of a path: the document's name.
std::string nameOf(const std::string& path);

}  // namespace kiroku::indexer
