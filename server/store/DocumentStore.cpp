#include "store/DocumentStore.h"

#include "store/FileOps.h"

#include "audit/AuditLog.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>

using namespace Poco::Data::Keywords;

namespace kiroku {

namespace {

constexpr std::uint64_t kSpaceCheckEvery = 8u << 20;

Entry entryFrom(DocPath path, const struct stat& st) {
    Entry e;
    e.path = std::move(path);
    e.isDir = S_ISDIR(st.st_mode);
    e.size = e.isDir ? 0 : static_cast<std::uint64_t>(st.st_size);
    e.changeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    e.modifiedUs = e.changeNs / 1000;
    std::int64_t ctimeUs =
        static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000 + st.st_ctim.tv_nsec / 1000;
    e.createdUs = std::min(e.modifiedUs, ctimeUs);
    return e;
}

// Number of Unicode code points in UTF-8 text (SQLite's substr counts characters).
std::size_t codePoints(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// SQL condition selecting a path and everything below it; binds 3 values.
const char* const kSubtree = "(path = ? OR (path >= ? AND path < ?))";

// Values for SQL that re-roots the metadata of `from` and everything below it at `to`.
struct Rebase {
    Rebase(const DocPath& from, const DocPath& to)
        : f(from.str()), t(to.str()), tParent(to.parent().str()), lo(f + "/"), hi(f + "0"),
          cut(static_cast<std::int64_t>(codePoints(f)) + 1) {}
    std::string f, t, tParent, lo, hi;  // lo/hi: the range of paths strictly below f
    std::int64_t cut;                   // substr() start of what follows f (in characters)
};

std::string isoFromUs(std::int64_t us) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%S.%iZ");
}

StoreError notFound(const DocPath& p) {
    return StoreError(StoreError::Kind::NotFound, "not found: /" + p.str(),
                      "ファイルまたはフォルダが見つかりません");
}

StoreError parentMissing(const DocPath& p) {
    return StoreError(StoreError::Kind::ParentMissing,
                      "the folder /" + p.parent().str() + " does not exist",
                      "保存先のフォルダがありません。先にフォルダを作ってください");
}

}  // namespace

std::string Entry::etag() const {
    std::string out;
    appendEtag(out);
    return out;
}

void Entry::appendEtag(std::string& out) const {
    auto hex = [](std::string& out, std::uint64_t v) {
        char buf[16];
        int n = 0;
        do {
            buf[n++] = "0123456789abcdef"[v & 15];
            v >>= 4;
        } while (v != 0);
        while (n > 0) out += buf[--n];
    };
    out += '"';
    hex(out, size);
    out += '-';
    hex(out, static_cast<std::uint64_t>(changeNs));
    out += '"';
}

DocumentStore::DocumentStore(const DataDir& dir, Database& db, const Settings& settings)
    : dir_(dir), db_(db), settings_(settings) {
    // Uploads and copies interrupted by a crash or kill leave only temporary files;
    // the documents themselves were never touched, so the leftovers can go.
    std::unique_ptr<DIR, int (*)(DIR*)> tmp(::opendir(dir_.tmp().c_str()), ::closedir);
    if (tmp) {
        std::vector<std::string> leftovers;
        while (dirent* e = ::readdir(tmp.get())) {
            std::string name = e->d_name;
            if (name != "." && name != "..") leftovers.push_back(dir_.tmp() + "/" + name);
        }
        for (const auto& p : leftovers) fileops::removeTree(p);
    }
}

std::string DocumentStore::diskPath(const DocPath& path) const {
    return path.isRoot() ? dir_.files() : dir_.files() + "/" + path.str();
}

std::optional<Entry> DocumentStore::stat(const DocPath& path) const {
    // Every component is checked so that a link placed inside files/ by hand can
    // never lead a request outside the data directory.
    std::string disk = dir_.files();
    struct stat st {};
    if (::lstat(disk.c_str(), &st) != 0) return std::nullopt;
    for (const auto& seg : path.segments()) {
        if (!S_ISDIR(st.st_mode)) return std::nullopt;
        disk += '/';
        disk += seg;
        if (::lstat(disk.c_str(), &st) != 0) return std::nullopt;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) return std::nullopt;
    return entryFrom(path, st);
}

std::vector<Entry> DocumentStore::list(const DocPath& dirPath) const {
    auto self = stat(dirPath);
    if (!self) throw notFound(dirPath);
    if (!self->isDir) {
        throw StoreError(StoreError::Kind::NotAFolder, "not a folder: /" + dirPath.str(),
                         "フォルダではありません");
    }
    std::string disk = diskPath(dirPath);
    int dfd = ::open(disk.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) fileops::throwErrno("open folder", disk);
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(dfd), ::closedir);
    if (!dir) {
        ::close(dfd);
        fileops::throwErrno("open folder", disk);
    }
    struct Found {
        std::string name;
        struct stat st;
    };
    std::vector<Found> found;
    while (dirent* e = ::readdir(dir.get())) {
        const char* name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        struct stat st {};
        if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;
        std::string checked;
        try {
            checked = DocPath::checkName(name);
        } catch (const BadName&) {
            continue;
        }
        if (checked != name) continue;  // not in NFC: not reachable by its name
        found.push_back({std::move(checked), st});
    }
    std::vector<std::size_t> order(found.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return found[a].name < found[b].name; });
    std::vector<Entry> out;
    out.reserve(found.size());
    for (std::size_t i : order) out.push_back(entryFrom(dirPath.child(found[i].name), found[i].st));
    return out;
}

