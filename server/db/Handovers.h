#pragma once
// Tables of handovers (引継ぎ): one record per outgoing holder's term (the role
// assignment it closes), with the holder's notes: open matters (懸案事項, each naming the
// documents it concerns by node, so they follow moves), contacts (関係先) and physical
// items (鍵, 印鑑, 通帳 …). What the role owns and what changed in the term are not
// stored: they are read from the drive and the audit log whenever the record is opened.
// Records are never deleted: they are the role's memory, year after year.

#include "db/Nodes.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace kiroku::db {

struct HandoverRow {
    Id id = 0;
    Id assignmentId = 0;  // the outgoing holder's term (role_assignments.id)
    Id orgId = 0;
    std::string role;
    Id userId = 0;                   // the outgoing holder
    std::string termStart, termEnd;  // YYYY-MM-DD, as the assignment had them when opened
    std::string status;              // preparing, handed, received, continued
    std::string note;                // the general note
    std::string created, createdBy;  // createdBy "" when opened by the schedule
    std::string submitted, submittedBy;
    std::string received, receivedBy;
    bool receivedOnPaper = false;  // an administrator recorded a receipt signed on paper
    std::string recordedBy;        // that administrator
};

struct MatterRow {
    Id id = 0;
    Id handoverId = 0;
    std::string title, status, due, note;  // status: open, done; due YYYY-MM-DD or ""
    std::vector<Id> documents;             // nodes
};

struct ContactRow {
    Id id = 0;
    Id handoverId = 0;
    std::string name, organisation, phone, note;
};

struct ItemRow {
    Id id = 0;
    Id handoverId = 0;
    std::string name, place, note;
    std::int64_t quantity = 1;
    std::string received, receivedBy;  // when the successor checked this item
};

namespace handovers {

// Creates the record of an assignment (status preparing); returns its id. The
// assignment must have none yet (UNIQUE).
Id create(Poco::Data::Session& s, const HandoverRow& row);
std::optional<HandoverRow> byId(Poco::Data::Session& s, Id id);
std::optional<HandoverRow> byAssignment(Poco::Data::Session& s, Id assignment);
// Records of a role of an organisation, the newest term first.
std::vector<HandoverRow> ofRole(Poco::Data::Session& s, Id org, const std::string& role);
std::vector<HandoverRow> all(Poco::Data::Session& s);

void setNote(Poco::Data::Session& s, Id id, const std::string& note);
void setStatus(Poco::Data::Session& s, Id id, const std::string& status);
void setSubmitted(Poco::Data::Session& s, Id id, const std::string& at, const std::string& by);
void setReceived(Poco::Data::Session& s, Id id, const std::string& at, const std::string& by,
                 bool onPaper, const std::string& recordedBy);

std::vector<MatterRow> matters(Poco::Data::Session& s, Id handover);
Id putMatter(Poco::Data::Session& s, const MatterRow& row);  // id 0: a new one
std::vector<ContactRow> contacts(Poco::Data::Session& s, Id handover);
Id putContact(Poco::Data::Session& s, const ContactRow& row);
std::vector<ItemRow> items(Poco::Data::Session& s, Id handover);
Id putItem(Poco::Data::Session& s, const ItemRow& row);
void setItemReceived(Poco::Data::Session& s, Id item, const std::string& at, const std::string& by);
// Removes a matter, a contact or an item of a record (table: matters, contacts, items).
void removeNote(Poco::Data::Session& s, const std::string& table, Id handover, Id id);

}  // namespace handovers
}  // namespace kiroku::db
