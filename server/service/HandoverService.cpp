#include "service/HandoverService.h"

#include "audit/AuditLog.h"
#include "db/Users.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace kiroku::service {

using Code = ServiceError::Code;

namespace {

HandoverStatus statusOf(const std::string& s) {
    if (s == "handed") return HandoverStatus::Handed;
    if (s == "received") return HandoverStatus::Received;
    if (s == "continued") return HandoverStatus::Continued;
    return HandoverStatus::Preparing;
}

ServiceError notFound() { return ServiceError(Code::NotFound, msg("handover.not_found")); }

// The day of a fiscal year when its terms' handovers open ("03-01": March 1, near its end).
Date openingDay(const FiscalYear& fy, const std::string& monthDay) {
    int month = 3, day = 1;
    if (monthDay.size() == 5 && monthDay[2] == '-') {
        month = std::atoi(monthDay.substr(0, 2).c_str());
        day = std::atoi(monthDay.substr(3, 2).c_str());
    }
    if (month < 1 || month > 12 || day < 1 || day > 31) month = 3, day = 1;
    auto d = Date::parse(std::to_string(month >= 4 ? fy.year : fy.year + 1) + "-" +
                         (month < 10 ? "0" : "") + std::to_string(month) + "-" +
                         (day < 10 ? "0" : "") + std::to_string(day));
    return d ? *d : Date::of(fy.year + 1, 3, 1);
}

}  // namespace

const char* handoverStatusName(HandoverStatus s) {
    switch (s) {
        case HandoverStatus::Preparing:
            return "preparing";
        case HandoverStatus::Handed:
            return "handed";
        case HandoverStatus::Received:
            return "received";
        case HandoverStatus::Continued:
            return "continued";
    }
    return "preparing";
}

std::string handoverStatusCode(HandoverStatus s) {
    return std::string("handover.status.") + handoverStatusName(s);
}

struct HandoverService::Loaded {
    db::HandoverRow row;
    std::shared_ptr<const acl::PolicySnapshot> snap;
};

HandoverService::HandoverService(DocumentService& documents, HistoryService& history,
                                 acl::AccessPolicy& policy, Database& db, const Settings& settings)
    : documents_(documents), history_(history), policy_(policy), db_(db), settings_(settings) {}

// ---- opening --------------------------------------------------------------------------

int HandoverService::openDue(const Date& today) {
    auto snap = policy_.snapshot();
    // Terms that ended before the previous fiscal year began predate the record: they
    // are not opened now.
    const std::string oldest = Date::of(FiscalYear::containing(today).year - 1, 4, 1).str();
    // A holder who continues hands nothing over: a term carried into the next fiscal
    // year by `role renew`, and a holding without an end date, open no record.
    std::set<std::int64_t> renewed;
    for (const auto& a : snap->assignments) {
        if (a.renewedFrom) renewed.insert(a.renewedFrom);
    }
    int opened = 0;
    for (const auto& a : snap->assignments) {
        auto end = Date::parse(a.end);
        if (!end || a.start > today.str() || a.end < oldest) continue;
        if (a.openEnded() || renewed.count(a.id)) continue;
        if (std::find(settings_.handoverSkipRoles.begin(), settings_.handoverSkipRoles.end(),
                      a.role) != settings_.handoverSkipRoles.end())
            continue;
        FiscalYear last = FiscalYear::containing(*end);
        bool endsEarly = !(*end == last.last());
        bool due = endsEarly || openingDay(last, settings_.handoverOpens) <= today;
        if (!due) continue;
        Transaction tx(db_);
        if (db::handovers::byAssignment(tx.session(), a.id)) continue;
        db::HandoverRow row;
        row.assignmentId = a.id;
        row.orgId = a.orgId;
        row.role = a.role;
        row.userId = a.userId;
        row.termStart = a.start;
        row.termEnd = a.end;
        row.created = nowIso();
        row.id = db::handovers::create(tx.session(), row);
        AuditEvent e;
        e.user = "kirokud";
        e.address = "local";
        e.action = "handover-open";
        const acl::Organisation* o = snap->org(a.orgId);
        e.path = o ? o->space().str() : std::string();
        e.dest = a.role + " " + a.userName + " " + a.start + ".." + a.end;
        e.result = "ok";
        db::audit::append(tx.session(), e);
        tx.commit();
        ++opened;
    }
    return opened;
}

