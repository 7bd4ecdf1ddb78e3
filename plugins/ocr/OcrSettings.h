#pragma once
// The OCR plugin's options, as kiroku-extract passes them (environment variables set from
// its command line before the plugin is loaded), and the Tesseract language data installed
// on this machine.

#include <chrono>
#include <string>

namespace kiroku::plugins::ocr {

struct OcrSettings {
    // Tesseract languages joined by '+', in order of preference.
    std::string languages = "jpn+jpn_vert+eng";
    // At most this many pages of a PDF or TIFF are read; the rest is left out.
    int pageLimit = 20;
    // Reading a file stops after this long; the text read by then is the result.
    std::chrono::seconds timeLimit{120};

    // KIROKU_OCR_LANGUAGES, KIROKU_OCR_PAGES and KIROKU_OCR_SECONDS where set (a value
    // that is not a positive number keeps the default).
    static OcrSettings fromEnvironment();
};

// Where Tesseract finds its language data: TESSDATA_PREFIX (the folder itself, or its
// tessdata/ sub-folder, as Tesseract accepts both) or else Debian's
// /usr/share/tesseract-ocr/5/tessdata.
std::string tessdataDir();

// The languages of `requested` ("jpn+jpn_vert+eng") whose <lang>.traineddata is in `dir`,
// in the same order, joined by '+'. Throws indexer::ExtractionError when none of them is,
// or when Japanese (jpn or jpn_vert) is asked for and none of it is installed:
// "OCR is not available: tesseract-ocr-jpn is not installed".
std::string installedLanguages(const std::string& requested, const std::string& dir);

}  // namespace kiroku::plugins::ocr
