#pragma once
// Housekeeping: the thread of kirokud that does what time asks for — for now, purging
// what has been in the trash longer than store.trashDays (0 keeps it for ever). It runs
// right after start and then every hour; a failure is logged and tried again at the
// next round. stop() returns once the thread has ended.

#include "store/DocumentStore.h"

#include <Poco/Logger.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace kiroku {

class Housekeeping {
public:
    Housekeeping(DocumentStore& store, int trashDays, Poco::Logger& log);
    ~Housekeeping();
    void start();
    void stop();

    // One round, now (what the thread does every hour).
    void runOnce();

private:
    void run();

    DocumentStore& store_;
    int trashDays_;
    Poco::Logger& log_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace kiroku
