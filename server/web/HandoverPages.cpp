// The handover pages (引継ぎ): the list of handovers a person may see (for those who
// manage an organisation, the administrator's table of every role with its flags), one
// record — written by the outgoing holder, received by the successor, printable as the
// 引継ぎ書 and the 受領書 — and the home page's note of what waits for the person.

#include "core/FiscalYear.h"
#include "web/Format.h"
#include "web/HandoverExport.h"
#include "web/WebRequest.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <algorithm>
#include <map>

namespace kiroku::web {

namespace {

// Documents a folder shows on the record page (its newest); the rest are one link away.
constexpr std::size_t kFolderFilesShown = 10;
// The term's changes: the newest on the record page, the rest a page at a time on their
// own page (a role with thousands of documents has as many changes); the archive's record
// lists more.
constexpr std::size_t kChangesShown = 10;
constexpr std::size_t kChangesPerPage = 100;
constexpr std::size_t kArchiveChanges = 200;

// A calendar date given as YYYY-MM-DD, in the page's language.
std::string dayText(const std::string& ymd, std::string_view lang) {
    auto d = Date::parse(ymd);
    if (!d) return ymd;
    return dateText(d->year(), std::stoi(ymd.substr(5, 2)), std::stoi(ymd.substr(8, 2)), lang);
}

// A link to a document or folder on the site, with Japanese left as it is (an IRI, which
// browsers encode as UTF-8 when they follow it): a third of the bytes of the fully
// percent-encoded form in a record listing hundreds of them. ASCII other than unreserved
// characters and '/', and every character below U+3000 (punctuation, bidirectional
// controls …) or a noncharacter, are percent-encoded.
std::string siteHref(const DocPath& p, bool folder) {
    const std::string& text = p.str();
    std::string out = "/files/";
    out.reserve(out.size() + text.size() + 8);
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t len = lead < 0xE0 ? 1 : 3 + (lead >= 0xF0);
        len = std::min(len, text.size() - i);
        std::uint32_t cp = 0;  // of a whole three- or four-byte sequence; 0 for the others
        if (len >= 3) {
            cp = lead & (len == 3 ? 0x0Fu : 0x07u);
            for (std::size_t k = 1; k < len; ++k) {
                const auto next = static_cast<unsigned char>(text[i + k]);
                cp = (next & 0xC0u) == 0x80u ? (cp << 6) | (next & 0x3Fu) : 0;
                if (cp == 0) break;
            }
        }
        const bool keep = cp >= 0x3000 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) &&
                          !(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFEu) != 0xFFFEu;
        if (keep) {
            out.append(text, i, len);
        } else {
            appendPercentEncoded(out, std::string_view(text).substr(i, len), true);
        }
        i += len;
    }
    if (folder) out += '/';
    return out;
}

void addChange(ctemplate::TemplateDictionary& dict, const service::ChangeView& c,
               const std::string& lang) {
    auto* row = dict.AddSectionDictionary("CHANGE");
    row->SetValue("CH_WHEN", dateTimeOfIso(c.at, lang));
    row->SetValue("CH_WHO", c.who);
    row->SetValue("CH_WHAT", msg(std::string("web.action.") + c.action).in(lang));
    row->SetValue("CH_PATH", c.path);
}

}  // namespace

std::string WebRequest::handoverHref(std::int64_t id) {
    return query("/handover", {{"id", std::to_string(id)}});
}

void WebRequest::addWaitingHandovers(Dict& dict) {
    auto waiting = ctx_.handovers.waiting(*caller_);
    for (const auto& s : waiting) {
        Dict* row = dict.AddSectionDictionary("WAITING");
        const bool mine = s.holder == caller_->user.name;
        row->SetValue(
            "WAITING_TEXT",
            msg(mine ? "web.handover.waiting_write" : "web.handover.waiting_receive",
                {{"year", fiscalYearText(
                              FiscalYear::parse(s.fiscalYear).value_or(FiscalYear{}).year, lang_)},
                 {"org", s.org},
                 {"role", s.role},
                 {"name", s.holderDisplay}})
                .in(lang_));
        row->SetValue("WAITING_HREF", handoverHref(s.id));
    }
    if (waiting.empty()) dict.ShowSection("NOTHING_WAITING");
}

