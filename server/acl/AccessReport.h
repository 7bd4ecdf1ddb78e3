#pragma once
// AccessReport (この日に だれが 何を できるか): what one person can open and do on one date,
// and why, so that an administrator can try the April 1 change before it happens
// (`kiroku access`, GET /api/access, the 管理 page). Every answer is AccessPolicy's own —
// explain(), the same computation as decide() — and canTraverse(); nothing here decides
// rights. For administrators only: it names folders the person asking might not see.

#include "acl/Governance.h"
#include "acl/Policy.h"
#include "store/DocumentStore.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::acl {

// A question that cannot be answered: nobody has the login name (user.unknown), or there is
// nothing at the path (access.no_path, naming the folder it most likely misspells).
class AccessQueryError : public Refusal {
public:
    enum class Kind { NoPerson, NoPath };
    AccessQueryError(Kind kind, Message message) : Refusal(std::move(message)), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// A role the person holds on the date, with the term it is held for.
struct AccessRole {
    std::string role;       // "桜ヶ丘自治区/区長"
    std::string from, to;   // the term, YYYY-MM-DD (inclusive); `to` is kOpenEnd for no end
    bool readOnly = false;  // the term has ended: held read only until `readOnlyUntil`
    std::string readOnlyUntil;
    bool openEnded() const { return to == kOpenEnd; }
};

// Why a person has their rights somewhere: one permission entry they match (through a role,
// or naming them), or being an administrator.
struct AccessReason {
    enum class Kind { Admin, Role, Person };
    Kind kind = Kind::Role;
    std::optional<AccessRole> role;  // Role: the role the entry matched
    std::string entryPath;           // where the entry sits (DocPath::str(); "" the top)
    std::string principal;  // as `kiroku acl show` writes it: "role:桜ヶ丘自治区/区長"
    Rights entryRights = Rights::None;  // what the entry gives (read only caps it at read)
};

// One folder or file: the person's rights there, and why.
struct AccessPoint {
    DocPath path;
    bool isDir = true;
    Rights rights = Rights::None;
    // No rights here, yet shown to the person as the way to something inside they may read
    // (a 会員 opens 桜ヶ丘自治区 to reach 回覧).
    bool passThrough = false;
    std::vector<AccessReason> reasons;  // empty when the rights are none
};

struct AccessReport {
    User person;
    std::string date;               // YYYY-MM-DD
    std::vector<AccessRole> roles;  // held that day (those in a grace period read only)
    std::vector<AccessPoint> points;
};

// A date as `kiroku access --on`, GET /api/access?on= and the page take it: YYYY-MM-DD
// (full-width too), or a fiscal year (R9, 令和9年度, 2027), meaning its first day, April 1.
// Nothing for anything else.
std::optional<Date> accessDate(std::string_view text);

// Thread-safe as the policy and the store are; holds references only.
class AccessReporter {
public:
    AccessReporter(AccessPolicy& policy, const Governance& governance, DocumentStore& store,
                   Database& db)
        : policy_(policy), governance_(governance), store_(store), db_(db) {}

    // What the person with login name `person` can do on `date`. Without `path`: at every
    // top-level folder (the organisations' spaces), every folder directly inside one (the
    // category folders), and every folder or file where an entry or a protection sits (the
    // points where rights change), in path order. With `path`: there only. Throws
    // AccessQueryError for an unknown person or a path where there is nothing.
    AccessReport report(const std::string& person, const Date& date,
                        const std::optional<DocPath>& path = std::nullopt);

private:
    AccessRole role(const Subject::Held& held) const;
    AccessPoint point(const PolicySnapshot& snap, const Subject& who, const DocPath& path,
                      bool isDir);

    AccessPolicy& policy_;
    const Governance& governance_;
    DocumentStore& store_;
    Database& db_;
};

}  // namespace kiroku::acl
