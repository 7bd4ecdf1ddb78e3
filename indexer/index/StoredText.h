#pragma once
// How a document's texts are kept in the index (internal to the indexer): its normalised
// content, read for the candidates of a long term and for the snippets, as one LZ4 block
// (fast to unpack, and only as far as needed); then the extracted text as written, read
// only for the snippets of one page, as a zstd frame with the normalised content as its
// prefix (most of it repeats the normalised content, which then costs almost nothing),
// in blocks of 16 KB of the original, streamed only as far as a snippet needs.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <zstd.h>

namespace kiroku::indexer {

void putVarint(std::string& out, std::uint64_t v);
// Reads a varint at `at`, moving past it; false at the end of `in` or when damaged.
bool getVarint(const std::string& in, std::size_t& at, std::uint64_t& v);

// The normalised content's length, the LZ4 block's length, the LZ4 block, then the zstd
// frame of the original. Empty when the texts are too large or cannot be packed.
std::string packTexts(const std::string& normalised, const std::string& original);

// Where normalised characters came from: every few hundred normalised characters, the
// byte offset in the normalised UTF-8 and in the original text.
struct SyncPoint {
    std::uint64_t normalisedByte = 0, originalByte = 0;
};

// A document's texts (packTexts'), unpacked only as far as a search needs: most terms
// that a candidate contains occur early, and a check stops at the first occurrence.
class StoredTexts {
public:
    StoredTexts();
    void reset(std::string packed);
    // Whether the normalised content contains `needle`, unpacking no more than needed.
    bool contains(const std::string& needle);
    // Where the first of `needles` starts in the normalised content, unpacking no more
    // than needed; npos if none.
    std::size_t findFirst(const std::vector<std::string_view>& needles);
    // The whole normalised content (as much as could be unpacked of a damaged value).
    std::string_view normalised();
    // The first `n` bytes of the original text (all of it, if shorter).
    std::string_view originalPrefix(std::size_t n);
    std::string_view original() { return originalPrefix(std::string_view::npos); }
    // How many bytes of both texts are unpacked so far.
    std::size_t unpacked() const { return have_; }

private:
    bool grow(std::size_t want);  // unpacks the first `want` bytes (at least)

    std::string packed_;
    std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> stream_;
    std::unique_ptr<char[]> text_;
    // The texts are unpacked into text_[0, have_) of total_; the normalised content is
    // [0, split_) (from the LZ4 block at lz4Start_), the original [split_, total_) (from
    // the zstd frame at zstdStart_).
    std::size_t capacity_ = 0, split_ = 0, total_ = 0, have_ = 0;
    // The zstd frame starts at zstdStart_; it is read up to zstdAt_ (streamed).
    std::size_t lz4Start_ = 0, lz4Size_ = 0, zstdStart_ = 0, zstdAt_ = 0;
};

}  // namespace kiroku::indexer