void WebRequest::handoversPage() {
    auto dict = pageDict(text("web.handover.list_title"));
    addNotice(*dict);
    std::optional<int> term;
    if (!param("term").empty()) {
        auto fy = FiscalYear::parse(param("term"));
        if (!fy)
            return sendError(
                400, msg("cli.usage.bad_year", {{"flag", "term"}, {"text", param("term")}}));
        term = fy->year;
    }
    auto all = ctx_.handovers.list(*caller_, term);
    dict->SetValue("TERM", term ? fiscalYearText(*term, lang_) : text("web.handover.all_terms"));
    for (const auto& s : all) {
        Dict* row = dict->AddSectionDictionary("ROW");
        row->SetValue("HREF", handoverHref(s.id));
        row->SetValue("YEAR", s.fiscalYear);
        row->SetValue("ORG", s.org);
        row->SetValue("ROLE", s.role);
        row->SetValue("HOLDER", s.holderDisplay);
        std::string next;
        for (const auto& n : s.successors) {
            next +=
                (next.empty() ? "" : text("web.handover.separator")) + ctx_.history.displayName(n);
        }
        row->SetValue("NEXT", next.empty() ? text("web.none") : next);
        row->SetValue("STATUS", text(msg(service::handoverStatusCode(s.status))));
        if (s.noSuccessor) row->ShowSection("NO_SUCCESSOR");
        if (s.overdue) row->ShowSection("OVERDUE");
    }
    if (all.empty()) dict->ShowSection("EMPTY");
    sendPage("handovers", *dict);
}

