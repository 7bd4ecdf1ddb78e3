#pragma once
// OcrLoop: the thread that reads scanned PDFs and photos with OCR while kirokud runs,
// one file at a time, only while the ordinary index queue is empty (uploads and edits
// are searchable first), through its own low-priority kiroku-extract worker. A file is
// searchable by name as soon as it is indexed and by its text once OCR has read it.
// Errors are logged and the file is recorded as failed; nothing here stops the server.

#include "search/SearchService.h"

#include <Poco/Logger.h>

#include <atomic>
#include <thread>

namespace kiroku {

class OcrLoop {
public:
    OcrLoop(SearchService& search, ExtractFn ocr, Poco::Logger& log);
    ~OcrLoop();
    void start();
    void stop();

private:
    void run();

    SearchService& search_;
    ExtractFn ocr_;
    Poco::Logger& log_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace kiroku
