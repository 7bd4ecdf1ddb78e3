#pragma once
// How a document's texts are kept in the index (internal to the indexer): its normalised
// content, read for the candidates of a long term and for the snippets, as one LZ4 block
// (fast to unpack, and only as far as needed); then the extracted text as written, read
// only for the snippets of one page, as a zstd frame with the normalised content as its
// prefix (most of it repeats the normalised content, which then costs almost nothing),
// in blocks of 16 KB of the original, streamed only as far as a snippet needs. A long
// document keeps its first 16 KB of both apart from the rest.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <zstd.h>

namespace kiroku::indexer {

void putVarint(std::string& out, std::uint64_t v);
// Reads a varint at `at`, moving past it; false at the end of `in` or when damaged.
bool getVarint(const std::string& in, std::size_t& at, std::uint64_t& v);

// Where normalised characters came from: every few hundred normalised characters, the
// byte offset in the normalised UTF-8 and in the original text.
struct SyncPoint {
    std::uint64_t normalisedByte = 0, originalByte = 0;
};

// A document's texts as two values: the first kFirstPartBytes of the normalised content
// (cut at a sync point) with the original they came from, then the rest, empty for most
// documents. A snippet or a check near the start of a long document reads and unpacks
// the first value only (issue 14: the top hits of a frequent word were whole manuals).
struct PackedTexts {
    std::string first, more;
};
constexpr std::size_t kFirstPartBytes = 16u << 10;

// `first` is the rest's normalised length (a varint, 0 when there is no rest) and then a
// part; `more` a part. A part is the normalised content's length, the LZ4 block's
// length, the LZ4 block, then the zstd frame of the original. Without sync points, one
// part. Both empty when the texts are too large or cannot be packed.
PackedTexts packTexts(const std::string& normalised, const std::string& original,
                      const std::vector<SyncPoint>& sync = {});

// One part of a document's texts, unpacked only as far as asked (internal to
// StoredTexts).
class TextPart {
public:
    TextPart();
    void reset(std::string packed, std::size_t at = 0);
    std::size_t normalisedSize() const { return split_; }
    // The original's length; 0 once it is found damaged.
    std::size_t originalSize() const { return total_ - split_; }
    bool contains(const std::string& needle);
    std::size_t findFirst(const std::vector<std::string_view>& needles);
    // The first `n` bytes of the normalised content (all of it, if shorter).
    std::string_view normalisedPrefix(std::size_t n);
    std::string_view originalPrefix(std::size_t n);
    std::size_t unpacked() const { return have_; }

private:
    bool grow(std::size_t want);  // unpacks the first `want` bytes (at least)

    std::string packed_;
    struct GiveBack {  // to the thread's spare context (StoredText.cpp)
        void operator()(ZSTD_DCtx* c) const;
    };
    std::unique_ptr<ZSTD_DCtx, GiveBack> stream_;  // made when the original is first read
    std::unique_ptr<char[]> text_;
    // The texts are unpacked into text_[0, have_) of total_; the normalised content is
    // [0, split_) (from the LZ4 block at lz4Start_), the original [split_, total_) (from
    // the zstd frame at zstdStart_).
    std::size_t capacity_ = 0, split_ = 0, total_ = 0, have_ = 0;
    // The zstd frame starts at zstdStart_; it is read up to zstdAt_ (streamed).
    std::size_t lz4Start_ = 0, lz4Size_ = 0, zstdStart_ = 0, zstdAt_ = 0;
};

// A document's texts (packTexts'), unpacked only as far as a search needs: most terms
// that a candidate contains occur early, and a check stops at the first occurrence. The
// rest of a long document is read only when asked for beyond the first part.
class StoredTexts {
public:
    // `more` gives the rest's value; called at most once, when it is needed.
    void reset(std::string first, std::function<std::string()> more = nullptr);
    // Whether the normalised content contains `needle`, unpacking no more than needed.
    bool contains(const std::string& needle);
    // Where the first of `needles` starts in the normalised content, unpacking no more
    // than needed; npos if none.
    std::size_t findFirst(const std::vector<std::string_view>& needles);
    // The whole normalised content (as much as could be unpacked of a damaged value).
    std::string_view normalised();
    // The first `n` bytes of the original text (all of it, if shorter; none if the part
    // of it asked for is damaged).
    std::string_view originalPrefix(std::size_t n);
    std::string_view original() { return originalPrefix(std::string_view::npos); }
    // How many bytes of both texts are unpacked so far.
    std::size_t unpacked() const { return first_.unpacked() + (moreRead_ ? more_.unpacked() : 0); }

private:
    bool haveMore();  // reads the rest, if there is one
    // Where the first of `needles` starting in the last bytes of the first part and
    // ending in the rest starts (npos if none).
    std::size_t findAcross(const std::vector<std::string_view>& needles, std::size_t longest);

    TextPart first_, more_;
    std::size_t moreSize_ = 0;  // the rest's normalised length, as the first value says
    std::function<std::string()> loadMore_;
    bool moreRead_ = false, moreLost_ = false;
    std::string joined_;  // what crosses from the first part into the rest
};

}  // namespace kiroku::indexer
