// The "ocr" plugin: the text of scanned PDFs and of photographed or scanned images,
// Japanese first (Tesseract with jpn, jpn_vert and eng). Served only by workers started
// with `kiroku-extract --ocr`, which kirokud runs apart from the ordinary indexing, at low
// priority. Options come from kiroku-extract's command line through the environment
// (OcrSettings.h): languages, a page cap and a time cap per file; at the time cap the text
// read so far is the result. Pages are separated by a blank line.

#include <Poco/ClassLibrary.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "ImageReader.h"
#include "OcrSettings.h"
#include "PagePreparation.h"
#include "PdfPages.h"
#include "Recogniser.h"
#include "TextSink.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins::ocr {
namespace {

using Clock = std::chrono::steady_clock;

// A PDF page with at least this many characters of its own text is not OCRed: its text
// layer is exact (a PDF with typed pages between scanned ones).
constexpr std::size_t kTextLayerCharacters = 20;

std::size_t characterCount(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80 && c > ' ') ++n;
    return n;
}

// libmagic calls a file a PDF when "%PDF-" is in its first 1024 bytes; so does this.
bool isPdf(const std::string& start) { return start.find("%PDF-") != std::string::npos; }

}  // namespace

class OcrExtractor : public indexer::Extractor {
public:
    OcrExtractor() : settings_(OcrSettings::fromEnvironment()) {
        // Leptonica reports every damaged image on stderr; the reason we give is enough.
        setMsgSeverity(L_SEVERITY_NONE);
    }

    std::string name() const override { return "ocr"; }

    std::vector<std::string> mimeTypes() const override {
        return {"application/pdf", "image/jpeg",     "image/png",  "image/tiff",
                "image/heic",      "image/heif",     "image/avif", "image/webp",
                "image/bmp",       "image/x-ms-bmp", "image/gif",  "image/jp2"};
    }

    std::string availability() const override {
        return installedLanguages(settings_.languages, tessdataDir());
    }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        const auto deadline = Clock::now() + settings_.timeLimit;
        std::string start(1024, '\0');
        {
            std::ifstream in(path, std::ios::binary);
            in.read(start.data(), static_cast<std::streamsize>(start.size()));
            start.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
        }
        TextSink sink(maxBytes);
        if (isPdf(start))
            readPdf(path, deadline, sink);
        else
            readImage(path, deadline, sink);
        return sink.take();
    }

private:
    Recogniser& recogniser() const {
        if (!recogniser_) {
            const std::string dir = tessdataDir();
            recogniser_ =
                std::make_unique<Recogniser>(dir, installedLanguages(settings_.languages, dir));
        }
        return *recogniser_;
    }

    // The page's pixels are let go once prepared: a photo's colour pixels are four times
    // the grey page Tesseract reads.
    std::string readPage(PageImage page, Clock::time_point deadline) const {
        Preparation done;
        int dpi = page.dpi;
        PixPtr prepared = prepareForOcr(page.pix.get(), dpi, done);
        page.pix.reset();
        return recogniser().read(prepared.get(), dpi, deadline);
    }

    // A page rendered once to measure its characters, and again at the resolution that
    // gives them the size Tesseract reads best: sharper than scaling the first rendering.
    std::string readPdfPage(const PdfPages& pdf, int index, Clock::time_point deadline) const {
        PageImage page = pdf.render(index, PdfPages::kDpi);
        if (!page.pix) return "";
        Preparation done;
        int dpi = page.dpi;
        PixPtr prepared = prepareForOcr(page.pix.get(), dpi, done);
        if (done.scale == 1.0 || done.backgroundEvened || done.deskewDegrees != 0.0) {
            page.pix.reset();
            return recogniser().read(prepared.get(), dpi, deadline);
        }
        prepared.reset();
        page = pdf.render(index, page.dpi * done.scale);
        return page.pix ? readPage(std::move(page), deadline) : "";
    }

    // Pages are separated by one blank line.
    static void appendPage(TextSink& sink, std::string text) {
        const std::size_t end = text.find_last_not_of(" \t\r\n");
        if (end == std::string::npos) return;
        text.resize(end + 1);
        if (sink.size() > 0) sink.append("\n\n");
        sink.append(text);
    }

    void readPdf(const std::string& path, Clock::time_point deadline, TextSink& sink) const {
        PdfPages pdf(path);
        recogniser();  // "not available" before any page is rendered
        const int pages = std::min(pdf.count(), settings_.pageLimit);
        for (int i = 0; i < pages && !sink.full() && Clock::now() < deadline; ++i) {
            std::string text = pdf.text(i);
            if (characterCount(text) < kTextLayerCharacters) text = readPdfPage(pdf, i, deadline);
            appendPage(sink, text);
        }
    }

    void readImage(const std::string& path, Clock::time_point deadline, TextSink& sink) const {
        ImageReader reader(path);
        recogniser();
        for (int i = 0; i < settings_.pageLimit && !sink.full() && Clock::now() < deadline; ++i) {
            PageImage page = reader.next();
            if (!page.pix) break;
            appendPage(sink, readPage(std::move(page), deadline));
        }
    }

    const OcrSettings settings_;
    mutable std::unique_ptr<Recogniser> recogniser_;  // loaded on the first file
};

}  // namespace kiroku::plugins::ocr

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::ocr::OcrExtractor)
POCO_END_MANIFEST
