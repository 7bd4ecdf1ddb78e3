#include "index/Snippet.h"

#include <algorithm>
#include <cstring>

namespace kiroku::indexer {

namespace {

void appendEscaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\n':
            case '\r':
            case '\t':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
}

// Moves `end` back over trailing whitespace (ASCII and the ideographic space U+3000).
std::uint32_t trimmedEnd(const std::string& text, std::uint32_t begin, std::uint32_t end) {
    while (end > begin) {
        unsigned char c = static_cast<unsigned char>(text[end - 1]);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            --end;
        } else if (end - begin >= 3 && text.compare(end - 3, 3, "\xE3\x80\x80") == 0) {
            end -= 3;
        } else {
            break;
        }
    }
    return end;
}

}  // namespace

bool contains(std::string_view haystack, const std::string& needle) {
    return !needle.empty() &&
           ::memmem(haystack.data(), haystack.size(), needle.data(), needle.size()) != nullptr;
}

std::string snippetIn(std::string_view text, std::size_t from, std::size_t to,
                      const std::vector<Needle>& needles, const NormaliseOptions& options) {
    const std::string original(text.substr(from, to - from));
    Normalised n = normalise(original, options);
    std::vector<std::pair<std::size_t, std::size_t>> found;  // [from, to) in n.text
    for (const auto& needle : needles) {
        if (needle.text.empty()) continue;
        for (std::size_t at = n.text.find(needle.text);
             at != std::u32string::npos && found.size() <= 200;
             at = n.text.find(needle.text, at + 1)) {
            found.emplace_back(at, at + needle.text.size());
        }
    }
    if (found.empty()) return {};
    std::sort(found.begin(), found.end());
    std::size_t first = found.front().first;
    std::size_t begin = first > 24 ? first - 24 : 0;
    std::size_t end = std::min(n.text.size(), begin + 110);
    auto [sourceBegin, sourceEnd] = n.sourceRange(begin, end);
    std::string out;
    if (begin > 0 || from > 0) out += "…";
    std::uint32_t cursor = sourceBegin;
    for (const auto& [a, b] : found) {
        if (a < begin || b > end) continue;
        auto [mb, me] = n.sourceRange(a, b);
        me = trimmedEnd(original, mb, me);  // whitespace the normaliser removed stays unmarked
        if (mb < cursor) continue;          // overlaps a match already marked
        appendEscaped(out, std::string_view(original).substr(cursor, mb - cursor));
        out += "<mark>";
        appendEscaped(out, std::string_view(original).substr(mb, me - mb));
        out += "</mark>";
        cursor = me;
    }
    appendEscaped(out, std::string_view(original).substr(cursor, sourceEnd - cursor));
    if (end < n.text.size() || to < text.size()) out += "…";
    return out;
}

std::string snippetOf(StoredTexts& texts, const std::vector<SyncPoint>& sync,
                      const std::vector<Needle>& needles, const NormaliseOptions& options) {
    std::vector<std::string_view> utf8;
    for (const auto& needle : needles) utf8.emplace_back(needle.utf8);
    const std::size_t first = texts.findFirst(utf8);
    if (first == std::string_view::npos) return {};
    auto after =
        std::upper_bound(sync.begin(), sync.end(), first,
                         [](std::size_t at, const SyncPoint& p) { return at < p.normalisedByte; });
    std::size_t k =
        static_cast<std::size_t>(after - sync.begin());  // sync[k - 1] is at or before the match
    const bool within = k + 2 < sync.size();
    const std::size_t from = k >= 2 ? sync[k - 2].originalByte : 0;
    // The text to two sync points past the match (a byte more: the snippet then knows that
    // the text goes on), or to its end.
    const std::string_view text =
        within ? texts.originalPrefix(sync[k + 2].originalByte + 1) : texts.original();
    const std::size_t to = within ? sync[k + 2].originalByte : text.size();
    if (from < to && to <= text.size()) {
        std::string s = snippetIn(text, from, to, needles, options);
        if (!s.empty()) return s;
    }
    const std::string_view whole = texts.original();  // sync points that do not fit
    return snippetIn(whole, 0, whole.size(), needles, options);
}

}  // namespace kiroku::indexer
