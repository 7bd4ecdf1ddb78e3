#pragma once
// The fiscal year a document is filed under (internal to the indexer). Pure,
// thread-safe.

#include <cstdint>
#include <string>

namespace kiroku::indexer {

// From the document's name or folders (令和5年度, R5, 2023年度, H30), else from the
// first date in the first 4,096 characters of its normalised content, else from its
// modified time (in the time zone `zone`).
int documentYear(const std::string& path, const std::u32string& normalisedText,
                 std::int64_t modifiedUs, const std::string& zone);

}  // namespace kiroku::indexer
