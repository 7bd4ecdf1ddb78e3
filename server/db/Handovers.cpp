#include "db/Handovers.h"

#include "db/Database.h"

#include <Poco/Data/Statement.h>

#include <sstream>

using namespace Poco::Data::Keywords;

namespace kiroku::db::handovers {

namespace {

const char* const kColumns =
    "SELECT id, assignment_id, org_id, role, user_id, term_start, term_end, status, note, "
    "created, created_by, submitted, submitted_by, received, received_by, received_on_paper, "
    "recorded_by FROM handovers ";

std::vector<HandoverRow> select(Poco::Data::Session& s, const std::string& rest,
                                const std::vector<Id>& ids, const std::vector<std::string>& text) {
    std::vector<Id> id, assignment, org, user, paper;
    std::vector<std::string> role, start, end, status, note, created, createdBy, submitted,
        submittedBy, received, receivedBy, recordedBy;
    Poco::Data::Statement st(s);
    st << kColumns + rest, into(id), into(assignment), into(org), into(role), into(user),
        into(start), into(end), into(status), into(note), into(created), into(createdBy),
        into(submitted), into(submittedBy), into(received), into(receivedBy), into(paper),
        into(recordedBy);
    for (const auto& i : ids) st, bind(i);
    for (const auto& t : text) st, bind(t);
    st.execute();
    std::vector<HandoverRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        HandoverRow r;
        r.id = id[i];
        r.assignmentId = assignment[i];
        r.orgId = org[i];
        r.role = role[i];
        r.userId = user[i];
        r.termStart = start[i];
        r.termEnd = end[i];
        r.status = status[i];
        r.note = note[i];
        r.created = created[i];
        r.createdBy = createdBy[i];
        r.submitted = submitted[i];
        r.submittedBy = submittedBy[i];
        r.received = received[i];
        r.receivedBy = receivedBy[i];
        r.receivedOnPaper = paper[i] != 0;
        r.recordedBy = recordedBy[i];
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<HandoverRow> first(std::vector<HandoverRow> rows) {
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

// A matter's documents are kept as node ids in one text column ("12 40 41").
std::string joinIds(const std::vector<Id>& ids) {
    std::string out;
    for (Id i : ids) out += (out.empty() ? "" : " ") + std::to_string(i);
    return out;
}

std::vector<Id> splitIds(const std::string& text) {
    std::vector<Id> out;
    std::istringstream in(text);
    for (Id i = 0; in >> i;) out.push_back(i);
    return out;
}

}  // namespace

Id create(Poco::Data::Session& s, const HandoverRow& r) {
    Id id = 0;
    s << "INSERT INTO handovers (assignment_id, org_id, role, user_id, term_start, term_end, "
         "status, note, created, created_by) VALUES (?, ?, ?, ?, ?, ?, 'preparing', '', ?, ?) "
         "RETURNING id",
        bind(r.assignmentId), bind(r.orgId), bind(r.role), bind(r.userId), bind(r.termStart),
        bind(r.termEnd), bind(r.created), bind(r.createdBy), into(id), now;
    return id;
}

std::optional<HandoverRow> byId(Poco::Data::Session& s, Id id) {
    return first(select(s, "WHERE id = ?", {id}, {}));
}

std::optional<HandoverRow> byAssignment(Poco::Data::Session& s, Id assignment) {
    return first(select(s, "WHERE assignment_id = ?", {assignment}, {}));
}

std::vector<HandoverRow> ofRole(Poco::Data::Session& s, Id org, const std::string& role) {
    return select(s, "WHERE org_id = ? AND role = ? ORDER BY term_start DESC, id DESC", {org},
                  {role});
}

std::vector<HandoverRow> all(Poco::Data::Session& s) {
    return select(s, "ORDER BY term_start DESC, org_id, role, id", {}, {});
}

void setNote(Poco::Data::Session& s, Id id, const std::string& note) {
    s << "UPDATE handovers SET note = ? WHERE id = ?", bind(note), bind(id), now;
}

void setStatus(Poco::Data::Session& s, Id id, const std::string& status) {
    s << "UPDATE handovers SET status = ? WHERE id = ?", bind(status), bind(id), now;
}

void setSubmitted(Poco::Data::Session& s, Id id, const std::string& at, const std::string& by) {
    s << "UPDATE handovers SET submitted = ?, submitted_by = ? WHERE id = ?", bind(at), bind(by),
        bind(id), now;
}

void setReceived(Poco::Data::Session& s, Id id, const std::string& at, const std::string& by,
                 bool onPaper, const std::string& recordedBy) {
    int paper = onPaper ? 1 : 0;
    s << "UPDATE handovers SET received = ?, received_by = ?, received_on_paper = ?, "
         "recorded_by = ? WHERE id = ?",
        bind(at), bind(by), bind(paper), bind(recordedBy), bind(id), now;
}

std::vector<MatterRow> matters(Poco::Data::Session& s, Id handover) {
    std::vector<Id> id;
    std::vector<std::string> title, status, due, note, docs;
    s << "SELECT id, title, status, due, note, documents FROM handover_matters WHERE "
         "handover_id = ? ORDER BY id",
        bind(handover), into(id), into(title), into(status), into(due), into(note), into(docs), now;
    std::vector<MatterRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], handover, title[i], status[i], due[i], note[i], splitIds(docs[i])});
    }
    return out;
}

