#include "store/DocumentStore.h"

#include "db/Audit.h"
#include "db/Governance.h"
#include "db/Meta.h"
#include "db/Props.h"
#include "db/Trash.h"
#include "db/Versions.h"
#include "store/Change.h"
#include "store/FileOps.h"
#include "store/Recovery.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace kiroku {

namespace {

constexpr std::uint64_t kSpaceCheckEvery = 8u << 20;
constexpr std::int64_t kMaxProps = 128;            // dead properties per resource
constexpr std::int64_t kMaxPropBytes = 256 << 10;  // and their total size

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

std::string isoFromUs(std::int64_t us) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%S.%iZ");
}

StoreError notFound(const DocPath& p) {
    return StoreError(StoreError::Kind::NotFound, msg("doc.not_found"), "not found: /" + p.str());
}

StoreError parentMissing(const DocPath& p) {
    return StoreError(StoreError::Kind::ParentMissing, msg("doc.parent_missing"),
                      "the folder /" + p.parent().str() + " does not exist");
}

StoreError exists(const DocPath& p) {
    return StoreError(StoreError::Kind::Exists, msg("doc.exists"), "already exists: /" + p.str());
}

AuditEvent eventOf(const Actor& actor, const std::string& action, const DocPath& path,
                   const std::string& dest, const std::string& result) {
    AuditEvent e;
    e.user = actor.user;
    e.roles = actor.roles;
    e.address = actor.address;
    e.action = action;
    e.path = path.str();
    e.dest = dest;
    e.result = result;
    e.clutter = !path.isRoot() && isClientClutter(path.name());
    return e;
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

DocumentStore::DocumentStore(const DataDir& dir, Database& db, const Settings& settings,
                             FileSystem& fs)
    : dir_(dir), db_(db), settings_(settings), fs_(fs) {
    recoverChanges(dir_, db_, fs_);
    temp_ = std::make_unique<TempArea>(dir_.tmp());
}

DocumentStore::~DocumentStore() = default;

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

namespace {

using FolderHandle = std::unique_ptr<DIR, int (*)(DIR*)>;

// An open folder of the store (a file or a link is NotAFolder/NotFound).
FolderHandle openFolder(const DocumentStore& store, const DocPath& dirPath,
                        const std::string& disk) {
    auto self = store.stat(dirPath);
    if (!self) throw notFound(dirPath);
    if (!self->isDir) {
        throw StoreError(StoreError::Kind::NotAFolder, msg("doc.not_a_folder"),
                         "not a folder: /" + dirPath.str());
    }
    int dfd = ::open(disk.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) fileops::throwErrno("open folder", disk);
    FolderHandle dir(::fdopendir(dfd), ::closedir);
    if (!dir) {
        ::close(dfd);
        fileops::throwErrno("open folder", disk);
    }
    return dir;
}

}  // namespace

std::vector<Entry> DocumentStore::list(const DocPath& dirPath, bool details) const {
    const std::string disk = diskPath(dirPath);
    FolderHandle dir = openFolder(*this, dirPath, disk);
    const int dfd = ::dirfd(dir.get());
    struct Found {
        std::string name;
        struct stat st;
    };
    std::vector<Found> found;
    while (dirent* e = ::readdir(dir.get())) {
        const char* name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        struct stat st {};
        if (!details && (e->d_type == DT_REG || e->d_type == DT_DIR)) {
            st.st_mode = e->d_type == DT_DIR ? S_IFDIR : S_IFREG;
        } else if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            continue;
        }
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

void DocumentStore::fill(const DocPath& dirPath, std::vector<Entry>& entries) const {
    const std::string disk = diskPath(dirPath);
    FolderHandle dir = openFolder(*this, dirPath, disk);
    const int dfd = ::dirfd(dir.get());
    std::vector<Entry> out;
    out.reserve(entries.size());
    for (auto& e : entries) {
        if (e.path.isRoot() || !(e.path.parent() == dirPath)) continue;
        struct stat st {};
        const std::string name = e.path.name();
        if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;
        out.push_back(entryFrom(std::move(e.path), st));
    }
    entries = std::move(out);
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
        throw StoreError(StoreError::Kind::IsAFolder, msg("doc.folder_not_readable"),
                         "is a folder: /" + path.str());
    }
    int fd = ::open(diskPath(path).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) fileops::throwErrno("open", "/" + path.str());
    return fd;
}

void DocumentStore::checkFreeSpace(std::int64_t needed) const {
    std::uint64_t free = fileops::freeBytes(dir_.files());
    std::uint64_t want =
        static_cast<std::uint64_t>(std::max<std::int64_t>(needed, 0)) +
        static_cast<std::uint64_t>(std::max<std::int64_t>(settings_.minFreeBytes, 0));
    if (free < want) {
        throw StoreError(StoreError::Kind::InsufficientStorage, msg("doc.disk_full"),
                         "not enough disk space (" + std::to_string(free / (1 << 20)) +
                             " MB free, reserve " +
                             std::to_string(settings_.minFreeBytes / (1 << 20)) + " MB)");
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
        throw StoreError(StoreError::Kind::CaseConflict, msg("doc.case_twin", {{"name", *twin}}));
    }
}

// ---- nodes and the audit log -------------------------------------------------------

std::optional<db::Id> DocumentStore::nodeId(const DocPath& path) const {
    auto lease = db_.lease();
    auto row = db::nodes::byPath(**lease, path.str());
    if (!row) return std::nullopt;
    return row->id;
}

db::Id DocumentStore::ensureNode(const DocPath& path) {
    if (auto id = nodeId(path)) return *id;
    Transaction tx(db_);
    auto e = stat(path);
    if (!e) throw notFound(path);
    db::Id id = db::nodes::ensure(tx.session(), path.segments(), e->isDir);
    tx.commit();
    return id;
}

void DocumentStore::audit(Change& change, const Actor& actor, const std::string& action,
                          const DocPath& path, db::Id node, const std::string& dest,
                          db::Id destNode) {
    AuditEvent e = eventOf(actor, action, path, dest, "ok");
    e.nodeId = node;
    e.destId = destNode;
    e.op = change.op();
    db::audit::append(change.session(), e);
}

void DocumentStore::journal(const Actor& actor, const std::string& action, const DocPath& path,
                            const std::string& dest, const std::string& result) {
    auto lease = db_.lease();
    AuditEvent e = eventOf(actor, action, path, dest, result);
    if (auto row = db::nodes::byPath(**lease, path.str())) e.nodeId = row->id;
    db::audit::append(**lease, e);
}

void DocumentStore::bumpPolicyIfRules(Change& change, db::Id node) {
    // Rights are decided on a snapshot keyed by current paths: when a folder that
    // carries entries or a protection moves, every process reloads it.
    if (db::governance::hasRulesWithin(change.session(), node))
        db::meta::bumpPolicy(change.session());
}

// ---- uploads -------------------------------------------------------------------------

std::unique_ptr<Upload> DocumentStore::beginUpload(const DocPath& path, const Actor& actor,
                                                   std::int64_t expectedSize) {
    if (path.isRoot()) {
        throw StoreError(StoreError::Kind::IsAFolder, msg("doc.not_here"));
    }
    checkFreeSpace(expectedSize);
    std::string tmp = temp_->newPath("upload-");
    int fd = fs_.create(tmp);
    return std::unique_ptr<Upload>(new Upload(*this, path, actor, tmp, fd));
}

Upload::Upload(DocumentStore& store, DocPath path, Actor actor, std::string tmpFile, int fd)
    : store_(store),
      path_(std::move(path)),
      actor_(std::move(actor)),
      tmpFile_(std::move(tmpFile)),
      fd_(fd) {}

Upload::~Upload() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmpFile_.c_str());
}

