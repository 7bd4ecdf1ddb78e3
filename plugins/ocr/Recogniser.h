#pragma once
// Tesseract, loaded once per worker, reading one prepared page at a time: page layout in
// automatic mode (columns, vertical text), then a second, sparse pass over ink that the
// layout left unread (short headings it drops), within the file's deadline.
//
// Languages: Japanese pages are read with the Japanese languages asked for (jpn, jpn_vert)
// alone, because Tesseract trying eng beside them turns short Japanese words into Latin
// letters (区長 read "ER", (日) "(A)"), while jpn reads Latin letters and digits well
// itself. The other languages asked for (eng) read again a page that the Japanese reading
// found mostly in Latin letters, with jpn behind them. Not thread-safe (a worker reads one
// file at a time).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "OcrText.h"
#include "Pix.h"

namespace tesseract {
class TessBaseAPI;
}

namespace kiroku::plugins::ocr {

class Recogniser {
public:
    using Clock = std::chrono::steady_clock;

    // Lines the second pass finds are kept only when Tesseract is at least this sure of
    // them (0-100) and they have at least kMinRecoveredCharacters: what it reads in
    // leftover specks, pictures or a character cut off a line read in the first pass
    // (区 read "エー") is shorter or scores lower.
    static constexpr float kMinRecoveredConfidence = 60.0f;
    static constexpr std::size_t kMinRecoveredCharacters = 3;

    // Loads `languages` ("jpn+jpn_vert+eng", all installed) from `tessdataDir`: the
    // Japanese ones now, the others when a page first needs them. Throws
    // indexer::ExtractionError when Tesseract cannot load them.
    Recogniser(const std::string& tessdataDir, const std::string& languages);
    ~Recogniser();
    Recogniser(const Recogniser&) = delete;
    Recogniser& operator=(const Recogniser&) = delete;

    // The text of `page` (8-bit grey, see prepareForOcr) at `dpi` (0: unknown), one line per
    // text line in reading order. Stops at `deadline` with what it has read by then (the
    // words it had no time for are left out); "" when the deadline has passed.
    std::string read(Pix* page, int dpi, Clock::time_point deadline);

private:
    class Engine;
    Engine& latin();

    std::string tessdataDir_;
    std::string latinLanguages_;     // "eng+jpn"; "" when only Japanese was asked for
    std::unique_ptr<Engine> first_;  // the Japanese languages (or all, if none is Japanese)
    std::unique_ptr<Engine> latin_;  // loaded on the first page that needs it
};

}  // namespace kiroku::plugins::ocr
