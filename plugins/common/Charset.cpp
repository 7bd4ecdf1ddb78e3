#include "Charset.h"

#include "kiroku/indexer/Extractor.h"

#include <uchardet.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace kiroku::plugins {
namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string uchardetGuess(std::string_view sample) {
    uchardet_t detector = uchardet_new();
    if (detector == nullptr) return {};
    std::string result;
    if (uchardet_handle_data(detector, sample.data(), sample.size()) == 0) {
        uchardet_data_end(detector);
        const char* name = uchardet_get_charset(detector);
        if (name != nullptr) result = name;
    }
    uchardet_delete(detector);
    return result;
}

// Whether `bytes` decodes in `charset` without a single malformed or unmapped sequence.
bool decodesCleanly(const std::string& charset, std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(charset.c_str(), &status);
    if (U_FAILURE(status)) return false;
    ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> buffer(8192);
    const char* source = bytes.data();
    const char* sourceLimit = bytes.data() + bytes.size();
    bool clean = U_SUCCESS(status);
    while (clean) {
        UChar* target = buffer.data();
        status = U_ZERO_ERROR;
        // flush=false: a character cut off by the end of the sample is not an error.
        ucnv_toUnicode(conv, &target, buffer.data() + buffer.size(), &source, sourceLimit, nullptr,
                       false, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;
        clean = U_SUCCESS(status);
        break;
    }
    ucnv_close(conv);
    return clean;
}

}  // namespace

std::string icuCharsetName(std::string_view label) {
    std::string name(label);
    name.erase(0, name.find_first_not_of(" \t\"'"));
    name.erase(name.find_last_not_of(" \t\"'") + 1);
    const std::string key = upper(name);
    if (key == "SHIFT_JIS" || key == "SHIFT-JIS" || key == "SJIS" || key == "X-SJIS" ||
        key == "MS_KANJI" || key == "CSSHIFTJIS" || key == "CP932" || key == "WINDOWS-31J" ||
        key == "MS932" || key == "WINDOWS-932" || key == "X-MS-CP932")
        return "windows-31j";
    if (key == "EUC-JP" || key == "EUCJP" || key == "X-EUC-JP" || key == "CSEUCPKDFMTJAPANESE")
        return "EUC-JP";
    if (key == "ASCII" || key == "US-ASCII") return "UTF-8";  // a subset; UTF-8 is safer
    return name;
}

bool isKnownCharset(const std::string& charset) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(charset.c_str(), &status);
    if (conv != nullptr) ucnv_close(conv);
    return U_SUCCESS(status);
}

DetectedCharset detectCharset(std::string_view sample, bool mayBeTruncated) {
    const auto byteAt = [&](std::size_t i) { return static_cast<unsigned char>(sample[i]); };
    if (sample.size() >= 3 && byteAt(0) == 0xEF && byteAt(1) == 0xBB && byteAt(2) == 0xBF)
        return {"UTF-8", 3};
    if (sample.size() >= 2 && byteAt(0) == 0xFF && byteAt(1) == 0xFE) return {"UTF-16LE", 2};
    if (sample.size() >= 2 && byteAt(0) == 0xFE && byteAt(1) == 0xFF) return {"UTF-16BE", 2};

    const std::string guess = upper(uchardetGuess(sample));
    if (guess == "UTF-8" || guess == "ASCII") return {"UTF-8", 0};
    if (guess == "SHIFT_JIS" || guess == "EUC-JP" || guess == "ISO-2022-JP")
        return {icuCharsetName(guess), 0};
    if (guess.rfind("UTF-16", 0) == 0 || guess.rfind("UTF-32", 0) == 0) return {guess, 0};

    if (indexer::isValidUtf8(sample, mayBeTruncated)) return {"UTF-8", 0};
    if (decodesCleanly("windows-31j", sample)) return {"windows-31j", 0};
    if (decodesCleanly("EUC-JP", sample)) return {"EUC-JP", 0};
    if (!guess.empty() && isKnownCharset(guess)) return {guess, 0};
    return {"windows-31j", 0};
}

void Utf8Converter::ConverterCloser::operator()(UConverter* c) const { ucnv_close(c); }

namespace {
constexpr std::size_t kPivotSize = 4096;
}

Utf8Converter::Utf8Converter(const std::string& charset)
    : pivot_(std::make_unique<char16_t[]>(kPivotSize)) {
    UErrorCode status = U_ZERO_ERROR;
    source_.reset(ucnv_open(charset.c_str(), &status));
    if (U_FAILURE(status)) throw std::runtime_error("unknown character set " + charset);
    utf8_.reset(ucnv_open("UTF-8", &status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no UTF-8 converter");
    pivotSource_ = pivotTarget_ = pivot_.get();
    const std::string key = upper(ucnv_getName(source_.get(), &status));
    jisStandard_ =
        key.find("EUC-JP") != std::string::npos ||
        (key.find("2022") != std::string::npos && key.find("LOCALE=JA") != std::string::npos);
}

namespace {

// ICU decodes these JIS X 0208 characters of EUC-JP and ISO-2022-JP as Windows does; the
// standard mapping is on the right.
constexpr std::pair<std::string_view, std::string_view> kJisStandard[] = {
    {"\xEF\xBD\x9E", "\xE3\x80\x9C"},  // ～ U+FF5E → 〜 U+301C
    {"\xE2\x88\xA5", "\xE2\x80\x96"},  // ∥ U+2225 → ‖ U+2016
    {"\xEF\xBC\x8D", "\xE2\x88\x92"},  // － U+FF0D → − U+2212
    {"\xEF\xBF\xA0", "\xC2\xA2"},      // ￠ U+FFE0 → ¢ U+00A2
    {"\xEF\xBF\xA1", "\xC2\xA3"},      // ￡ U+FFE1 → £ U+00A3
    {"\xEF\xBF\xA2", "\xC2\xAC"},      // ￢ U+FFE2 → ¬ U+00AC
};

void applyJisStandard(std::string& text, std::size_t from) {
    std::size_t i = from;
    while ((i = text.find_first_of("\xE2\xEF", i)) != std::string::npos) {
        bool replaced = false;
        for (const auto& [windows, standard] : kJisStandard) {
            if (text.compare(i, windows.size(), windows) == 0) {
                text.replace(i, windows.size(), standard);
                i += standard.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) ++i;
    }
}

}  // namespace

Utf8Converter::~Utf8Converter() = default;

void Utf8Converter::convert(std::string_view bytes, bool last, std::string& out) {
    const std::size_t start = out.size();
    const char* source = bytes.data();
    const char* sourceLimit = bytes.data() + bytes.size();
    char buffer[16384];
    for (;;) {
        char* target = buffer;
        UErrorCode status = U_ZERO_ERROR;
        ucnv_convertEx(utf8_.get(), source_.get(), &target, buffer + sizeof buffer, &source,
                       sourceLimit, pivot_.get(), &pivotSource_, &pivotTarget_,
                       pivot_.get() + kPivotSize, reset_, last, &status);
        reset_ = false;
        out.append(buffer, static_cast<std::size_t>(target - buffer));
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;
        if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
        if (jisStandard_) applyJisStandard(out, start);
        return;
    }
}

}  // namespace kiroku::plugins
