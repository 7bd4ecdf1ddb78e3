#pragma once
// Character-set detection (uchardet) and streaming conversion to UTF-8 (ICU), for plugins
// that read bytes in legacy Japanese encodings (text, html). Compiled into each plugin that
// lists Charset.cpp in its sources; links ICU::uc and PkgConfig::UCHARDET.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "TextSink.h"

struct UConverter;

namespace kiroku::plugins {

// The ICU converter name for a charset label found in a document or reported by uchardet.
// Japanese labels map to the encodings Japanese software actually writes: Shift_JIS, SJIS,
// MS_Kanji and CP932 all become "windows-31j" (so ～, ①, ㈱ and NEC/IBM extensions decode).
// Other labels are returned unchanged (ICU knows most IANA names).
std::string icuCharsetName(std::string_view label);

// Whether ICU has a converter for `charset`.
bool isKnownCharset(const std::string& charset);

struct DetectedCharset {
    std::string charset;        // an ICU converter name
    std::size_t bomLength = 0;  // bytes of byte-order mark to skip at the start
};

// Guesses the encoding of a file from a sample of its first bytes. Order: a byte-order mark
// (UTF-8, UTF-16LE/BE); uchardet when it names UTF-8/ASCII or a Japanese encoding (Shift_JIS,
// EUC-JP, ISO-2022-JP) or UTF-16/32; otherwise well-formed UTF-8; otherwise CP932 or EUC-JP
// if the sample decodes cleanly; otherwise uchardet's answer if ICU knows it; otherwise CP932
// (this server's users are Japanese: a legacy file is far more likely CP932 than Latin-1).
DetectedCharset detectCharset(std::string_view sample, bool mayBeTruncated);

// Converts a byte stream in one charset to UTF-8, chunk by chunk (multi-byte characters may
// straddle chunks). Malformed input becomes U+FFFD; it is never an error. Not thread-safe.
// EUC-JP and ISO-2022-JP are decoded with the JIS X 0208 standard mapping (0x2141 is
// 〜 U+301C WAVE DASH, as glibc, Java and Python decode it), not ICU's Windows-style one
// (U+FF5E); CP932 keeps the Windows mapping, which is what Windows users typed.
class Utf8Converter {
public:
    // Throws std::runtime_error when ICU has no converter for `charset`.
    explicit Utf8Converter(const std::string& charset);
    ~Utf8Converter();
    Utf8Converter(const Utf8Converter&) = delete;
    Utf8Converter& operator=(const Utf8Converter&) = delete;

    // Converts `bytes` and appends the UTF-8 to `out`. Pass `last` with the final chunk
    // (possibly empty) so that an incomplete trailing sequence is flushed.
    void convert(std::string_view bytes, bool last, std::string& out);

private:
    struct ConverterCloser {
        void operator()(UConverter* c) const;
    };
    std::unique_ptr<UConverter, ConverterCloser> source_;
    std::unique_ptr<UConverter, ConverterCloser> utf8_;
    std::unique_ptr<char16_t[]> pivot_;
    char16_t* pivotSource_;
    char16_t* pivotTarget_;
    bool reset_ = true;
    bool jisStandard_ = false;
};

}  // namespace kiroku::plugins