void Upload::write(const char* data, std::size_t size) {
    store_.fs_.write(fd_, data, size, tmpFile_);
    sinceSpaceCheck_ += size;
    if (sinceSpaceCheck_ >= kSpaceCheckEvery) {
        sinceSpaceCheck_ = 0;
        store_.checkFreeSpace(0);
    }
}

bool Upload::commit() {
    FileSystem& fs = store_.fs_;
    if (modified_) fs.setModified(fd_, *modified_, tmpFile_);
    fs.sync(fd_, tmpFile_);
    int fd = fd_;
    fd_ = -1;
    fs.close(fd, tmpFile_);
    bool created = store_.commitUpload(*this);
    committed_ = true;
    return created;
}

bool DocumentStore::commitUpload(Upload& up) {
    const DocPath& path = up.path_;
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto existing = stat(path);
    if (existing && existing->isDir) {
        throw StoreError(StoreError::Kind::IsAFolder, msg("doc.folder_has_the_name"),
                         "a folder: /" + path.str());
    }
    if (!existing) checkCreatable(path);
    const std::string target = diskPath(path);
    db::Id node = db::nodes::ensure(s, path.segments(), false);
    if (existing) {
        // The previous content is kept under a fresh name first, so the change can be
        // taken back until it commits; an empty file is not worth a version.
        std::string blob = fileops::uniqueName("");
        std::string kept = dir_.versions() + "/" + blob;
        change.link(target, kept);
        change.replace(up.tmpFile_, target, kept);
        if (existing->size > 0) {
            db::VersionRow v;
            v.nodeId = node;
            v.blob = blob;
            v.size = static_cast<std::int64_t>(existing->size);
            v.modified = isoFromUs(existing->modifiedUs);
            v.saved = nowIso();
            v.savedBy = up.actor_.user;
            db::versions::add(s, v);
            for (const auto& old : db::versions::dropOldest(s, node, settings_.keepVersions)) {
                change.removeAfterCommit(dir_.versions() + "/" + old);
            }
        } else {
            change.removeAfterCommit(kept);
        }
    } else {
        change.create(up.tmpFile_, target);
    }
    audit(change, up.actor_, existing ? "update" : "create", path, node);
    change.commit();
    return !existing;
}

