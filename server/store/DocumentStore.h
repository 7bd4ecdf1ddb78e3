#pragma once
// DocumentStore: the only code that touches document files and their metadata.
//
// Files live as plain files under DataDir::files(); an overwrite keeps the previous
// content under versions/, a delete moves the file or folder to trash/, and every
// change is journalled in the `changes` table in the same SQLite transaction as its
// metadata. Writes are crash-safe: new content goes to a temporary file on the same
// file system, is fsynced, then renamed into place, so a reader or a crash sees the
// old content or the new one, never a mix.
//
// Thread-safety: all methods may be called from many threads at once. Changes that
// alter the tree are serialised inside the store; reads never block on them.
// Another process (the kiroku CLI) may use the same data directory concurrently.

#include "core/DataDir.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "names/DocPath.h"
#include "store/StoreError.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kiroku {

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
    std::int64_t changeNs = 0;    // nanosecond mtime, for the ETag

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

    // fsyncs and renames into place; the previous content becomes a version.
    // Returns true when the document did not exist before. Throws StoreError
    // (ParentMissing, IsAFolder, CaseConflict, …) and leaves the old file untouched.
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
    // The data directory must exist (DataDir::ensureLayout). Cleans leftovers of
    // uploads interrupted by a crash from tmp/.
    DocumentStore(const DataDir& dir, Database& db, const Settings& settings);

    // What is at a path now, or nothing. Links and special files count as nothing.
    std::optional<Entry> stat(const DocPath& path) const;

    // The children of a folder, sorted by name. Names on disk that are not valid
    // document names (see DocPath) are left out. Throws StoreError NotFound/NotAFolder.
    std::vector<Entry> list(const DocPath& dir) const;

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

    // Copies `from` to `to`, which must not exist; folders with everything below
    // them when recursive, else the folder alone. Dead properties are copied.
    void copy(const DocPath& from, const DocPath& to, bool recursive, const Actor& actor);

    // Renames `from` to `to`, which must not exist. Dead properties and version
    // history follow the document.
    void move(const DocPath& from, const DocPath& to, const Actor& actor);

    // Bytes that uploads may still use (free space less the configured reserve).
    std::uint64_t availableBytes() const;
    // Total size of the files in a folder and below it (a file's own size).
    std::uint64_t usedBytes(const DocPath& path) const;

    // The name of an existing sibling that equals path's name except for case, if any.
    std::optional<std::string> caseTwin(const DocPath& path) const;

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
    // Returns the document's path. Throws NotFound for an unknown id.
    DocPath restoreVersion(std::int64_t id, const Actor& actor);

    // Everything in the trash, newest first.
    std::vector<TrashInfo> trash() const;
    // Puts a trashed item back at its original path (or at `to` when given).
    // Throws Exists when the path is taken, ParentMissing when its folder is gone.
    DocPath restoreTrash(std::int64_t id, const Actor& actor, std::optional<DocPath> to = {});

    // Records an event in the audit log (for events outside the store's write calls:
    // locks, refusals, reads of rosters). result: "ok", "denied", "failed" …
    void journal(const Actor& actor, const std::string& action, const DocPath& path,
                 const std::string& dest = {}, const std::string& result = "ok");

    const DataDir& dataDir() const { return dir_; }

private:
    friend class Upload;
    std::string diskPath(const DocPath& path) const;
    void checkFreeSpace(std::int64_t needed) const;
    void checkCreatable(const DocPath& path) const;  // parent folder exists, no case twin
    void pruneVersions(Poco::Data::Session& s, const std::string& path);
    void journalIn(Poco::Data::Session& s, const Actor& actor, const std::string& action,
                   const DocPath& path, const std::string& dest = {}, const std::string& result = "ok");
    bool commitUpload(Upload& upload);

    DataDir dir_;
    Database& db_;
    Settings settings_;
    mutable std::mutex changeMutex_;  // serialises changes to the tree
};

}  // namespace kiroku
