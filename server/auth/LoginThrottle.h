#pragma once
// LoginThrottle: slows down password guessing. After `failureLimit` failed logins
// for one login name (in any mix of upper and lower case) or from one address, further
// attempts for it are refused for a delay that doubles with every further failure
// (5 s, 10 s, 20 s … up to 15 min). A success does not clear the count — otherwise a
// guesser with an account of their own could log in between guesses — it fades after
// an hour without failures. The records are bounded: when names a stranger made up
// fill them, the oldest name records go first; address records stay. Thread-safe.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace kiroku {

class LoginThrottle {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit LoginThrottle(int failureLimit, Clock clock = std::chrono::steady_clock::now);

    // Seconds until an attempt for this login name from this address is allowed;
    // 0 when it is allowed now.
    int retryAfter(const std::string& user, const std::string& address);

    // Records a failed attempt. Returns the delay in seconds it imposes (0 if none).
    int recordFailure(const std::string& user, const std::string& address);

private:
    struct Record {
        int failures = 0;
        std::chrono::steady_clock::time_point blockedUntil{};
        std::chrono::steady_clock::time_point last{};
    };
    int bump(const std::string& key, std::chrono::steady_clock::time_point now);
    int remaining(const std::string& key, std::chrono::steady_clock::time_point now);
    void forgetOld(std::chrono::steady_clock::time_point now);

    int failureLimit_;
    Clock clock_;
    std::map<std::string, Record> records_;
    std::mutex mutex_;
};

}  // namespace kiroku
