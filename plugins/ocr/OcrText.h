#pragma once
// Text as Tesseract recognised it, laid out for reading: the words of a line joined with
// a space only where the page has a gap (Tesseract puts spaces between Japanese words and
// characters that the page does not have, most of all with jpn_vert), and lines that an
// extra pass found put back in reading order. Pure functions, no Tesseract.

#include <string>
#include <string_view>
#include <vector>

namespace kiroku::plugins::ocr {

// A box on the page in pixels, right and bottom exclusive.
struct Box {
    int left = 0, top = 0, right = 0, bottom = 0;
    int width() const { return right - left; }
    int height() const { return bottom - top; }
};

// A recognised word (UTF-8, no spaces) and its box.
struct Word {
    std::string text;
    Box box;
};

// A recognised line and its box.
struct Line {
    std::string text;
    Box box;
    bool vertical() const { return box.height() > box.width(); }
};

// True for characters that Japanese writes without spaces between them: kana, kanji, the
// prolonged sound mark, CJK punctuation and brackets, and full-width forms.
bool isJapaneseCharacter(char32_t c);

// The words of one line (in reading order) as one string. Between two words a space is
// kept when neither side is Japanese (Latin words, numbers), or when the gap between
// their boxes along the line is at least 0.8 of the line's thickness (a real gap, e.g.
// between a form's label and its value) and no full-width punctuation stands there (、 。
// and brackets carry their own space); otherwise the words are joined. Empty words are left
// out.
std::string joinWords(const std::vector<Word>& words);

// Inserts `found` (lines a second pass read where the first found none, e.g. a short
// heading) among `lines` (the first pass's, in its reading order) where it belongs: before
// every line when it is above them all, else before the first line that comes after it:
// below it on a horizontal page, left of it on a page of vertical lines.
void insertInReadingOrder(std::vector<Line>& lines, Line found);

}  // namespace kiroku::plugins::ocr