// ---- folders, delete, copy, move ----------------------------------------------------

void DocumentStore::makeFolder(const DocPath& path, const Actor& actor) {
    Change change(db_, fs_, dir_);
    if (stat(path)) throw exists(path);
    checkCreatable(path);
    db::Id node = db::nodes::ensure(change.session(), path.segments(), true);
    change.makeDir(diskPath(path));
    audit(change, actor, "mkcol", path, node);
    change.commit();
}

std::int64_t DocumentStore::trashIn(Change& change, const DocPath& path, const Entry& entry,
                                    const Actor& actor) {
    auto& s = change.session();
    db::Id node = db::nodes::ensure(s, path.segments(), entry.isDir);
    db::TrashRow t;
    t.nodeId = node;
    t.path = path.str();
    t.blob = fileops::uniqueName("");
    t.isDir = entry.isDir;
    t.size =
        static_cast<std::int64_t>(entry.isDir ? fileops::treeSize(diskPath(path)) : entry.size);
    t.deleted = nowIso();
    t.deletedBy = actor.user;
    std::int64_t id = db::trash::add(s, t);
    bumpPolicyIfRules(change, node);
    db::nodes::detach(s, node);
    change.move(diskPath(path), dir_.trash() + "/" + t.blob);
    audit(change, actor, "delete", path, node);
    return id;
}

std::int64_t DocumentStore::remove(const DocPath& path, const Actor& actor) {
    if (path.isRoot()) {
        throw StoreError(StoreError::Kind::Invalid, msg("doc.root_not_deletable"));
    }
    Change change(db_, fs_, dir_);
    auto e = stat(path);
    if (!e) throw notFound(path);
    std::int64_t id = trashIn(change, path, *e, actor);
    change.commit();
    return id;
}

