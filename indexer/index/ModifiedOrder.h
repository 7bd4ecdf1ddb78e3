#pragma once
// The newest first among equal scores, without reading a value for each candidate
// (internal to the indexer). Xapian reads the sort value of every candidate that could
// enter the page: at 50x (95 k documents) that was a third or more of a search's reads
// (issue 14). Here every document's modified time is read once an index state, into a
// table of 8 bytes a document, and a candidate's key comes from it. The table is kept
// only within its bound (part of index.searchCacheMB); past it, the searches sort by the
// value as before, in the same order.

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiroku::indexer {

// Each document id's modified time as a number that sorts as the time (0: none).
using ModifiedTimes = std::shared_ptr<const std::vector<std::uint64_t>>;

class ModifiedOrder {
public:
    explicit ModifiedOrder(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    // The table of `db` in `state` (the caller's name for it: the index's UUID and
    // revision), read the first time; null when it would take more than the bound. Only
    // the last state's table is kept.
    ModifiedTimes of(const Xapian::Database& db, const std::string& state);
    std::size_t bytes();

    // A candidate's sort key from the table: ordered as the value of kModifiedSlot is
    // (sortable_serialise of the microseconds), and empty where the document has none.
    class Key : public Xapian::KeyMaker {
    public:
        explicit Key(ModifiedTimes times) : times_(std::move(times)) {}
        std::string operator()(const Xapian::Document& doc) const override;

    private:
        ModifiedTimes times_;
    };

    // The number a stored value sorts as (0 for none): exposed for the tests.
    static std::uint64_t sortingNumber(const std::string& value);

private:
    const std::size_t maxBytes_;
    std::mutex mutex_;
    std::string state_;
    ModifiedTimes times_;
};

}  // namespace kiroku::indexer
