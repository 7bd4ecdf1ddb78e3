#pragma once
// The readers searches use (internal to the indexer): one open database per thread and
// index, reopened (cheap) for each search rather than opened, and opened afresh when a
// rebuild has made another generation live.

#include "index/TextFiles.h"

#include <xapian.h>

#include <string>

namespace kiroku::indexer {

struct Reader {
    std::string generation;  // the folder it has open
    Xapian::Database db;
    TextFiles texts;  // the generation's, opened with it
};

// The calling thread's reader of `owner`'s index, up to date with the live generation
// `generation` (a folder, as liveGeneration() gives it). Only this thread uses it; its
// next call for the same owner may reopen or replace the database. Readers live until
// their thread ends.
Reader& threadReader(const void* owner, const std::string& generation);

}  // namespace kiroku::indexer
