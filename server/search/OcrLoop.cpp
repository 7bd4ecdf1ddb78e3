#include "search/OcrLoop.h"

#include <chrono>

namespace kiroku {

OcrLoop::OcrLoop(SearchService& search, ExtractFn ocr, Poco::Logger& log)
    : search_(search), ocr_(std::move(ocr)), log_(log) {}

OcrLoop::~OcrLoop() { stop(); }

void OcrLoop::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void OcrLoop::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void OcrLoop::run() {
    while (!stopping_) {
        bool worked = false;
        try {
            IndexStatus s = search_.status(0);
            if (s.pending == 0 && s.ocrPending > 0) worked = search_.processOcr(ocr_, 1) > 0;
        } catch (const std::exception& e) {
            log_.error("OCR failed: %s", std::string(e.what()));
        } catch (...) {
            // Xapian's errors are not std::exceptions (out of descriptors, a damaged
            // index): the loop must outlive them, as the server does.
            log_.error(
                "OCR failed: an error of the search index (it can be rebuilt: kiroku reindex)");
        }
        if (worked) continue;
        for (int i = 0; i < 10 && !stopping_; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace kiroku
