#include "index/StoredText.h"

#include <lz4.h>
#include <lz4hc.h>
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

// The normalised content is read for every candidate of a long term, so it is kept with
// LZ4 (gigabytes a second to unpack); the original text, read only for the snippets of
// one page, with zstd (smaller).
std::string packNormalised(const std::string& text) {
    std::string out;
    putVarint(out, text.size());
    std::size_t head = out.size();
    out.resize(head + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(text.size()))));
    // High-compression level 4: a sixth smaller than the fast mode for a few more
    // milliseconds a megabyte, and as fast to unpack.
    int n = LZ4_compress_HC(text.data(), out.data() + head, static_cast<int>(text.size()),
                            static_cast<int>(out.size() - head), 4);
    out.resize(head + static_cast<std::size_t>(n > 0 ? n : 0));
    return out;
}

std::string packOriginal(const std::string& text) {
    std::string out(ZSTD_compressBound(text.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
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

void LazyText::reset(std::string packed) {
    packed_ = std::move(packed);
    std::size_t at = 0;
    std::uint64_t size = 0;
    bool ok = getVarint(packed_, at, size) && size <= (64u << 20);
    start_ = at;
    total_ = ok ? size : 0;
    have_ = 0;
    if (total_ > capacity_) {  // grown, never cleared: only [0, have_) is ever read
        capacity_ = total_;
        text_.reset(new char[capacity_]);
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
    int n = LZ4_decompress_safe_partial(packed_.data() + start_, text_.get(),
                                        static_cast<int>(packed_.size() - start_),
                                        static_cast<int>(want), static_cast<int>(total_));
    if (n < 0 || static_cast<std::size_t>(n) <= have_) {
        total_ = have_;  // damaged: what was unpacked is all there is
        return false;
    }
    have_ = static_cast<std::size_t>(n);
    return true;
}

}  // namespace kiroku::indexer
