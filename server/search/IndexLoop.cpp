#include "search/IndexLoop.h"

#include <algorithm>
#include <chrono>

namespace kiroku {

IndexLoop::IndexLoop(SearchService& search, indexer::SearchIndex& index, int scanMinutes,
                     Poco::Logger& log)
    : search_(search), index_(index), scanMinutes_(std::max(scanMinutes, 1)), log_(log) {}

IndexLoop::~IndexLoop() { stop(); }

void IndexLoop::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void IndexLoop::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void IndexLoop::run() {
    auto nextScan = std::chrono::steady_clock::now();
    try {
        if (!index_.hasCurrentFormat()) {
            log_.information("the search index was written by an earlier version: rebuilding it");
            log_.information("search index rebuilt: %z documents", search_.reindex());
        }
    } catch (const std::exception& e) {
        log_.error("rebuilding the search index failed: %s", std::string(e.what()));
    } catch (...) {
        log_.error("rebuilding the search index failed: an error of the search index");
    }
    while (!stopping_) {
        try {
            if (std::chrono::steady_clock::now() >= nextScan) {
                std::size_t n = search_.scan();
                if (n) log_.information("index scan: %z documents updated", n);
                nextScan = std::chrono::steady_clock::now() + std::chrono::minutes(scanMinutes_);
            }
            while (!stopping_ && search_.processQueue() > 0) {
            }
        } catch (const std::exception& e) {
            log_.error("indexing failed: %s", std::string(e.what()));
        } catch (...) {
            // Xapian's errors are not std::exceptions (out of descriptors, a damaged
            // index): the loop must outlive them, as the server does.
            log_.error(
                "indexing failed: an error of the search index (it can be rebuilt: kiroku "
                "reindex)");
        }
        for (int i = 0; i < 10 && !stopping_; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace kiroku
