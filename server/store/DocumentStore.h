#pragma once
// DocumentStore: the only code that touches document files and their metadata.
//
// Files live as plain files under DataDir::files(), with their real names, so an
// administrator can always see and copy them. Each file and folder also has a node
// (db/Nodes.h): a stable id that its versions, trash entry, dead properties,
// permission entries and audit rows refer to, and that follows it through every move
// and rename. An overwrite keeps the previous content as a version, a delete moves the
// file or folder to the trash.
//
// Every change is one Change (store/Change.h): metadata, file-system steps, audit row
// and index queue entry happen entirely or not at all, whatever fails and wherever the
// process dies; the constructor finishes or undoes what a crash left half done.
// Concurrency is decided by the database's write lock, which every change holds from
// its checks to its commit, in this process and in any other using the same folder.
//
// Files added, changed or removed by hand on the NAS are seen at once (the disk is read
// for every stat and listing); such a file gets its node the first time one is needed.
// `kiroku check` reports what differs between the disk and the metadata.
//
// Thread-safety: all methods may be called from many threads at once.

#include "core/DataDir.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "db/Nodes.h"
#include "names/DocPath.h"
#include "store/FileSystem.h"
#include "store/StoreError.h"
#include "store/TempArea.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiroku {

class Change;

// Who is making a change, for the audit log.
struct Actor {
    std::string user;     // login name, or "kiroku-cli" style tags for the admin CLI
    std::string address;  // client IP address, or "local"
    std::string roles;    // the roles whose rights were used, e.g. "桜ヶ丘自治区/区長"
};

// A file or folder as it is now.
struct Entry {
    DocPath path;
    bool isDir = false;
    std::uint64_t size = 0;
    std::int64_t modifiedUs = 0;  // microseconds since the epoch
    std::int64_t createdUs = 0;
    std::int64_t changeNs = 0;  // nanosecond mtime, for the ETag

    // Strong entity tag; changes whenever the content is replaced.
    std::string etag() const;
    void appendEtag(std::string& out) const;
    bool clutter() const { return isClientClutter(path.name()); }
};

// A WebDAV dead property: namespace, local name and the whole element as XML.
struct DeadProp {
    std::string ns;
    std::string name;
    std::string xml;
};

// One step of a property update: set (xml given) or remove.
struct PropChange {
    bool remove = false;
    DeadProp prop;
};

struct VersionInfo {
    std::int64_t id = 0;
    std::string path;
    std::uint64_t size = 0;
    std::string modified;
    std::string saved;
    std::string savedBy;
    std::string label;  // a name given to keep it; named versions are never dropped
};

struct TrashInfo {
    std::int64_t id = 0;
    std::string path;
    bool isDir = false;
    std::uint64_t size = 0;
    std::string deleted;
    std::string deletedBy;
};

class DocumentStore;

// An upload in progress: bytes go to a temporary file; commit() makes them the
// document's content atomically. Destroying an uncommitted Upload discards it.
// Not thread-safe: one Upload belongs to one request.
class Upload {
public:
    ~Upload();
    Upload(const Upload&) = delete;
    Upload& operator=(const Upload&) = delete;

    // Appends bytes. Throws StoreError (InsufficientStorage when the disk or the
    // configured free-space reserve runs out; nothing is committed then).
    void write(const char* data, std::size_t size);

    // Sets the modification time the document will have (seconds since the epoch),
    // for clients that keep their own times (rclone's X-OC-Mtime).
    void setModified(std::int64_t epochSeconds) { modified_ = epochSeconds; }

    // Makes the bytes the document's content; the previous content becomes a version.
    // Returns true when the document did not exist before. Throws StoreError
    // (ParentMissing, IsAFolder, CaseConflict, …) and then changes nothing.
    bool commit();

private:
    friend class DocumentStore;
    Upload(DocumentStore& store, DocPath path, Actor actor, std::string tmpFile, int fd);

    DocumentStore& store_;
    DocPath path_;
    Actor actor_;
    std::string tmpFile_;
    int fd_;
    std::uint64_t sinceSpaceCheck_ = 0;
    bool committed_ = false;
    std::optional<std::int64_t> modified_;
};

class DocumentStore {
public:
    // The data directory must exist (DataDir::ensureLayout). Finishes or undoes the
    // changes a crash left half done and removes abandoned temporary files.
    DocumentStore(const DataDir& dir, Database& db, const Settings& settings,
                  FileSystem& fs = posixFileSystem());
    ~DocumentStore();

    // What is at a path now, or nothing. Links and special files count as nothing.
    std::optional<Entry> stat(const DocPath& path) const;

    // The children of a folder, sorted by name. Names on disk that are not valid
    // document names (see DocPath) are left out. Throws StoreError NotFound/NotAFolder.
    // Without `details` only names and kinds are filled in, from the folder itself (no
    // look at each entry): a page that shows a part of a long folder adds them to that
    // part with fill().
    std::vector<Entry> list(const DocPath& dir, bool details = true) const;
    // Sizes and times of children of `dir` that list() gave without details; those no
    // longer there are dropped.
    void fill(const DocPath& dir, std::vector<Entry>& entries) const;

    // The file's location on disk, for a text extractor to read (it runs in another
    // process and gets a path). Throws StoreError NotFound.
    std::string diskPathForReading(const DocPath& path) const;

    // Opens a file for reading; the caller owns and closes the descriptor.
    // Throws StoreError NotFound/IsAFolder.
    int openForRead(const DocPath& path) const;

