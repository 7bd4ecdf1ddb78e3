// /api/handovers: the handovers (引継ぎ) through the same HandoverService as the pages.
//   GET    /api/handovers[?term=R8]                   the records the caller may see
//   GET    /api/handovers/ID                          one record, with inventory and changes
//   PUT    /api/handovers/ID/note          {note}
//   POST   /api/handovers/ID/matters       {title, status?, due?, detail?, documents?: [path]}
//   POST   /api/handovers/ID/contacts      {name, organisation?, phone?, detail?}
//   POST   /api/handovers/ID/items         {name, quantity?, place?, detail?}
//   DELETE /api/handovers/ID/matters|contacts|items/NOTE
//   POST   /api/handovers/ID/submit | continue
//   POST   /api/handovers/ID/receive       {item?}  (an item, or the whole)
//   POST   /api/handovers/ID/paper         {by}     (administrators: a receipt on paper)
// The ZIP export is a download of the pages (/handover/export?id=ID).

#include "api/ApiRequest.h"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

namespace kiroku::api {

namespace {

Poco::JSON::Object::Ptr summaryJson(const service::HandoverSummary& s) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", s.id);
    j->set("org", s.org);
    j->set("role", s.role);
    j->set("holder", s.holder);
    j->set("from", s.termStart);
    j->set("to", s.termEnd);
    j->set("fiscalYear", s.fiscalYear);
    j->set("status", service::handoverStatusName(s.status));
    Poco::JSON::Array::Ptr next = new Poco::JSON::Array;
    for (const auto& n : s.successors) next->add(n);
    j->set("successors", next);
    j->set("noSuccessor", s.noSuccessor);
    j->set("reappointed", s.reappointed);
    j->set("overdue", s.overdue);
    if (!s.submitted.empty()) j->set("submitted", s.submitted);
    if (!s.received.empty()) {
        j->set("received", s.received);
        j->set("receivedBy", s.receivedBy);
        j->set("receivedOnPaper", s.receivedOnPaper);
    }
    return j;
}

Poco::JSON::Object::Ptr detailJson(const service::HandoverDetail& d) {
    Poco::JSON::Object::Ptr j = summaryJson(d.summary);
    j->set("note", d.note);
    Poco::JSON::Array::Ptr matters = new Poco::JSON::Array;
    for (std::size_t i = 0; i < d.matters.size(); ++i) {
        const auto& m = d.matters[i];
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("id", m.id);
        x->set("title", m.title);
        x->set("status", m.status);
        x->set("due", m.due);
        x->set("detail", m.note);
        Poco::JSON::Array::Ptr docs = new Poco::JSON::Array;
        for (const auto& p : d.matterDocuments[i]) docs->add("/" + p);
        x->set("documents", docs);
        matters->add(x);
    }
    j->set("matters", matters);
    Poco::JSON::Array::Ptr contacts = new Poco::JSON::Array;
    for (const auto& c : d.contacts) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("id", c.id);
        x->set("name", c.name);
        x->set("organisation", c.organisation);
        x->set("phone", c.phone);
        x->set("detail", c.note);
        contacts->add(x);
    }
    j->set("contacts", contacts);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& it : d.items) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("id", it.id);
        x->set("name", it.name);
        x->set("quantity", it.quantity);
        x->set("place", it.place);
        x->set("detail", it.note);
        if (!it.received.empty()) {
            x->set("received", it.received);
            x->set("receivedBy", it.receivedBy);
        }
        items->add(x);
    }
    j->set("items", items);
    Poco::JSON::Array::Ptr inventory = new Poco::JSON::Array;
    for (const auto& f : d.inventory) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + f.path.str());
        x->set("category", f.category);
        x->set("size", static_cast<Poco::UInt64>(f.size));
        x->set("modifiedUs", static_cast<Poco::Int64>(f.modifiedUs));
        if (f.year) x->set("year", f.year);
        x->set("by", f.by);
        inventory->add(x);
    }
    j->set("inventory", inventory);
    j->set("inventoryCut", d.inventoryCut);
    Poco::JSON::Array::Ptr changes = new Poco::JSON::Array;
    for (const auto& c : d.changes) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("at", c.at);
        x->set("user", c.user);
        x->set("action", c.action);
        x->set("path", "/" + c.path);
        if (!c.from.empty()) x->set("from", "/" + c.from);
        changes->add(x);
    }
    j->set("changes", changes);
    return j;
}

}  // namespace