std::string DocumentStore::diskPathForReading(const DocPath& path) const {
    auto e = stat(path);
    if (!e || e->isDir) throw notFound(path);
    return diskPath(path);
}

int DocumentStore::openForRead(const DocPath& path) const {
    auto e = stat(path);
    if (!e) throw notFound(path);
    if (e->isDir) {
        throw StoreError(StoreError::Kind::IsAFolder, "is a folder: /" + path.str(),
                         "フォルダは開けません");
    }
    int fd = ::open(diskPath(path).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) fileops::throwErrno("open", "/" + path.str());
    return fd;
}

void DocumentStore::checkFreeSpace(std::int64_t needed) const {
    std::uint64_t free = fileops::freeBytes(dir_.files());
    std::uint64_t want = static_cast<std::uint64_t>(std::max<std::int64_t>(needed, 0)) +
                         static_cast<std::uint64_t>(std::max<std::int64_t>(settings_.minFreeBytes, 0));
    if (free < want) {
        throw StoreError(StoreError::Kind::InsufficientStorage,
                         "not enough disk space (" + std::to_string(free / (1 << 20)) +
                             " MB free, reserve " +
                             std::to_string(settings_.minFreeBytes / (1 << 20)) + " MB)",
                         "ディスクの空きが足りないため保存できません。管理者に連絡してください");
    }
}

std::uint64_t DocumentStore::availableBytes() const {
    std::uint64_t free = fileops::freeBytes(dir_.files());
    auto reserve = static_cast<std::uint64_t>(std::max<std::int64_t>(settings_.minFreeBytes, 0));
    return free > reserve ? free - reserve : 0;
}

std::uint64_t DocumentStore::usedBytes(const DocPath& path) const {
    if (!stat(path)) throw notFound(path);
    return fileops::treeSize(diskPath(path));
}

std::optional<std::string> DocumentStore::caseTwin(const DocPath& path) const {
    if (path.isRoot()) return std::nullopt;
    std::string want = foldCase(path.name());
    std::string disk = diskPath(path.parent());
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(disk.c_str()), ::closedir);
    if (!dir) return std::nullopt;
    while (dirent* e = ::readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == ".." || name == path.name()) continue;
        if (foldCase(name) == want) return name;
    }
    return std::nullopt;
}

void DocumentStore::checkCreatable(const DocPath& path) const {
    auto parent = stat(path.parent());
    if (!parent || !parent->isDir) throw parentMissing(path);
    if (auto twin = caseTwin(path)) {
        throw StoreError(StoreError::Kind::CaseConflict,
                         "a name that differs only by upper/lower case exists: " + *twin,
                         "大文字・小文字だけが違う同じ名前「" + *twin +
                             "」がすでにあります。別の名前にしてください");
    }
}

void DocumentStore::journalIn(Poco::Data::Session& s, const Actor& actor,
                              const std::string& action, const DocPath& path,
                              const std::string& dest, const std::string& result) {
    bool clutter = !path.isRoot() && isClientClutter(path.name());
    audit::append(s, AuditEvent{0, {}, actor.user, actor.roles, actor.address, action, path.str(), dest, result},
                  clutter);
}

