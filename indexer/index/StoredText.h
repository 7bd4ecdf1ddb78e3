#pragma once
// How a document's texts are kept in the index (internal to the indexer), both with
// zstd: the normalised content, read for the candidates of a long term (and the
// snippets), and the original extracted text, read only for the snippets of one page.

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

std::string packNormalised(const std::string& text);
std::string packOriginal(const std::string& text);
// Empty when the value is damaged.
std::string unpackOriginal(const std::string& packed);

// Where normalised characters came from: every few hundred normalised characters, the
// byte offset in the normalised UTF-8 and in the original text.
struct SyncPoint {
    std::uint64_t normalisedByte = 0, originalByte = 0;
};

// A document's normalised content, unpacked only as far as a search needs: most terms
// that a candidate contains occur early, and a check stops at the first occurrence.
class LazyText {
public:
    LazyText();
    // A normalised content (packNormalised's).
    void reset(std::string packed);
    // An original text (packOriginal's).
    void resetOriginal(std::string packed);
    // Whether the text contains `needle`, unpacking no more than needed.
    bool contains(const std::string& needle);
    // Where the first of `needles` starts, unpacking no more than needed; npos if none.
    std::size_t findFirst(const std::vector<std::string_view>& needles);
    // The first `n` bytes of the text (all of it, if shorter).
    std::string_view prefix(std::size_t n);
    // The whole text (as much as could be unpacked of a damaged value).
    std::string_view all();

private:
    bool grow(std::size_t want);  // unpacks the first `want` bytes (at least)
    void start(std::size_t at, std::size_t size);

    std::string packed_;
    std::unique_ptr<ZSTD_DStream, std::size_t (*)(ZSTD_DStream*)> stream_;
    std::unique_ptr<char[]> text_;
    std::size_t capacity_ = 0, start_ = 0, total_ = 0, have_ = 0;
};

}  // namespace kiroku::indexer
