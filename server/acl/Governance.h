#pragma once
// Governance: the operations that change who may do what: organisations (団体),
// role assignments for terms (任期), and permission entries on folders. Each change
// is one transaction that also writes its audit event and bumps the policy version,
// so every running kirokud sees it within a second. Used by the CLI and the API;
// callers check that the person may make the change. Thread-safe.

#include "acl/Policy.h"
#include "store/DocumentStore.h"

#include <stdexcept>

namespace kiroku::acl {

// A refused governance operation; what() is English, japanese() is Japanese.
class GovernanceError : public Refusal {
public:
    using Refusal::Refusal;
};

// 来年度への引き継ぎ（更新）: one holder carried from a term ending on the last day of
// the fiscal year before `to` into a term for the whole of `to`.
struct Renewal {
    RoleAssignment from;     // the term that ends
    std::string start, end;  // the new term: YYYY-MM-DD
};

// What `renew` would do for an organisation and a fiscal year, and what it leaves alone.
struct RenewalPlan {
    std::string org;
    FiscalYear to;
    std::vector<std::string> roles;   // the roles looked at
    std::vector<Renewal> carried;     // by role in catalogue order, then by holder
    std::size_t alreadyAssigned = 0;  // holders who hold the role in `to` already
};

class Governance {
public:
    Governance(Database& db, DocumentStore& store, const Settings& settings);

    // Creates an organisation and its space: an association's category folders, a
    // district's shared folder, with the default permission entries (see the admin
    // guide). A district's parent must be a city; an association's a district.
    Organisation addOrg(const std::string& name, OrgKind kind, const std::string& parent,
                        const Actor& actor);
    // Renames an organisation and its space folder (entries and history follow).
    void renameOrg(const std::string& name, const std::string& newName, const Actor& actor);
    // Gives an organisation another parent.
    void moveOrg(const std::string& name, const std::string& newParent, const Actor& actor);

    // A person holds a role in an organisation from `from` to `to` (inclusive); `to` is
    // openEnd() for a role held without an end date (期限なし).
    RoleAssignment assign(const std::string& user, const std::string& role, const std::string& org,
                          const Date& from, const Date& to, const Actor& actor);
    // The `to` of a holding without an end date (kOpenEnd).
    static Date openEnd();

    // The April renewal (来年度への引き継ぎ), seen before it is made: the holders of
    // `roles` of `org` (every role of its kind when empty) whose term ends on the last day
    // of the fiscal year before `to`, each to hold the same role for the whole of `to`.
    // Holders who hold the role in `to` already, and holders without an end date, are
    // left out. Throws GovernanceError for an unknown organisation or a role its kind
    // does not have. Changes nothing.
    RenewalPlan planRenewal(const std::string& org, const FiscalYear& to,
                            const std::vector<std::string>& roles);
    // Makes the terms of `plan` (as planRenewal made it; with `only`, just the carried
    // terms whose `from.id` it lists) in one transaction, one audit row (role-renew) each,
    // and returns them. The plan is made again inside: when it no longer matches (someone
    // changed the terms meanwhile, or `only` names a term it does not carry), throws
    // GovernanceError (renew.changed) and changes nothing. Opens no handover record: each
    // new term names the one it continues, and that term opens none (HandoverService).
    std::vector<RoleAssignment> renew(const RenewalPlan& plan, const Actor& actor,
                                      const std::optional<std::vector<std::int64_t>>& only = {});
    // Ends an assignment on `on` (its last day; a date after the planned end changes
    // nothing). Ending it before it starts cancels it (an appointment made in error).
    // Returns the last day now held, or nothing when cancelled. Throws for an unknown id.
    std::optional<Date> endAssignment(std::int64_t id, const Date& on, const Actor& actor);
    // Checks that `name` may be moved under `newParent` (what moveOrg would refuse).
    void checkMove(const std::string& name, const std::string& newParent);
    // Assignments, optionally of one organisation and/or held on one date.
    std::vector<RoleAssignment> assignments(const std::optional<std::string>& org,
                                            const std::optional<Date>& on);

    // Principal text: "role:ORG/ROLE", "members:DISTRICT/ROLE" or "person:NAME".
    Principal parsePrincipal(const std::string& text);
    void grant(const DocPath& path, const Principal& who, Rights rights, const Actor& actor);
    void revoke(const DocPath& path, const Principal& who, const Actor& actor);
    // A protected folder does not inherit entries from above. Throws GovernanceError
    // (folder.missing) when `path` is not a folder, and changes nothing.
    void setProtected(const DocPath& path, bool on, const Actor& actor);

    // The existing folder that `path` most likely misspells (名薄 for 名簿): each segment
    // that is not there is replaced by the nearest folder name of its parent
    // (names/NearestName.h). Nothing when `path` is a folder, or a segment has no close
    // name. For the administrator's command line only: it names folders that a person
    // asking through the API or the web pages may not be allowed to see.
    std::optional<DocPath> nearestFolder(const DocPath& path) const;

    // The roles allowed for an organisation kind.
    const std::vector<std::string>& catalogue(OrgKind kind) const;

private:
    const Organisation& requireOrg(const PolicySnapshot& snap, const std::string& name);

    Database& db_;
    DocumentStore& store_;
    Settings settings_;
};

}  // namespace kiroku::acl