void DocumentStore::journal(const Actor& actor, const std::string& action, const DocPath& path,
                            const std::string& dest, const std::string& result) {
    auto lease = db_.lease();
    journalIn(**lease, actor, action, path, dest, result);
}

// ---- uploads ---------------------------------------------------------------------

std::unique_ptr<Upload> DocumentStore::beginUpload(const DocPath& path, const Actor& actor,
                                                   std::int64_t expectedSize) {
    if (path.isRoot()) {
        throw StoreError(StoreError::Kind::IsAFolder, "the root is a folder",
                         "ここにはファイルを保存できません");
    }
    checkFreeSpace(expectedSize);
    std::string tmp = dir_.tmp() + "/" + fileops::uniqueName("upload-");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) fileops::throwErrno("create", tmp);
    return std::unique_ptr<Upload>(new Upload(*this, path, actor, tmp, fd));
}

Upload::Upload(DocumentStore& store, DocPath path, Actor actor, std::string tmpFile, int fd)
    : store_(store), path_(std::move(path)), actor_(std::move(actor)),
      tmpFile_(std::move(tmpFile)), fd_(fd) {}

Upload::~Upload() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmpFile_.c_str());
}

void Upload::write(const char* data, std::size_t size) {
    for (std::size_t done = 0; done < size;) {
        ssize_t n = ::write(fd_, data + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fileops::throwErrno("write", tmpFile_);
        done += static_cast<std::size_t>(n);
    }
    sinceSpaceCheck_ += size;
    if (sinceSpaceCheck_ >= kSpaceCheckEvery) {
        sinceSpaceCheck_ = 0;
        store_.checkFreeSpace(0);
    }
}

bool Upload::commit() {
    if (modified_) {
        struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(*modified_), 0}};
        if (::futimens(fd_, times) != 0) fileops::throwErrno("set the time of", tmpFile_);
    }
    if (::fsync(fd_) != 0) fileops::throwErrno("sync", tmpFile_);
    if (::close(fd_) != 0) {
        fd_ = -1;
        fileops::throwErrno("close", tmpFile_);
    }
    fd_ = -1;
    bool created = store_.commitUpload(*this);
    committed_ = true;
    return created;
}

bool DocumentStore::commitUpload(Upload& up) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    const DocPath& path = up.path_;
    auto existing = stat(path);
    if (existing && existing->isDir) {
        throw StoreError(StoreError::Kind::IsAFolder, "a folder has this name: /" + path.str(),
                         "同じ名前のフォルダがあるため保存できません");
    }
    if (!existing) checkCreatable(path);

    std::string target = diskPath(path);
    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    WriteTransaction tx(s);
    std::string versionFile;
    if (existing && existing->size > 0) {
        std::string p = path.str(), modified = isoFromUs(existing->modifiedUs), saved = nowIso();
        std::int64_t size = static_cast<std::int64_t>(existing->size);
        std::string by = up.actor_.user;
        s << "INSERT INTO versions (path, size, modified, saved, saved_by) VALUES (?, ?, ?, ?, ?)",
            use(p), use(size), use(modified), use(saved), use(by), now;
        std::int64_t id = 0;
        s << "SELECT last_insert_rowid()", into(id), now;
        versionFile = dir_.versions() + "/" + std::to_string(id);
        // A hard link keeps the old bytes without copying; the rename below gives the
        // document a new inode, so the version never changes afterwards.
        if (::link(target.c_str(), versionFile.c_str()) != 0) {
            fileops::copyFile(target, versionFile);
        }
    }
    journalIn(s, up.actor_, existing ? "update" : "create", path);
    if (::rename(up.tmpFile_.c_str(), target.c_str()) != 0) {
        if (!versionFile.empty()) ::unlink(versionFile.c_str());
        fileops::throwErrno("save", "/" + path.str());
    }
    fileops::syncDir(diskPath(path.parent()));
    tx.commit();
    if (!versionFile.empty()) {
        try {
            WriteTransaction prune(s);
            pruneVersions(s, path.str());
            prune.commit();
        } catch (const Poco::Exception&) {
            // Keeping one version too many is harmless; the next save prunes again.
        }
    }
    return !existing;
}