std::int64_t HandoverService::open(const Caller& who, std::int64_t assignmentId) {
    auto snap = policy_.snapshot();
    auto it = std::find_if(snap->assignments.begin(), snap->assignments.end(),
                           [&](const acl::RoleAssignment& a) { return a.id == assignmentId; });
    if (it == snap->assignments.end()) throw ServiceError(Code::NotFound, msg("term.not_found"));
    const acl::Organisation* o = snap->org(it->orgId);
    bool manages = o && documents_.rights(who, o->space()).allows(Rights::Manage);
    if (it->userId != who.user.id && !manages && !who.user.admin) {
        throw ServiceError(Code::NotFound, msg("term.not_found"));
    }
    // Held without an end date, nothing is handed over until the holding is ended.
    if (it->openEnded()) throw ServiceError(Code::Conflict, msg("handover.open_ended"));
    Transaction tx(db_);
    if (auto existing = db::handovers::byAssignment(tx.session(), assignmentId))
        return existing->id;
    db::HandoverRow row;
    row.assignmentId = it->id;
    row.orgId = it->orgId;
    row.role = it->role;
    row.userId = it->userId;
    row.termStart = it->start;
    row.termEnd = it->end;
    row.created = nowIso();
    row.createdBy = who.user.name;
    row.id = db::handovers::create(tx.session(), row);
    AuditEvent e;
    e.user = who.user.name;
    e.address = who.address;
    e.roles = who.subject.rolesLabel();
    e.action = "handover-open";
    e.path = o ? o->space().str() : std::string();
    e.dest = it->role + " " + it->userName + " " + it->start + ".." + it->end;
    e.result = "ok";
    db::audit::append(tx.session(), e);
    tx.commit();
    return row.id;
}

// ---- seeing ---------------------------------------------------------------------------

bool HandoverService::isSuccessor(const Caller& who, const acl::PolicySnapshot& snap,
                                  const db::HandoverRow& row) {
    for (const auto& a : snap.assignments) {
        if (a.userId == who.user.id && a.orgId == row.orgId && a.role == row.role &&
            a.start > row.termEnd)
            return true;
    }
    return false;
}

bool HandoverService::mayRead(const Caller& who, const acl::PolicySnapshot& snap,
                              const db::HandoverRow& row) {
    if (who.user.admin || who.user.id == row.userId) return true;
    // The role's later holders (a successor, and every holder after them), once it is
    // handed over — or once the term is over, so that a record never handed over is not
    // lost to them. Until then it is the outgoing holder's draft.
    const bool open =
        statusOf(row.status) != HandoverStatus::Preparing || row.termEnd < who.subject.date;
    for (const auto& a : snap.assignments) {
        if (open && a.userId == who.user.id && a.orgId == row.orgId && a.role == row.role &&
            a.start > row.termStart)
            return true;
    }
    const acl::Organisation* o = snap.org(row.orgId);
    return o && documents_.rights(who, o->space()).allows(Rights::Manage);
}

bool HandoverService::mayEdit(const Caller& who, const db::HandoverRow& row) {
    if (statusOf(row.status) != HandoverStatus::Preparing) return false;
    return who.user.id == row.userId || who.user.admin;
}

void HandoverService::requireEdit(const Caller& who, const db::HandoverRow& row) {
    if (statusOf(row.status) != HandoverStatus::Preparing) {
        throw ServiceError(Code::Conflict, msg("handover.not_preparing"));
    }
    if (!mayEdit(who, row)) throw ServiceError(Code::Forbidden, msg("handover.not_yours"));
}

