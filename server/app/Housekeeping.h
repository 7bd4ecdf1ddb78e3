#pragma once
// Housekeeping: the thread of kirokud that does what time asks for: purging what has
// been in the trash longer than store.trashDays (0 keeps it for ever), and the rounds
// other parts hand it (opening the handovers that fall due). It runs
// right after start and then every hour; a failure is logged and tried again at the
// next round. stop() returns once the thread has ended.

#include "store/DocumentStore.h"

#include <Poco/Logger.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kiroku {

class Housekeeping {
public:
    // `round`: done after the purge in every round (nothing when empty).
    Housekeeping(DocumentStore& store, int trashDays, Poco::Logger& log,
                 std::function<void()> round = {});
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
    std::function<void()> round_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace kiroku
