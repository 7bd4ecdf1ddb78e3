#pragma once
// Index generations (internal to the indexer): the database lives in DIR/<generation>/
// (gen-1, gen-2 …), and the file DIR/CURRENT names the live one, so a rebuild writes the
// next generation beside the live one and swaps it in atomically while searches go on.

#include <string>

namespace kiroku::indexer {

// The folder of the live generation: DIR/ plus the name in DIR/CURRENT, or DIR/gen-1
// when CURRENT is missing or empty, or its name holds a '/'.
// Reads the file each time (another process may have swapped it). Thread-safe.
std::string liveGeneration(const std::string& dir);

// The name of the generation after the one in the folder `live` (gen-N -> gen-N+1).
std::string nextGeneration(const std::string& live);

// Names `generation` the live one: written to a temporary file, flushed to the disk,
// then renamed over CURRENT (and the folder flushed), so a crash leaves the old name or
// the new one, never a torn one. Throws std::runtime_error when it cannot. One caller at
// a time per DIR.
void setLiveGeneration(const std::string& dir, const std::string& generation);

}  // namespace kiroku::indexer
