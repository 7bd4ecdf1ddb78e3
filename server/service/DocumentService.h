#pragma once
// DocumentService: what every protocol — WebDAV, the JSON API, the web pages — does with
// documents, decided once: who may see and change what (AccessPolicy, the one rights
// function), which locks stand in the way, what is recorded in the audit log (changes,
// refusals, reads of folders whose reads are recorded such as 名簿), and which error a
// refusal is (ServiceError, with one HTTP status mapping). Protocols translate their
// requests into these calls and the answers back; they never reach the store, the
// policy or the audit log themselves.
//
// Hidden and missing look the same: a path the caller may not see is NotFound, whether
// or not it exists. A visible path the caller may not change is Forbidden (audited as
// "denied").
//
// Thread-safe: one service serves every request; a Caller belongs to one request.

#include "acl/Policy.h"
#include "search/SearchService.h"
#include "service/Caller.h"
#include "service/LockManager.h"
#include "service/ServiceError.h"
#include "store/DocumentStore.h"

#include <Poco/Logger.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiroku::service {

using Rights = acl::Rights;
using Decision = acl::Decision;
using acl::parseRights;
using acl::rightsName;

// What a WebDAV If header may ask of a resource (RFC 4918 §10.4), as the caller sees it.
struct ResourceState {
    bool exists = false;
    std::string etag;
    std::set<std::string> lockTokens;  // tokens of the locks that cover it
};

struct LockRequest {
    bool exclusive = true;
    bool infinite = true;
    std::string ownerXml;
    int timeoutSeconds = 3600;
};

struct LockGrant {
    Lock lock;
    bool created = false;  // the resource did not exist: an empty file was made for it
};

// A file being written (from a request body): bytes go to a temporary file, commit()
// makes them the document's content in one change, recorded as the caller's. Destroying
// an uncommitted Upload discards it. Errors are ServiceErrors. One per request.
class Upload {
public:
    Upload(std::unique_ptr<kiroku::Upload> upload, class DocumentService& service)
        : upload_(std::move(upload)), service_(service) {}
    void write(const char* data, std::size_t size);
    // The modification time to keep (seconds since the epoch), for clients that send it.
    void setModified(std::int64_t epochSeconds) { upload_->setModified(epochSeconds); }
    // Returns true when the document did not exist before.
    bool commit();

private:
    std::unique_ptr<kiroku::Upload> upload_;
    class DocumentService& service_;
};

// A file opened for reading; closes itself.
class OpenFile {
public:
    OpenFile(int fd, Entry entry) : fd_(fd), entry_(std::move(entry)) {}
    ~OpenFile();
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    int fd() const { return fd_; }
    const Entry& entry() const { return entry_; }

private:
    int fd_;
    Entry entry_;
};

class DocumentService {
public:
    DocumentService(DocumentStore& store, acl::AccessPolicy& policy, LockManager& locks,
                    Poco::Logger& log, SearchService* search = nullptr);

    // The caller for a request: the person's roles on today's date (KIROKU_TODAY in tests).
    Caller caller(const User& user, const std::string& address,
                  std::set<std::string> lockTokens = {});

    // ---- seeing ----------------------------------------------------------------------
    // The caller's rights on a path (and, without entries of their own, what it holds).
    Decision rights(const Caller& who, const DocPath& path);
    // What is at `path`, when the caller may see it: a readable file or folder, or a
    // folder on the way to something readable. NotFound otherwise.
    Entry find(const Caller& who, const DocPath& path);
    std::optional<Entry> findIfVisible(const Caller& who, const DocPath& path);
    // The children of a folder the caller may see. Listing a folder whose reads are
    // recorded is recorded ("list"), unless `record` is false (a summary of what the
    // person can reach, not a look inside). Without `details`, only names and kinds
    // (a page of a long folder adds the rest to what it shows with addDetails).
    std::vector<Entry> list(const Caller& who, const DocPath& dir, bool record = true,
                            bool details = true);
    // Sizes and times of children of `dir` that list() gave without details, for those
    // the caller sees; the others are dropped.
    void addDetails(const Caller& who, const DocPath& dir, std::vector<Entry>& entries);
    // Opens a file the caller may read; the read is recorded when its folder records
    // reads, or when it took administrator rights the person's roles do not give.
    // `record` false: the caller records the whole act once instead (a handover's
    // archive: one audit row before its first byte, not one per file).
    std::unique_ptr<OpenFile> open(const Caller& who, const DocPath& path, bool record = true);
    // What a WebDAV If header sees (hidden: not there, and no locks).
    ResourceState state(const Caller& who, const DocPath& path);
    // Dead properties of what the caller may read (a folder shown only to be passed
    // through has none for them).
    std::vector<DeadProp> deadProps(const Caller& who, const DocPath& path);
    // Of a folder the caller sees and of its children, keyed by DocPath::str(); only of
    // those the caller may read.
    std::map<std::string, std::vector<DeadProp>> deadPropsWithChildren(const Caller& who,
                                                                       const DocPath& dir);
    // Locks that cover a path the caller sees (a lock's existence is not hidden from
    // anyone who sees the resource: they need to know why they cannot change it).
    std::vector<Lock> locksCovering(const Caller& who, const DocPath& path);
    bool anyLocks() { return locks_.empty() == false; }
    std::uint64_t availableBytes() const { return store_.availableBytes(); }
    std::uint64_t usedBytes(const Caller& who, const DocPath& path);

