#pragma once
// The first search of a long word on two threads (internal to the indexer). Its
// candidates must be checked against their stored texts until 10,000 pass (up to 15 µs a
// candidate at 95,000 documents, most of it reading the texts' values); Xapian's matcher
// asks for them one at a time on the search's thread. Before it runs, the candidates are
// listed in the order the matcher takes them and checked in chunks by the search's
// thread and one more, as Lucene searches the slices of an index on an executor: what
// they find goes to the checks' `known` tables (CheckCache.h), where the matcher then
// finds it. Only an optimisation: the matcher checks whatever is left, so the answers
// are the same with or without it.

#include "index/CandidateDecider.h"

#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

namespace kiroku::indexer {

struct CheckAheadLimits {
    std::size_t fewest = 2000;  // fewer candidates than this: the matcher checks alone
    std::size_t most = 40000;   // candidates listed at most (8 bytes each, for a moment)
    std::size_t chunk = 256;    // candidates a thread takes at a time
};

// Checks the candidates of `candidates` (the query that selects them, without weights
// that matter) in `db`, in ascending document order, until `wanted` pass every check or
// `limits.most` are checked; the second thread opens `generation` itself and does
// nothing unless it finds the same revision as `db`. Texts kept in files are read from
// `texts` (the generation's, TextFiles.h). Returns how many candidates were
// checked (0 when there were too few to share). Never throws.
std::size_t checkAhead(Xapian::Database& db, const std::string& generation, const TextFiles& texts,
                       const Xapian::Query& candidates, const std::vector<TextCheck>& checks,
                       const NormaliseOptions& options, std::size_t wanted,
                       const CheckAheadLimits& limits = {});

}  // namespace kiroku::indexer