void DocumentStore::pruneVersions(Poco::Data::Session& s, const std::string& path) {
    std::vector<std::int64_t> old;
    std::string p = path;
    int keep = std::max(settings_.keepVersions, 0);
    s << "SELECT id FROM versions WHERE path = ? ORDER BY id DESC LIMIT -1 OFFSET ?", use(p),
        use(keep), into(old), now;
    for (std::int64_t id : old) {
        s << "DELETE FROM versions WHERE id = ?", use(id), now;
        ::unlink((dir_.versions() + "/" + std::to_string(id)).c_str());
    }
}

// ---- folders, delete, copy, move ------------------------------------------------

void DocumentStore::makeFolder(const DocPath& path, const Actor& actor) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    if (stat(path)) {
        throw StoreError(StoreError::Kind::Exists, "already exists: /" + path.str(),
                         "同じ名前のファイルかフォルダがすでにあります");
    }
    checkCreatable(path);
    auto lease = db_.lease();
    WriteTransaction tx(**lease);
    journalIn(**lease, actor, "mkcol", path);
    std::string disk = diskPath(path);
    if (::mkdir(disk.c_str(), 0750) != 0) fileops::throwErrno("create folder", "/" + path.str());
    fileops::syncDir(diskPath(path.parent()));
    tx.commit();
}

std::int64_t DocumentStore::remove(const DocPath& path, const Actor& actor) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    auto e = stat(path);
    if (!e) throw notFound(path);
    if (path.isRoot()) {
        throw StoreError(StoreError::Kind::Invalid, "the root cannot be deleted",
                         "いちばん上のフォルダは削除できません");
    }
    std::string disk = diskPath(path);
    std::int64_t size = static_cast<std::int64_t>(e->isDir ? fileops::treeSize(disk) : e->size);
    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    WriteTransaction tx(s);
    std::string p = path.str(), at = nowIso(), by = actor.user;
    int isDir = e->isDir ? 1 : 0;
    s << "INSERT INTO trash (path, is_dir, size, deleted, deleted_by) VALUES (?, ?, ?, ?, ?)",
        use(p), use(isDir), use(size), use(at), use(by), now;
    std::int64_t id = 0;
    s << "SELECT last_insert_rowid()", into(id), now;
    std::string lo = p + "/", hi = p + "0";
    s << std::string("DELETE FROM props WHERE ") + kSubtree, use(p), use(lo), use(hi), now;
    journalIn(s, actor, "delete", path);
    std::string trashPath = dir_.trash() + "/" + std::to_string(id);
    if (::rename(disk.c_str(), trashPath.c_str()) != 0) fileops::throwErrno("delete", "/" + p);
    fileops::syncDir(diskPath(path.parent()));
    fileops::syncDir(dir_.trash());
    tx.commit();
    return id;
}

void DocumentStore::copy(const DocPath& from, const DocPath& to, bool recursive,
                         const Actor& actor) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    auto src = stat(from);
    if (!src) throw notFound(from);
    if (stat(to)) {
        throw StoreError(StoreError::Kind::Exists, "already exists: /" + to.str(),
                         "コピー先に同じ名前のものがすでにあります");
    }
    if (to.isWithin(from)) {
        throw StoreError(StoreError::Kind::Invalid, "cannot copy a folder into itself",
                         "フォルダをその中にコピーすることはできません");
    }
    checkCreatable(to);
    std::string from_disk = diskPath(from);
    checkFreeSpace(static_cast<std::int64_t>(
        src->isDir ? (recursive ? fileops::treeSize(from_disk) : 0) : src->size));

    // Build the whole copy under tmp/ first, then rename it into place in one step.
    std::string staging = dir_.tmp() + "/" + fileops::uniqueName("copy-");
    try {
        if (!src->isDir) {
            fileops::copyFile(from_disk, staging);
        } else if (recursive) {
            fileops::copyTree(from_disk, staging);
        } else if (::mkdir(staging.c_str(), 0750) != 0) {
            fileops::throwErrno("create folder", staging);
        }
    } catch (...) {
        fileops::removeTree(staging);
        throw;
    }

    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    WriteTransaction tx(s);
    Rebase r(from, to);
    auto& [f, t, tParent, lo, hi, cut] = r;
    if (recursive && src->isDir) {
        s << std::string("INSERT OR REPLACE INTO props (path, parent, ns, name, value) "
                         "SELECT ? || substr(path, ?), CASE WHEN path = ? THEN ? ELSE ? || "
                         "substr(parent, ?) END, ns, name, value FROM props WHERE ") +
                 kSubtree,
            use(t), use(cut), use(f), use(tParent), use(t), use(cut), use(f), use(lo), use(hi),
            now;
    } else {
        s << "INSERT OR REPLACE INTO props (path, parent, ns, name, value) "
             "SELECT ?, ?, ns, name, value FROM props WHERE path = ?",
            use(t), use(tParent), use(f), now;
    }
    journalIn(s, actor, "copy", from, t);
    std::string target = diskPath(to);
    if (::rename(staging.c_str(), target.c_str()) != 0) {
        int e = errno;
        fileops::removeTree(staging);
        errno = e;
        fileops::throwErrno("copy to", "/" + t);
    }
    fileops::syncDir(diskPath(to.parent()));
    tx.commit();
}

