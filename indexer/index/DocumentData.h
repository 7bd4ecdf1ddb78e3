#pragma once
// A document's data in the index (internal to the indexer): what a hit shows without
// reading anything else (path, type, fiscal year, modified time), then the sync points
// that map its normalised content back to the original text. Pure functions,
// thread-safe.

#include "index/StoredText.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku::indexer {

struct DocumentData {
    std::string path, type;
    int year = 0;
    std::int64_t modifiedUs = 0;
    std::vector<SyncPoint> sync;
};

// "v2\tPATH\tTYPE\tYEAR\tMODIFIED\n" then each sync point as two varints (the
// difference to the one before). Path and type must not hold a tab or a newline.
std::string packDocumentData(const DocumentData& data);

// The data as packed; a damaged header gives empty fields (year 0), damaged sync
// points end the list where they start.
DocumentData unpackDocumentData(const std::string& packed);

}  // namespace kiroku::indexer
