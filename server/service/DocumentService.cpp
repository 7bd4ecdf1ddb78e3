#include "service/DocumentService.h"

#include "core/FiscalYear.h"

#include <unistd.h>

#include <algorithm>
#include <unordered_map>

namespace kiroku::service {

namespace {

using Code = ServiceError::Code;

ServiceError notFound() { return ServiceError(Code::NotFound, msg("doc.not_found")); }

ServiceError nameTaken() {
    // Something the caller may not see has the name: refused without saying what.
    return ServiceError(Code::Conflict, msg("doc.name_taken"));
}

ServiceError parentMissing() { return ServiceError(Code::Conflict, msg("doc.parent_missing")); }

}  // namespace

void Upload::write(const char* data, std::size_t size) {
    service_.guarded([&] { upload_->write(data, size); });
}

bool Upload::commit() {
    return service_.guarded([&] { return upload_->commit(); });
}

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

DocumentService::DocumentService(DocumentStore& store, acl::AccessPolicy& policy,
                                 LockManager& locks, Poco::Logger& log, SearchService* search)
    : store_(store), policy_(policy), locks_(locks), log_(log), search_(search) {}

Caller DocumentService::caller(const User& user, const std::string& address,
                               std::set<std::string> lockTokens) {
    return Caller{user, address, policy_.subjectFor(user, Date::today()), std::move(lockTokens)};
}

void DocumentService::rethrow(const StoreError& e) {
    switch (e.kind()) {
        case StoreError::Kind::NotFound:
            throw ServiceError(Code::NotFound, e.message());
        case StoreError::Kind::ParentMissing:
            throw ServiceError(Code::Conflict, e.message());
        case StoreError::Kind::Exists:
            throw ServiceError(Code::Exists, e.message());
        case StoreError::Kind::CaseConflict:
            throw ServiceError(Code::Conflict, e.message());
        case StoreError::Kind::NotAFolder:
            throw ServiceError(Code::Conflict, e.message());
        case StoreError::Kind::IsAFolder:
            throw ServiceError(Code::IsAFolder, e.message());
        case StoreError::Kind::InsufficientStorage:
            throw ServiceError(Code::InsufficientStorage, e.message());
        case StoreError::Kind::Invalid:
            throw ServiceError(Code::Invalid, e.message());
        case StoreError::Kind::Io:
            break;
    }
    // The detail names server paths: it goes to the log, not to the person.
    log_.error("file system: %s", e.detail());
    throw ServiceError(Code::Internal, e.message());
}

template <typename F>
auto DocumentService::guarded(F f) -> decltype(f()) {
    try {
        return f();
    } catch (const StoreError& e) {
        rethrow(e);
    }
}

Actor DocumentService::actor(const Caller& who, const std::string& via) const {
    return Actor{who.user.name, who.address, via.empty() ? who.subject.rolesLabel() : via};
}

// ---- rights ------------------------------------------------------------------------------

Decision DocumentService::rights(const Caller& who, const DocPath& path) {
    return policy_.decide(who.subject, path);
}

bool DocumentService::visible(const Caller& who, const DocPath& path, bool isDir) {
    if (rights(who, path).allows(Rights::Read)) return true;
    return isDir && policy_.canTraverse(who.subject, path);
}

Decision DocumentService::require(const Caller& who, const DocPath& path, Rights wanted,
                                  bool wholeSubtree, const char* action) {
    Decision d = rights(who, path);
    auto refuse = [&] {
        if (wanted >= Rights::Write && action) record(who, action, path, "denied");
    };
    if (!d.allows(Rights::Read)) {
        auto e = store_.stat(path);
        bool isDir = !e || e->isDir;
        if (!isDir || !policy_.canTraverse(who.subject, path)) {
            refuse();
            throw notFound();
        }
    }
    bool ok =
        d.allows(wanted) && (!wholeSubtree || policy_.leastWithin(who.subject, path) >= wanted);
    if (!ok) {
        refuse();
        throw ServiceError(Code::Forbidden, msg("rights.forbidden"));
    }
    return d;
}

void DocumentService::record(const Caller& who, const std::string& action, const DocPath& path,
                             const std::string& result) {
    store_.journal(actor(who, {}), action, path, {}, result);
}

void DocumentService::recordRead(const Caller& who, const DocPath& path, const char* action) {
    bool recorded = policy_.isRoster(path);
    if (!recorded && who.subject.admin) {
        // Every use of administrator rights is recorded: reads the person's own roles
        // would not allow too.
        acl::Subject own = who.subject;
        own.admin = false;
        recorded = !policy_.decide(own, path).allows(Rights::Read);
    }
    if (recorded) store_.journal(actor(who, rights(who, path).via), action, path);
}

// ---- seeing --------------------------------------------------------------------------------

std::optional<Entry> DocumentService::findIfVisible(const Caller& who, const DocPath& path) {
    auto e = store_.stat(path);
    if (!e || !visible(who, path, e->isDir)) return std::nullopt;
    return e;
}

Entry DocumentService::find(const Caller& who, const DocPath& path) {
    auto e = findIfVisible(who, path);
    if (!e) throw notFound();
    return *e;
}

std::vector<Entry> DocumentService::list(const Caller& who, const DocPath& dir, bool record,
                                         bool details) {
    Entry self = find(who, dir);
    if (!self.isDir) throw ServiceError(Code::Conflict, msg("doc.not_a_folder"));
    Decision here = rights(who, dir);
    std::vector<Entry> shown;
    for (auto& c : guarded([&] { return store_.list(dir, details); })) {
        Decision d = policy_.decideChild(who.subject, here, c.path);
        if (d.allows(Rights::Read) || (c.isDir && policy_.canTraverse(who.subject, c.path)))
            shown.push_back(std::move(c));
    }
    if (record) recordRead(who, dir, "list");
    return shown;
}

void DocumentService::addDetails(const Caller& who, const DocPath& dir,
                                 std::vector<Entry>& entries) {
    if (!findIfVisible(who, dir)) throw notFound();
    Decision here = rights(who, dir);
    std::vector<Entry> seen;
    for (auto& e : entries) {
        if (e.path.isRoot() || !(e.path.parent() == dir)) continue;
        Decision d = policy_.decideChild(who.subject, here, e.path);
        if (d.allows(Rights::Read) || (e.isDir && policy_.canTraverse(who.subject, e.path)))
            seen.push_back(std::move(e));
    }
    guarded([&] { store_.fill(dir, seen); });
    entries = std::move(seen);
}

std::unique_ptr<OpenFile> DocumentService::open(const Caller& who, const DocPath& path,
                                                bool record) {
    auto e = store_.stat(path);
    if (!e) throw notFound();
    if (e->isDir) {
        if (!visible(who, path, true)) throw notFound();
        throw ServiceError(Code::IsAFolder, msg("doc.folder_not_readable"));
    }
    require(who, path, Rights::Read);
    int fd = guarded([&] { return store_.openForRead(path); });
    auto file = std::make_unique<OpenFile>(fd, *e);
    if (record) recordRead(who, path, "read");
    return file;
}

ResourceState DocumentService::state(const Caller& who, const DocPath& path) {
    ResourceState st;
    // A resource the caller may not see is, for them, not there: an If header must not
    // become a way to probe hidden files and their entity tags.
    auto e = findIfVisible(who, path);
    st.exists = e.has_value();
    if (e) st.etag = e->etag();
    if (e || visible(who, path, true)) {
        for (const auto& l : locks_.covering(path)) st.lockTokens.insert(l.token);
    }
    // An unmapped URL may still be locked through its parent.
    if (!st.exists && !st.lockTokens.empty()) st.exists = true;
    return st;
}

std::vector<DeadProp> DocumentService::deadProps(const Caller& who, const DocPath& path) {
    find(who, path);
    // A folder shown only to be passed through keeps its properties to itself.
    if (!rights(who, path).allows(Rights::Read)) return {};
    return store_.deadProps(path);
}

std::map<std::string, std::vector<DeadProp>> DocumentService::deadPropsWithChildren(
    const Caller& who, const DocPath& dir) {
    find(who, dir);
    Decision here = rights(who, dir);
    auto all = store_.deadPropsWithChildren(dir);
    for (auto it = all.begin(); it != all.end();) {
        Decision d = it->first == dir.str()
                         ? here
                         : policy_.decideChild(who.subject, here, DocPath::fromText(it->first));
        if (d.allows(Rights::Read))
            ++it;
        else
            it = all.erase(it);
    }
    return all;
}

std::vector<Lock> DocumentService::locksCovering(const Caller& who, const DocPath& path) {
    if (!visible(who, path, true)) return {};
    return locks_.covering(path);
}

std::uint64_t DocumentService::usedBytes(const Caller& who, const DocPath& path) {
    find(who, path);
    return guarded([&] { return store_.usedBytes(path); });
}

// ---- locks in the way ----------------------------------------------------------------------

void DocumentService::checkLocks(const Caller& who, const DocPath& path, bool wholeSubtree,
                                 bool changesParent) {
    if (locks_.empty()) return;
    std::vector<Lock> found = wholeSubtree ? locks_.affecting(path) : locks_.covering(path);
    if (changesParent && !path.isRoot()) {
        for (const auto& l : locks_.covering(path.parent())) {
            if (l.root == path.parent() && !l.infinite) found.push_back(l);
        }
    }
    // A token counts only for the person who took the lock.
    auto held = [&](const Lock& l) {
        return who.lockTokens.count(l.token) > 0 && l.principal == who.user.name;
    };
    for (const auto& l : found) {
        if (held(l)) continue;
        bool sharedPeerHeld =
            !l.exclusive && std::any_of(found.begin(), found.end(), [&](const Lock& o) {
                return !o.exclusive && o.root == l.root && held(o);
            });
        if (sharedPeerHeld) continue;
        ServiceError e(Code::Locked, msg("lock.in_use"));
        e.lockRoot = l.root;
        e.lockRootIsFolder = store_.stat(l.root).value_or(Entry{}).isDir;
        throw e;
    }
}

// ---- changing ------------------------------------------------------------------------------

std::unique_ptr<Upload> DocumentService::beginUpload(const Caller& who, const DocPath& path,
                                                     std::int64_t expectedSize) {
    if (path.isRoot()) throw ServiceError(Code::IsAFolder, msg("doc.not_here"));
    auto entry = store_.stat(path);
    // What the caller may not see is, for them, not there: they get the answer a new
    // name would get, and only one who may create here learns that the name is taken
    // (security review, finding 10).
    if (entry && !visible(who, path, entry->isDir)) {
        require(who, path.parent(), Rights::Write, false, "put");
        throw nameTaken();
    }
    if (entry && entry->isDir) throw ServiceError(Code::IsAFolder, msg("doc.folder_has_the_name"));
    Decision d = entry ? require(who, path, Rights::Write, false, "put")
                       : require(who, path.parent(), Rights::Write, false, "put");
    checkLocks(who, path, false, !entry);
    if (!entry) {
        auto parent = store_.stat(path.parent());
        if (!parent || !parent->isDir) throw parentMissing();
    }
    return std::make_unique<Upload>(
        guarded([&] { return store_.beginUpload(path, actor(who, d.via), expectedSize); }), *this);
}

void DocumentService::makeFolder(const Caller& who, const DocPath& path) {
    if (findIfVisible(who, path)) {
        throw ServiceError(Code::Exists, msg("doc.exists"));
    }
    Decision d = require(who, path.parent(), Rights::Write, false, "mkcol");
    if (store_.stat(path)) throw nameTaken();
    checkLocks(who, path, false, true);
    guarded([&] { store_.makeFolder(path, actor(who, d.via)); });
}

void DocumentService::remove(const Caller& who, const DocPath& path) {
    auto e = findIfVisible(who, path);
    if (!e) throw notFound();
    if (path.isRoot()) throw ServiceError(Code::Forbidden, msg("doc.root_not_deletable"));
    require(who, path.parent(), Rights::Write, false, "delete");
    Decision d = require(who, path, Rights::Write, true, "delete");
    checkLocks(who, path, true, true);
    guarded([&] { store_.remove(path, actor(who, d.via)); });
    locks_.releaseWithin(path);
    policy_.recheck();
}

Entry DocumentService::checkSource(const Caller& who, const DocPath& from, const DocPath& to) {
    auto src = findIfVisible(who, from);
    if (!src) throw notFound();
    if (from.isRoot() || to.isRoot()) {
        throw ServiceError(Code::Forbidden, msg("doc.root_not_movable"));
    }
    if (from == to) throw ServiceError(Code::Forbidden, msg("doc.same_place"));
    if (src->isDir && to.isWithin(from)) {
        throw ServiceError(Code::Forbidden, msg("doc.into_itself"));
    }
    return *src;
}

bool DocumentService::checkDestination(const Caller& who, const DocPath& to, bool overwrite,
                                       const char* action) {
    require(who, to.parent(), Rights::Write, false, action);
    auto existing = store_.stat(to);
    if (existing) require(who, to, Rights::Write, true, action);
    auto parent = store_.stat(to.parent());
    if (!parent || !parent->isDir) {
        throw ServiceError(Code::Conflict, msg("doc.destination_folder_missing"));
    }
    checkLocks(who, to, true, true);
    if (existing && !overwrite) {
        throw ServiceError(Code::PreconditionFailed, msg("doc.destination_exists"));
    }
    return existing.has_value();
}

bool DocumentService::copy(const Caller& who, const DocPath& from, const DocPath& to,
                           bool recursive, bool overwrite) {
    checkSource(who, from, to);
    Decision d = require(who, from, Rights::Read, true, "copy");
    bool existing = checkDestination(who, to, overwrite, "copy");
    bool replaced =
        guarded([&] { return store_.copy(from, to, recursive, actor(who, d.via), existing); });
    if (existing) locks_.releaseWithin(to);
    return replaced;
}

bool DocumentService::move(const Caller& who, const DocPath& from, const DocPath& to,
                           bool overwrite) {
    checkSource(who, from, to);
    require(who, from.parent(), Rights::Write, false, "move");
    // Entries and protections travel with what they sit on: moving them is managing.
    Decision d = require(who, from, policy_.carriesRules(from) ? Rights::Manage : Rights::Write,
                         true, "move");
    checkLocks(who, from, true, true);
    bool existing = checkDestination(who, to, overwrite, "move");
    bool replaced = guarded([&] { return store_.move(from, to, actor(who, d.via), existing); });
    locks_.releaseWithin(from);
    if (existing) locks_.releaseWithin(to);
    policy_.recheck();
    return replaced;
}

void DocumentService::patchProps(const Caller& who, const DocPath& path,
                                 const std::vector<PropChange>& changes) {
    if (!store_.stat(path)) throw notFound();
    Decision d = require(who, path, Rights::Write, false, "proppatch");
    checkLocks(who, path, false, false);
    guarded([&] { store_.patchProps(path, changes, actor(who, d.via)); });
}

// ---- locks -------------------------------------------------------------------------------

LockGrant DocumentService::lock(const Caller& who, const DocPath& path,
                                const LockRequest& request) {
    auto target = store_.stat(path);
    // Hidden is missing, as for a PUT (security review, finding 10).
    if (target && !visible(who, path, target->isDir)) {
        require(who, path.parent(), Rights::Write, false, "lock");
        throw nameTaken();
    }
    // A lock on a folder with depth infinity stops changes everywhere below it: it needs
    // write rights there too (security review, finding 9: a 会計 locked the roster).
    bool subtree = target && target->isDir && request.infinite;
    Decision d = require(who, target ? path : path.parent(), Rights::Write, subtree, "lock");
    if (!target) {
        auto parent = store_.stat(path.parent());
        if (!parent || !parent->isDir) {
            throw ServiceError(Code::Conflict, msg("doc.parent_missing"));
        }
        checkLocks(who, path, false, true);
    }
    auto result =
        locks_.acquire(path, request.exclusive, request.infinite && (!target || target->isDir),
                       request.ownerXml, who.user.name, request.timeoutSeconds);
    if (!result.lock) {
        ServiceError e(Code::Locked, msg("lock.conflict"));
        e.lockRoot = result.conflict;
        e.conflictingLock = true;
        throw e;
    }
    LockGrant grant{*result.lock, false};
    if (!target) {
        // Locking an unmapped URL creates an empty resource (RFC 4918 §7.3).
        try {
            guarded([&] {
                store_.beginUpload(path, actor(who, d.via), 0)->commit();
            });  // an empty file
            grant.created = true;
        } catch (...) {
            locks_.release(grant.lock.token);
            throw;
        }
    }
    store_.journal(actor(who, d.via), "lock", path);
    return grant;
}

Lock DocumentService::refreshLock(const Caller& who, const DocPath& path, int timeoutSeconds) {
    auto target = store_.stat(path);
    require(who, target ? path : path.parent(), Rights::Write, false, "lock");
    for (const auto& token : who.lockTokens) {
        auto lock = locks_.find(token);
        if (!lock || !(lock->root == path || (lock->infinite && path.isWithin(lock->root))))
            continue;
        if (lock->principal != who.user.name) continue;
        if (auto refreshed = locks_.refresh(token, timeoutSeconds)) return *refreshed;
    }
    throw ServiceError(Code::PreconditionFailed, msg("lock.not_found"));
}

void DocumentService::unlock(const Caller& who, const DocPath& path, const std::string& token) {
    auto lock = locks_.find(token);
    if (!lock || !(lock->root == path || (lock->infinite && path.isWithin(lock->root)))) {
        throw ServiceError(Code::Conflict, msg("lock.not_on_this"));
    }
    bool breaking = lock->principal != who.user.name;
    std::string via;
    if (breaking) {
        // Locks never block the people who manage a folder forever: they may break
        // someone else's lock, and that is recorded.
        Decision d = rights(who, lock->root);
        if (!d.allows(Rights::Manage)) {
            if (!visible(who, path, true)) throw notFound();
            throw ServiceError(Code::Forbidden, msg("lock.someone_elses"));
        }
        via = d.via;
    } else {
        via = require(who, path, Rights::Read).via;
    }
    locks_.release(token);
    store_.journal(actor(who, via), breaking ? "lock-break" : "unlock", path,
                   breaking ? lock->principal : std::string());
}

// ---- versions and the trash ---------------------------------------------------------------

std::vector<VersionInfo> DocumentService::versions(const Caller& who, const DocPath& path) {
    Entry e = find(who, path);
    if (e.isDir) throw ServiceError(Code::IsAFolder, msg("doc.folder_not_readable"));
    require(who, path, Rights::Read);
    return guarded([&] { return store_.versions(path); });
}

VersionInfo DocumentService::version(const Caller& who, std::int64_t id) {
    auto v = guarded([&] { return store_.version(id); });
    if (!v) throw ServiceError(Code::NotFound, msg("version.not_found_short"));
    DocPath path = DocPath::fromText(v->path);
    if (!rights(who, path).allows(Rights::Read)) {
        throw ServiceError(Code::NotFound, msg("version.not_found_short"));
    }
    return *v;
}

std::unique_ptr<OpenFile> DocumentService::openVersion(const Caller& who, std::int64_t id) {
    VersionInfo v = version(who, id);
    DocPath path = DocPath::fromText(v.path);
    int fd = guarded([&] { return store_.openVersion(id); });
    Entry e;
    e.path = path;
    e.size = v.size;
    recordRead(who, path, "read");
    return std::make_unique<OpenFile>(fd, std::move(e));
}

DocPath DocumentService::restoreVersion(const Caller& who, std::int64_t id) {
    VersionInfo v = version(who, id);
    DocPath path = DocPath::fromText(v.path);
    Decision d = require(who, path, Rights::Write, false, "restore");
    checkLocks(who, path, false, false);
    return guarded([&] { return store_.restoreVersion(id, actor(who, d.via)); });
}

void DocumentService::labelVersion(const Caller& who, std::int64_t id, const std::string& label) {
    VersionInfo v = version(who, id);
    DocPath path = DocPath::fromText(v.path);
    Decision d = require(who, path, Rights::Write, false, "version-label");
    guarded([&] { store_.labelVersion(id, label, actor(who, d.via)); });
}

std::vector<TrashInfo> DocumentService::trash(const Caller& who) {
    std::vector<TrashInfo> shown;
    for (auto& t : guarded([&] { return store_.trash(); })) {
        try {
            DocPath place = DocPath::fromText(t.path);
            if (place.isRoot()) continue;
            if (rights(who, place.parent()).allows(Rights::Write) &&
                rights(who, place).allows(Rights::Read))
                shown.push_back(std::move(t));
        } catch (const BadName&) {
        }
    }
    return shown;
}

DocPath DocumentService::restoreTrash(const Caller& who, std::int64_t id) {
    auto t = guarded([&] { return store_.trashEntry(id); });
    if (!t) throw ServiceError(Code::NotFound, msg("trash.not_found"));
    DocPath place = DocPath::fromText(t->path);
    if (place.isRoot() || !rights(who, place).allows(Rights::Read)) {
        throw ServiceError(Code::NotFound, msg("trash.not_found"));
    }
    Decision d = require(who, place.parent(), Rights::Write, false, "restore");
    checkLocks(who, place, true, true);
    DocPath restored = guarded([&] { return store_.restoreTrash(id, actor(who, d.via)); });
    policy_.recheck();
    return restored;
}

std::optional<indexer::StoredDocument> DocumentService::indexed(const Caller& who,
                                                                const DocPath& path,
                                                                bool withText) {
    require(who, path, Rights::Read);
    if (!search_) return std::nullopt;
    auto stored = search_->stored(path.str(), withText);
    if (stored && withText) recordRead(who, path, "read");
    return stored;
}

std::vector<int> DocumentService::indexedYears(const Caller& who, const DocPath& dir,
                                               const std::vector<Entry>& entries) {
    std::vector<int> years(entries.size(), 0);
    if (!search_) return years;
    Decision here = rights(who, dir);
    std::vector<std::string> paths;
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (e.isDir || !(e.path.parent() == dir)) continue;
        if (!policy_.decideChild(who.subject, here, e.path).allows(Rights::Read)) continue;
        paths.push_back(e.path.str());
        at.push_back(i);
    }
    std::vector<int> found = search_->years(paths);
    for (std::size_t k = 0; k < at.size(); ++k) years[at[k]] = found[k];
    return years;
}