void DocumentStore::move(const DocPath& from, const DocPath& to, const Actor& actor) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    auto src = stat(from);
    if (!src) throw notFound(from);
    if (from.isRoot() || to.isWithin(from)) {
        throw StoreError(StoreError::Kind::Invalid, "cannot move a folder into itself",
                         "フォルダをその中に移動することはできません");
    }
    if (stat(to)) {
        throw StoreError(StoreError::Kind::Exists, "already exists: /" + to.str(),
                         "移動先に同じ名前のものがすでにあります");
    }
    auto parent = stat(to.parent());
    if (!parent || !parent->isDir) throw parentMissing(to);
    // A rename that only changes case is allowed; any other case twin is not.
    auto twin = caseTwin(to);
    if (twin && !(from.parent() == to.parent() && *twin == from.name())) checkCreatable(to);

    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    WriteTransaction tx(s);
    Rebase r(from, to);
    auto& [f, t, tParent, lo, hi, cut] = r;
    s << std::string("UPDATE OR REPLACE props SET path = ? || substr(path, ?), parent = CASE "
                     "WHEN path = ? THEN ? ELSE ? || substr(parent, ?) END WHERE ") +
             kSubtree,
        use(t), use(cut), use(f), use(tParent), use(t), use(cut), use(f), use(lo), use(hi), now;
    s << std::string("UPDATE versions SET path = ? || substr(path, ?) WHERE ") + kSubtree, use(t),
        use(cut), use(f), use(lo), use(hi), now;
    journalIn(s, actor, "move", from, t);
    if (::rename(diskPath(from).c_str(), diskPath(to).c_str()) != 0) {
        fileops::throwErrno("move", "/" + f);
    }
    fileops::syncDir(diskPath(to.parent()));
    if (!(from.parent() == to.parent())) fileops::syncDir(diskPath(from.parent()));
    tx.commit();
}

// ---- dead properties -------------------------------------------------------------

std::vector<DeadProp> DocumentStore::deadProps(const DocPath& path) const {
    std::vector<std::string> ns, name, value;
    std::string p = path.str();
    auto lease = db_.lease();
    **lease << "SELECT ns, name, value FROM props WHERE path = ? ORDER BY ns, name", use(p),
        into(ns), into(name), into(value), now;
    std::vector<DeadProp> out;
    for (std::size_t i = 0; i < ns.size(); ++i) out.push_back({ns[i], name[i], value[i]});
    return out;
}

std::map<std::string, std::vector<DeadProp>> DocumentStore::deadPropsWithChildren(
    const DocPath& dir) const {
    std::vector<std::string> path, ns, name, value;
    std::string p = dir.str();
    auto lease = db_.lease();
    **lease << "SELECT path, ns, name, value FROM props WHERE parent = ? OR path = ?", use(p),
        use(p), into(path), into(ns), into(name), into(value), now;
    std::map<std::string, std::vector<DeadProp>> out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        out[path[i]].push_back({ns[i], name[i], value[i]});
    }
    return out;
}

