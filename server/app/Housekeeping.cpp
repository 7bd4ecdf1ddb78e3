#include "app/Housekeeping.h"

#include "db/Database.h"

#include <Poco/Exception.h>

#include <chrono>

namespace kiroku {

Housekeeping::Housekeeping(DocumentStore& store, int trashDays, Poco::Logger& log,
                           std::function<void()> round)
    : store_(store), trashDays_(trashDays), log_(log), round_(std::move(round)) {}

Housekeeping::~Housekeeping() { stop(); }

void Housekeeping::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void Housekeeping::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Housekeeping::runOnce() {
    if (trashDays_ > 0) {
        std::size_t purged =
            store_.purgeTrashBefore(isoDaysAgo(trashDays_), Actor{"kirokud", "local", ""});
        if (purged > 0) {
            log_.information("purged %z trash entries older than %d days", purged, trashDays_);
        }
    }
    if (round_) round_();
}

void Housekeeping::run() {
    for (;;) {
        try {
            runOnce();
        } catch (const Poco::Exception& e) {
            log_.error("housekeeping: %s (tried again in an hour)", e.displayText());
        } catch (const std::exception& e) {
            log_.error("housekeeping: %s (tried again in an hour)", std::string(e.what()));
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; })) return;
    }
}

}  // namespace kiroku