void fillHandover(ctemplate::TemplateDictionary& dict, const service::HandoverDetail& d,
                  const std::string& lang, service::HistoryService& history, bool inArchive) {
    const auto& s = d.summary;
    auto text = [&](const std::string& code) { return msg(code).in(lang); };
    // On the site, links go to the pages; in an archive, documents are beside the record.
    auto fileLink = [&](const DocPath& p) {
        return inArchive ? percentEncode(archiveFolder(lang) + "/" + p.str(), true)
                         : siteHref(p, false);
    };
    if (!inArchive) dict.ShowSection("ON_SITE");
    dict.SetValue("ID", std::to_string(s.id));
    dict.SetValue("ORG", s.org);
    dict.SetValue("ROLE", s.role);
    dict.SetValue("YEAR", s.fiscalYear);
    dict.SetValue("HOLDER", s.holderDisplay);
    dict.SetValue("TERM", msg("web.handover.term_range", {{"from", dayText(s.termStart, lang)},
                                                          {"to", dayText(s.termEnd, lang)}})
                              .in(lang));
    dict.SetValue("STATUS", text(service::handoverStatusCode(s.status)));
    std::string next;
    for (const auto& n : s.successors)
        next += (next.empty() ? "" : text("web.handover.separator")) + history.displayName(n);
    dict.SetValue("NEXT", next.empty() ? text("handover.flag.no_successor") : next);
    if (!s.received.empty()) {
        dict.SetValueAndShowSection("RECEIVED_BY", history.displayName(s.receivedBy),
                                    "IS_RECEIVED");
        dict.SetValue("RECEIVED_AT", dateTimeOfIso(s.received, lang));
        if (s.receivedOnPaper) dict.ShowSection("ON_PAPER");
    }
    if (!s.submitted.empty()) {
        dict.SetValueAndShowSection("SUBMITTED_AT", dateTimeOfIso(s.submitted, lang),
                                    "IS_SUBMITTED");
    }
    dict.SetValue("NOTE", d.note);
    if (d.note.empty()) dict.ShowSection("NO_NOTE");
    const bool act = !inArchive;
    if (act && d.canEdit) dict.ShowSection("CAN_EDIT");
    if (act && d.canSubmit) dict.ShowSection("CAN_SUBMIT");
    if (act && d.canReceive) dict.ShowSection("CAN_RECEIVE");
    if (act && d.canContinue) dict.ShowSection("CAN_CONTINUE");

    for (std::size_t i = 0; i < d.matters.size(); ++i) {
        const auto& m = d.matters[i];
        auto* row = dict.AddSectionDictionary("MATTER");
        row->SetValue("M_ID", std::to_string(m.id));
        row->SetValue("M_TITLE", m.title);
        row->SetValue("M_STATUS", text(m.status == "done" ? "web.handover.matter_done"
                                                          : "web.handover.matter_open"));
        row->SetValue("M_DUE", m.due.empty() ? text("web.none") : dayText(m.due, lang));
        row->SetValue("M_NOTE", m.note);
        for (const auto& p : d.matterDocuments[i]) {
            auto* doc = row->AddSectionDictionary("M_DOC");
            DocPath path = DocPath::fromText(p);
            doc->SetValue("DOC_NAME", path.name());
            doc->SetValue("DOC_HREF", fileLink(path));
        }
        if (act && d.canEdit) row->ShowSection("M_EDIT");
    }
    if (d.matters.empty()) dict.ShowSection("NO_MATTER");
    for (const auto& c : d.contacts) {
        auto* row = dict.AddSectionDictionary("CONTACT");
        row->SetValue("C_ID", std::to_string(c.id));
        row->SetValue("C_NAME", c.name);
        row->SetValue("C_ORG", c.organisation);
        row->SetValue("C_PHONE", c.phone);
        row->SetValue("C_NOTE", c.note);
        if (act && d.canEdit) row->ShowSection("C_EDIT");
    }
    if (d.contacts.empty()) dict.ShowSection("NO_CONTACT");
    for (const auto& it : d.items) {
        auto* row = dict.AddSectionDictionary("ITEM");
        row->SetValue("I_ID", std::to_string(it.id));
        row->SetValue("I_NAME", it.name);
        row->SetValue("I_PLACE", it.place);
        row->SetValue("I_QUANTITY", std::to_string(it.quantity));
        row->SetValue("I_NOTE", it.note);
        if (!it.received.empty()) {
            row->SetValueAndShowSection("I_RECEIVED_BY", history.displayName(it.receivedBy),
                                        "I_RECEIVED");
        } else if (act && d.canReceive) {
            row->ShowSection("I_CAN_RECEIVE");
        }
        if (act && d.canEdit) row->ShowSection("I_EDIT");
    }
    if (d.items.empty()) dict.ShowSection("NO_ITEM");

    // What the role owns, by folder. The page shows each folder's newest documents and
    // its count (a role with thousands of files would otherwise make a page no phone
    // lays out in time); the folder page, the archive and its record list them all.
    std::map<std::string, std::vector<const service::InventoryItem*>> byFolder;
    for (const auto& f : d.inventory) byFolder[f.folder].push_back(&f);
    dict.SetValue(
        "INVENTORY_COUNT",
        msg("web.folder.count", {{"count", std::to_string(d.inventory.size())}}).in(lang));
    // Folder after folder, in path order. On the record page, each folder's newest: the
    // ones the service gave their 年度 and author (it put them first, sorted the same way).
    for (auto& [folder, files] : byFolder) {
        auto* group = dict.AddSectionDictionary("FOLDER");
        group->SetValue("F_NAME", folder);
        const std::string folderHref = siteHref(DocPath::fromText(folder), true);
        if (!inArchive) {
            group->SetValueAndShowSection("F_HREF", folderHref, "F_LINK");
        } else {
            group->ShowSection("F_PLAIN");
        }
        std::size_t shown = files.size();
        if (!inArchive && files.size() > kFolderFilesShown) {
            std::stable_sort(files.begin(), files.end(), [](const auto* a, const auto* b) {
                return a->modifiedUs > b->modifiedUs;
            });
            shown = kFolderFilesShown;
            auto* more = group->AddSectionDictionary("MORE");
            more->SetValue("MORE_TEXT", msg("web.handover.more",
                                            {{"count", std::to_string(files.size() - shown)}})
                                            .in(lang));
            more->SetValue("MORE_HREF", folderHref);
        }
        for (std::size_t i = 0; i < shown; ++i) {
            const auto* f = files[i];
            auto* row = group->AddSectionDictionary("FILE");
            row->SetValue("FILE_NAME", f->path.name());
            row->SetValue("FILE_HREF", fileLink(f->path));
            row->SetValue("FILE_YEAR", f->year ? fiscalYearText(f->year, lang) : text("web.none"));
            row->SetValue("FILE_UPDATED", dateOfMicros(f->modifiedUs, lang));
            row->SetValue("FILE_BY", f->by.empty() ? text("web.none") : f->by);
        }
    }
    if (d.inventory.empty()) dict.ShowSection("NO_INVENTORY");
    if (d.inventoryCut) dict.ShowSection("INVENTORY_CUT");
    // The newest changes; on the site the rest are on their own page (CHANGES_HREF).
    const std::size_t changesShown =
        std::min(d.changes.size(), inArchive ? kArchiveChanges : kChangesShown);
    for (std::size_t i = 0; i < changesShown; ++i) addChange(dict, d.changes[i], lang);
    if (changesShown < d.changes.size()) {
        dict.SetValueAndShowSection(
            "CHANGES_MORE_TEXT",
            msg("web.handover.more", {{"count", std::to_string(d.changes.size() - changesShown)}})
                .in(lang),
            "CHANGES_MORE");
        if (!inArchive) dict.ShowSection("CHANGES_LINK");
    }
    dict.SetValue("CHANGE_COUNT",
                  msg("web.folder.count", {{"count", std::to_string(d.changes.size())}}).in(lang));
    if (d.changes.empty()) dict.ShowSection("NO_CHANGES");
}

