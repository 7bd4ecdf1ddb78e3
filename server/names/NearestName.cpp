#include "names/NearestName.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace kiroku {

namespace {

std::u32string codePoints(std::string_view text) {
    std::u32string out;
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto n = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
    }
    return out;
}

// Levenshtein distance, one row at a time.
std::size_t editDistance(const std::u32string& a, const std::u32string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string> nearestName(std::string_view typed,
                                       const std::vector<std::string>& names) {
    const std::u32string wanted = codePoints(typed);
    const std::size_t limit = std::min(std::max<std::size_t>(1, wanted.size() / 3),
                                       wanted.size() > 0 ? wanted.size() - 1 : 0);
    std::optional<std::string> best;
    std::size_t bestDistance = limit + 1;
    for (const auto& name : names) {
        if (name == typed) return std::nullopt;
        std::size_t d = editDistance(wanted, codePoints(name));
        if (d < bestDistance) {
            best = name;
            bestDistance = d;
        }
    }
    return best;
}

}  // namespace kiroku
