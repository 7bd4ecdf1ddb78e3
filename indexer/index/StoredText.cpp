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

// The normalised content is what a check reads, for each candidate of a long term: it
// is kept as one LZ4 block, unpacked seven times faster than zstd (3 µs for a document of
// the bench corpus instead of 21) and only as far as a check needs (LZ4 stops at the
// length asked for). The extracted text, read for the 20 snippets of a page, is a zstd
// frame that takes the normalised content as its prefix: what repeats it costs almost
// nothing. Together 1.13× the room of format 6's single zstd frame (issue 14: a check was
// two thirds zstd), packed as fast.
constexpr int kNormalisedLevel = 4;  // LZ4HC: 9 packs 2% smaller at half the speed
constexpr int kOriginalLevel = 6;    // zstd: a tenth smaller than 3, as fast to unpack
constexpr std::size_t kOriginalBlock = 16u << 10;  // bytes of the original a zstd block
constexpr std::size_t kMaxText = 128u << 20;       // both texts; extraction caps each at 64 MB

namespace {

std::string packPart(std::string_view normalised, std::string_view original) {
    std::string out;
    if (normalised.size() + original.size() > kMaxText) return out;
    // One state and one context a thread (an indexing writer), not one a document.
    thread_local std::unique_ptr<char[]> hc(new char[LZ4_sizeofStateHC()]);
    thread_local std::unique_ptr<ZSTD_CCtx, std::size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(),
                                                                              ZSTD_freeCCtx);
    std::string lz4(LZ4_compressBound(static_cast<int>(normalised.size())), '\0');
    const int n = normalised.empty()
                      ? 0
                      : LZ4_compress_HC_extStateHC(hc.get(), normalised.data(), lz4.data(),
                                                   static_cast<int>(normalised.size()),
                                                   static_cast<int>(lz4.size()), kNormalisedLevel);
    if (n < 0 || (n == 0 && !normalised.empty())) return out;
    putVarint(out, normalised.size());
    putVarint(out, static_cast<std::uint64_t>(n));
    out.append(lz4.data(), static_cast<std::size_t>(n));

    ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kOriginalLevel);
    // A damaged original is found out (4 bytes), not shown as a snippet of other words.
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setPledgedSrcSize(cctx.get(), original.size());
    ZSTD_CCtx_refPrefix(cctx.get(), normalised.data(), normalised.size());
    const std::size_t at = out.size();
    out.resize(at + ZSTD_compressBound(original.size()) + 64);
    ZSTD_outBuffer dst{out.data() + at, out.size() - at, 0};
    // A block ends every kOriginalBlock bytes, so that a snippet near the start unpacks
    // only the blocks before it (zstd unpacks a block whole).
    for (std::size_t from = 0;;) {
        const std::size_t to = std::min(original.size(), from + kOriginalBlock);
        const ZSTD_EndDirective mode = to == original.size() ? ZSTD_e_end : ZSTD_e_flush;
        ZSTD_inBuffer src{original.data() + from, to - from, 0};
        std::size_t left;
        do {
            left = ZSTD_compressStream2(cctx.get(), &dst, &src, mode);
            if (ZSTD_isError(left) || (left != 0 && dst.pos == dst.size)) return {};
        } while (left != 0);
        if (mode == ZSTD_e_end) break;
        from = to;
    }
    out.resize(at + dst.pos);
    return out;
}

}  // namespace

PackedTexts packTexts(const std::string& normalised, const std::string& original,
                      const std::vector<SyncPoint>& sync) {
    // The cut: the first sync point at or past kFirstPartBytes of the normalised content.
    auto cut = std::lower_bound(
        sync.begin(), sync.end(), kFirstPartBytes,
        [](const SyncPoint& p, std::size_t bytes) { return p.normalisedByte < bytes; });
    PackedTexts out;
    if (cut == sync.end() || cut->normalisedByte >= normalised.size() ||
        cut->originalByte > original.size()) {
        out.first.push_back('\0');
        out.first += packPart(normalised, original);
        if (out.first.size() == 1) out.first.clear();
        return out;
    }
    const std::string_view n(normalised), o(original);
    const std::size_t nb = cut->normalisedByte, ob = cut->originalByte;
    out.more = packPart(n.substr(nb), o.substr(ob));
    std::string first = packPart(n.substr(0, nb), o.substr(0, ob));
    if (out.more.empty() || first.empty()) return {};
    putVarint(out.first, normalised.size() - nb);
    out.first += first;
    return out;
}