Id putMatter(Poco::Data::Session& s, const MatterRow& r) {
    std::string docs = joinIds(r.documents);
    if (r.id) {
        s << "UPDATE handover_matters SET title = ?, status = ?, due = ?, note = ?, documents = ? "
             "WHERE id = ? AND handover_id = ?",
            bind(r.title), bind(r.status), bind(r.due), bind(r.note), bind(docs), bind(r.id),
            bind(r.handoverId), now;
        return r.id;
    }
    Id id = 0;
    s << "INSERT INTO handover_matters (handover_id, title, status, due, note, documents) VALUES "
         "(?, ?, ?, ?, ?, ?) RETURNING id",
        bind(r.handoverId), bind(r.title), bind(r.status), bind(r.due), bind(r.note), bind(docs),
        into(id), now;
    return id;
}

std::vector<ContactRow> contacts(Poco::Data::Session& s, Id handover) {
    std::vector<Id> id;
    std::vector<std::string> name, organisation, phone, note;
    s << "SELECT id, name, organisation, phone, note FROM handover_contacts WHERE handover_id = ? "
         "ORDER BY id",
        bind(handover), into(id), into(name), into(organisation), into(phone), into(note), now;
    std::vector<ContactRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], handover, name[i], organisation[i], phone[i], note[i]});
    }
    return out;
}

Id putContact(Poco::Data::Session& s, const ContactRow& r) {
    if (r.id) {
        s << "UPDATE handover_contacts SET name = ?, organisation = ?, phone = ?, note = ? WHERE "
             "id = ? AND handover_id = ?",
            bind(r.name), bind(r.organisation), bind(r.phone), bind(r.note), bind(r.id),
            bind(r.handoverId), now;
        return r.id;
    }
    Id id = 0;
    s << "INSERT INTO handover_contacts (handover_id, name, organisation, phone, note) VALUES (?, "
         "?, ?, ?, ?) RETURNING id",
        bind(r.handoverId), bind(r.name), bind(r.organisation), bind(r.phone), bind(r.note),
        into(id), now;
    return id;
}

std::vector<ItemRow> items(Poco::Data::Session& s, Id handover) {
    std::vector<Id> id, quantity;
    std::vector<std::string> name, place, note, received, receivedBy;
    s << "SELECT id, name, place, quantity, note, received, received_by FROM handover_items WHERE "
         "handover_id = ? ORDER BY id",
        bind(handover), into(id), into(name), into(place), into(quantity), into(note),
        into(received), into(receivedBy), now;
    std::vector<ItemRow> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back(
            {id[i], handover, name[i], place[i], note[i], quantity[i], received[i], receivedBy[i]});
    }
    return out;
}

Id putItem(Poco::Data::Session& s, const ItemRow& r) {
    if (r.id) {
        s << "UPDATE handover_items SET name = ?, place = ?, quantity = ?, note = ? WHERE id = ? "
             "AND handover_id = ?",
            bind(r.name), bind(r.place), bind(r.quantity), bind(r.note), bind(r.id),
            bind(r.handoverId), now;
        return r.id;
    }
    Id id = 0;
    s << "INSERT INTO handover_items (handover_id, name, place, quantity, note) VALUES (?, ?, ?, "
         "?, ?) RETURNING id",
        bind(r.handoverId), bind(r.name), bind(r.place), bind(r.quantity), bind(r.note), into(id),
        now;
    return id;
}

void setItemReceived(Poco::Data::Session& s, Id item, const std::string& at,
                     const std::string& by) {
    s << "UPDATE handover_items SET received = ?, received_by = ? WHERE id = ?", bind(at), bind(by),
        bind(item), now;
}

void removeNote(Poco::Data::Session& s, const std::string& table, Id handover, Id id) {
    const char* name = table == "matters"    ? "handover_matters"
                       : table == "contacts" ? "handover_contacts"
                       : table == "items"    ? "handover_items"
                                             : nullptr;
    if (!name) throw std::invalid_argument("no handover table " + table);
    s << std::string("DELETE FROM ") + name + " WHERE id = ? AND handover_id = ?", bind(id),
        bind(handover), now;
}

}  // namespace kiroku::db::handovers
