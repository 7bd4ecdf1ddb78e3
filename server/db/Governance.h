#pragma once
// Tables behind rights: `organisations` (団体), `role_assignments` (任期),
// `acl_entries` (permission entries, on nodes) and `folder_rules` (protected folders,
// which inherit nothing from above, and folders whose reads are recorded, such as 名簿).
// Entries and rules name nodes by id, so they follow their folder through any move or
// rename; their current paths come from `nodes`.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku::db {

struct OrgRow {
    Id id = 0;
    std::string name;
    std::string kind;  // city, district, association
    Id parentId = 0;
};

struct AssignmentRow {
    Id id = 0;
    Id userId = 0;
    std::string userName;
    Id orgId = 0;
    std::string role;
    std::string start, end;  // YYYY-MM-DD, inclusive; "9999-12-31": no end (期限なし)
    Id renewedFrom = 0;      // the assignment this one continues (role renew), or 0
};

struct EntryRow {
    Id id = 0;
    Id nodeId = 0;
    std::string path;       // the node's current path
    std::string principal;  // role, members, person
    Id orgId = 0;
    std::string role;
    Id userId = 0;
    std::string rights;  // none, read, write, manage
};

struct RuleRow {
    Id nodeId = 0;
    std::string path;
    bool isProtected = false;
    bool auditReads = false;
};

namespace governance {

std::vector<OrgRow> orgs(Poco::Data::Session& s);
Id addOrg(Poco::Data::Session& s, const std::string& name, const std::string& kind, Id parent);
void renameOrg(Poco::Data::Session& s, Id id, const std::string& name);
void setOrgParent(Poco::Data::Session& s, Id id, Id parent);

std::vector<AssignmentRow> assignments(Poco::Data::Session& s);  // by start date
Id addAssignment(Poco::Data::Session& s, Id user, Id org, const std::string& role,
                 const std::string& start, const std::string& end, Id renewedFrom = 0);
void setAssignmentEnd(Poco::Data::Session& s, Id id, const std::string& end);
void deleteAssignment(Poco::Data::Session& s, Id id);

// Entries and rules of live nodes.
std::vector<EntryRow> entries(Poco::Data::Session& s);
std::vector<RuleRow> rules(Poco::Data::Session& s);
void putEntry(Poco::Data::Session& s, const EntryRow& entry);  // inserts or changes the rights
// Returns false when there was no such entry.
bool deleteEntry(Poco::Data::Session& s, const EntryRow& entry);
void setProtected(Poco::Data::Session& s, Id node, bool on);
void setAuditReads(Poco::Data::Session& s, Id node, bool on);
// True when an entry or a rule sits on the node or anywhere below it.
bool hasRulesWithin(Poco::Data::Session& s, Id node);

}  // namespace governance
}  // namespace kiroku::db