void ApiRequest::handovers(const std::vector<std::string>& parts) {
    const std::string& m = request_.getMethod();
    auto& h = ctx_.handovers;
    if (parts.size() == 1 && m == "GET") {
        std::optional<int> term;
        if (!param("term").empty()) {
            auto fy = FiscalYear::parse(param("term"));
            if (!fy) throw ApiError(400, "bad_term", msg("api.bad_term"));
            term = fy->year;
        }
        Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
        for (const auto& s : h.list(caller_, term)) out->add(summaryJson(s));
        return send(200, out);
    }
    std::int64_t id = 0;
    if (parts.size() < 2 || !Poco::NumberParser::tryParse64(parts[1], id)) throw notFound();
    auto show = [&](int status) { send(status, detailJson(h.show(caller_, id))); };
    const std::string what = parts.size() > 2 ? parts[2] : std::string();
    if (parts.size() == 2 && m == "GET") return show(200);
    if (parts.size() == 3 && m == "PUT" && what == "note") {
        h.setNote(caller_, id, field(body(), "note"));
        return show(200);
    }
    if (parts.size() == 3 && m == "POST" && what == "matters") {
        auto b = body();
        db::MatterRow row{0,
                          id,
                          field(b, "title"),
                          field(b, "status", false),
                          field(b, "due", false),
                          field(b, "detail", false),
                          {}};
        std::vector<DocPath> docs;
        if (b->has("documents")) {
            auto list = b->getArray("documents");
            if (!list)
                throw ApiError(400, "bad_field", msg("api.bad_field", {{"name", "documents"}}));
            for (std::size_t i = 0; i < list->size(); ++i) {
                docs.push_back(DocPath::fromText(list->getElement<std::string>(i)));
            }
        }
        h.putMatter(caller_, id, row, docs);
        return show(201);
    }
    if (parts.size() == 3 && m == "POST" && what == "contacts") {
        auto b = body();
        h.putContact(caller_, id,
                     {0, id, field(b, "name"), field(b, "organisation", false),
                      field(b, "phone", false), field(b, "detail", false)});
        return show(201);
    }
    if (parts.size() == 3 && m == "POST" && what == "items") {
        auto b = body();
        std::int64_t quantity = 1;
        if (b->has("quantity")) {
            Poco::Dynamic::Var q = b->get("quantity");
            if (!q.isInteger())
                throw ApiError(400, "bad_field", msg("api.bad_field", {{"name", "quantity"}}));
            quantity = q.convert<std::int64_t>();
        }
        h.putItem(caller_, id,
                  {0, id, field(b, "name"), field(b, "place", false), field(b, "detail", false),
                   quantity, "", ""});
        return show(201);
    }
    if (parts.size() == 4 && m == "DELETE" &&
        (what == "matters" || what == "contacts" || what == "items")) {
        std::int64_t note = 0;
        if (!Poco::NumberParser::tryParse64(parts[3], note)) throw notFound();
        h.removeNote(caller_, id, what, note);
        return show(200);
    }
    if (parts.size() == 3 && m == "POST" && what == "submit") {
        h.submit(caller_, id);
        return show(200);
    }
    if (parts.size() == 3 && m == "POST" && what == "continue") {
        h.continueTerm(caller_, id);
        return show(200);
    }
    if (parts.size() == 3 && m == "POST" && what == "receive") {
        std::int64_t item = 0;
        if (body_.present()) {
            auto b = body();
            if (b->has("item")) {
                Poco::Dynamic::Var v = b->get("item");
                if (!v.isInteger())
                    throw ApiError(400, "bad_field", msg("api.bad_field", {{"name", "item"}}));
                item = v.convert<std::int64_t>();
            }
        }
        h.receive(caller_, id, item);
        return show(200);
    }
    if (parts.size() == 3 && m == "POST" && what == "paper") {
        h.recordPaperReceipt(caller_, id, field(body(), "by"));
        return show(200);
    }
    throw notFound();
}

}  // namespace kiroku::api
