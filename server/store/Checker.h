#pragma once
// Checker: compares the files on disk with the metadata, for `kiroku check`. It finds
// what a bug, a failing disk or a hand on the NAS can leave behind:
//
//   - a version or trash entry whose file is missing, or a file under versions/ or
//     trash/ that no entry refers to;
//   - a document or folder the metadata knows whose file is gone, or is now the other
//     kind (file or folder);
//   - files and folders added by hand that have no node yet (not a fault: reported
//     as a count, and given nodes by a repair);
//   - a change plan still in journal/ (recovery runs when the store opens, so only a
//     change still in progress in another process leaves one).
//
// repair() mends each: entries without files are dropped (their bytes are gone), files
// without entries become trash entries under 復元されたファイル/ (nothing is deleted),
// nodes of vanished files are retired, kinds are corrected, new files get nodes. Every
// repair is recorded in the audit log. Run with kirokud stopped or running: each repair
// is a transaction of its own.

#include "core/DataDir.h"
#include "db/Database.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku {

struct StoreProblem {
    enum class Kind {
        VersionFileMissing,
        TrashFileMissing,
        StrayVersionFile,
        StrayTrashFile,
        FileMissing,    // a live node whose file or folder is gone
        KindChanged,    // a node recorded as a file is a folder on disk, or the reverse
        PendingChange,  // a plan in journal/
    };
    Kind kind;
    std::string what;  // plain English, relative to the data folder
    std::int64_t id = 0;
    std::string name;  // the blob, or the document path
};

struct CheckReport {
    std::vector<StoreProblem> problems;
    std::size_t unknownFiles = 0;  // files and folders on disk without a node yet
    std::size_t documents = 0;     // files under files/
    std::size_t folders = 0;
};

CheckReport checkStore(const DataDir& dir, Database& db);

// Mends what checkStore reported; returns what it did, one line each.
std::vector<std::string> repairStore(const DataDir& dir, Database& db, const CheckReport& report);

}  // namespace kiroku
