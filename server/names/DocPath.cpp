#include "names/DocPath.h"

#include "kiroku/indexer/Utf8.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace kiroku {

namespace {

constexpr std::size_t kMaxNameBytes = 255;
constexpr std::size_t kMaxSegments = 64;

// Printable ASCII characters Windows cannot store in a name.
constexpr auto kWindowsForbidden = [] {
    std::array<bool, 128> table{};
    for (char c : std::string_view("<>:\"|?*")) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out += raw[i];
            continue;
        }
        int hi = i + 2 < raw.size() ? hexValue(raw[i + 1]) : -1;
        int lo = i + 2 < raw.size() ? hexValue(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            throw BadName(msg("name.bad_escape"));
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

using indexer::isValidUtf8;

// Device names Windows reserves whatever the extension, compared without case, with
// spaces before the extension ignored as Windows ignores them ("con .txt"): CON, PRN,
// AUX, NUL, COM0–9, LPT0–9, COM¹²³ and LPT¹²³ (superscript digits count), CONIN$,
// CONOUT$ (security review, finding 14).
bool isReservedWindowsName(std::string_view name) {
    std::string_view stem = name.substr(0, name.find('.'));
    while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
    std::string base(stem);
    std::transform(base.begin(), base.end(), base.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    for (const char* r : {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}) {
        if (base == r) return true;
    }
    if (base.rfind("COM", 0) != 0 && base.rfind("LPT", 0) != 0) return false;
    std::string_view digit = std::string_view(base).substr(3);
    if (digit.size() == 1) return digit[0] >= '0' && digit[0] <= '9';
    return digit == "\xC2\xB9" || digit == "\xC2\xB2" || digit == "\xC2\xB3";  // ¹ ² ³
}

// Characters that change how a name looks, not what it is: the bidirectional controls
// (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) make "report\u202Etxt.exe"
// show as "reportexe.txt".
bool hasDirectionControl(std::string_view name) {
    const auto* p = reinterpret_cast<const uint8_t*>(name.data());
    int32_t i = 0;
    const auto n = static_cast<int32_t>(name.size());
    while (i < n) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
            c == 0x200F || c == 0x061C) {
            return true;
        }
    }
    return false;
}

std::string toNfc(std::string_view name) {
    bool ascii = std::all_of(name.begin(), name.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return std::string(name);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normaliser unavailable");
    // Names are nearly always in NFC already (every name Kiroku stores is): checked on
    // the UTF-8 itself, without converting it.
    const icu::StringPiece piece(name.data(), static_cast<int32_t>(name.size()));
    if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(name);
    status = U_ZERO_ERROR;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    icu::UnicodeString normal = nfc->normalize(text, status);
    if (U_FAILURE(status)) throw BadName(msg("name.not_normalisable"));
    std::string out;
    normal.toUTF8String(out);
    return out;
}

}  // namespace

std::string DocPath::checkName(std::string_view raw) {
    if (raw.empty()) throw BadName(msg("name.empty"));
    if (!isValidUtf8(raw)) {
        throw BadName(msg("name.not_utf8"));
    }
    for (unsigned char c : raw) {
        if (c < 0x20 || c == 0x7f) {
            throw BadName(msg("name.control_character"));
        }
        if (c == '/' || c == '\\') {
            throw BadName(msg("name.slash"));
        }
        if (c < 0x80 && kWindowsForbidden[c]) {
            throw BadName(msg("name.windows_character"), false);
        }
    }
    if (raw == "." || raw == "..") throw BadName(msg("name.dots"));
    if (raw.back() == ' ' || raw.back() == '.') {
        throw BadName(msg("name.trailing_dot_or_space"), false);
    }
    if (isReservedWindowsName(raw)) {
        throw BadName(msg("name.windows_reserved"), false);
    }
    if (hasDirectionControl(raw)) throw BadName(msg("name.direction_control"), false);
    std::string nfc = toNfc(raw);
    if (nfc.size() > kMaxNameBytes) {
        throw BadName(msg("name.too_long"));
    }
    return nfc;
}

DocPath::DocPath(std::vector<std::string> segments) : segments_(std::move(segments)) {
    for (const auto& s : segments_) {
        if (!joined_.empty()) joined_ += '/';
        joined_ += s;
    }
}

// Splits at '/', ignoring empty segments, and turns each segment into a checked name.
template <typename ToName>
DocPath DocPath::parse(std::string_view text, ToName toName) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('/', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view part = text.substr(start, end - start);
        if (!part.empty()) {
            segments.push_back(toName(part));
            if (segments.size() > kMaxSegments) {
                throw BadName(msg("name.too_deep"));
            }
        }
        start = end + 1;
    }
    return DocPath(std::move(segments));
}

DocPath DocPath::fromUrl(std::string_view rawPath) {
    return parse(rawPath, [](std::string_view raw) {
        std::string decoded = percentDecode(raw);
        if (decoded.find('\0') != std::string::npos) {
            throw BadName(msg("name.encoded_nul"));
        }
        if (decoded.find('/') != std::string::npos || decoded.find('\\') != std::string::npos) {
            throw BadName(msg("name.encoded_slash"));
        }
        return checkName(decoded);
    });
}

DocPath DocPath::fromText(std::string_view text) {
    return parse(text, [](std::string_view part) { return checkName(part); });
}

DocPath DocPath::parent() const {
    if (isRoot()) return *this;
    return DocPath(std::vector<std::string>(segments_.begin(), segments_.end() - 1));
}

DocPath DocPath::child(const std::string& nfcName) const {
    auto segs = segments_;
    segs.push_back(nfcName);
    return DocPath(std::move(segs));
}

bool DocPath::isWithin(const DocPath& other) const {
    if (other.segments_.size() > segments_.size()) return false;
    return std::equal(other.segments_.begin(), other.segments_.end(), segments_.begin());
}

DocPath DocPath::rebased(const DocPath& from, const DocPath& to) const {
    auto segs = to.segments_;
    segs.insert(segs.end(), segments_.begin() + static_cast<long>(from.segments_.size()),
                segments_.end());
    return DocPath(std::move(segs));
}

std::string percentEncode(std::string_view text, bool keepSlash) {
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    appendPercentEncoded(out, text, keepSlash);
    return out;
}

void appendPercentEncoded(std::string& out, std::string_view text, bool keepSlash) {
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keepSlash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

std::string DocPath::urlEncoded() const { return percentEncode(joined_, true); }

bool isClientClutter(std::string_view name) {
    return name.rfind("._", 0) == 0 || name == ".DS_Store" || name == "Thumbs.db" ||
           name == "desktop.ini" || name == ".localized" || name == ".metadata_never_index";
}

std::string foldCase(std::string_view name) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    text.foldCase();
    std::string out;
    text.toUTF8String(out);
    return out;
}

}  // namespace kiroku
