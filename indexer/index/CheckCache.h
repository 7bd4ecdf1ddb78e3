#pragma once
// What the checks of long terms found (internal to the indexer), for each term and
// document, in one state of the index: the next page, another filter or the next person
// asking for the same words does not unpack the same texts again. Thread-safe.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kiroku::indexer {

class CheckCache {
public:
    // About how many bytes of states are kept before the least recently used go.
    static constexpr std::size_t kDefaultBytes = 4u << 20;

    explicit CheckCache(std::size_t maxBytes = kDefaultBytes) : maxBytes_(maxBytes) {}

    // For each document id: 0 not checked yet, 1 contains the term, 2 does not. Read and
    // written by any number of searches at once (relaxed atomics: a state only ever goes
    // from 0 to the answer, which is the same whoever finds it).
    using States = std::shared_ptr<std::vector<std::atomic<std::uint8_t>>>;

    // The states under `key` (the caller makes it from the index's UUID and revision and
    // the term, so any change to the index starts afresh), made with `documents` entries
    // (the last document id + 1) the first time. Least recently used keys go first once
    // the states take more than the limit; the newest is always kept. A caller holding
    // States keeps them usable after they are dropped here.
    States states(const std::string& key, std::size_t documents);
    // The bytes of states kept now: at most the limit, or the newest alone.
    std::size_t bytes();

private:
    const std::size_t maxBytes_;
    std::mutex mutex_;
    std::list<std::string> order_;  // most recently used first
    std::unordered_map<std::string, std::pair<States, std::list<std::string>::iterator>> entries_;
    std::size_t bytes_ = 0;
};

}  // namespace kiroku::indexer
