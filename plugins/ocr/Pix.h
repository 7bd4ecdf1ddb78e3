#pragma once
// Leptonica images owned by unique_ptr, and a page image with its resolution: what the
// readers of the OCR plugin hand to page preparation and recognition.

#include <leptonica/allheaders.h>

#include <memory>

namespace kiroku::plugins::ocr {

struct PixDeleter {
    void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// One page to read: its pixels and their resolution in dots per inch (0 when the file does
// not say; Tesseract then estimates it from the text).
struct PageImage {
    PixPtr pix;
    int dpi = 0;
};

}  // namespace kiroku::plugins::ocr
