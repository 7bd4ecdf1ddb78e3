#pragma once
// LoginAudit: failed and throttled logins go into the audit log and the server log
// without letting anyone fill either. Per address and kind (failed, throttled), the
// first attempt of a ten-minute window is recorded at once, and the rest of the window
// as one summary row ("N more attempts: names…") when it is over. Names are made
// printable and cut to 64 bytes; at most three distinct ones are named in a summary.
// The windows held are bounded (addresses beyond the bound share one window). What a
// stranger can make the server store is so bounded by the number of windows, not of
// attempts. Thread-safe.

#include "db/Database.h"

#include <Poco/Logger.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace kiroku {

class LoginAudit {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    LoginAudit(Database& db, Poco::Logger& log, Clock clock = std::chrono::steady_clock::now);
    ~LoginAudit();

    // result: "failed" or "throttled".
    void record(const std::string& name, const std::string& address, const std::string& result);
    // Writes the summaries of every open window (at shutdown).
    void flush();

private:
    struct Window {
        std::chrono::steady_clock::time_point start;
        std::string address, result;
        int more = 0;  // attempts after the first
        std::set<std::string> names;
    };
    void write(const std::string& name, const std::string& address, const std::string& result,
               const std::string& detail);
    void close(const Window& w);
    void closeOld(std::chrono::steady_clock::time_point now);

    Database& db_;
    Poco::Logger& log_;
    Clock clock_;
    std::map<std::string, Window> windows_;
    std::chrono::steady_clock::time_point swept_{};
    std::mutex mutex_;
};

}  // namespace kiroku
