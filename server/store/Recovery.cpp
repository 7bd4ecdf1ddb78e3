#include "store/Recovery.h"

#include "db/Audit.h"
#include "store/ChangeJournal.h"
#include "store/FileOps.h"

#include <dirent.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

namespace kiroku {

RecoveryReport recoverChanges(const DataDir& dir, Database& db, FileSystem& fs) {
    RecoveryReport report;
    // No change is between its journal and its commit while this lock is held.
    Transaction lock(db);
    std::vector<std::string> plans;
    {
        std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.journal().c_str()), ::closedir);
        if (!d) return report;
        while (dirent* e = ::readdir(d.get())) {
            std::string name = e->d_name;
            if (name != "." && name != "..") plans.push_back(dir.journal() + "/" + name);
        }
    }
    for (const auto& file : plans) {
        auto plan = journal::read(file);
        if (!plan) {
            ++report.torn;
        } else if (db::audit::hasOp(lock.session(), plan->op)) {
            for (const auto& s : plan->after) journal::run(fs, dir.root(), s);
            ++report.finished;
        } else {
            for (auto it = plan->steps.rbegin(); it != plan->steps.rend(); ++it)
                journal::undo(fs, dir.root(), *it);
            ++report.undone;
        }
        fileops::removeTree(fs, file);
    }
    if (!plans.empty()) fs.syncDir(dir.journal());
    return report;
}

}  // namespace kiroku
