#include "import/ImportNames.h"

#include "kiroku/indexer/Utf8.h"
#include "names/DocPath.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>

namespace kiroku::import {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

using indexer::isValidUtf8;

// CP932 bytes as UTF-8, or nothing when any byte sequence is not CP932.
std::optional<std::string> fromCp932(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, void (*)(UConverter*)> conv(ucnv_open("windows-31j", &status),
                                                            ucnv_close);
    if (U_FAILURE(status)) return std::nullopt;
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    if (U_FAILURE(status)) return std::nullopt;
    icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), conv.get(), status);
    if (U_FAILURE(status)) return std::nullopt;
    std::string out;
    text.toUTF8String(out);
    return out;
}

// Characters Windows cannot store in a name, and the full-width forms that take their
// place (what a Japanese PC user would type instead).
constexpr std::array<std::pair<char, const char*>, 7> kFullWidth = {{{'<', "\xEF\xBC\x9C"},
                                                                     {'>', "\xEF\xBC\x9E"},
                                                                     {':', "\xEF\xBC\x9A"},
                                                                     {'"', "\xEF\xBC\x82"},
                                                                     {'|', "\xEF\xBD\x9C"},
                                                                     {'?', "\xEF\xBC\x9F"},
                                                                     {'*', "\xEF\xBC\x8A"}}};

// Makes a name Windows can store; sets `adjusted` when it had to change something.
std::string forWindows(const std::string& name, bool& adjusted) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        const char* wide = nullptr;
        for (const auto& [ascii, full] : kFullWidth) {
            if (c == ascii) wide = full;
        }
        if (wide) {
            out += wide;
            adjusted = true;
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) {
        out.pop_back();
        adjusted = true;
    }
    try {
        DocPath::checkName(out);
    } catch (const BadName& e) {
        if (!e.hostile() && !out.empty()) {
            // A reserved device name (CON, NUL.txt …): a PC adds something to it too.
            auto dot = out.find('.');
            out.insert(dot == std::string::npos ? out.size() : dot, "_");
            adjusted = true;
        }
    }
    return out;
}

}  // namespace

bool isJunk(std::string_view name, bool isFolder) {
    if (isFolder) {
        return name == "$RECYCLE.BIN" || name == "System Volume Information" ||
               name == ".Trashes" || name == ".Spotlight-V100" || name == ".fseventsd" ||
               name == ".TemporaryItems" || name == "__MACOSX";
    }
    if (name == "Thumbs.db" || name == "ehthumbs.db" || name == "desktop.ini" ||
        name == "Desktop.ini" || name == ".DS_Store" || name == ".localized") {
        return true;
    }
    if (startsWith(name, "._") || startsWith(name, "~$")) return true;
    return startsWith(name, ".~lock.") && !name.empty() && name.back() == '#';
}

std::optional<ImportedName> importName(std::string_view bytes) {
    ImportedName result;
    std::string text;
    if (isValidUtf8(bytes)) {
        text = std::string(bytes);
    } else if (auto decoded = fromCp932(bytes)) {
        text = *decoded;
        result.fromCp932 = true;
    } else {
        return std::nullopt;
    }
    if (text.find('/') != std::string::npos || text.find('\\') != std::string::npos) {
        return std::nullopt;
    }
    std::string name = forWindows(text, result.adjusted);
    try {
        result.name = DocPath::checkName(name);
    } catch (const BadName&) {
        return std::nullopt;
    }
    return result;
}

std::string printable(std::string_view bytes) {
    if (isValidUtf8(bytes)) return std::string(bytes);
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : bytes) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x80 && c >= 0x20 && c != '\\') {
            out += ch;
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace kiroku::import