void DocumentStore::patchProps(const DocPath& path, const std::vector<PropChange>& changes,
                               const Actor& actor) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    if (!stat(path)) throw notFound(path);
    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    WriteTransaction tx(s);
    std::string p = path.str(), parent = path.parent().str();
    for (const auto& c : changes) {
        std::string ns = c.prop.ns, name = c.prop.name, xml = c.prop.xml;
        if (c.remove) {
            s << "DELETE FROM props WHERE path = ? AND ns = ? AND name = ?", use(p), use(ns),
                use(name), now;
        } else {
            s << "INSERT OR REPLACE INTO props (path, parent, ns, name, value) VALUES (?, ?, ?, ?, ?)",
                use(p), use(parent), use(ns), use(name), use(xml), now;
        }
    }
    journalIn(s, actor, "proppatch", path);
    tx.commit();
}

// ---- versions and trash -----------------------------------------------------------

std::vector<VersionInfo> DocumentStore::versions(const DocPath& path) const {
    std::vector<std::int64_t> id, size;
    std::vector<std::string> modified, saved, by;
    std::string p = path.str();
    auto lease = db_.lease();
    **lease << "SELECT id, size, modified, saved, saved_by FROM versions WHERE path = ? "
               "ORDER BY id DESC",
        use(p), into(id), into(size), into(modified), into(saved), into(by), now;
    std::vector<VersionInfo> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], p, static_cast<std::uint64_t>(size[i]), modified[i], saved[i], by[i]});
    }
    return out;
}

DocPath DocumentStore::restoreVersion(std::int64_t id, const Actor& actor) {
    std::vector<std::string> paths;
    {
        auto lease = db_.lease();
        **lease << "SELECT path FROM versions WHERE id = ?", use(id), into(paths), now;
    }
    if (paths.empty()) {
        throw StoreError(StoreError::Kind::NotFound, "no version " + std::to_string(id),
                         "その番号の版はありません");
    }
    DocPath path = DocPath::fromText(paths.front());
    std::string versionFile = dir_.versions() + "/" + std::to_string(id);
    auto upload = beginUpload(path, actor, static_cast<std::int64_t>(fileops::treeSize(versionFile)));
    int in = ::open(versionFile.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fileops::throwErrno("open version", versionFile);
    std::vector<char> buf(1 << 16);
    for (;;) {
        ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        upload->write(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(in);
    upload->commit();
    return path;
}

std::vector<TrashInfo> DocumentStore::trash() const {
    std::vector<std::int64_t> id, isDir, size;
    std::vector<std::string> path, deleted, by;
    auto lease = db_.lease();
    **lease << "SELECT id, path, is_dir, size, deleted, deleted_by FROM trash ORDER BY id DESC",
        into(id), into(path), into(isDir), into(size), into(deleted), into(by), now;
    std::vector<TrashInfo> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], path[i], isDir[i] != 0, static_cast<std::uint64_t>(size[i]),
                       deleted[i], by[i]});
    }
    return out;
}

DocPath DocumentStore::restoreTrash(std::int64_t id, const Actor& actor, std::optional<DocPath> to) {
    std::lock_guard<std::mutex> guard(changeMutex_);
    std::vector<std::string> paths;
    auto lease = db_.lease();
    Poco::Data::Session& s = **lease;
    s << "SELECT path FROM trash WHERE id = ?", use(id), into(paths), now;
    if (paths.empty()) {
        throw StoreError(StoreError::Kind::NotFound, "nothing in the trash has number " +
                                                         std::to_string(id),
                         "ごみ箱にその番号のものはありません");
    }
    DocPath target = to ? *to : DocPath::fromText(paths.front());
    if (stat(target)) {
        throw StoreError(StoreError::Kind::Exists,
                         "/" + target.str() + " exists; restore it under another name with --to",
                         "元の場所に同じ名前のものがあります。--to で別の名前を指定してください");
    }
    checkCreatable(target);
    WriteTransaction tx(s);
    s << "DELETE FROM trash WHERE id = ?", use(id), now;
    journalIn(s, actor, "restore", target);
    std::string trashPath = dir_.trash() + "/" + std::to_string(id);
    if (::rename(trashPath.c_str(), diskPath(target).c_str()) != 0) {
        fileops::throwErrno("restore", "/" + target.str());
    }
    fileops::syncDir(diskPath(target.parent()));
    tx.commit();
    return target;
}

}  // namespace kiroku