    // Starts an upload. expectedSize (or -1 when unknown) is checked against free space.
    // Throws StoreError InsufficientStorage before anything is written.
    std::unique_ptr<Upload> beginUpload(const DocPath& path, const Actor& actor,
                                        std::int64_t expectedSize);

    // Creates a folder. Throws Exists, ParentMissing, CaseConflict.
    void makeFolder(const DocPath& path, const Actor& actor);

    // Moves a file or folder (with everything below it) to the trash.
    // Returns the trash id. Throws NotFound.
    std::int64_t remove(const DocPath& path, const Actor& actor);

    // Copies `from` to `to`: folders with everything below them when recursive, else
    // the folder alone. Dead properties are copied. When `to` exists it goes to the
    // trash in the same change if `overwrite`, else Exists. Returns true when it existed.
    bool copy(const DocPath& from, const DocPath& to, bool recursive, const Actor& actor,
              bool overwrite = false);

    // Renames `from` to `to`; the node keeps its id, so versions, dead properties,
    // permission entries and protection follow it. When `to` exists it goes to the
    // trash in the same change if `overwrite`, else Exists. Returns true when it existed.
    // `sameChange`, when given, adds rows of its own to the change (renaming an
    // organisation with its folder).
    bool move(const DocPath& from, const DocPath& to, const Actor& actor, bool overwrite = false,
              const std::function<void(Change&)>& sameChange = {});

    // Bytes that uploads may still use (free space less the configured reserve).
    std::uint64_t availableBytes() const;
    // Total size of the files in a folder and below it (a file's own size).
    std::uint64_t usedBytes(const DocPath& path) const;

    // The name of an existing sibling that equals path's name except for case, if any.
    std::optional<std::string> caseTwin(const DocPath& path) const;

    // The node id of what is at `path`, if it has one yet.
    std::optional<db::Id> nodeId(const DocPath& path) const;
    // The id, creating the node (and those of the folders above it) when the file or
    // folder has none yet. Throws NotFound when nothing is there.
    db::Id ensureNode(const DocPath& path);

    // Dead properties of one resource.
    std::vector<DeadProp> deadProps(const DocPath& path) const;
    // Dead properties of a folder and its direct children, keyed by DocPath::str().
    std::map<std::string, std::vector<DeadProp>> deadPropsWithChildren(const DocPath& dir) const;
    // Applies all changes atomically (all or none).
    void patchProps(const DocPath& path, const std::vector<PropChange>& changes,
                    const Actor& actor);

    // Versions of a file, newest first.
    std::vector<VersionInfo> versions(const DocPath& path) const;
    // Makes a version the current content (the current content becomes a version).
    // Returns the document's path. Throws NotFound for an unknown id or a document that
    // is in the trash.
    DocPath restoreVersion(std::int64_t id, const Actor& actor);
    // Names a version so that it is kept however many come after it ("" takes the name
    // away); audited as "version-label". Throws NotFound, Invalid for a name too long.
    void labelVersion(std::int64_t id, const std::string& label, const Actor& actor);
    // One version, when it exists and its document is not in the trash.
    std::optional<VersionInfo> version(std::int64_t id) const;
    // Opens a version's content for reading (the caller closes the descriptor).
    // Throws NotFound for an unknown id, Io when its file cannot be opened.
    int openVersion(std::int64_t id) const;

    // Everything in the trash, newest first.
    std::vector<TrashInfo> trash() const;
    // One entry of the trash, when it is there.
    std::optional<TrashInfo> trashEntry(std::int64_t id) const;
    // Puts a trashed item back at its original path (or at `to` when given), with its
    // id, versions, properties and permission entries.
    // Throws Exists when the path is taken, ParentMissing when its folder is gone.
    DocPath restoreTrash(std::int64_t id, const Actor& actor, std::optional<DocPath> to = {});
    // Deletes a trash entry for good: its file or folder, the versions, dead properties
    // and permission entries of everything in it — one change per entry, each audited
    // as "purge". Throws NotFound for an unknown id.
    void purgeTrash(std::int64_t id, const Actor& actor);
    // Purges every entry deleted before `cutoffIso` (ISO 8601 UTC, as TrashInfo::deleted);
    // returns how many. An entry that fails is left for the next run (and reported).
    std::size_t purgeTrashBefore(const std::string& cutoffIso, const Actor& actor);

    // Records an event in the audit log (for events outside the store's changes:
    // locks, refusals, reads of rosters). result: "ok", "denied", "failed" …
    void journal(const Actor& actor, const std::string& action, const DocPath& path,
                 const std::string& dest = {}, const std::string& result = "ok");

    const DataDir& dataDir() const { return dir_; }
    Database& database() { return db_; }

private:
    friend class Upload;
    std::string diskPath(const DocPath& path) const;
    void checkFreeSpace(std::int64_t needed) const;
    void checkCreatable(const DocPath& path) const;  // parent folder exists, no case twin
    void audit(Change& change, const Actor& actor, const std::string& action, const DocPath& path,
               db::Id node, const std::string& dest = {}, db::Id destNode = 0);
    // Declares the trashing of what is at `path` in `change`; returns the trash id.
    std::int64_t trashIn(Change& change, const DocPath& path, const Entry& entry,
                         const Actor& actor);
    void bumpPolicyIfRules(Change& change, db::Id node);
    bool commitUpload(Upload& upload);

    DataDir dir_;
    Database& db_;
    Settings settings_;
    FileSystem& fs_;
    std::unique_ptr<TempArea> temp_;
};

}  // namespace kiroku
