// The "pdf" plugin: the text layer of PDF files, page by page, through poppler-cpp.
// Image-only (scanned) PDFs give empty text; password-protected and unreadable PDFs give an
// ExtractionError.

#include <Poco/ClassLibrary.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <memory>
#include <string>
#include <vector>

#include "TextSink.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

void ignorePopplerMessage(const std::string&, void*) {}

}  // namespace

class PdfExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "pdf"; }

    std::vector<std::string> mimeTypes() const override { return {"application/pdf"}; }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        // poppler reports every damaged object on stderr; the reason we give is enough.
        poppler::set_debug_error_function(ignorePopplerMessage, nullptr);
        std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
        if (!doc) throw indexer::ExtractionError("not a readable PDF (damaged or truncated)");
        if (doc->is_locked()) throw indexer::ExtractionError("password-protected PDF");

        TextSink sink(maxBytes);
        const int pages = doc->pages();
        for (int i = 0; i < pages && !sink.full(); ++i) {
            std::unique_ptr<poppler::page> page(doc->create_page(i));
            if (!page) continue;
            const poppler::byte_array utf8 =
                page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
            sink.append(std::string_view(utf8.data(), utf8.size()));
            sink.endLine();
        }
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::PdfExtractor)
POCO_END_MANIFEST