bool DocumentStore::copy(const DocPath& from, const DocPath& to, bool recursive, const Actor& actor,
                         bool overwrite) {
    if (to.isWithin(from)) {
        throw StoreError(StoreError::Kind::Invalid, msg("doc.into_itself"));
    }
    auto src = stat(from);
    if (!src) throw notFound(from);
    const std::string fromDisk = diskPath(from);
    checkFreeSpace(static_cast<std::int64_t>(
        src->isDir ? (recursive ? fileops::treeSize(fromDisk) : 0) : src->size));

    // The copy is built under tmp/ before the write lock is taken (it may be large),
    // then renamed into place as one step of the change.
    std::string staging = temp_->newPath("copy-");
    struct Discard {
        FileSystem& fs;
        std::string path;
        ~Discard() {
            try {
                fileops::removeTree(fs, path);
            } catch (...) {
            }
        }
    } discard{fs_, staging};
    if (!src->isDir)
        fileops::copyFile(fs_, fromDisk, staging);
    else if (recursive)
        fileops::copyTree(fs_, fromDisk, staging);
    else
        fs_.makeDir(staging);

    Change change(db_, fs_, dir_);
    auto& s = change.session();
    src = stat(from);
    if (!src) throw notFound(from);
    auto dst = stat(to);
    if (dst && !overwrite) throw exists(to);
    if (!dst) checkCreatable(to);
    if (dst) trashIn(change, to, *dst, actor);
    db::Id srcNode = db::nodes::ensure(s, from.segments(), src->isDir);
    db::Id newNode = db::nodes::ensure(s, to.segments(), src->isDir);
    // Dead properties come along (a copy's own versions and permission entries do not).
    db::props::copy(s, srcNode, newNode);
    if (recursive && src->isDir) {
        for (db::Id id : db::nodes::subtree(s, srcNode)) {
            if (id == srcNode) continue;
            auto row = db::nodes::byId(s, id);
            if (!row || !row->path || db::props::ofNode(s, id).empty()) continue;
            DocPath inCopy = DocPath::fromText(*row->path).rebased(from, to);
            db::props::copy(s, id, db::nodes::ensure(s, inCopy.segments(), row->isDir));
        }
    }
    change.create(staging, diskPath(to));
    audit(change, actor, "copy", from, srcNode, to.str(), newNode);
    change.commit();
    return dst.has_value();
}

bool DocumentStore::move(const DocPath& from, const DocPath& to, const Actor& actor, bool overwrite,
                         const std::function<void(Change&)>& sameChange) {
    if (from.isRoot() || to.isRoot() || to.isWithin(from)) {
        throw StoreError(StoreError::Kind::Invalid, msg("doc.into_itself"));
    }
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto src = stat(from);
    if (!src) throw notFound(from);
    auto dst = stat(to);
    if (dst && !overwrite) throw exists(to);
    if (!dst) {
        auto parent = stat(to.parent());
        if (!parent || !parent->isDir) throw parentMissing(to);
        // A rename that only changes case is allowed; any other case twin is not.
        auto twin = caseTwin(to);
        if (twin && !(from.parent() == to.parent() && *twin == from.name())) checkCreatable(to);
    }
    db::Id node = db::nodes::ensure(s, from.segments(), src->isDir);
    if (dst) trashIn(change, to, *dst, actor);
    bumpPolicyIfRules(change, node);
    db::Id parent = db::nodes::ensure(s, to.parent().segments(), true);
    db::nodes::place(s, node, parent, to.name(), to.str());
    change.move(diskPath(from), diskPath(to));
    audit(change, actor, "move", from, node, to.str(), node);
    if (sameChange) sameChange(change);
    change.commit();
    return dst.has_value();
}

// ---- dead properties -------------------------------------------------------------------

