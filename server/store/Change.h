#pragma once
// Change: one change step of the store — metadata rows, file-system steps, the audit
// row and with it the index queue entry — that happens entirely or not at all, whatever
// fails and wherever the process dies.
//
//   1. The constructor begins a write transaction (the database's write lock, shared
//      with every other process) and makes a fresh operation id.
//   2. The caller checks what it needs under that lock, writes its rows through
//      session() (the audit row carrying op()), and declares the file-system steps.
//   3. commit(): the plan goes to journal/<op> (durable), the steps run (each synced),
//      the transaction commits, the steps after the commit run, the plan is removed.
//
// If anything fails before the commit is known to have happened, the steps that ran are
// undone and the transaction rolls back; the error is rethrown. If the process dies,
// the next start finds the plan and finishes or undoes it (store/Recovery.h). Nothing
// is named after a database id, so nothing a failed change leaves behind collides.
//
// Not thread-safe: one Change belongs to one thread.

#include "core/DataDir.h"
#include "db/Database.h"
#include "store/ChangeJournal.h"
#include "store/FileSystem.h"

#include <memory>
#include <string>

namespace kiroku {

class Change {
public:
    Change(Database& db, FileSystem& fs, const DataDir& dir);
    ~Change();
    Change(const Change&) = delete;
    Change& operator=(const Change&) = delete;

    Poco::Data::Session& session() { return tx_.session(); }
    const std::string& op() const { return plan_.op; }
    FileSystem& fs() { return fs_; }

    // Steps, run in the order declared. Paths are absolute and inside the data folder.
    // `to` becomes another name for `from`'s content (a version being kept).
    void link(const std::string& from, const std::string& to);
    // `from` replaces `to`, whose content `kept` holds (a link() declared before).
    void replace(const std::string& from, const std::string& to, const std::string& kept);
    // `from`, prepared under tmp/, becomes `to` (which must not exist).
    void create(const std::string& from, const std::string& to);
    // An existing file or folder moves to `to` (which must not exist).
    void move(const std::string& from, const std::string& to);
    void makeDir(const std::string& path);
    // Removed once the change has committed (a pruned version, a purged trash entry).
    void removeAfterCommit(const std::string& path);

    // Runs the steps and commits (see above). Throws StoreError or Poco::Exception; the
    // change has then not happened.
    void commit();

private:
    std::string relative(const std::string& path) const;
    void takeBack(std::size_t stepsRun) noexcept;

    DataDir dir_;
    FileSystem& fs_;
    Database& db_;
    Transaction tx_;
    ChangePlan plan_;
    std::string journalFile_;
    bool done_ = false;
};

}  // namespace kiroku
