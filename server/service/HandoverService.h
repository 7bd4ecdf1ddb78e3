#pragma once
// HandoverService: 引継ぎ. A handover record closes one person's term in a role of an
// organisation (one role assignment). It opens by itself when the term's last fiscal
// year reaches the opening day (March 1 by default, `handover.opens`), when a term is
// ended early, or on demand; the outgoing holder writes notes (a general note, open
// matters, contacts, physical items) and submits it (引渡済); a holder of the role in a
// later term acknowledges it (受領済), item by item or as a whole; a person appointed
// again (再任) continues with one action (継続). What the role owns (every document it
// can write) and what changed in the term are read from the drive and the audit log
// each time a record is shown, never stored.
//
// Who sees a record: the outgoing holder, anyone who holds the same role in a later
// term (the role's memory, year after year), those who manage the organisation's space,
// administrators; for anyone else it is not there (NotFound, as for a hidden file).
// Every change is written to the audit log. Refusals are ServiceErrors. Thread-safe.

#include "acl/Policy.h"
#include "core/FiscalYear.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "db/Handovers.h"
#include "service/DocumentService.h"
#include "service/HistoryService.h"

#include <optional>
#include <string>
#include <vector>

namespace kiroku::service {

enum class HandoverStatus { Preparing, Handed, Received, Continued };
const char* handoverStatusName(HandoverStatus s);  // preparing, handed, received, continued
// The catalogue code of its words for people: handover.status.preparing (準備中) …
std::string handoverStatusCode(HandoverStatus s);

struct HandoverSummary {
    std::int64_t id = 0;
    std::string org, role;
    std::string holder, holderDisplay;  // the outgoing holder
    std::string termStart, termEnd;     // YYYY-MM-DD
    std::string fiscalYear;             // 令和8年度: the fiscal year the term ends in
    HandoverStatus status = HandoverStatus::Preparing;
    std::vector<std::string> successors;  // holders of the role in the next term (login names)
    bool noSuccessor = false;             // nobody holds the role after this term yet
    bool reappointed = false;             // the outgoing holder holds it again next term
    bool overdue = false;                 // not received by April 30 of the next fiscal year
    std::string submitted, submittedBy, received, receivedBy;
    bool receivedOnPaper = false;
    std::string recordedBy;
};

// A document the role can write, as the inventory shows it.
struct InventoryItem {
    DocPath path;
    std::string folder;    // the folder it is in, DocPath::str()
    std::string category;  // the category folder below the organisation (議事録 …), or ""
    bool isDir = false;
    std::uint64_t size = 0;
    std::int64_t modifiedUs = 0;
    int year = 0;    // 年度 the index gives it (0: none)
    std::string by;  // who last changed it (display name), or ""
};

struct HandoverDetail {
    HandoverSummary summary;
    std::string note;
    std::vector<db::MatterRow> matters;
    std::vector<std::vector<std::string>> matterDocuments;  // per matter: current paths
    std::vector<db::ContactRow> contacts;
    std::vector<db::ItemRow> items;
    std::vector<InventoryItem> inventory;  // files the role can write, by folder
    std::vector<ChangeView> changes;       // the term's changes to them, newest first
    bool inventoryCut = false;             // more than kInventoryLimit files
    // What the caller may do with it now.
    bool canEdit = false, canSubmit = false, canReceive = false, canContinue = false;
};

constexpr std::size_t kInventoryLimit = 20000;

// What HandoverService::show reads besides the record's own notes. The inventory and the
// term's changes come from the drive, the search index and the audit log: the costly part
// of showing the record of a role with thousands of documents.
struct HandoverParts {
    bool inventory = true;
    bool changes = true;
    // 0: every document in the inventory has its 年度 and who changed it last. N > 0: only
    // each folder's N newest do, and they come first in their folder, newest first; the
    // others have neither (year 0, by "") — for a page that lists those N and counts the rest.
    std::size_t detailedPerFolder = 0;
};

class HandoverService {
public:
    HandoverService(DocumentService& documents, HistoryService& history, acl::AccessPolicy& policy,
                    Database& db, const Settings& settings);

