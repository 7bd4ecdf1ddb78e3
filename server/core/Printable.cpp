#include "core/Printable.h"

#include <unicode/utf8.h>

namespace kiroku {

std::string printable(std::string_view text, std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(text.size(), maxBytes) + 3);
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t length = static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX));
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, length, c);
        bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
        std::size_t size = control || c < 0 ? 1 : static_cast<std::size_t>(i - start);
        if (out.size() + size > maxBytes) {
            out += "\xE2\x80\xA6";  // …
            break;
        }
        if (c < 0 || control)
            out += '?';
        else
            out.append(text.data() + start, static_cast<std::size_t>(i - start));
    }
    return out;
}

}  // namespace kiroku
