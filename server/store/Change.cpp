#include "store/Change.h"

#include "db/Audit.h"
#include "store/FileOps.h"
#include "store/StoreError.h"

#include <Poco/Exception.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>

namespace kiroku {

Change::Change(Database& db, FileSystem& fs, const DataDir& dir)
    : dir_(dir), fs_(fs), db_(db), tx_(db) {
    plan_.op = fileops::uniqueName("");
    journalFile_ = dir_.journal() + "/" + plan_.op;
}

Change::~Change() = default;

std::string Change::relative(const std::string& path) const {
    const std::string& root = dir_.root();
    if (path.compare(0, root.size() + 1, root + "/") != 0) {
        throw StoreError(StoreError::Kind::Io, msg("doc.io_failed"),
                         "path outside the data folder: " + path);
    }
    return path.substr(root.size() + 1);
}

void Change::link(const std::string& from, const std::string& to) {
    plan_.steps.push_back({JournalStep::Kind::Link, relative(from), relative(to), {}, {}});
}

void Change::replace(const std::string& from, const std::string& to, const std::string& kept) {
    plan_.steps.push_back(
        {JournalStep::Kind::Replace, relative(from), relative(to), relative(kept), {}});
}

void Change::create(const std::string& from, const std::string& to) {
    auto id = identityOf(from);
    if (!id) fileops::throwErrno("find", from);
    plan_.steps.push_back({JournalStep::Kind::Create, relative(from), relative(to), {}, *id});
}

void Change::move(const std::string& from, const std::string& to) {
    auto id = identityOf(from);
    if (!id) fileops::throwErrno("find", from);
    plan_.steps.push_back({JournalStep::Kind::Move, relative(from), relative(to), {}, *id});
}

void Change::makeDir(const std::string& path) {
    plan_.steps.push_back({JournalStep::Kind::MakeDir, relative(path), {}, {}, {}});
}

void Change::removeAfterCommit(const std::string& path) {
    plan_.after.push_back({JournalStep::Kind::Remove, relative(path), {}, {}, {}});
}

void Change::takeBack(std::size_t stepsRun) noexcept {
    // Every undo checks the disk first, so the step that failed halfway is included.
    try {
        for (std::size_t i = std::min(stepsRun + 1, plan_.steps.size()); i-- > 0;) {
            journal::undo(fs_, dir_.root(), plan_.steps[i]);
        }
        ::unlink(journalFile_.c_str());
    } catch (...) {
        // The plan stays in journal/: the next start finishes undoing it.
    }
}

void Change::commit() {
    bool journalled = !plan_.steps.empty() || !plan_.after.empty();
    // Recovery tells a committed change by its audit row: a change without one could
    // not be told from one that never happened.
    if (journalled && !db::audit::hasOp(session(), plan_.op)) {
        throw std::logic_error(
            "a change with file-system steps must write an audit row with its op");
    }
    std::size_t ran = 0;
    try {
        if (journalled) journal::write(fs_, journalFile_, plan_);
        for (; ran < plan_.steps.size(); ++ran) journal::run(fs_, dir_.root(), plan_.steps[ran]);
    } catch (...) {
        if (journalled) takeBack(ran);
        throw;
    }
    try {
        fs_.commit(tx_);
    } catch (...) {
        // The commit may have happened even so (an error after the data was written):
        // the audit log decides, as it does after a crash.
        tx_.rollback();
        std::optional<bool> committed;
        try {
            committed = db::audit::hasOp(tx_.session(), plan_.op);
        } catch (...) {
            // Unknown: the plan stays in journal/ and the next start decides.
        }
        if (committed != std::optional<bool>(true)) {
            if (journalled && committed) takeBack(plan_.steps.size());
            throw;
        }
    }
    done_ = true;
    if (!journalled) return;
    try {
        for (const auto& s : plan_.after) journal::run(fs_, dir_.root(), s);
        ::unlink(journalFile_.c_str());
    } catch (...) {
        // Committed; what is left to clean up is finished by the next start.
    }
}

}  // namespace kiroku
