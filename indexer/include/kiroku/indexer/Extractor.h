#pragma once
// The text-extractor plugin interface. A plugin is a shared library in plugins/<format>/
// that depends only on this header (and the libraries its format needs) and exports its
// extractors with Poco's class-loader manifest:
//
//   POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
//       POCO_EXPORT_CLASS(PdfExtractor)
//   POCO_END_MANIFEST
//
// Extractors run inside `kiroku-extract` worker processes (never inside kirokud), under
// CPU-time, memory and output limits, because the files they read are untrusted.

#include "kiroku/indexer/Utf8.h"  // what an extractor needs for its UTF-8 output

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::indexer {

// The file cannot be read as the format it claims (corrupt, encrypted, truncated …).
// what() is a short English reason recorded for `kiroku index status` and the API.
class ExtractionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Extractor {
public:
    virtual ~Extractor() = default;

    // A short name for logs and the index status ("text", "pdf", "ooxml" …).
    virtual std::string name() const = 0;

    // MIME types this extractor handles, exactly as libmagic reports them
    // (e.g. "application/pdf", "text/plain"). A type ending in "/*" matches a family.
    virtual std::vector<std::string> mimeTypes() const = 0;

    // Returns the document's text as UTF-8 (any encoding converted; markup removed;
    // paragraphs separated by newlines). Stops after `maxBytes` bytes of text: output
    // beyond that is dropped, never an error. Throws ExtractionError for a file that
    // cannot be read. Must not read more of a compressed member than it needs for
    // `maxBytes` of text (zip bombs). utf8PrefixLength (Utf8.h) cuts text at the cap.
    virtual std::string extract(const std::string& path, std::size_t maxBytes) const = 0;

    // Whether the extractor can work on this machine: a short description of what it will
    // use (the OCR extractor: its languages, "jpn+jpn_vert+eng"), or an ExtractionError
    // whose what() says why it cannot ("OCR is not available: tesseract-ocr-jpn is not
    // installed"). Cheap: it reads no file. `kiroku-extract --check` prints it. Extractors
    // that need nothing beyond their own library keep this default.
    virtual std::string availability() const { return "available"; }
};

}  // namespace kiroku::indexer