// ---- search ------------------------------------------------------------------------------

indexer::SearchResult DocumentService::search(const Caller& who,
                                              const indexer::SearchQuery& query) {
    if (!search_) throw ServiceError(Code::Internal, msg("search.unavailable"));
    // The same rights function as everywhere: where it changes (entries, protections)
    // it is asked once for the whole scope, by which the index filters and weighs; and
    // once per folder, for every candidate, to be sure the two agree.
    auto snapshot = policy_.snapshot();
    acl::AccessPolicy::ReadMap map = policy_.readMap(*snapshot, who.subject);
    indexer::ReadableScope scope;
    scope.atRoot = map.atRoot;
    scope.points = std::move(map.points);
    // What the decisions below depend on: the index remembers them per document for the
    // next search with the same key.
    scope.confirmKey = snapshot->version + "/" + std::to_string(who.subject.userId) + "/" +
                       (who.subject.admin ? "admin" : "") + "/" + who.subject.date;
    for (const auto& h : who.subject.held) {
        scope.confirmKey += "/" + std::to_string(h.orgId) + ":" + h.role + ":" +
                            (h.readOnly ? "r" : "w") + ":" + h.start + ":" + h.end;
    }
    // Candidates come folder by folder: the last folder's decision is kept at hand.
    std::unordered_map<std::string, Decision> folders;
    std::string lastFolder;
    const Decision* last = nullptr;
    scope.confirm = [&](const std::string& path) {
        try {
            const auto slash = path.rfind('/');
            const std::size_t length = slash == std::string::npos ? 0 : slash;
            if (!last || length != lastFolder.size() || path.compare(0, length, lastFolder) != 0) {
                std::string folder = path.substr(0, length);
                auto it = folders.find(folder);
                if (it == folders.end())
                    it = folders.emplace(folder, rights(who, DocPath::fromText(folder))).first;
                last = &it->second;
                lastFolder = std::move(folder);
            }
            return policy_.decideChild(*snapshot, who.subject, *last, path).allows(Rights::Read);
        } catch (const BadName&) {
            return false;
        }
    };
    indexer::SearchResult result = search_->search(query, scope);
    // A hit's snippet shows the document's text: in a folder whose reads are recorded
    // (名簿), showing it is a read (security review, finding 7).
    for (const auto& hit : result.hits) {
        try {
            DocPath p = DocPath::fromText(hit.path);
            if (policy_.isRoster(p)) store_.journal(actor(who, rights(who, p).via), "search", p);
        } catch (const BadName&) {
        }
    }
    return result;
}

}  // namespace kiroku::service
