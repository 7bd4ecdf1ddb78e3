#include "PdfPages.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins::ocr {
namespace {

void ignorePopplerMessage(const std::string&, void*) {}

// No side of a rendered page beyond this (Leptonica and Tesseract take 16-bit sizes
// poorly); a long strip is rendered at a lower resolution.
constexpr double kMaxSide = 16000.0;

}  // namespace

PdfPages::PdfPages(const std::string& path) {
    // poppler reports every damaged object on stderr; the reason we give is enough.
    poppler::set_debug_error_function(ignorePopplerMessage, nullptr);
    document_.reset(poppler::document::load_from_file(path));
    if (!document_) throw indexer::ExtractionError("not a readable PDF (damaged or truncated)");
    if (document_->is_locked()) throw indexer::ExtractionError("password-protected PDF");
}

PdfPages::~PdfPages() = default;

int PdfPages::count() const { return document_->pages(); }

std::string PdfPages::text(int index) const {
    std::unique_ptr<poppler::page> page(document_->create_page(index));
    if (!page) return "";
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
    return std::string(utf8.data(), utf8.size());
}

PageImage PdfPages::render(int index, double dpi) const {
    std::unique_ptr<poppler::page> page(document_->create_page(index));
    if (!page) return {};
    const poppler::rectf box = page->page_rect();
    double width = std::abs(box.width()) / 72.0, height = std::abs(box.height()) / 72.0;
    if (page->orientation() == poppler::page::landscape ||
        page->orientation() == poppler::page::seascape)
        std::swap(width, height);
    if (width <= 0 || height <= 0) return {};
    dpi = std::min(dpi, std::sqrt(kMaxPixels / (width * height)));
    dpi = std::min({dpi, kMaxSide / width, kMaxSide / height});

    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) return {};

    PixPtr pix(pixCreate(image.width(), image.height(), 8));
    if (!pix) throw std::bad_alloc();
    l_uint32* rows = pixGetData(pix.get());
    const int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < image.height(); ++y) {
        const auto* in = reinterpret_cast<const unsigned char*>(image.const_data()) +
                         static_cast<std::ptrdiff_t>(y) * image.bytes_per_row();
        l_uint32* out = rows + static_cast<std::ptrdiff_t>(y) * wpl;
        for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(out, x, in[x]);
    }
    const int resolution = static_cast<int>(std::lround(dpi));
    pixSetResolution(pix.get(), resolution, resolution);
    return {std::move(pix), resolution};
}

}  // namespace kiroku::plugins::ocr
