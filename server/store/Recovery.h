#pragma once
// Recovery: what a start-up does before the store is used. Every change plan left in
// journal/ by a process that died (or failed to undo an error) is finished when its
// change committed, and undone when it did not; then the temporary folders of processes
// that are gone are removed from tmp/. Safe while another process (kirokud, the CLI)
// uses the same data folder: it holds the database's write lock while it looks, and a
// change in progress holds that lock until its commit.

#include "core/DataDir.h"
#include "db/Database.h"
#include "store/FileSystem.h"

#include <cstddef>

namespace kiroku {

struct RecoveryReport {
    std::size_t finished = 0;  // committed changes whose clean-up was finished
    std::size_t undone = 0;    // changes that had not committed, taken back
    std::size_t torn = 0;      // plans written only in part (nothing had run yet)
};

RecoveryReport recoverChanges(const DataDir& dir, Database& db, FileSystem& fs);

}  // namespace kiroku