namespace {

// A zstd context is made only when an original is read (a snippet), never for a check,
// and a thread keeps the last one given back for its next snippet: making one cost a
// twentieth of a rare word's search (issue 14).
struct SpareContext {
    ZSTD_DCtx* context = nullptr;
    ~SpareContext() { ZSTD_freeDCtx(context); }
};
thread_local SpareContext spare;
constexpr std::size_t kSpareContextBytes = 512u << 10;

ZSTD_DCtx* takeContext() {
    ZSTD_DCtx* c = spare.context;
    spare.context = nullptr;
    return c ? c : ZSTD_createDCtx();
}

}  // namespace

void TextPart::GiveBack::operator()(ZSTD_DCtx* c) const {
    // One that grew buffers for a long text is not kept: a thread holds little at rest.
    if (spare.context == nullptr && ZSTD_sizeof_DCtx(c) <= kSpareContextBytes) {
        spare.context = c;
    } else {
        ZSTD_freeDCtx(c);
    }
}

TextPart::TextPart() = default;

void TextPart::reset(std::string packed, std::size_t at) {
    packed_ = std::move(packed);
    std::uint64_t split = 0, lz4 = 0;
    unsigned long long original = ZSTD_CONTENTSIZE_ERROR;
    if (getVarint(packed_, at, split) && getVarint(packed_, at, lz4) &&
        lz4 <= packed_.size() - at && split <= kMaxText && (lz4 > 0 || split == 0)) {
        lz4Start_ = at;
        lz4Size_ = lz4;
        zstdStart_ = at + lz4;
        if (zstdStart_ < packed_.size())
            original =
                ZSTD_getFrameContentSize(packed_.data() + zstdStart_, packed_.size() - zstdStart_);
    }
    const bool ok = original != ZSTD_CONTENTSIZE_ERROR && original != ZSTD_CONTENTSIZE_UNKNOWN &&
                    split + original <= kMaxText;
    split_ = ok ? split : 0;
    total_ = ok ? split + original : 0;
    have_ = 0;
    if (total_ > capacity_) {  // grown, never cleared: only [0, have_) is ever read
        capacity_ = total_;
        text_.reset(new char[capacity_]);
    }
}

std::string_view TextPart::normalisedPrefix(std::size_t n) {
    n = std::min(n, split_);
    if (have_ < n) grow(n);
    return {text_.get(), std::min(have_, n)};
}

std::string_view TextPart::originalPrefix(std::size_t n) {
    const std::size_t end = n >= total_ - split_ ? total_ : split_ + n;
    if (have_ < end) grow(end);
    if (have_ <= split_) return {};
    return {text_.get() + split_, std::min(have_, end) - split_};
}