HandoverService::Loaded HandoverService::load(const Caller& who, std::int64_t id) {
    Loaded l;
    l.snap = policy_.snapshot();
    std::optional<db::HandoverRow> row;
    {
        auto lease = db_.lease();
        row = db::handovers::byId(**lease, id);
    }
    if (!row || !mayRead(who, *l.snap, *row)) throw notFound();
    l.row = std::move(*row);
    return l;
}

HandoverSummary HandoverService::summarize(const acl::PolicySnapshot& snap,
                                           const db::HandoverRow& row, const Date& today) {
    HandoverSummary s;
    s.id = row.id;
    const acl::Organisation* o = snap.org(row.orgId);
    s.org = o ? o->name : std::string("?");
    s.role = row.role;
    auto name = snap.userNames.find(row.userId);
    s.holder = name == snap.userNames.end() ? std::string("?") : name->second;
    s.holderDisplay = history_.displayName(s.holder);
    s.termStart = row.termStart;
    s.termEnd = row.termEnd;
    auto end = Date::parse(row.termEnd);
    FiscalYear last = end ? FiscalYear::containing(*end) : FiscalYear{};
    s.fiscalYear = last.japanese();
    s.status = statusOf(row.status);
    // The next term: a holder of the role whose term starts after this one ends, within
    // the fiscal year that follows.
    const std::string nextEnd = Date::of(last.year + 2, 3, 31).str();
    for (const auto& a : snap.assignments) {
        if (a.orgId == row.orgId && a.role == row.role && a.start > row.termEnd &&
            a.start <= nextEnd) {
            if (std::find(s.successors.begin(), s.successors.end(), a.userName) ==
                s.successors.end())
                s.successors.push_back(a.userName);
            if (a.userId == row.userId) s.reappointed = true;
        }
    }
    s.noSuccessor = s.successors.empty();
    bool settled = s.status == HandoverStatus::Received || s.status == HandoverStatus::Continued;
    s.overdue = !settled && Date::of(last.year + 1, 4, 30) < today;
    s.submitted = row.submitted;
    s.submittedBy = row.submittedBy;
    s.received = row.received;
    s.receivedBy = row.receivedBy;
    s.receivedOnPaper = row.receivedOnPaper;
    s.recordedBy = row.recordedBy;
    return s;
}

std::vector<HandoverSummary> HandoverService::list(const Caller& who,
                                                   std::optional<int> fiscalYear) {
    auto snap = policy_.snapshot();
    std::vector<db::HandoverRow> rows;
    {
        auto lease = db_.lease();
        rows = db::handovers::all(**lease);
    }
    Date today = Date::parse(who.subject.date).value_or(Date::today());
    std::vector<HandoverSummary> out;
    for (const auto& r : rows) {
        if (!mayRead(who, *snap, r)) continue;
        if (fiscalYear) {
            auto end = Date::parse(r.termEnd);
            if (!end || FiscalYear::containing(*end).year != *fiscalYear) continue;
        }
        out.push_back(summarize(*snap, r, today));
    }
    return out;
}

std::int64_t HandoverService::find(const Caller& who, const std::string& org,
                                   const std::string& role, int fiscalYear,
                                   const std::string& holder) {
    std::vector<std::int64_t> found;
    for (const auto& s : list(who, fiscalYear)) {
        if (s.org == org && s.role == role && (holder.empty() || s.holder == holder))
            found.push_back(s.id);
    }
    if (found.empty()) throw notFound();
    if (found.size() > 1) throw ServiceError(Code::BadRequest, msg("handover.which_holder"));
    return found.front();
}

std::vector<HandoverSummary> HandoverService::waiting(const Caller& who) {
    std::vector<HandoverSummary> out;
    for (auto& s : list(who)) {
        bool mine = s.holder == who.user.name && s.status == HandoverStatus::Preparing;
        bool toReceive = s.status == HandoverStatus::Handed &&
                         std::find(s.successors.begin(), s.successors.end(), who.user.name) !=
                             s.successors.end() &&
                         s.holder != who.user.name;
        if (mine || toReceive) out.push_back(std::move(s));
    }
    return out;
}

