#pragma once
// The writer behind SearchIndex::Batch (internal to the indexer): one open
// Xapian::WritableDatabase, which holds Xapian's write lock until the batch ends. Used
// from one thread at a time.

#include "index/TextFiles.h"
#include "kiroku/indexer/SearchIndex.h"

#include <xapian.h>

#include <cstddef>
#include <memory>

namespace kiroku::indexer {

struct SearchIndex::Batch::Impl {
    Xapian::WritableDatabase db;
    NormaliseOptions options;
    std::size_t documents = 0;  // since the last commit
    std::size_t textBytes = 0;
    // A rebuild's writer: each document's texts go to this file of the new generation.
    std::unique_ptr<TextsFileWriter> texts;
};

}  // namespace kiroku::indexer