bool TextPart::contains(const std::string& needle) {
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

std::size_t TextPart::findFirst(const std::vector<std::string_view>& needles) {
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

bool TextPart::grow(std::size_t want) {
    want = std::min(want, total_);
    const std::size_t before = have_;
    if (have_ < split_) {
        // LZ4 unpacks from the start each time, stopping at what is asked: a check asks
        // for four times more each round, so a whole text is unpacked about 1.3 times.
        const std::size_t target = std::min(want, split_);
        const int got = LZ4_decompress_safe_partial(
            packed_.data() + lz4Start_, text_.get(), static_cast<int>(lz4Size_),
            static_cast<int>(target), static_cast<int>(split_));
        if (got < 0 || static_cast<std::size_t>(got) < target) {  // damaged: nothing is kept
            have_ = 0;
            split_ = total_ = 0;
            return false;
        }
        have_ = static_cast<std::size_t>(got);
    }
    if (want > split_ && have_ >= split_ && have_ < total_) {
        // The original, streamed against the normalised prefix as far as asked: a
        // snippet near the start unpacks only the first blocks. A damage is found where
        // zstd cannot decode, and at the frame's end by its checksum.
        if (have_ == split_) {
            if (!stream_) stream_.reset(takeContext());
            if (!stream_) return false;  // no memory for it: nothing more this time
            ZSTD_DCtx_reset(stream_.get(), ZSTD_reset_session_and_parameters);
            ZSTD_DCtx_refPrefix(stream_.get(), text_.get(), split_);
            zstdAt_ = zstdStart_;
        }
        const std::size_t whole = total_ - split_;
        ZSTD_outBuffer out{text_.get() + split_, want - split_, have_ - split_};
        ZSTD_inBuffer in{packed_.data(), packed_.size(), zstdAt_};
        for (;;) {
            // Asked for all of it, the frame is read to its end, the checksum with it.
            const std::size_t left = ZSTD_decompressStream(stream_.get(), &out, &in);
            const bool enough = left == 0 || (out.pos == out.size && out.size < whole);
            if (ZSTD_isError(left) || (left == 0 && out.pos != whole) ||
                (!enough && in.pos == in.size)) {
                have_ = total_ = split_;  // damaged: the normalised content is all there is
                return false;
            }
            if (enough) break;
        }
        zstdAt_ = in.pos;
        have_ = split_ + out.pos;
    }
    return have_ > before;
}

void StoredTexts::reset(std::string first, std::function<std::string()> more) {
    std::size_t at = 0;
    std::uint64_t moreSize = 0;
    if (!getVarint(first, at, moreSize) || moreSize > kMaxText) moreSize = 0;
    first_.reset(std::move(first), at);
    moreSize_ = static_cast<std::size_t>(moreSize);
    loadMore_ = std::move(more);
    moreRead_ = false;
    moreLost_ = false;
}

bool StoredTexts::haveMore() {
    if (moreSize_ == 0) return false;
    if (!moreRead_) {
        more_.reset(loadMore_ ? loadMore_() : std::string());
        moreRead_ = true;
        if (more_.normalisedSize() != moreSize_) {  // missing or damaged
            moreSize_ = 0;
            moreLost_ = true;
        }
    }
    return moreSize_ != 0;
}

bool StoredTexts::contains(const std::string& needle) {
    if (first_.contains(needle)) return true;
    if (needle.empty() || !haveMore()) return false;
    const std::vector<std::string_view> one{needle};
    return (needle.size() > 1 && findAcross(one, needle.size()) != std::string_view::npos) ||
           more_.contains(needle);
}

std::size_t StoredTexts::findAcross(const std::vector<std::string_view>& needles,
                                    std::size_t longest) {
    const std::size_t n1 = first_.normalisedSize();
    const std::size_t tail = std::min(n1, longest - 1);
    const std::string_view end = first_.normalisedPrefix(n1).substr(n1 - tail);
    const std::string_view head = more_.normalisedPrefix(longest - 1);
    if (end.size() != tail) return std::string_view::npos;  // damaged
    joined_.assign(end);
    joined_.append(head);
    std::size_t found = std::string_view::npos;
    for (const auto& n : needles) {
        if (n.empty()) continue;
        // Only a needle that starts in the first part and ends in the rest.
        const std::size_t from = tail >= n.size() ? tail - n.size() + 1 : 0;
        const std::size_t p = std::string_view(joined_).find(n, from);
        if (p != std::string_view::npos && p < tail) found = std::min(found, p);
    }
    return found == std::string_view::npos ? found : n1 - tail + found;
}

std::size_t StoredTexts::findFirst(const std::vector<std::string_view>& needles) {
    std::size_t longest = 0;
    for (const auto& n : needles) longest = std::max(longest, n.size());
    const std::size_t first = first_.findFirst(needles);
    const std::size_t n1 = first_.normalisedSize();
    if ((first != std::string_view::npos && first + longest <= n1) || longest == 0 || !haveMore())
        return first;
    // A needle may start before `first` and end in the rest; or none is in the first part.
    const std::size_t across = longest > 1 ? findAcross(needles, longest) : std::string_view::npos;
    if (first != std::string_view::npos || across != std::string_view::npos)
        return std::min(first, across);
    const std::size_t later = more_.findFirst(needles);
    return later == std::string_view::npos ? later : n1 + later;
}

std::string_view StoredTexts::normalised() {
    const std::string_view start = first_.normalisedPrefix(std::string_view::npos);
    if (!haveMore()) return start;
    joined_.assign(start);
    joined_.append(more_.normalisedPrefix(std::string_view::npos));
    return joined_;
}

std::string_view StoredTexts::originalPrefix(std::size_t n) {
    const std::size_t o1 = first_.originalSize();
    const std::string_view start = first_.originalPrefix(n);
    if (n <= o1 || start.size() < o1) return start;
    if (!haveMore()) return moreLost_ ? std::string_view() : start;  // not a cut original
    const std::size_t o2 = more_.originalSize();
    const std::string_view rest = more_.originalPrefix(n - o1);
    if (rest.size() < std::min(n - o1, o2)) return {};  // damaged
    joined_.assign(start);
    joined_.append(rest);
    return joined_;
}

}  // namespace kiroku::indexer