    // ---- changing: rights, locks and the audit log, the same for every protocol ------
    // Starts writing a file: write rights on it (or on its folder for a new one), no
    // lock of someone else's on it, its folder exists. The Upload's commit records it.
    std::unique_ptr<Upload> beginUpload(const Caller& who, const DocPath& path,
                                        std::int64_t expectedSize);
    // What is at `path` now, as the caller sees it after a change of theirs (an ETag).
    std::optional<Entry> stat(const Caller& who, const DocPath& path) {
        return findIfVisible(who, path);
    }
    void makeFolder(const Caller& who, const DocPath& path);
    void remove(const Caller& who, const DocPath& path);
    // Copy and move; `overwrite` replaces what is at `to` (it goes to the trash in the
    // same change), otherwise an existing `to` is PreconditionFailed. Returns true when
    // something was replaced. Moving what carries permission entries needs manage.
    bool copy(const Caller& who, const DocPath& from, const DocPath& to, bool recursive,
              bool overwrite);
    bool move(const Caller& who, const DocPath& from, const DocPath& to, bool overwrite);
    void patchProps(const Caller& who, const DocPath& path, const std::vector<PropChange>& changes);

    // ---- locks ----------------------------------------------------------------------
    // Locks a resource (write rights needed); a missing one becomes an empty file.
    LockGrant lock(const Caller& who, const DocPath& path, const LockRequest& request);
    // Extends one of the caller's own locks named in `who.lockTokens` that covers path.
    Lock refreshLock(const Caller& who, const DocPath& path, int timeoutSeconds);
    // Removes a lock: the caller's own, or someone else's with manage rights (recorded
    // as "lock-break").
    void unlock(const Caller& who, const DocPath& path, const std::string& token);

    // ---- versions and the trash -----------------------------------------------------
    // Earlier versions of a file the caller may read, newest first.
    std::vector<VersionInfo> versions(const Caller& who, const DocPath& path);
    // One version of a file the caller may read (NotFound otherwise).
    VersionInfo version(const Caller& who, std::int64_t id);
    // Opens a version's content; recorded like opening the file.
    std::unique_ptr<OpenFile> openVersion(const Caller& who, std::int64_t id);
    // Makes a version the current content (write rights on the file, no lock in the
    // way); the current content becomes a version. Returns the file's path.
    DocPath restoreVersion(const Caller& who, std::int64_t id);
    // Names a version to keep it (write rights on the file); "" takes the name away.
    void labelVersion(const Caller& who, std::int64_t id, const std::string& label);
    // What the caller could put back: entries of the trash whose folder they may write.
    std::vector<TrashInfo> trash(const Caller& who);
    // Puts an entry back where it was (write rights on that folder; Exists when the
    // place is taken). Returns where it now is.
    DocPath restoreTrash(const Caller& who, std::int64_t id);

    // ---- what the index keeps ---------------------------------------------------------
    // The indexed form of a file the caller may read (year, type, extracted text), when
    // it has been indexed; the text is left out unless `withText`.
    std::optional<indexer::StoredDocument> indexed(const Caller& who, const DocPath& path,
                                                   bool withText);
    // The fiscal years the index gives the files of a folder's list (as list() returned
    // it), in the same order; 0 for a folder, a file not indexed yet, or one the caller
    // may not read.
    std::vector<int> indexedYears(const Caller& who, const DocPath& dir,
                                  const std::vector<Entry>& entries);

    // ---- search ---------------------------------------------------------------------
    // Full-text search over what the caller may read, and nothing else: results, their
    // number and their order are as if nothing else existed.
    indexer::SearchResult search(const Caller& who, const indexer::SearchQuery& query);

    // Records an event outside a change (for the protocols' own refusals).
    void record(const Caller& who, const std::string& action, const DocPath& path,
                const std::string& result);

    // The one check before acting on a path: NotFound when the caller may not see it,
    // Forbidden (recorded as `action` "denied" when a change was asked) when they see it
    // without `wanted` (on the whole subtree when `wholeSubtree`).
    Decision require(const Caller& who, const DocPath& path, Rights wanted,
                     bool wholeSubtree = false, const char* action = nullptr);

private:
    friend class Upload;
    bool visible(const Caller& who, const DocPath& path, bool isDir);
    void checkLocks(const Caller& who, const DocPath& path, bool wholeSubtree, bool changesParent);
    // What COPY and MOVE check of their source (visible, not the root, not into itself)
    // and of their destination (rights, its folder, locks, Overwrite); the latter
    // returns whether something is there to replace.
    Entry checkSource(const Caller& who, const DocPath& from, const DocPath& to);
    bool checkDestination(const Caller& who, const DocPath& to, bool overwrite, const char* action);
    void recordRead(const Caller& who, const DocPath& path, const char* action);
    Actor actor(const Caller& who, const std::string& via) const;
    [[noreturn]] void rethrow(const StoreError& e);
    template <typename F>
    auto guarded(F f) -> decltype(f());

    DocumentStore& store_;
    acl::AccessPolicy& policy_;
    LockManager& locks_;
    Poco::Logger& log_;
    SearchService* search_;
};

}  // namespace kiroku::service