std::vector<DocPath> HandoverService::roots(const acl::PolicySnapshot& snap,
                                            const db::HandoverRow& row) {
    std::set<std::string> paths;
    const acl::Organisation* o = snap.org(row.orgId);
    if (o) paths.insert(o->space().str());
    for (const auto& [path, entries] : snap.entries) {
        for (const auto& e : entries) {
            if (e.principal.role != row.role || e.rights < Rights::Write) continue;
            bool role =
                e.principal.kind == acl::Principal::Kind::Role && e.principal.orgId == row.orgId;
            bool members = e.principal.kind == acl::Principal::Kind::Members && o &&
                           o->parentId == e.principal.orgId;
            if (role || members) paths.insert(path);
        }
    }
    // A root inside another is walked with it.
    std::vector<DocPath> out;
    for (const auto& p : paths) {
        DocPath path = DocPath::fromText(p);
        bool inside =
            std::any_of(out.begin(), out.end(), [&](const DocPath& r) { return path.isWithin(r); });
        if (!inside) out.push_back(path);
    }
    return out;
}

// The documents the role can write, found as the role itself sees the drive (a caller
// that holds only that role): generated each time, never typed. Only those the reader may
// open themselves: a successor before their term, or a holder long gone, sees no names
// they could not see in the folders.
std::vector<InventoryItem> HandoverService::inventory(const acl::PolicySnapshot& snap,
                                                      const db::HandoverRow& row,
                                                      const std::vector<DocPath>& roots,
                                                      const Date& today, const Caller& reader,
                                                      std::size_t detailedPerFolder, bool& cut) {
    Caller role;
    role.user.name =
        "role:" + (snap.org(row.orgId) ? snap.org(row.orgId)->name : "?") + "/" + row.role;
    role.address = "local";
    role.subject.name = role.user.name;
    role.subject.date = today.str();
    const acl::Organisation* o = snap.org(row.orgId);
    role.subject.held.push_back(
        {row.orgId, row.role, false, (o ? o->name : "?") + "/" + row.role, {}, {}});

    std::vector<InventoryItem> out;
    cut = false;
    for (const DocPath& root : roots) {
        std::deque<DocPath> folders{root};
        while (!folders.empty() && !cut) {
            DocPath dir = folders.front();
            folders.pop_front();
            std::vector<Entry> children;
            try {
                children = documents_.list(role, dir, false);
            } catch (const ServiceError&) {
                continue;  // gone, or not for this role
            }
            // Decided once for the folder; a file differs only by an entry of its own.
            const acl::Decision roleHere = documents_.rights(role, dir);
            const acl::Decision readerHere = documents_.rights(reader, dir);
            std::vector<Entry> files;
            for (auto& c : children) {
                if (c.clutter()) continue;
                if (c.isDir) {
                    folders.push_back(c.path);
                } else if (policy_.decideChild(role.subject, roleHere, c.path)
                               .allows(Rights::Write) &&
                           policy_.decideChild(reader.subject, readerHere, c.path)
                               .allows(Rights::Read)) {
                    files.push_back(std::move(c));
                }
            }
            if (files.empty()) continue;
            // The 年度 and the last change come from the index and the audit log, file by
            // file: for a page that shows each folder's newest, only for those.
            std::size_t detailed = files.size();
            if (detailedPerFolder > 0) {
                std::stable_sort(files.begin(), files.end(), [](const Entry& a, const Entry& b) {
                    return a.modifiedUs > b.modifiedUs;
                });
                detailed = std::min(detailed, detailedPerFolder);
            }
            std::vector<Entry> newest;
            if (detailed < files.size()) {
                newest.assign(files.begin(), files.begin() + static_cast<std::ptrdiff_t>(detailed));
            }
            const std::vector<Entry>& described = detailed < files.size() ? newest : files;
            std::vector<std::string> names;
            for (const auto& f : described) names.push_back(f.path.name());
            auto changes = history_.lastChanges(role, dir, names);
            auto years = documents_.indexedYears(role, dir, described);
            const auto& segs = dir.segments();
            for (std::size_t i = 0; i < files.size(); ++i) {
                if (out.size() >= kInventoryLimit) {
                    cut = true;
                    break;
                }
                InventoryItem item;
                item.path = files[i].path;
                item.folder = dir.str();
                item.category = segs.size() >= 2 ? segs[1] : std::string();
                item.size = files[i].size;
                item.modifiedUs = files[i].modifiedUs;
                if (i < detailed) {
                    item.year = years[i];
                    auto c = changes.find(names[i]);
                    if (c != changes.end()) item.by = c->second.who;
                }
                out.push_back(std::move(item));
            }
        }
    }
    return out;
}