void WebRequest::handoverPage() {
    const std::int64_t id = idParam("handover.not_found");
    if (param("changes") == "1") return handoverChangesPage(id);
    const std::string add = param("add");
    if (add == "matter" || add == "contact" || add == "item") return handoverAddPage(id, add);
    const bool receipt = param("receipt") == "1";
    // The receipt (受領書) shows the same facts and items, to print and sign; the record
    // lists each folder's newest documents, so only those need their 年度 and author.
    service::HandoverParts parts;
    parts.inventory = parts.changes = !receipt;
    parts.detailedPerFolder = kFolderFilesShown;
    service::HandoverDetail d = ctx_.handovers.show(*caller_, id, parts);
    const auto& s = d.summary;
    auto dict = pageDict(msg("web.handover.title", {{"org", s.org}, {"role", s.role}}).in(lang_));
    addNotice(*dict);
    fillHandover(*dict, d, lang_, ctx_.history, false);
    dict->ShowSection(receipt ? "RECEIPT" : "RECORD");
    dict->SetValue("BACK_HREF", handoverHref(id));
    dict->SetValue("RECEIPT_HREF",
                   query("/handover", {{"id", std::to_string(id)}, {"receipt", "1"}}));
    dict->SetValue("EXPORT_HREF", query("/handover/export", {{"id", std::to_string(id)}}));
    dict->SetValue("CHANGES_HREF",
                   query("/handover", {{"id", std::to_string(id)}, {"changes", "1"}}));
    for (const char* what : {"matter", "contact", "item"}) {
        dict->SetValue(std::string("ADD_") + Poco::toUpper(std::string(what)) + "_HREF",
                       query("/handover", {{"id", std::to_string(id)}, {"add", what}}));
    }
    sendPage("handover", *dict);
}

// A matter, a contact or an item to add, each on its own page (one thing a page): the
// record itself carries no form it does not show.
void WebRequest::handoverAddPage(std::int64_t id, const std::string& what) {
    service::HandoverParts parts;
    parts.inventory = parts.changes = false;
    service::HandoverDetail d = ctx_.handovers.show(*caller_, id, parts);
    const auto& s = d.summary;
    if (!d.canEdit) {
        if (s.status != service::HandoverStatus::Preparing)
            return sendError(409, msg("handover.not_preparing"));
        return sendError(403, msg("handover.not_yours"));
    }
    const std::string heading = text(what == "matter"    ? "web.handover.add_matter"
                                     : what == "contact" ? "web.handover.add_contact"
                                                         : "web.handover.add_item");
    auto dict = pageDict(heading);
    dict->ShowSection("ADD_PAGE");
    dict->ShowSection("ADD_" + Poco::toUpper(what));
    dict->SetValue("ADD_HEADING", heading);
    dict->SetValue("BACK_HREF", handoverHref(id));
    dict->SetValue("ID", std::to_string(id));
    dict->SetValue("ORG", s.org);
    dict->SetValue("ROLE", s.role);
    dict->SetValue("YEAR", s.fiscalYear);
    sendPage("handover", *dict);
}

// Every change of the term, newest first, a page at a time.
void WebRequest::handoverChangesPage(std::int64_t id) {
    service::HandoverParts parts;
    parts.inventory = false;
    service::HandoverDetail d = ctx_.handovers.show(*caller_, id, parts);
    const auto& s = d.summary;
    auto dict =
        pageDict(msg("web.handover.changes_title", {{"org", s.org}, {"role", s.role}}).in(lang_));
    dict->ShowSection("CHANGES_PAGE");
    dict->SetValue("BACK_HREF", handoverHref(id));
    dict->SetValue("ORG", s.org);
    dict->SetValue("ROLE", s.role);
    dict->SetValue("YEAR", s.fiscalYear);
    dict->SetValue("TERM", msg("web.handover.term_range", {{"from", dayText(s.termStart, lang_)},
                                                           {"to", dayText(s.termEnd, lang_)}})
                               .in(lang_));
    const std::size_t total = d.changes.size();
    const std::size_t pages =
        std::max<std::size_t>(1, (total + kChangesPerPage - 1) / kChangesPerPage);
    std::int64_t page = 1;
    Poco::NumberParser::tryParse64(param("page"), page);
    page = std::clamp<std::int64_t>(page, 1, static_cast<std::int64_t>(pages));
    const std::size_t first = static_cast<std::size_t>(page - 1) * kChangesPerPage;
    const std::size_t last = std::min(total, first + kChangesPerPage);
    for (std::size_t i = first; i < last; ++i) addChange(*dict, d.changes[i], lang_);
    dict->SetValue("CHANGE_COUNT",
                   msg("web.folder.count", {{"count", std::to_string(total)}}).in(lang_));
    if (total == 0) dict->ShowSection("NO_CHANGES");
    if (pages > 1) {
        dict->ShowSection("PAGING");
        dict->SetValue("PAGE_TEXT", msg("web.folder.range", {{"from", std::to_string(first + 1)},
                                                             {"to", std::to_string(last)},
                                                             {"count", std::to_string(total)}})
                                        .in(lang_));
        auto pageHref = [&](std::int64_t n) {
            return query(
                "/handover",
                {{"id", std::to_string(id)}, {"changes", "1"}, {"page", std::to_string(n)}});
        };
        if (page > 1) dict->SetValueAndShowSection("PREV_HREF", pageHref(page - 1), "HAS_PREV");
        if (static_cast<std::size_t>(page) < pages)
            dict->SetValueAndShowSection("NEXT_HREF", pageHref(page + 1), "HAS_NEXT");
    }
    sendPage("handover", *dict);
}

