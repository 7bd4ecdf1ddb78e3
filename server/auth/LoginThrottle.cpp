#include "auth/LoginThrottle.h"

#include <Poco/UTF8String.h>

#include <algorithm>
#include <vector>

namespace kiroku {

namespace {
constexpr int kBaseDelaySeconds = 5;
constexpr int kMaxDelaySeconds = 15 * 60;
constexpr auto kForgetAfter = std::chrono::hours(1);
constexpr std::size_t kMaxRecords = 10000;

std::string userKey(const std::string& user) {
    return "u:" + Poco::UTF8::toLower(user.substr(0, 64));
}
std::string addressKey(const std::string& address) { return "a:" + address; }
}  // namespace

LoginThrottle::LoginThrottle(int failureLimit, Clock clock)
    : failureLimit_(std::max(failureLimit, 1)), clock_(std::move(clock)) {}

int LoginThrottle::remaining(const std::string& key, std::chrono::steady_clock::time_point now) {
    auto it = records_.find(key);
    if (it == records_.end() || it->second.blockedUntil <= now) return 0;
    auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.blockedUntil - now);
    return static_cast<int>(left.count()) + 1;
}

int LoginThrottle::retryAfter(const std::string& user, const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = clock_();
    return std::max(remaining(userKey(user), now), remaining(addressKey(address), now));
}

int LoginThrottle::bump(const std::string& key, std::chrono::steady_clock::time_point now) {
    Record& r = records_[key];
    if (r.failures > 0 && now - r.last > kForgetAfter) r = Record{};
    ++r.failures;
    r.last = now;
    if (r.failures < failureLimit_) return 0;
    int over = std::min(r.failures - failureLimit_, 16);
    int delay = std::min(kBaseDelaySeconds << over, kMaxDelaySeconds);
    r.blockedUntil = now + std::chrono::seconds(delay);
    return delay;
}

int LoginThrottle::recordFailure(const std::string& user, const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = clock_();
    forgetOld(now);
    return std::max(bump(userKey(user), now), bump(addressKey(address), now));
}

void LoginThrottle::forgetOld(std::chrono::steady_clock::time_point now) {
    if (records_.size() < kMaxRecords) return;
    for (auto it = records_.begin(); it != records_.end();) {
        if (now - it->second.last > kForgetAfter && it->second.blockedUntil <= now) {
            it = records_.erase(it);
        } else {
            ++it;
        }
    }
    if (records_.size() < kMaxRecords) return;
    // Still full of recent records: names made up by a guesser. Drop the older half of
    // the name records; the address records keep throttling the guesser.
    std::vector<std::chrono::steady_clock::time_point> times;
    for (const auto& [key, r] : records_) {
        if (key[0] == 'u') times.push_back(r.last);
    }
    if (times.empty()) return;
    std::nth_element(times.begin(), times.begin() + static_cast<long>(times.size() / 2),
                     times.end());
    auto median = times[times.size() / 2];
    for (auto it = records_.begin(); it != records_.end();) {
        it = it->first[0] == 'u' && it->second.last <= median ? records_.erase(it) : std::next(it);
    }
}

}  // namespace kiroku
