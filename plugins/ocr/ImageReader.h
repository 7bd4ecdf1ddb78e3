#pragma once
// The pages of an image file for OCR: JPEG, PNG, TIFF (every page), GIF, BMP, WebP,
// JPEG 2000 and PNM through Leptonica; HEIC, HEIF and AVIF through libheif. Files are
// untrusted: the size an image declares is checked before any pixel is decoded, so an
// image bomb (a few bytes declaring gigapixels) is refused without allocating it.

#include <cstddef>
#include <string>

#include "Pix.h"

namespace kiroku::plugins::ocr {

class ImageReader {
public:
    // Larger images are refused before decoding: 50 megapixels is a 48 MP phone photo,
    // or an A3 page at 600 dpi.
    static constexpr double kMaxMegapixels = 50.0;
    static constexpr std::size_t kMaxFileBytes = 256u << 20;

    // True when `start` (the first bytes of a file) is an image this reader knows.
    static bool knows(const std::string& start);

    // Reads the file into memory. Throws indexer::ExtractionError when it cannot be read,
    // is no image this reader knows, or declares more than kMaxMegapixels or more pixels
    // than its bytes can hold ("image too large: 100000 x 100000 pixels …").
    explicit ImageReader(const std::string& path);

    // The next page, upright (a JPEG's Exif orientation applied), or an empty pix after the
    // last one: one page for most files, each page of a multi-page TIFF. Throws
    // indexer::ExtractionError for a page that declares too many pixels or cannot be
    // decoded ("not a readable image (damaged or truncated)").
    PageImage next();

private:
    PageImage decodeWithLeptonica();
    PageImage decodeHeif();

    std::string bytes_;
    int format_ = 0;  // Leptonica's IFF_*, or -1 for HEIF
    int page_ = 0;    // the next page to read
};

}  // namespace kiroku::plugins::ocr
