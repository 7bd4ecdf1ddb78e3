#include "index/CheckCache.h"

namespace kiroku::indexer {

CheckCache::States CheckCache::states(const std::string& key, std::size_t documents) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        order_.splice(order_.begin(), order_, it->second.second);
        return it->second.first;
    }
    auto states = std::make_shared<std::vector<std::atomic<std::uint8_t>>>(documents);
    order_.push_front(key);
    entries_.emplace(key, std::make_pair(states, order_.begin()));
    bytes_ += documents + key.size();
    while (bytes_ > maxBytes_ && order_.size() > 1) {
        auto last = entries_.find(order_.back());
        bytes_ -= last->second.first->size() + last->first.size();
        entries_.erase(last);
        order_.pop_back();
    }
    return states;
}

std::size_t CheckCache::bytes() {
    std::lock_guard<std::mutex> guard(mutex_);
    return bytes_;
}

}  // namespace kiroku::indexer
