#pragma once
// The production ExtractFn: text extraction through a pool of kiroku-extract worker
// processes (untrusted files never touch kirokud's own memory), found beside the
// running executable (a build tree) or in "<its dir>/../lib/kiroku" (installed), with
// the plugins in "plugins/" there.

#include "core/Settings.h"
#include "search/SearchService.h"

#include <memory>
#include <string>

namespace kiroku {

// Directory of the running executable (/proc/self/exe).
std::string executableDir();

// An ExtractFn backed by `workers` long-lived kiroku-extract processes from `binDir`.
ExtractFn workerPoolExtractor(const std::string& binDir, std::size_t workers = 2);

// Whether OCR can run here: `kiroku-extract --ocr --check` with the configured
// languages. `what` is then the languages it reads, else why it cannot (a package
// missing).
struct OcrAvailability {
    bool available = false;
    std::string what;
};
OcrAvailability ocrAvailability(const std::string& binDir, const Settings& settings);

// An ExtractFn that reads images and scanned PDFs with OCR: `settings.ocrWorkers`
// kiroku-extract --ocr processes at the lowest CPU priority, with the configured
// languages, page cap and time per file.
ExtractFn ocrPoolExtractor(const std::string& binDir, const Settings& settings);

// Turns OCR on in `search` when it can run here (texts it read kept in INDEXDIR/ocr),
// else records why it does not; returns what it found.
OcrAvailability setUpOcr(SearchService& search, const std::string& indexDir,
                         const std::string& binDir, const Settings& settings);

}  // namespace kiroku
