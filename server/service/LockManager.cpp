#include "service/LockManager.h"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

namespace kiroku::service {

long Lock::secondsLeft() const {
    // Rounded up, so a lock just granted for 3600 s reports 3600, not 3599.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        expires - std::chrono::steady_clock::now());
    return std::max<long>((left.count() + 999) / 1000, 0);
}

void LockManager::expire(Clock::time_point now) {
    for (auto it = locks_.begin(); it != locks_.end();) {
        if (it->second.expires <= now) {
            it = locks_.erase(it);
        } else {
            ++it;
        }
    }
}

bool LockManager::empty() {
    std::lock_guard<std::mutex> guard(mutex_);
    expire(Clock::now());
    return locks_.empty();
}

template <typename Predicate>
std::vector<Lock> LockManager::select(Predicate keep) {
    std::lock_guard<std::mutex> guard(mutex_);
    expire(Clock::now());
    std::vector<Lock> out;
    for (const auto& [token, lock] : locks_) {
        if (keep(lock)) out.push_back(lock);
    }
    return out;
}

std::vector<Lock> LockManager::covering(const DocPath& path) {
    return select(
        [&](const Lock& l) { return l.root == path || (l.infinite && path.isWithin(l.root)); });
}

std::vector<Lock> LockManager::within(const DocPath& path) {
    return select([&](const Lock& l) { return l.root.isWithin(path); });
}

std::vector<Lock> LockManager::affecting(const DocPath& path) {
    return select([&](const Lock& l) {
        return l.root.isWithin(path) || (l.infinite && path.isWithin(l.root));
    });
}

LockManager::Result LockManager::acquire(const DocPath& path, bool exclusive, bool infinite,
                                         std::string ownerXml, std::string principal,
                                         int timeoutSeconds) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto now = Clock::now();
    expire(now);
    for (const auto& [token, lock] : locks_) {
        bool overlaps = lock.root == path || (lock.infinite && path.isWithin(lock.root)) ||
                        (infinite && lock.root.isWithin(path));
        if (overlaps && (exclusive || lock.exclusive)) return {std::nullopt, lock.root};
    }
    Lock lock;
    lock.token =
        "opaquelocktoken:" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    lock.root = path;
    lock.exclusive = exclusive;
    lock.infinite = infinite;
    lock.ownerXml = std::move(ownerXml);
    lock.principal = std::move(principal);
    lock.timeoutSeconds = timeoutSeconds;
    lock.expires = now + std::chrono::seconds(timeoutSeconds);
    locks_[lock.token] = lock;
    return {lock, std::nullopt};
}

std::optional<Lock> LockManager::refresh(const std::string& token, int timeoutSeconds) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto now = Clock::now();
    expire(now);
    auto it = locks_.find(token);
    if (it == locks_.end()) return std::nullopt;
    it->second.timeoutSeconds = timeoutSeconds;
    it->second.expires = now + std::chrono::seconds(timeoutSeconds);
    return it->second;
}

std::optional<Lock> LockManager::find(const std::string& token) {
    std::lock_guard<std::mutex> guard(mutex_);
    expire(Clock::now());
    auto it = locks_.find(token);
    if (it == locks_.end()) return std::nullopt;
    return it->second;
}

bool LockManager::release(const std::string& token) {
    std::lock_guard<std::mutex> guard(mutex_);
    return locks_.erase(token) > 0;
}

void LockManager::releaseWithin(const DocPath& path) {
    std::lock_guard<std::mutex> guard(mutex_);
    for (auto it = locks_.begin(); it != locks_.end();) {
        if (it->second.root.isWithin(path)) {
            it = locks_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace kiroku::service