// The whole handover as one ZIP, streamed to the browser as it is written.
void WebRequest::exportHandover() {
    const std::int64_t id = idParam("handover.not_found");
    service::HandoverDetail d = ctx_.handovers.show(*caller_, id);
    const std::string name = handoverZipName(d.summary);
    ctx_.handovers.recordExport(*caller_, id, d.inventory.size());
    response_.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response_.setContentType("application/zip");
    response_.set("Content-Disposition",
                  "attachment; filename*=UTF-8''" + percentEncode(name, false));
    response_.set("Cache-Control", "private, no-store");
    response_.setChunkedTransferEncoding(true);
    sent_ = true;
    std::ostream& os = response_.send();
    struct StreamSink : zip::Sink {
        explicit StreamSink(std::ostream& o) : out(o) {}
        void write(const char* data, std::size_t size) override {
            out.write(data, static_cast<std::streamsize>(size));
            if (!out) throw std::runtime_error("the browser stopped reading the ZIP");
        }
        std::ostream& out;
    } sink(os);
    writeHandoverZip(d, ctx_.documents, ctx_.history, ctx_.renderer, *caller_, lang_, sink);
}

void WebRequest::changeHandover(const std::string& what) {
    const std::int64_t id = idParam("handover.not_found");
    auto& h = ctx_.handovers;
    std::string done;
    std::int64_t noteId = 0;
    Poco::NumberParser::tryParse64(param("note_id"), noteId);
    if (what == "note") {
        h.setNote(*caller_, id, Poco::trim(param("note")));
        done = "handover_saved";
    } else if (what == "matter") {
        db::MatterRow m{noteId,
                        id,
                        Poco::trim(param("title")),
                        param("status"),
                        Poco::trim(param("due")),
                        Poco::trim(param("detail")),
                        {}};
        std::vector<DocPath> docs;
        if (!Poco::trim(param("document")).empty()) docs.push_back(pathParam("document"));
        h.putMatter(*caller_, id, m, docs);
        done = "handover_saved";
    } else if (what == "contact") {
        h.putContact(*caller_, id,
                     {noteId, id, Poco::trim(param("name")), Poco::trim(param("organisation")),
                      Poco::trim(param("phone")), Poco::trim(param("detail"))});
        done = "handover_saved";
    } else if (what == "item") {
        std::int64_t quantity = 1;
        if (!param("quantity").empty() &&
            !Poco::NumberParser::tryParse64(param("quantity"), quantity))
            quantity = 0;
        h.putItem(*caller_, id,
                  {noteId, id, Poco::trim(param("name")), Poco::trim(param("place")),
                   Poco::trim(param("detail")), quantity, "", ""});
        done = "handover_saved";
    } else if (what == "remove") {
        h.removeNote(*caller_, id, param("table"), noteId);
        done = "handover_removed";
    } else if (what == "submit") {
        h.submit(*caller_, id);
        done = "handover_submitted";
    } else if (what == "receive") {
        h.receive(*caller_, id, noteId);
        done = noteId ? "handover_item_received" : "handover_received";
    } else if (what == "continue") {
        h.continueTerm(*caller_, id);
        done = "handover_continued";
    } else {
        return sendError(404, msg("handover.not_found"));
    }
    redirect(query("/handover", {{"id", std::to_string(id)}, {"done", done}}));
}

}  // namespace kiroku::web
