#include "index/StoredText.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace kiroku::indexer {

void putVarint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>(0x80 | (v & 0x7F));
        v >>= 7;
    }
    out += static_cast<char>(v);
}

bool getVarint(const std::string& in, std::size_t& at, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; at < in.size() && shift < 64; shift += 7) {
        auto b = static_cast<unsigned char>(in[at++]);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

// Both texts are kept with zstd. The normalised content is read for the candidates of a
// long term, unpacked as a stream only as far as the first occurrence; LZ4 unpacked it
// three times faster, but took a quarter more room than zstd, room that now holds the
// postings of every bigram and character, which spare most checks altogether.
// Level 6: a tenth smaller than the default (3) on Japanese text, and as fast to unpack.
constexpr int kTextLevel = 6;
constexpr std::size_t kMaxText = 128u << 20;  // both texts; extraction caps each at 64 MB

std::string packTexts(const std::string& normalised, const std::string& original) {
    std::string out;
    putVarint(out, normalised.size());
    const std::string both = normalised + original;
    const std::size_t at = out.size();
    out.resize(at + ZSTD_compressBound(both.size()));
    std::size_t n =
        ZSTD_compress(out.data() + at, out.size() - at, both.data(), both.size(), kTextLevel);
    out.resize(ZSTD_isError(n) ? 0 : at + n);
    return out;
}

StoredTexts::StoredTexts() : stream_(ZSTD_createDStream(), ZSTD_freeDStream) {}

void StoredTexts::reset(std::string packed) {
    packed_ = std::move(packed);
    std::size_t at = 0;
    std::uint64_t split = 0;
    unsigned long long size = ZSTD_CONTENTSIZE_ERROR;
    if (getVarint(packed_, at, split) && at < packed_.size())
        size = ZSTD_getFrameContentSize(packed_.data() + at, packed_.size() - at);
    const bool ok = size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN &&
                    size <= kMaxText && split <= size;
    start_ = at;
    total_ = ok ? size : 0;
    split_ = ok ? split : 0;
    have_ = 0;
    ZSTD_DCtx_reset(stream_.get(), ZSTD_reset_session_only);
    if (total_ > capacity_) {  // grown, never cleared: only [0, have_) is ever read
        capacity_ = total_;
        text_.reset(new char[capacity_]);
    }
}

std::string_view StoredTexts::normalised() {
    if (have_ < split_) grow(split_);
    return {text_.get(), std::min(have_, split_)};
}

std::string_view StoredTexts::originalPrefix(std::size_t n) {
    const std::size_t end = n >= total_ - split_ ? total_ : split_ + n;
    if (have_ < end) grow(end);
    if (have_ <= split_) return {};
    return {text_.get() + split_, std::min(have_, end) - split_};
}

bool StoredTexts::contains(const std::string& needle) {
    if (needle.empty()) return false;
    std::size_t searched = 0;  // the needle does not start before this
    for (;;) {
        const std::size_t have = std::min(have_, split_);
        if (have >= needle.size()) {
            if (::memmem(text_.get() + searched, have - searched, needle.data(), needle.size()) !=
                nullptr)
                return true;
            searched = have - needle.size() + 1;
        }
        if (have == split_ || !grow(std::min(split_, std::max<std::size_t>(have * 4, 2048))))
            return false;
    }
}

std::size_t StoredTexts::findFirst(const std::vector<std::string_view>& needles) {
    std::size_t longest = 0;
    for (const auto& n : needles) longest = std::max(longest, n.size());
    if (longest == 0) return std::string_view::npos;
    for (;;) {
        const std::size_t have = std::min(have_, split_);
        std::size_t first = std::string_view::npos;
        for (const auto& n : needles) {
            if (n.empty() || n.size() > have) continue;
            const void* at = ::memmem(text_.get(), have, n.data(), n.size());
            if (at != nullptr)
                first = std::min(
                    first, static_cast<std::size_t>(static_cast<const char*>(at) - text_.get()));
        }
        // A match found is the first once every needle starting before it is unpacked.
        if (first != std::string_view::npos && (first + longest <= have || have == split_))
            return first;
        const std::size_t want = first != std::string_view::npos
                                     ? first + longest
                                     : std::max<std::size_t>(have * 4, 2048);
        if (have == split_ || !grow(std::min(split_, want))) return first;
    }
}

bool StoredTexts::grow(std::size_t want) {
    // The stream goes on from where the last call stopped: nothing is unpacked twice.
    want = std::min(want, total_);
    ZSTD_outBuffer out{text_.get(), want, have_};
    ZSTD_inBuffer in{packed_.data() + start_, packed_.size() - start_, 0};
    while (out.pos < out.size) {
        const std::size_t r = ZSTD_decompressStream(stream_.get(), &out, &in);
        if (ZSTD_isError(r) || r == 0) break;                // damaged, or the frame ended
        if (in.pos == in.size && out.pos < out.size) break;  // cut short
    }
    start_ += in.pos;
    const bool grew = out.pos > have_;
    have_ = out.pos;
    if (have_ < want) {  // damaged: what was unpacked is all there is
        total_ = have_;
        split_ = std::min(split_, total_);
    }
    return grew;
}

}  // namespace kiroku::indexer