std::vector<ChangeView> HandoverService::termChanges(const Caller& who, const db::HandoverRow& row,
                                                     const std::vector<DocPath>& roots) {
    auto end = Date::parse(row.termEnd);
    const std::string until = end ? end->plusDays(1).str() : row.termEnd;
    std::vector<ChangeView> out;
    for (const DocPath& root : roots) {
        auto part = history_.changesWithin(who, root, row.termStart, until, 2000);
        out.insert(out.end(), part.begin(), part.end());
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const ChangeView& a, const ChangeView& b) { return a.at > b.at; });
    return out;
}

HandoverDetail HandoverService::show(const Caller& who, std::int64_t id, bool withInventory) {
    HandoverParts parts;
    parts.inventory = parts.changes = withInventory;
    return show(who, id, parts);
}

HandoverDetail HandoverService::show(const Caller& who, std::int64_t id,
                                     const HandoverParts& parts) {
    Loaded l = load(who, id);
    Date today = Date::parse(who.subject.date).value_or(Date::today());
    HandoverDetail d;
    d.summary = summarize(*l.snap, l.row, today);
    d.note = l.row.note;
    {
        auto lease = db_.lease();
        d.matters = db::handovers::matters(**lease, id);
        d.contacts = db::handovers::contacts(**lease, id);
        d.items = db::handovers::items(**lease, id);
        for (const auto& m : d.matters) {
            std::vector<std::string> paths;
            for (db::Id node : m.documents) {
                auto n = db::nodes::byId(**lease, node);
                if (n && n->path) paths.push_back(*n->path);
            }
            d.matterDocuments.push_back(std::move(paths));
        }
    }
    if (parts.inventory || parts.changes) {
        // The folders where the role writes, found once for the list and the changes.
        const std::vector<DocPath> where = roots(*l.snap, l.row);
        if (parts.inventory) {
            d.inventory = inventory(*l.snap, l.row, where, today, who, parts.detailedPerFolder,
                                    d.inventoryCut);
        }
        if (parts.changes) d.changes = termChanges(who, l.row, where);
    }
    for (auto& paths : d.matterDocuments) {
        paths.erase(
            std::remove_if(
                paths.begin(), paths.end(),
                [&](const std::string& p) {
                    return !documents_.rights(who, DocPath::fromText(p)).allows(Rights::Read);
                }),
            paths.end());
    }
    d.canEdit = mayEdit(who, l.row);
    d.canSubmit = d.canEdit && who.user.id == l.row.userId;
    d.canReceive = d.summary.status == HandoverStatus::Handed && isSuccessor(who, *l.snap, l.row) &&
                   who.user.id != l.row.userId;
    d.canContinue = d.summary.status == HandoverStatus::Preparing && d.summary.reappointed &&
                    who.user.id == l.row.userId;
    return d;
}

// ---- notes ----------------------------------------------------------------------------

void HandoverService::audit(const Caller& who, const char* action, const db::HandoverRow& row,
                            const std::string& detail) {
    auto snap = policy_.snapshot();
    AuditEvent e;
    e.user = who.user.name;
    e.address = who.address;
    e.roles = who.subject.rolesLabel();
    e.action = action;
    const acl::Organisation* o = snap->org(row.orgId);
    e.path = o ? o->space().str() : std::string();
    auto holder = snap->userNames.find(row.userId);
    e.dest = row.role + " " + (holder == snap->userNames.end() ? "?" : holder->second) + " " +
             row.termStart + ".." + row.termEnd + (detail.empty() ? "" : " " + detail);
    e.result = "ok";
    audit::append(db_, e);
}

