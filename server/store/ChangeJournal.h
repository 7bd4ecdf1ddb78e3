#pragma once
// ChangeJournal: the plan of one change step, written durably to journal/<op> before
// its first file-system step, so that whatever happens next — an I/O error, a crash,
// a power cut — the change can be finished or taken back:
//
//   - the change committed (its operation id is in the audit log): the steps after the
//     commit (removing files no longer needed) are done again, idempotently;
//   - it did not: the steps before the commit are undone in reverse order. Each undo
//     looks at the disk first, so undoing a step that never ran, or ran halfway, or was
//     already undone, is harmless.
//
// Paths in a plan are relative to the data directory. Names never hold tabs or line
// breaks (DocPath refuses control characters), so the plan is a line-based text file.

#include "store/FileSystem.h"

#include <optional>
#include <string>
#include <vector>

namespace kiroku {

struct JournalStep {
    enum class Kind {
        Link,     // link a -> b (b: a new name, holding a's current content)
        Replace,  // rename a over b; c holds b's previous content (a Link before)
        Create,   // rename a (prepared under tmp/) to b, which must not exist
        Move,     // rename a to b, which must not exist
        MakeDir,  // create the folder a
        Remove,   // after the commit: remove a (a file or a whole folder)
    };
    Kind kind = Kind::Link;
    std::string a, b, c;
    FileIdentity identity;  // Create, Move: what a was, so an undo takes back only that
};

struct ChangePlan {
    std::string op;
    std::vector<JournalStep> steps;  // before the commit
    std::vector<JournalStep> after;  // after the commit
};

namespace journal {

// Writes the plan to `file` and makes it durable (file and folder synced).
void write(FileSystem& fs, const std::string& file, const ChangePlan& plan);

// Reads a plan; nothing when the file is torn or not a plan (a crash while writing
// it, before any step could run).
std::optional<ChangePlan> read(const std::string& file);

// Runs one step; `root` is the data directory. Afterwards the folders the step changed
// are synced, so a later step never becomes durable before it.
void run(FileSystem& fs, const std::string& root, const JournalStep& step);

// Takes one step back if it ran (see above).
void undo(FileSystem& fs, const std::string& root, const JournalStep& step);

}  // namespace journal
}  // namespace kiroku
