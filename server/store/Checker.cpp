#include "store/Checker.h"

#include "db/Audit.h"
#include "db/Nodes.h"
#include "db/Trash.h"
#include "db/Versions.h"
#include "names/DocPath.h"
#include "store/Change.h"
#include "store/FileOps.h"
#include "store/FileSystem.h"

#include <dirent.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <set>

namespace kiroku {

namespace {

std::vector<std::string> namesIn(const std::string& dir) {
    std::vector<std::string> out;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) return out;
    while (dirent* e = ::readdir(d.get())) {
        std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(n);
    }
    return out;
}

// Every file and folder under files/ that the store can reach: path -> is a folder.
void walk(const std::string& disk, const std::string& path, std::map<std::string, bool>& out) {
    for (const auto& n : namesIn(disk)) {
        std::string checked;
        try {
            checked = DocPath::checkName(n);
        } catch (const BadName&) {
            continue;
        }
        if (checked != n) continue;
        struct stat st {};
        std::string child = disk + "/" + n;
        if (::lstat(child.c_str(), &st) != 0) continue;
        std::string p = path.empty() ? n : path + "/" + n;
        if (S_ISDIR(st.st_mode)) {
            out[p] = true;
            walk(child, p, out);
        } else if (S_ISREG(st.st_mode)) {
            out[p] = false;
        }
    }
}

AuditEvent repairEvent(const std::string& path, const std::string& detail, const std::string& op) {
    AuditEvent e;
    e.user = "kiroku-check";
    e.roles = msg("label.admin_cli").ja;
    e.address = "local";
    e.action = "repair";
    e.path = path;
    e.dest = detail;
    e.result = "ok";
    e.op = op;
    return e;
}

}  // namespace

CheckReport checkStore(const DataDir& dir, Database& db) {
    CheckReport r;
    auto lease = db.lease();
    auto& s = **lease;
    std::set<std::string> versionBlobs, trashBlobs;
    for (const auto& v : db::versions::all(s)) {
        versionBlobs.insert(v.blob);
        if (!identityOf(dir.versions() + "/" + v.blob)) {
            r.problems.push_back({StoreProblem::Kind::VersionFileMissing,
                                  "version " + std::to_string(v.id) + " of /" + v.path +
                                      ": versions/" + v.blob + " is missing",
                                  v.id, v.blob});
        }
    }
    for (const auto& t : db::trash::all(s)) {
        trashBlobs.insert(t.blob);
        if (!identityOf(dir.trash() + "/" + t.blob)) {
            r.problems.push_back({StoreProblem::Kind::TrashFileMissing,
                                  "trash entry " + std::to_string(t.id) + " (/" + t.path +
                                      "): trash/" + t.blob + " is missing",
                                  t.id, t.blob});
        }
    }
    for (const auto& n : namesIn(dir.versions())) {
        if (!versionBlobs.count(n)) {
            r.problems.push_back({StoreProblem::Kind::StrayVersionFile,
                                  "versions/" + n + " belongs to no version", 0, n});
        }
    }
    for (const auto& n : namesIn(dir.trash())) {
        if (!trashBlobs.count(n)) {
            r.problems.push_back({StoreProblem::Kind::StrayTrashFile,
                                  "trash/" + n + " belongs to no trash entry", 0, n});
        }
    }
    std::map<std::string, bool> disk;
    walk(dir.files(), "", disk);
    for (const auto& [p, isDir] : disk) (isDir ? r.folders : r.documents)++;
    std::set<std::string> known;
    for (const auto& n : db::nodes::live(s)) {
        if (!n.path || n.path->empty()) continue;
        known.insert(*n.path);
        auto it = disk.find(*n.path);
        if (it == disk.end()) {
            r.problems.push_back(
                {StoreProblem::Kind::FileMissing,
                 "/" + *n.path + " is in the metadata but not on the disk (removed by hand?)", n.id,
                 *n.path});
        } else if (it->second != n.isDir) {
            r.problems.push_back({StoreProblem::Kind::KindChanged,
                                  "/" + *n.path + " is recorded as a " +
                                      (n.isDir ? "folder" : "file") + " but is a " +
                                      (it->second ? "folder" : "file") + " on the disk",
                                  n.id, *n.path});
        }
    }
    for (const auto& [p, isDir] : disk) r.unknownFiles += known.count(p) ? 0 : 1;
    for (const auto& n : namesIn(dir.journal())) {
        r.problems.push_back({StoreProblem::Kind::PendingChange,
                              "journal/" + n + ": a change is in progress or was interrupted", 0,
                              n});
    }
    return r;
}

