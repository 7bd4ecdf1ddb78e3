#pragma once
// The pages of a PDF for OCR, through poppler-cpp: each page's own text layer, and the page
// rendered in grey at a resolution good for OCR.

#include <memory>
#include <string>

#include "Pix.h"

namespace poppler {
class document;
}

namespace kiroku::plugins::ocr {

class PdfPages {
public:
    // Pages are rendered at kDpi unless that would exceed kMaxPixels (a page larger than
    // A3), then at the resolution that fits.
    static constexpr double kDpi = 300.0;
    static constexpr double kMaxPixels = 24e6;

    // Throws indexer::ExtractionError for a PDF that cannot be read or is locked.
    explicit PdfPages(const std::string& path);
    ~PdfPages();
    PdfPages(const PdfPages&) = delete;
    PdfPages& operator=(const PdfPages&) = delete;

    int count() const;

    // The page's text layer as UTF-8 (empty for a scanned page).
    std::string text(int index) const;

    // The page in 8-bit grey at `dpi` (lowered to keep within kMaxPixels), with the
    // resolution used; an empty pix when it cannot be rendered.
    PageImage render(int index, double dpi = kDpi) const;

private:
    std::unique_ptr<poppler::document> document_;
};

}  // namespace kiroku::plugins::ocr
