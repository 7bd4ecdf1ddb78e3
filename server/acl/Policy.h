#pragma once
// Rights in Kiroku come from roles held for a term, never from persons (brief,
// "Concepts"). This header holds the vocabulary (organisations, role assignments,
// principals, permission entries) and AccessPolicy, the one function that decides
// what a person may do with a path. WebDAV, the API and (later) search, previews and
// exports all ask it; nothing else decides on its own.

#include "core/FiscalYear.h"
#include "core/Settings.h"
#include "db/Database.h"
#include "db/Users.h"
#include "names/DocPath.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiroku::acl {

// Rights are ordered: each includes the ones before it.
enum class Rights { None = 0, Read = 1, Write = 2, Manage = 3 };
std::optional<Rights> parseRights(std::string_view text);
const char* rightsName(Rights r);

// 団体の種類
enum class OrgKind { City, District, Association };
std::optional<OrgKind> parseOrgKind(std::string_view text);
const char* orgKindName(OrgKind k);

// 団体: an organisation; its space in the drive is the top-level folder of its name.
struct Organisation {
    std::int64_t id = 0;
    std::string name;
    OrgKind kind = OrgKind::Association;
    std::int64_t parentId = 0;  // 0: none
    DocPath space() const { return DocPath::fromText(name); }
};

// The end stored for a role held without an end date (期限なし): a role that does not
// change hands, such as 会員. It compares after every real date, so a holding with it
// is held on every day from its start; it is never shown as a date.
inline constexpr const char* kOpenEnd = "9999-12-31";

// 任期: a person holds a role in an organisation from start to end (inclusive).
struct RoleAssignment {
    std::int64_t id = 0;
    std::int64_t userId = 0;
    std::string userName;
    std::int64_t orgId = 0;
    std::string role;
    std::string start;  // YYYY-MM-DD
    std::string end;    // YYYY-MM-DD, or kOpenEnd
    // The term this one carries into the next fiscal year (`kiroku role renew`): its
    // holder continues, so that term opens no handover record. 0: none.
    std::int64_t renewedFrom = 0;
    bool openEnded() const { return end == kOpenEnd; }
};

// Who a permission entry is for.
struct Principal {
    enum class Kind { Role, Members, Person };
    Kind kind = Kind::Role;
    std::int64_t orgId = 0;   // Role: the organisation; Members: the district
    std::string role;         // Role and Members
    std::int64_t userId = 0;  // Person
    bool operator<(const Principal& o) const {
        return std::tie(kind, orgId, role, userId) < std::tie(o.kind, o.orgId, o.role, o.userId);
    }
};

struct AclEntry {
    std::int64_t id = 0;
    std::int64_t nodeId = 0;  // the folder or file it sits on (follows it through moves)
    std::string path;         // its current path, DocPath::str()
    Principal principal;
    Rights rights = Rights::None;
};

// A person as the policy sees them on one date: the roles they hold (or, during the
// grace period after a term, hold read-only).
struct Subject {
    std::int64_t userId = 0;
    std::string name;
    bool admin = false;
    std::string date;  // YYYY-MM-DD
    struct Held {
        std::int64_t orgId = 0;
        std::string role;
        bool readOnly = false;  // grace period after the term
        std::string label;      // "桜ヶ丘自治区/区長"
        std::string start;      // the term it is held for, YYYY-MM-DD (inclusive): the one
        std::string end;        // held that day, or the one whose grace period it is
    };
    std::vector<Held> held;
    // "桜ヶ丘自治区/区長, 東山地区/地区委員" (for the audit log)
    std::string rolesLabel() const;
};

struct Decision {
    Rights rights = Rights::None;
    std::string via;  // the roles (or "管理者 admin", or the person) whose entries granted it
    bool allows(Rights wanted) const { return rights >= wanted; }
};

// One permission entry behind a decision: where it sits, whom it names, what it gives, and
// the role (with its term) through which the person matched it.
struct Grant {
    AclEntry entry;
    Rights rights = Rights::None;       // what it gives this person: at most read in a grace period
    std::optional<Subject::Held> role;  // nothing for a person: entry
};

// A decision with its reasons: the entries that gave its rights (none for an administrator,
// whose rights need no entry, and none when the decision is none).
struct Explanation {
    Decision decision;
    std::vector<Grant> grants;
};