std::vector<std::string> repairStore(const DataDir& dir, Database& db, const CheckReport& report) {
    std::vector<std::string> done;
    FileSystem& fs = posixFileSystem();
    for (const auto& p : report.problems) {
        Change change(db, fs, dir);
        auto& s = change.session();
        std::string line;
        switch (p.kind) {
            case StoreProblem::Kind::VersionFileMissing:
                db::versions::remove(s, p.id);
                db::audit::append(
                    s,
                    repairEvent("", "dropped version " + std::to_string(p.id) + " (file missing)",
                                change.op()));
                line = "dropped version " + std::to_string(p.id) + ": its file was missing";
                break;
            case StoreProblem::Kind::TrashFileMissing:
                db::trash::remove(s, p.id);
                db::audit::append(
                    s, repairEvent(
                           "", "dropped trash entry " + std::to_string(p.id) + " (file missing)",
                           change.op()));
                line = "dropped trash entry " + std::to_string(p.id) + ": its file was missing";
                break;
            case StoreProblem::Kind::StrayVersionFile:
            case StoreProblem::Kind::StrayTrashFile: {
                // Nothing is deleted: the file becomes a trash entry an administrator can
                // look at and restore.
                bool inVersions = p.kind == StoreProblem::Kind::StrayVersionFile;
                std::string from = (inVersions ? dir.versions() : dir.trash()) + "/" + p.name;
                struct stat st {};
                if (::lstat(from.c_str(), &st) != 0) continue;
                db::TrashRow t;
                t.path = msg("trash.recovered_folder").ja + "/" +
                         std::string(inVersions ? "versions-" : "trash-") + p.name;
                t.blob = inVersions ? fileops::uniqueName("") : p.name;
                t.isDir = S_ISDIR(st.st_mode);
                t.size = static_cast<std::int64_t>(fileops::treeSize(from));
                t.deleted = nowIso();
                t.deletedBy = "kiroku-check";
                t.nodeId = db::nodes::createDetached(s, p.name, t.isDir);
                std::int64_t id = db::trash::add(s, t);
                if (inVersions) change.move(from, dir.trash() + "/" + t.blob);
                db::audit::append(
                    s, repairEvent(t.path, "recovered into trash entry " + std::to_string(id),
                                   change.op()));
                line = (inVersions ? "versions/" : "trash/") + p.name + " is now trash entry " +
                       std::to_string(id) + " (/" + t.path + ")";
                break;
            }
            case StoreProblem::Kind::FileMissing:
                db::nodes::retireWithin(s, p.name);
                db::audit::append(s, repairEvent(p.name, "forgotten: removed from the disk by hand",
                                                 change.op()));
                line = "/" + p.name + ": forgotten (it was removed from the disk)";
                break;
            case StoreProblem::Kind::KindChanged: {
                auto row = db::nodes::byId(s, p.id);
                if (!row) continue;
                DocPath path = DocPath::fromText(p.name);
                db::nodes::ensure(s, path.segments(), !row->isDir);
                db::audit::append(
                    s, repairEvent(p.name,
                                   "recorded as a " + std::string(row->isDir ? "file" : "folder"),
                                   change.op()));
                line = "/" + p.name + ": now recorded as a " + (row->isDir ? "file" : "folder");
                break;
            }
            case StoreProblem::Kind::PendingChange:
                continue;  // recovery's to finish (it runs whenever the store opens)
        }
        change.commit();
        done.push_back(line);
    }
    if (report.unknownFiles > 0) {
        std::map<std::string, bool> disk;
        walk(dir.files(), "", disk);
        Transaction tx(db);
        std::size_t adopted = 0;
        for (const auto& [p, isDir] : disk) {
            if (db::nodes::byPath(tx.session(), p)) continue;
            db::nodes::ensure(tx.session(), DocPath::fromText(p).segments(), isDir);
            ++adopted;
        }
        tx.commit();
        done.push_back("gave " + std::to_string(adopted) +
                       " files and folders added by hand their ids");
    }
    return done;
}

}  // namespace kiroku