    // Opens the records that are due on `today`: every term whose last fiscal year has
    // reached its opening day, and every term that ended early (before the end of its
    // fiscal year) — but none for a holder who continues: a term carried into the next
    // fiscal year by `role renew`, or a holding without an end date (期限なし). Returns
    // how many were opened. Idempotent.
    int openDue(const Date& today);
    // Opens (or finds) the record of a role assignment now: its holder, or someone who
    // manages the organisation. Conflict for a holding without an end date.
    std::int64_t open(const Caller& who, std::int64_t assignmentId);

    // Records the caller may see, newest term first; with `fiscalYear`, of terms ending in
    // that fiscal year.
    std::vector<HandoverSummary> list(const Caller& who, std::optional<int> fiscalYear = {});
    // The record of a role's term ending in `fiscalYear` for one holder (or the only one).
    std::int64_t find(const Caller& who, const std::string& org, const std::string& role,
                      int fiscalYear, const std::string& holder = {});
    // Records waiting for the caller: to write (their own, preparing) and to receive.
    std::vector<HandoverSummary> waiting(const Caller& who);
    // The record as the caller may see it: the inventory lists only what the caller may
    // open themselves. `withInventory`: the inventory and the term's changes too.
    HandoverDetail show(const Caller& who, std::int64_t id, bool withInventory = true);
    HandoverDetail show(const Caller& who, std::int64_t id, const HandoverParts& parts);

    // The outgoing holder's notes, while preparing (or an administrator).
    void setNote(const Caller& who, std::int64_t id, const std::string& note);
    std::int64_t putMatter(const Caller& who, std::int64_t id, db::MatterRow matter,
                           const std::vector<DocPath>& documents);
    std::int64_t putContact(const Caller& who, std::int64_t id, db::ContactRow contact);
    std::int64_t putItem(const Caller& who, std::int64_t id, db::ItemRow item);
    // table: matters, contacts, items.
    void removeNote(const Caller& who, std::int64_t id, const std::string& table,
                    std::int64_t noteId);

    // 引渡済: the outgoing holder hands it over.
    void submit(const Caller& who, std::int64_t id);
    // 受領済: a holder of the role in a later term receives one item, or (item 0) the whole.
    void receive(const Caller& who, std::int64_t id, std::int64_t item = 0);
    // 継続: the outgoing holder, appointed again for the next term, goes on.
    void continueTerm(const Caller& who, std::int64_t id);
    // Records that the caller exports the record with `documents` documents (ZIP): before
    // the first byte, as the one audit row of every read the export makes.
    void recordExport(const Caller& who, std::int64_t id, std::size_t documents);
    // An administrator records a receipt signed on paper by `by` (a successor).
    void recordPaperReceipt(const Caller& who, std::int64_t id, const std::string& by);

private:
    struct Loaded;
    Loaded load(const Caller& who, std::int64_t id);
    HandoverSummary summarize(const acl::PolicySnapshot& snap, const db::HandoverRow& row,
                              const Date& today);
    bool mayRead(const Caller& who, const acl::PolicySnapshot& snap, const db::HandoverRow& row);
    bool mayEdit(const Caller& who, const db::HandoverRow& row);
    bool isSuccessor(const Caller& who, const acl::PolicySnapshot& snap,
                     const db::HandoverRow& row);
    void requireEdit(const Caller& who, const db::HandoverRow& row);
    std::vector<InventoryItem> inventory(const acl::PolicySnapshot& snap,
                                         const db::HandoverRow& row,
                                         const std::vector<DocPath>& roots, const Date& today,
                                         const Caller& reader, std::size_t detailedPerFolder,
                                         bool& cut);
    std::vector<ChangeView> termChanges(const Caller& who, const db::HandoverRow& row,
                                        const std::vector<DocPath>& roots);
    std::vector<DocPath> roots(const acl::PolicySnapshot& snap, const db::HandoverRow& row);
    void audit(const Caller& who, const char* action, const db::HandoverRow& row,
               const std::string& detail);

    DocumentService& documents_;
    HistoryService& history_;
    acl::AccessPolicy& policy_;
    Database& db_;
    Settings settings_;
};

}  // namespace kiroku::service