// Everything the policy reads, loaded at once; immutable once built.
struct PolicySnapshot {
    std::map<std::int64_t, Organisation> orgs;
    std::vector<RoleAssignment> assignments;
    std::map<std::string, std::vector<AclEntry>> entries;  // by current path
    std::set<std::string> protectedPaths;  // folders that inherit nothing from above
    std::set<std::string> auditedPaths;    // folders whose reads are recorded (名簿)
    std::map<std::int64_t, std::string> userNames;
    std::string version;

    const Organisation* org(std::int64_t id) const;
    const Organisation* orgNamed(const std::string& name) const;
    std::string describe(const Principal& p) const;  // "role:桜ヶ丘自治区/区長"
};

// Thread-safe. Reads a fresh snapshot when the policy version in the database has
// changed (checked at most once a second, and at once after invalidate()).
class AccessPolicy {
public:
    AccessPolicy(Database& db, const Settings& settings);

    // The person on a date, with the roles they hold then.
    Subject subjectFor(const User& user, const Date& date);
    // How many days after its term a role is still held read only (roles.graceDays).
    int graceDays() const { return settings_.graceDays; }

    // THE rights function: what `who` may do with `path` (and everything it contains
    // that has no entry of its own).
    Decision decide(const Subject& who, const DocPath& path);
    // The same decision with the entries that made it (kiroku access, the admin page
    // 「この日に だれが 何を できるか」): decide() and explain() are one computation.
    Explanation explain(const Subject& who, const DocPath& path);

    // The decision for `child` given its folder's decision: the same, unless an entry
    // or a protection sits on the child itself (then decided in full). Listings use it
    // so that a folder of 500 files costs one decision, not 500.
    Decision decideChild(const Subject& who, const Decision& parent, const DocPath& child);
    // The same on one snapshot, for many children at once (a search's filter): `child`
    // is parsed only when an entry or a protection sits on it.
    Decision decideChild(const PolicySnapshot& snapshot, const Subject& who, const Decision& parent,
                         const std::string& child) const;

    // What `who` may read, in the shape rights are decided: the decision at the root and
    // at every path where an entry or a protection sits. Any other path has the decision
    // of the nearest of these at or above it (as decideChild assumes). Search filters
    // and weighs by it.
    struct ReadMap {
        bool atRoot = false;
        std::map<std::string, bool> points;  // path -> readable
    };
    ReadMap readMap(const PolicySnapshot& snapshot, const Subject& who) const;

    // True when `folder` should be shown to `who` even without read rights on it,
    // because something inside it is readable (so a 会員 can reach 回覧).
    bool canTraverse(const Subject& who, const DocPath& folder);

    // The least rights `who` has anywhere in the subtree at `path` (what deleting,
    // moving or copying the whole subtree needs). Rights can only change where an
    // entry or a protected folder sits, so only those points are evaluated.
    Rights leastWithin(const Subject& who, const DocPath& path);

    // True when a permission entry, a protection or a read-recording mark sits on
    // `path` or anywhere below it: moving or renaming it carries them along, so it is
    // decided by manage rights, not write (a 書記 may not move the roster under 回覧).
    bool carriesRules(const DocPath& path);

    // True when `path` lies in a folder whose reads are recorded (名簿: personal
    // information). The mark sits on the folder, so it follows any move or rename.
    bool isRoster(const DocPath& path);

    std::shared_ptr<const PolicySnapshot> snapshot();
    // Reloads at once (after a change in this process).
    void invalidate();
    // Checks the policy version now rather than within a second (after a move of a
    // folder, which may have carried entries along).
    void recheck();

    // Reads everything from the database (used by the CLI and the API as well).
    static std::shared_ptr<const PolicySnapshot> load(Database& db);

private:
    // `grants`, when given, receives the entries behind the decision.
    Decision decideIn(const PolicySnapshot& s, const Subject& who, const DocPath& path,
                      std::vector<Grant>* grants = nullptr) const;
    // `held`, when given, is set to the role the principal matched (null for a person).
    bool matches(const PolicySnapshot& s, const Subject& who, const Principal& p, bool& readOnly,
                 std::string& label, const Subject::Held** held = nullptr) const;

    Database& db_;
    Settings settings_;
    std::shared_ptr<const PolicySnapshot> current_;
    std::chrono::steady_clock::time_point checked_{};
    std::string graceFor_, graceStart_;  // the first day still in grace, for one date
    std::mutex mutex_;
};

}  // namespace kiroku::acl