std::vector<DeadProp> DocumentStore::deadProps(const DocPath& path) const {
    auto lease = db_.lease();
    auto row = db::nodes::byPath(**lease, path.str());
    std::vector<DeadProp> out;
    if (!row) return out;
    for (auto& p : db::props::ofNode(**lease, row->id)) out.push_back({p.ns, p.name, p.xml});
    return out;
}

std::map<std::string, std::vector<DeadProp>> DocumentStore::deadPropsWithChildren(
    const DocPath& dir) const {
    auto lease = db_.lease();
    auto row = db::nodes::byPath(**lease, dir.str());
    std::map<std::string, std::vector<DeadProp>> out;
    if (!row) return out;
    for (auto& [path, props] : db::props::ofFolderAndChildren(**lease, row->id)) {
        auto& list = out[path];
        for (auto& p : props) list.push_back({p.ns, p.name, p.xml});
    }
    return out;
}

void DocumentStore::patchProps(const DocPath& path, const std::vector<PropChange>& changes,
                               const Actor& actor) {
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto e = stat(path);
    if (!e) throw notFound(path);
    db::Id node = db::nodes::ensure(s, path.segments(), e->isDir);
    for (const auto& c : changes) {
        if (c.remove)
            db::props::remove(s, node, c.prop.ns, c.prop.name);
        else
            db::props::set(s, node, {c.prop.ns, c.prop.name, c.prop.xml});
    }
    // Bounded, like everything a client can make the server store and send back.
    auto [count, bytes] = db::props::usage(s, node);
    if (count > kMaxProps || bytes > kMaxPropBytes) {
        throw StoreError(
            StoreError::Kind::InsufficientStorage, msg("props.too_many"),
            std::to_string(count) + " properties, " + std::to_string(bytes) + " bytes");
    }
    audit(change, actor, "proppatch", path, node);
    change.commit();
}

// ---- versions and trash -----------------------------------------------------------------

std::vector<VersionInfo> DocumentStore::versions(const DocPath& path) const {
    auto lease = db_.lease();
    std::vector<VersionInfo> out;
    auto row = db::nodes::byPath(**lease, path.str());
    if (!row) return out;
    for (const auto& v : db::versions::ofNode(**lease, row->id)) {
        out.push_back({v.id, path.str(), static_cast<std::uint64_t>(v.size), v.modified, v.saved,
                       v.savedBy, v.label});
    }
    return out;
}