void HandoverService::setNote(const Caller& who, std::int64_t id, const std::string& note) {
    Loaded l = load(who, id);
    requireEdit(who, l.row);
    {
        Transaction tx(db_);
        db::handovers::setNote(tx.session(), id, note);
        tx.commit();
    }
    audit(who, "handover-note", l.row, "note");
}

std::int64_t HandoverService::putMatter(const Caller& who, std::int64_t id, db::MatterRow matter,
                                        const std::vector<DocPath>& documents) {
    Loaded l = load(who, id);
    requireEdit(who, l.row);
    if (matter.title.empty()) throw ServiceError(Code::BadRequest, msg("handover.title_missing"));
    if (matter.status != "open" && matter.status != "done") matter.status = "open";
    if (!matter.due.empty() && !Date::parse(matter.due)) {
        throw ServiceError(Code::BadRequest, msg("handover.bad_date", {{"date", matter.due}}));
    }
    matter.handoverId = id;
    matter.documents.clear();
    {
        auto lease = db_.lease();
        for (const auto& p : documents) {
            // A document the person cannot see is, for them, not there.
            documents_.find(who, p);
            auto n = db::nodes::byPath(**lease, p.str());
            if (!n) throw ServiceError(Code::NotFound, msg("doc.not_found"));
            matter.documents.push_back(n->id);
        }
    }
    Transaction tx(db_);
    std::int64_t out = db::handovers::putMatter(tx.session(), matter);
    tx.commit();
    audit(who, "handover-note", l.row, "matter " + matter.title);
    return out;
}

std::int64_t HandoverService::putContact(const Caller& who, std::int64_t id,
                                         db::ContactRow contact) {
    Loaded l = load(who, id);
    requireEdit(who, l.row);
    if (contact.name.empty()) throw ServiceError(Code::BadRequest, msg("handover.name_missing"));
    contact.handoverId = id;
    Transaction tx(db_);
    std::int64_t out = db::handovers::putContact(tx.session(), contact);
    tx.commit();
    audit(who, "handover-note", l.row, "contact " + contact.name);
    return out;
}

std::int64_t HandoverService::putItem(const Caller& who, std::int64_t id, db::ItemRow item) {
    Loaded l = load(who, id);
    requireEdit(who, l.row);
    if (item.name.empty()) throw ServiceError(Code::BadRequest, msg("handover.name_missing"));
    if (item.quantity < 1) throw ServiceError(Code::BadRequest, msg("handover.bad_quantity"));
    item.handoverId = id;
    Transaction tx(db_);
    std::int64_t out = db::handovers::putItem(tx.session(), item);
    tx.commit();
    audit(who, "handover-note", l.row, "item " + item.name);
    return out;
}

void HandoverService::removeNote(const Caller& who, std::int64_t id, const std::string& table,
                                 std::int64_t noteId) {
    Loaded l = load(who, id);
    requireEdit(who, l.row);
    if (table != "matters" && table != "contacts" && table != "items") {
        throw ServiceError(Code::BadRequest, msg("handover.not_found"));
    }
    Transaction tx(db_);
    db::handovers::removeNote(tx.session(), table, id, noteId);
    tx.commit();
    audit(who, "handover-note", l.row, "remove " + table + " " + std::to_string(noteId));
}

// ---- handing over ---------------------------------------------------------------------

void HandoverService::submit(const Caller& who, std::int64_t id) {
    Loaded l = load(who, id);
    if (who.user.id != l.row.userId) throw ServiceError(Code::Forbidden, msg("handover.not_yours"));
    if (statusOf(l.row.status) != HandoverStatus::Preparing) {
        throw ServiceError(Code::Conflict, msg("handover.not_preparing"));
    }
    Transaction tx(db_);
    db::handovers::setStatus(tx.session(), id, "handed");
    db::handovers::setSubmitted(tx.session(), id, nowIso(), who.user.name);
    tx.commit();
    audit(who, "handover-submit", l.row, "");
}

