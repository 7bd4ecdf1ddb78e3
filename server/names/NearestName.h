#pragma once
// nearestName: the existing name that a typed one most likely misspells, for messages
// such as "there is no folder 名薄: did you mean 名簿?". Pure function, thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku {

// The name among `names` closest to `typed` by edit distance counted in Unicode code
// points (inserting, deleting or replacing one character is one edit: 名薄 and 名簿 are
// one apart, not three bytes). A name counts only when it is at most one edit in three
// characters of `typed` away (at least one edit) and fewer edits than `typed` has
// characters; ties go to the first in `names`. Nothing when no name is that close, or
// when `typed` is itself among `names`. Both are UTF-8 (DocPath names are NFC).
std::optional<std::string> nearestName(std::string_view typed,
                                       const std::vector<std::string>& names);

}  // namespace kiroku