DocPath DocumentStore::restoreVersion(std::int64_t id, const Actor& actor) {
    std::optional<db::VersionRow> v;
    {
        auto lease = db_.lease();
        v = db::versions::byId(**lease, id);
    }
    if (!v || v->path.empty()) {
        throw StoreError(StoreError::Kind::NotFound, msg("version.not_found"));
    }
    DocPath path = DocPath::fromText(v->path);
    std::string blob = dir_.versions() + "/" + v->blob;
    auto upload = beginUpload(path, actor, v->size);
    int in = ::open(blob.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fileops::throwErrno("open version", blob);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{in};
    std::vector<char> buf(1 << 16);
    for (;;) {
        ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fileops::throwErrno("read version", blob);
        if (n == 0) break;
        upload->write(buf.data(), static_cast<std::size_t>(n));
    }
    upload->commit();
    return path;
}

std::optional<VersionInfo> DocumentStore::version(std::int64_t id) const {
    auto lease = db_.lease();
    auto v = db::versions::byId(**lease, id);
    if (!v || v->path.empty()) return std::nullopt;
    return VersionInfo{v->id,       v->path,  static_cast<std::uint64_t>(v->size),
                       v->modified, v->saved, v->savedBy};
}

void DocumentStore::labelVersion(std::int64_t id, const std::string& label, const Actor& actor) {
    if (label.size() > 200)
        throw StoreError(StoreError::Kind::Invalid, msg("version.label_too_long"));
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto v = db::versions::byId(s, id);
    if (!v || v->path.empty())
        throw StoreError(StoreError::Kind::NotFound, msg("version.not_found"));
    db::versions::setLabel(s, id, label);
    audit(change, actor, "version-label", DocPath::fromText(v->path), v->nodeId, label);
    change.commit();
}

int DocumentStore::openVersion(std::int64_t id) const {
    std::optional<db::VersionRow> v;
    {
        auto lease = db_.lease();
        v = db::versions::byId(**lease, id);
    }
    if (!v || v->path.empty()) {
        throw StoreError(StoreError::Kind::NotFound, msg("version.not_found"));
    }
    std::string blob = dir_.versions() + "/" + v->blob;
    int fd = ::open(blob.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) fileops::throwErrno("open version", blob);
    return fd;
}

std::optional<TrashInfo> DocumentStore::trashEntry(std::int64_t id) const {
    auto lease = db_.lease();
    auto t = db::trash::byId(**lease, id);
    if (!t) return std::nullopt;
    return TrashInfo{t->id,      t->path,     t->isDir, static_cast<std::uint64_t>(t->size),
                     t->deleted, t->deletedBy};
}

std::vector<TrashInfo> DocumentStore::trash() const {
    auto lease = db_.lease();
    std::vector<TrashInfo> out;
    for (const auto& t : db::trash::all(**lease)) {
        out.push_back(
            {t.id, t.path, t.isDir, static_cast<std::uint64_t>(t.size), t.deleted, t.deletedBy});
    }
    return out;
}

DocPath DocumentStore::restoreTrash(std::int64_t id, const Actor& actor,
                                    std::optional<DocPath> to) {
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto row = db::trash::byId(s, id);
    if (!row) {
        throw StoreError(StoreError::Kind::NotFound, msg("trash.not_found"));
    }
    DocPath target = to ? *to : DocPath::fromText(row->path);
    if (stat(target)) {
        throw StoreError(StoreError::Kind::Exists, msg("trash.place_taken"));
    }
    checkCreatable(target);
    const std::string blob = dir_.trash() + "/" + row->blob;
    if (!identityOf(blob)) {
        throw StoreError(StoreError::Kind::Io, msg("trash.file_missing"),
                         "the trashed file " + blob + " is missing");
    }
    db::trash::remove(s, id);
    db::Id parent = db::nodes::ensure(s, target.parent().segments(), true);
    db::nodes::place(s, row->nodeId, parent, target.name(), target.str());
    bumpPolicyIfRules(change, row->nodeId);
    change.move(blob, diskPath(target));
    audit(change, actor, "restore", target, row->nodeId);
    change.commit();
    return target;
}

void DocumentStore::purgeTrash(std::int64_t id, const Actor& actor) {
    Change change(db_, fs_, dir_);
    auto& s = change.session();
    auto row = db::trash::byId(s, id);
    if (!row) {
        throw StoreError(StoreError::Kind::NotFound, msg("trash.not_found"));
    }
    db::trash::remove(s, id);
    for (const auto& blob : db::nodes::forgetSubtree(s, row->nodeId)) {
        change.removeAfterCommit(dir_.versions() + "/" + blob);
    }
    const std::string blob = dir_.trash() + "/" + row->blob;
    // A trashed file already missing (kiroku check reports it) is purged all the same.
    if (identityOf(blob)) change.removeAfterCommit(blob);
    audit(change, actor, "purge", DocPath::fromText(row->path), row->nodeId);
    change.commit();
}

std::size_t DocumentStore::purgeTrashBefore(const std::string& cutoffIso, const Actor& actor) {
    std::vector<db::TrashRow> old;
    {
        auto lease = db_.lease();
        old = db::trash::deletedBefore(**lease, cutoffIso);
    }
    std::size_t purged = 0;
    for (const auto& t : old) {
        try {
            purgeTrash(t.id, actor);
            ++purged;
        } catch (const StoreError& e) {
            // Restored or purged by someone else meanwhile: nothing to do.
            if (e.kind() != StoreError::Kind::NotFound) throw;
        }
    }
    return purged;
}

}  // namespace kiroku
