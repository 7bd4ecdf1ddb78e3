#pragma once
// How a document's texts are kept in the index (internal to the indexer): its normalised
// content, read for the candidates of a long term and for the snippets, then the
// extracted text as written, read only for the snippets of one page, one after the other
// in one zstd frame (most of the second repeats the first: a fifth less room than two).

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

// The normalised content's length, then the frame of both texts.
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

private:
    bool grow(std::size_t want);  // unpacks the first `want` bytes (at least)

    std::string packed_;
    std::unique_ptr<ZSTD_DStream, std::size_t (*)(ZSTD_DStream*)> stream_;
    std::unique_ptr<char[]> text_;
    // The frame is unpacked into text_[0, have_) of total_; the normalised content is
    // [0, split_), the original [split_, total_).
    std::size_t capacity_ = 0, start_ = 0, split_ = 0, total_ = 0, have_ = 0;
};

}  // namespace kiroku::indexer
