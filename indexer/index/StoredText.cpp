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
// postings of every bigram (format 5), which spare most checks altogether.
// Level 6: a tenth smaller than the default (3) on Japanese text, and as fast to unpack.
constexpr int kTextLevel = 6;

std::string packNormalised(const std::string& text) {
    std::string out;
    putVarint(out, text.size());
    out += packOriginal(text);
    return out;
}

std::string packOriginal(const std::string& text) {
    std::string out(ZSTD_compressBound(text.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), kTextLevel);
    out.resize(ZSTD_isError(n) ? 0 : n);
    return out;
}

std::string unpackOriginal(const std::string& packed) {
    if (packed.empty()) return {};
    unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20))
        return {};
    std::string out(size, '\0');
    thread_local std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(),
                                                                              ZSTD_freeDCtx);
    std::size_t n =
        ZSTD_decompressDCtx(context.get(), out.data(), out.size(), packed.data(), packed.size());
    if (ZSTD_isError(n)) return {};
    out.resize(n);
    return out;
}

LazyText::LazyText() : stream_(ZSTD_createDStream(), ZSTD_freeDStream) {}

void LazyText::reset(std::string packed) {
    packed_ = std::move(packed);
    std::size_t at = 0;
    std::uint64_t size = 0;
    bool ok = getVarint(packed_, at, size) && size <= (64u << 20);
    start(at, ok ? size : 0);
}

void LazyText::resetOriginal(std::string packed) {
    packed_ = std::move(packed);
    unsigned long long size =
        packed_.empty() ? 0 : ZSTD_getFrameContentSize(packed_.data(), packed_.size());
    bool ok =
        size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN && size <= (64u << 20);
    start(0, ok ? size : 0);
}

void LazyText::start(std::size_t at, std::size_t size) {
    start_ = at;
    total_ = size;
    have_ = 0;
    ZSTD_DCtx_reset(stream_.get(), ZSTD_reset_session_only);
    if (total_ > capacity_) {  // grown, never cleared: only [0, have_) is ever read
        capacity_ = total_;
        text_.reset(new char[capacity_]);
    }
}

std::string_view LazyText::prefix(std::size_t n) {
    if (have_ < n && have_ < total_) grow(n);
    return {text_.get(), std::min(n, have_)};
}

std::size_t LazyText::findFirst(const std::vector<std::string_view>& needles) {
    std::size_t longest = 0;
    for (const auto& n : needles) longest = std::max(longest, n.size());
    if (longest == 0) return std::string_view::npos;
    for (;;) {
        std::size_t first = std::string_view::npos;
        for (const auto& n : needles) {
            if (n.empty() || n.size() > have_) continue;
            const void* at = ::memmem(text_.get(), have_, n.data(), n.size());
            if (at != nullptr)
                first = std::min(
                    first, static_cast<std::size_t>(static_cast<const char*>(at) - text_.get()));
        }
        // A match found is the first once every needle starting before it is unpacked.
        if (first != std::string_view::npos && (first + longest <= have_ || have_ == total_))
            return first;
        const std::size_t want = first != std::string_view::npos
                                     ? first + longest
                                     : std::max<std::size_t>(have_ * 4, 2048);
        if (have_ == total_ || !grow(std::min(total_, want))) return first;
    }
}

std::string_view LazyText::all() {
    if (have_ < total_) grow(total_);
    return {text_.get(), have_};
}

bool LazyText::contains(const std::string& needle) {
    if (needle.empty()) return false;
    std::size_t searched = 0;  // the needle does not start before this
    for (;;) {
        if (have_ >= needle.size()) {
            if (::memmem(text_.get() + searched, have_ - searched, needle.data(), needle.size()) !=
                nullptr)
                return true;
            searched = have_ - needle.size() + 1;
        }
        if (have_ == total_ || !grow(std::min(total_, std::max<std::size_t>(have_ * 4, 2048))))
            return false;
    }
}

bool LazyText::grow(std::size_t want) {
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
    if (have_ < want) total_ = have_;  // damaged: what was unpacked is all there is
    return grew;
}

}  // namespace kiroku::indexer
