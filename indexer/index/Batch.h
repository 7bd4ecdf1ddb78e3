#pragma once
// The writer behind SearchIndex::Batch (internal to the indexer): one open
// Xapian::WritableDatabase, which holds Xapian's write lock until the batch ends. Used
// from one thread at a time.

#include "kiroku/indexer/SearchIndex.h"

#include <xapian.h>

#include <cstddef>

namespace kiroku::indexer {

struct SearchIndex::Batch::Impl {
    Xapian::WritableDatabase db;
    NormaliseOptions options;
    std::size_t documents = 0;  // since the last commit
    std::size_t textBytes = 0;
};

}  // namespace kiroku::indexer
