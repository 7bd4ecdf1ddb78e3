#pragma once
// HistoryService: what changed, as a person may see it — the recent changes of the home
// page (最近の変更) and who last changed each file of a folder (更新者). Read from the
// audit log; an event shows only when the caller may read its path (and, for a move or
// copy, where it went), so a hidden folder's names and authors never show. Display
// names come from the people's table. Thread-safe.

#include "db/Audit.h"
#include "db/Database.h"
#include "service/DocumentService.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace kiroku::service {

struct ChangeView {
    std::string at;      // ISO 8601 UTC
    std::string user;    // login name
    std::string who;     // display name (the login name when it has none)
    std::string action;  // create, update, delete, move, copy, mkcol, restore
    std::string path;    // where it happened (for a move or copy: where it went)
    std::string from;    // a move's or copy's source
};

class HistoryService {
public:
    HistoryService(DocumentService& documents, Database& db) : documents_(documents), db_(db) {}

    // The newest `limit` changes the caller may see, newest first.
    std::vector<ChangeView> recent(const Caller& who, std::size_t limit);
    // For each of these children of `dir` (by name; a page of a folder) the newest change
    // that made its content or put it there, found by the document's node: the work
    // follows the names asked about, not the size of the folder or of the log. A name
    // without a visible change is left out.
    std::map<std::string, ChangeView> lastChanges(const Caller& who, const DocPath& dir,
                                                  const std::vector<std::string>& names);
    // The changes at or below `root` between `since` and `until` (ISO dates or times;
    // until excluded) that the caller may see, newest first, at most `limit`.
    std::vector<ChangeView> changesWithin(const Caller& who, const DocPath& root,
                                          const std::string& since, const std::string& until,
                                          std::size_t limit);
    // The display name of a login name.
    std::string displayName(const std::string& user);

private:
    bool shown(const Caller& who, const AuditEvent& e);
    ChangeView view(const AuditEvent& e);

    DocumentService& documents_;
    Database& db_;
    std::mutex mutex_;
    std::map<std::string, std::string> names_;  // login -> display (a few hundred people)
    std::int64_t namesAt_ = 0;                  // steady-clock seconds they were read
};

}  // namespace kiroku::service
