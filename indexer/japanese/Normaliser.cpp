#include "kiroku/indexer/Normaliser.h"

#include "kiroku/indexer/Utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <stdexcept>
#include <unordered_map>

namespace kiroku::indexer {

namespace {

const icu::Normalizer2& nfkcCasefold() {
    static const icu::Normalizer2* instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
        if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold is not available");
        return n;
    }();
    return *instance;
}

// A small table of variant kanji seen in association documents and names.
const std::unordered_map<char32_t, char32_t>& itaijiTable() {
    static const std::unordered_map<char32_t, char32_t> table = {
        {U'髙', U'高'}, {U'﨑', U'崎'}, {U'嵜', U'崎'}, {U'德', U'徳'},
        {U'邊', U'辺'}, {U'邉', U'辺'}, {U'濱', U'浜'}, {U'齋', U'斎'},
        {U'齊', U'斉'}, {U'會', U'会'}, {U'總', U'総'}, {U'國', U'国'},
    };
    return table;
}

char32_t fold(char32_t c, const NormaliseOptions& options) {
    if (c >= 0x30A1 && c <= 0x30F6) c -= 0x60;  // katakana -> hiragana
    if (options.itaiji) {
        auto it = itaijiTable().find(c);
        if (it != itaijiTable().end()) c = it->second;
    }
    return c;
}

// Appends normalised characters to `out`, leaving whitespace out.
class Emitter {
public:
    Emitter(Normalised& out, const NormaliseOptions& options) : out_(out), options_(options) {}

    void operator()(char32_t c, std::uint32_t origin) {
        if (u_isUWhiteSpace(static_cast<UChar32>(c))) {
            afterWhitespace_ = true;
            return;
        }
        if (afterWhitespace_ && !out_.text.empty() &&
            u_getCombiningClass(static_cast<UChar32>(c)) != 0) {
            rejoin(c);
            return;
        }
        afterWhitespace_ = false;
        out_.text.push_back(fold(c, options_));
        out_.origin.push_back(origin);
    }

private:
    // A combining mark that whitespace kept from its base (NFKC makes the spacing voiced
    // mark of "カ゛" a space and U+3099) meets the base once the whitespace is gone: they
    // are normalised together, so that "カ゛" and "ガ" normalise alike and a second
    // normalisation changes nothing. Past kMaxMarks marks on one base (no writing needs
    // that many) further ones are dropped, which keeps this linear.
    void rejoin(char32_t mark) {
        constexpr std::size_t kMaxMarks = 30;
        std::size_t base = out_.text.size();
        while (base > 0 && u_getCombiningClass(static_cast<UChar32>(out_.text[base - 1])) != 0)
            --base;
        if (base > 0) --base;
        if (out_.text.size() - base > kMaxMarks) return;
        icu::UnicodeString joined;
        for (std::size_t k = base; k < out_.text.size(); ++k)
            joined.append(static_cast<UChar32>(out_.text[k]));
        joined.append(static_cast<UChar32>(mark));
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString normal = nfkcCasefold().normalize(joined, status);
        if (U_FAILURE(status)) normal = joined;
        const std::uint32_t origin = out_.origin[base];
        out_.text.resize(base);
        out_.origin.resize(base);
        for (int32_t k = 0; k < normal.length();) {
            UChar32 c = normal.char32At(k);
            out_.text.push_back(fold(static_cast<char32_t>(c), options_));
            out_.origin.push_back(origin);
            k += U16_LENGTH(c);
        }
    }

    Normalised& out_;
    const NormaliseOptions& options_;
    bool afterWhitespace_ = false;
};

}  // namespace

std::string Normalised::utf8() const { return toUtf8(text); }

std::pair<std::uint32_t, std::uint32_t> Normalised::sourceRange(std::size_t from,
                                                                std::size_t to) const {
    if (from >= origin.size()) return {inputSize, inputSize};
    std::uint32_t begin = origin[from];
    // The end is where the next character that came from a later input position starts.
    std::uint32_t end = inputSize;
    for (std::size_t i = to; i < origin.size(); ++i) {
        if (origin[i] > origin[to - 1]) {
            end = origin[i];
            break;
        }
    }
    return {begin, end};
}

Normalised normalise(std::string_view input, const NormaliseOptions& options) {
    const icu::Normalizer2& n = nfkcCasefold();
    Normalised out;
    out.inputSize = static_cast<std::uint32_t>(input.size());
    out.text.reserve(input.size());
    out.origin.reserve(input.size());
    const auto* p = reinterpret_cast<const uint8_t*>(input.data());
    const auto length = static_cast<int32_t>(input.size());
    int32_t i = 0;
    // Characters are normalised in chunks that start at a normalisation boundary, so
    // that a base and its combining marks (か + ゛, ｶ + ﾞ) are normalised together and
    // every output character can point back to where its chunk began.
    Emitter emit(out, options);
    icu::UnicodeString chunk;
    std::uint32_t chunkStart = 0;
    // A chunk of one code point normalises the same way every time (most kana and kanji
    // are such chunks, but not "inert", since a voiced mark could follow): remember those.
    thread_local std::unordered_map<UChar32, std::u32string> single;
    auto flush = [&] {
        if (chunk.isEmpty()) return;
        UChar32 first = chunk.char32At(0);
        bool one = chunk.length() == U16_LENGTH(first);
        if (one) {
            auto it = single.find(first);
            if (it != single.end()) {
                for (char32_t c : it->second) emit(c, chunkStart);
                chunk.remove();
                return;
            }
        }
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString normal = n.normalize(chunk, status);
        if (U_FAILURE(status)) normal = chunk;
        std::u32string result;
        for (int32_t k = 0; k < normal.length();) {
            UChar32 c = normal.char32At(k);
            result.push_back(static_cast<char32_t>(c));
            k += U16_LENGTH(c);
        }
        for (char32_t c : result) emit(c, chunkStart);
        if (one && single.size() < 65536) single.emplace(first, std::move(result));
        chunk.remove();
    };
    // ASCII followed by ASCII never combines: NFKC_Casefold only lowers A-Z.
    static const auto asciiWhite = [] {
        std::array<bool, 128> white{};
        for (UChar32 c = 0; c < 128; ++c) white[c] = u_isUWhiteSpace(c);
        return white;
    }();
    while (i < length) {
        std::uint32_t start = static_cast<std::uint32_t>(i);
        if (p[i] < 0x80 && (i + 1 == length || p[i + 1] < 0x80)) {
            flush();
            char32_t c = p[i++];
            if (!asciiWhite[c]) emit(c >= U'A' && c <= U'Z' ? c + 0x20 : c, start);
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, length, c);
        if (c < 0) c = 0xFFFD;
        if (n.hasBoundaryBefore(c)) {
            flush();
            if (n.isInert(c)) {
                // Unchanged by NFKC_Casefold and never combines: the common fast path.
                emit(static_cast<char32_t>(c), start);
                continue;
            }
            chunkStart = start;
        }
        if (chunk.isEmpty()) chunkStart = start;
        chunk.append(c);
    }
    flush();
    return out;
}

std::string normaliseToUtf8(std::string_view utf8, const NormaliseOptions& options) {
    return normalise(utf8, options).utf8();
}

}  // namespace kiroku::indexer
