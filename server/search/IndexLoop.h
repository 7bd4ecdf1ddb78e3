#pragma once
// IndexLoop: the thread that keeps the search index current while kirokud runs. It
// rebuilds an index written by an earlier version first, then applies the change
// journal within a second or two of each change, and looks for files changed on the
// disk directly at start and every index.scanMinutes. Errors are logged and retried;
// nothing here stops the server. stop() returns once the thread has ended.

#include "search/SearchService.h"

#include <Poco/Logger.h>

#include <atomic>
#include <thread>

namespace kiroku {

class IndexLoop {
public:
    IndexLoop(SearchService& search, indexer::SearchIndex& index, int scanMinutes,
              Poco::Logger& log);
    ~IndexLoop();
    void start();
    void stop();

private:
    void run();

    SearchService& search_;
    indexer::SearchIndex& index_;
    int scanMinutes_;
    Poco::Logger& log_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace kiroku