void HandoverService::receive(const Caller& who, std::int64_t id, std::int64_t item) {
    Loaded l = load(who, id);
    if (statusOf(l.row.status) != HandoverStatus::Handed) {
        throw ServiceError(Code::Conflict, msg("handover.not_handed"));
    }
    if (!isSuccessor(who, *l.snap, l.row) || who.user.id == l.row.userId) {
        throw ServiceError(Code::Forbidden, msg("handover.not_successor"));
    }
    const std::string at = nowIso();
    Transaction tx(db_);
    auto items = db::handovers::items(tx.session(), id);
    if (item) {
        auto it = std::find_if(items.begin(), items.end(),
                               [&](const db::ItemRow& r) { return r.id == item; });
        if (it == items.end()) throw ServiceError(Code::NotFound, msg("handover.not_found"));
        if (it->received.empty())
            db::handovers::setItemReceived(tx.session(), item, at, who.user.name);
        tx.commit();
        audit(who, "handover-receive", l.row, "item " + it->name);
        return;
    }
    for (const auto& r : items) {
        if (r.received.empty())
            db::handovers::setItemReceived(tx.session(), r.id, at, who.user.name);
    }
    db::handovers::setStatus(tx.session(), id, "received");
    db::handovers::setReceived(tx.session(), id, at, who.user.name, false, "");
    tx.commit();
    audit(who, "handover-receive", l.row, "");
}

void HandoverService::continueTerm(const Caller& who, std::int64_t id) {
    Loaded l = load(who, id);
    Date today = Date::parse(who.subject.date).value_or(Date::today());
    HandoverSummary s = summarize(*l.snap, l.row, today);
    if (who.user.id != l.row.userId) throw ServiceError(Code::Forbidden, msg("handover.not_yours"));
    if (!s.reappointed) throw ServiceError(Code::Conflict, msg("handover.not_reappointed"));
    if (s.status != HandoverStatus::Preparing) {
        throw ServiceError(Code::Conflict, msg("handover.not_preparing"));
    }
    Transaction tx(db_);
    db::handovers::setStatus(tx.session(), id, "continued");
    db::handovers::setReceived(tx.session(), id, nowIso(), who.user.name, false, "");
    tx.commit();
    audit(who, "handover-continue", l.row, "");
}

void HandoverService::recordExport(const Caller& who, std::int64_t id, std::size_t documents) {
    Loaded l = load(who, id);
    audit(who, "handover-export", l.row, std::to_string(documents) + " documents");
}

void HandoverService::recordPaperReceipt(const Caller& who, std::int64_t id,
                                         const std::string& by) {
    Loaded l = load(who, id);
    if (!who.user.admin) throw ServiceError(Code::Forbidden, msg("handover.admin_only"));
    Date today = Date::parse(who.subject.date).value_or(Date::today());
    HandoverSummary s = summarize(*l.snap, l.row, today);
    if (std::find(s.successors.begin(), s.successors.end(), by) == s.successors.end() ||
        by == s.holder) {
        throw ServiceError(Code::BadRequest, msg("handover.not_a_successor", {{"name", by}}));
    }
    if (s.status == HandoverStatus::Received || s.status == HandoverStatus::Continued) {
        throw ServiceError(Code::Conflict, msg("handover.already_received"));
    }
    const std::string at = nowIso();
    Transaction tx(db_);
    for (const auto& r : db::handovers::items(tx.session(), id)) {
        if (r.received.empty()) db::handovers::setItemReceived(tx.session(), r.id, at, by);
    }
    db::handovers::setStatus(tx.session(), id, "received");
    db::handovers::setReceived(tx.session(), id, at, by, true, who.user.name);
    tx.commit();
    audit(who, "handover-paper", l.row, "by " + by);
}

}  // namespace kiroku::service
