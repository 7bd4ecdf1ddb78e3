#pragma once
// A page image made ready for Tesseract with Leptonica: grey, lit evenly, upright and with
// characters of the size Tesseract reads best. Each step is taken only where it helped on
// the test pages (bench/ocr.sh; figures in docs/design.md, "OCR").

#include "Pix.h"

namespace kiroku::plugins::ocr {

struct Preparation {
    // Characters are scaled to about this size in pixels (the larger side of the page's
    // connected pieces, 75th percentile), when they are 20 or fewer or 40 or more.
    static constexpr int kTargetCharacterPixels = 32;
    // Pages skewed by less than this are left to Tesseract, which reads them as well (and
    // better than after a rotation that blurs them).
    static constexpr double kMinDeskewDegrees = 3.0;
    // A background whose brightness varies by more than this (of 255) across the page —
    // shade or a lamp on a photographed notice — is evened out.
    static constexpr int kMaxBackgroundSpread = 24;
    // The prepared page never has more pixels than this.
    static constexpr double kMaxPixels = 24e6;

    double scale = 1.0;             // applied to the page
    double deskewDegrees = 0.0;     // rotation applied
    bool backgroundEvened = false;  // whether the lighting was evened out
    int characterPixels = 0;        // measured before scaling; 0 when too few characters
};

// Returns `page` as 8-bit grey ready for recognition and says what was done; `dpi` (0 when
// unknown) follows the scale. Never returns null for a non-null page (throws
// std::bad_alloc when memory runs out).
PixPtr prepareForOcr(Pix* page, int& dpi, Preparation& done);

}  // namespace kiroku::plugins::ocr
