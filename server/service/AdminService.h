#pragma once
// AdminService: who may do what, managed through the same rights as everything else —
// organisations (administrators), role terms, permission entries and protection (manage
// rights on the organisation's space or the folder), the audit log (administrators, or
// those who manage the folder asked about), the state of the search index. The JSON API
// and the web pages to come use it; neither reaches acl/ or audit/ itself. Refusals are
// ServiceErrors like the document service's. Thread-safe.

#include "acl/AccessReport.h"
#include "acl/Governance.h"
#include "db/Audit.h"
#include "search/SearchService.h"
#include "service/DocumentService.h"

#include <optional>
#include <string>
#include <vector>

namespace kiroku::service {

using OrgKind = acl::OrgKind;
using acl::orgKindName;
using acl::parseOrgKind;
using AccessReport = acl::AccessReport;
using AccessReason = acl::AccessReason;
using AccessRole = acl::AccessRole;
using acl::accessDate;

struct OrgView {
    std::int64_t id = 0;
    std::string name;
    OrgKind kind = OrgKind::Association;
    std::optional<std::string> parent;
    DocPath space;
};

struct AssignmentView {
    std::int64_t id = 0;
    std::string user, org, role, from, to;  // to: acl::kOpenEnd when openEnded
    bool openEnded = false;                 // held without an end date (期限なし)
    std::optional<OrgKind> kind;
    bool current = false;   // held on the caller's date
    bool readOnly = false;  // in the read-only grace period after the term
};

struct FolderView {
    DocPath path;
    Rights rights = Rights::None;
    std::string via;
};

struct Me {
    std::string date;        // YYYY-MM-DD, in the association's time zone
    std::string fiscalYear;  // 令和8年度
    std::string timeZone;    // the zone `date` is in (setting time.zone): Asia/Tokyo
    // Set when a test fixed the date (KIROKU_TODAY or KIROKU_NOW, named): never on a real NAS.
    std::optional<std::string> fakedBy;
    std::vector<AssignmentView> roles;
    std::vector<FolderView> folders;  // top-level folders the person sees
};

struct AclView {
    DocPath path;
    bool isProtected = false;
    struct Row {
        std::string path;  // where the entry sits
        std::string principal;
        Rights rights = Rights::None;
        bool inherited = false;
    };
    std::vector<Row> entries;
    Rights yours = Rights::None;
};

class AdminService {
public:
    AdminService(DocumentService& documents, DocumentStore& store, acl::Governance& governance,
                 acl::AccessPolicy& policy, Database& db, SearchService* search);

    Me me(const Caller& who);
    const std::vector<std::string>& catalogue(OrgKind kind) const;

    std::vector<OrgView> organisations();
    OrgView addOrg(const Caller& who, const std::string& name, OrgKind kind,
                   const std::string& parent);
    // Renames and/or moves an organisation; everything is checked before anything changes.
    OrgView changeOrg(const Caller& who, const std::string& name,
                      const std::optional<std::string>& newName,
                      const std::optional<std::string>& newParent);

    // Terms the caller may see: their own, and those of organisations whose space they see.
    std::vector<AssignmentView> assignments(const Caller& who,
                                            const std::optional<std::string>& org,
                                            const std::optional<Date>& on);
    AssignmentView assign(const Caller& who, const std::string& user, const std::string& role,
                          const std::string& org, const Date& from, const Date& to);
    // Returns the last day now held, or nothing when the term was cancelled.
    std::optional<Date> endAssignment(const Caller& who, std::int64_t id, const Date& on);

    // 来年度への引き継ぎ（更新）, administrators only: what Governance::planRenewal would
    // carry into `to`, and the renewal itself (Governance::renew, all or nothing).
    acl::RenewalPlan renewalPlan(const Caller& who, const std::string& org, const FiscalYear& to,
                                 const std::vector<std::string>& roles);
    std::vector<AssignmentView> renew(const Caller& who, const acl::RenewalPlan& plan,
                                      const std::optional<std::vector<std::int64_t>>& only);

    AclView acl(const Caller& who, const DocPath& path);
    void grant(const Caller& who, const DocPath& path, const std::string& principal, Rights rights);
    void revoke(const Caller& who, const DocPath& path, const std::string& principal);

    // この日に だれが 何を できるか (administrators): what the person with login name `person`
    // can open and do on `date`, and why, everywhere rights can change or at `path` only
    // (acl::AccessReporter: the rights function's own answer). Reads only. NotFound for an
    // unknown person (message user.unknown) or nothing at `path` (access.no_path…).
    AccessReport access(const Caller& who, const std::string& person, const Date& date,
                        const std::optional<DocPath>& path);

    // Administrators see everything; others must name a folder they manage.
    std::vector<AuditEvent> auditLog(const Caller& who, const AuditFilter& filter);

    // Failures (with paths) only for administrators.
    IndexStatus indexStatus(const Caller& who);

    // The caller's own choices for the web pages (言語, 文字の大きさ). Setting refuses
    // values other than those of Preferences (Invalid).
    Preferences preferences(const Caller& who);
    void setPreferences(const Caller& who, const Preferences& p);

private:
    void requireAdmin(const Caller& who);
    Decision requireManage(const Caller& who, const DocPath& path);
    OrgView view(const acl::Organisation& o, const acl::PolicySnapshot& s) const;
    AssignmentView view(const acl::RoleAssignment& a, const acl::PolicySnapshot& s) const;
    template <typename F>
    auto refusals(F f) -> decltype(f());

    DocumentService& documents_;
    DocumentStore& store_;
    acl::Governance& governance_;
    acl::AccessPolicy& policy_;
    Database& db_;
    SearchService* search_;
};

}  // namespace kiroku::service
