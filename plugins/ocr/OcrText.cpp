#include "OcrText.h"

#include <algorithm>
#include <cstdlib>

#include "kiroku/indexer/Extractor.h"  // Utf8.h: ICU's UTF-8 macros

namespace kiroku::plugins::ocr {
namespace {

char32_t firstCharacter(std::string_view text) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t i = 0;
    UChar32 c = 0;
    if (length > 0) U8_NEXT(p, i, length, c);
    return c < 0 ? 0 : static_cast<char32_t>(c);
}

char32_t lastCharacter(std::string_view text) {
    std::size_t start = text.size();
    while (start > 0 && (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80) --start;
    return start > 0 ? firstCharacter(text.substr(start - 1)) : 0;
}

// The gap between two neighbouring words along their line.
int gapBetween(const Box& before, const Box& after) {
    const int dx = (after.left + after.right) - (before.left + before.right);
    const int dy = (after.top + after.bottom) - (before.top + before.bottom);
    if (std::abs(dy) > std::abs(dx)) return after.top - before.bottom;  // a vertical line
    return after.left - before.right;
}

// The thickness of a line: the median of its words' heights (widths on a vertical line).
// Tesseract's word boxes are rough, some as high as the whole line with its spacing.
int thicknessOf(const std::vector<Word>& words) {
    Box all = words.front().box;
    for (const auto& word : words) {
        all.left = std::min(all.left, word.box.left);
        all.top = std::min(all.top, word.box.top);
        all.right = std::max(all.right, word.box.right);
        all.bottom = std::max(all.bottom, word.box.bottom);
    }
    const bool vertical = all.height() > all.width() && words.size() > 1;
    std::vector<int> sizes;
    for (const auto& word : words) sizes.push_back(vertical ? word.box.width() : word.box.height());
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2),
                     sizes.end());
    return sizes[sizes.size() / 2];
}

// Full-width punctuation carries its own space: none is added after a comma, a full stop or
// an opening bracket, nor before a closing one.
bool endsWithoutSpace(char32_t c) {
    return std::u32string_view(U"、。，．・「『（【〈《〔［｛").find(c) !=
           std::u32string_view::npos;
}
bool beginsWithoutSpace(char32_t c) {
    return std::u32string_view(U"、。，．・」』）】〉》〕］｝").find(c) !=
           std::u32string_view::npos;
}

}  // namespace

bool isJapaneseCharacter(char32_t c) {
    return (c >= 0x3000 && c <= 0x30FF) ||  // CJK punctuation, hiragana, katakana
           (c >= 0x3400 && c <= 0x4DBF) ||  // CJK extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||  // CJK unified ideographs
           (c >= 0xF900 && c <= 0xFAFF) ||  // CJK compatibility ideographs
           (c >= 0xFF00 && c <= 0xFFEF) ||  // full-width and half-width forms
           (c >= 0x31F0 && c <= 0x31FF) ||  // katakana phonetic extensions
           (c >= 0x20000 && c <= 0x3FFFF);  // CJK extensions B and later
}

std::string joinWords(const std::vector<Word>& words) {
    if (words.empty()) return "";
    const int thickness = thicknessOf(words);
    std::string line;
    const Word* previous = nullptr;
    for (const auto& word : words) {
        if (word.text.empty()) continue;
        if (previous != nullptr) {
            const char32_t before = lastCharacter(previous->text),
                           after = firstCharacter(word.text);
            const bool japanese = isJapaneseCharacter(before) || isJapaneseCharacter(after);
            const bool punctuation = endsWithoutSpace(before) || beginsWithoutSpace(after);
            const int gap = gapBetween(previous->box, word.box);
            if (!japanese || (!punctuation && gap * 5 > thickness * 4)) line += ' ';
        }
        line += word.text;
        previous = &word;
    }
    return line;
}

void insertInReadingOrder(std::vector<Line>& lines, Line found) {
    const bool aboveAll = std::all_of(lines.begin(), lines.end(), [&](const Line& line) {
        return found.box.bottom <= line.box.top;
    });
    const auto verticals =
        std::count_if(lines.begin(), lines.end(), [](const Line& line) { return line.vertical(); });
    const bool verticalPage = verticals * 2 > static_cast<long>(lines.size());
    auto comesAfter = [&](const Line& line) {
        if (verticalPage) return line.box.right <= (found.box.left + found.box.right) / 2;
        return line.box.top >= (found.box.top + found.box.bottom) / 2;
    };
    const auto at = aboveAll ? lines.begin() : std::find_if(lines.begin(), lines.end(), comesAfter);
    lines.insert(at, std::move(found));
}

}  // namespace kiroku::plugins::ocr
