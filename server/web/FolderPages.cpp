// The web pages of folders and files: the list, a file's page and preview, its content,
// uploading, a new folder, renaming, deleting to the trash, versions and the trash.

#include "core/ContentHash.h"
#include "http/UserContent.h"
#include "import/ImportNames.h"
#include "web/Format.h"
#include "web/Renderer.h"
#include "web/WebRequest.h"

#include "kiroku/indexer/FileTypes.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <unistd.h>
#include <algorithm>
#include <set>

namespace kiroku::web {

namespace {

// A refused request's body is read and dropped up to this much before the answer, so
// that the client, still sending, sees the answer rather than a reset connection.
constexpr std::int64_t kDrainBytes = 1 << 20;

using service::Rights;

// A folder's list shows this many entries a page (a phone lays 50 rows out in well under
// a second); "show all" (for printing) at most kFolderAll.
constexpr std::size_t kFolderPage = 50;
constexpr std::size_t kFolderAll = 10000;

// The preview shows at most this much of a document's text.
constexpr std::size_t kPreviewBytes = 60 * 1024;

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// Cuts UTF-8 text at a character boundary at most `max` bytes in.
std::string cutUtf8(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

struct UploadResult {
    std::string name;
    bool ok = false;
    bool replaced = false;
    int status = 200;
    Message message;
    // For a folder's files: added, replaced, unchanged (the same bytes were there),
    // junk (left out) or failed; and how many folders were made for it.
    std::string outcome;
    int folders = 0;
};

// Takes the files of a multipart upload one by one, each straight into the document
// service (no file is held in memory). The fields before a file (csrf, folder) must be
// there and right before a file is accepted.
class UploadParts : public Poco::Net::PartHandler {
public:
    UploadParts(service::DocumentService& documents, const service::Caller& caller,
                const Poco::Net::HTMLForm& form, std::function<bool(const std::string&)> csrfOk)
        : documents_(documents), caller_(caller), form_(form), csrfOk_(std::move(csrfOk)) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        if (!checked_) {
            if (!csrfOk_(form_.get("csrf", ""))) {
                throw service::ServiceError(service::ServiceError::Code::Forbidden,
                                            msg("web.csrf"));
            }
            folder_ = DocPath::fromText(form_.get("folder", ""));
            checked_ = true;
        }
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""),
                                                  disposition, params);
        std::string name = params.get("filename", "");
        // Old browsers send the whole path of the file on the PC.
        auto slash = name.find_last_of("/\\");
        if (slash != std::string::npos) name = name.substr(slash + 1);
        if (name.empty()) return drain(stream);  // the field was left empty
        UploadResult r;
        r.name = name;
        try {
            const bool inFolder = form_.has("relpath");
            std::optional<Entry> there;
            DocPath target;
            if (inFolder) {
                if (!folderTarget(name, r, target)) {
                    drain(stream);
                    results.push_back(std::move(r));
                    return;
                }
            } else {
                target = folder_.child(DocPath::checkName(name));
            }
            r.name = target.name();
            there = documents_.findIfVisible(caller_, target);
            r.replaced = there.has_value();
            auto upload = documents_.beginUpload(caller_, target, -1);
            ContentHasher hasher;
            std::uint64_t size = 0;
            char buf[65536];
            while (stream) {
                stream.read(buf, sizeof buf);
                if (stream.gcount() > 0) {
                    auto n = static_cast<std::size_t>(stream.gcount());
                    upload->write(buf, n);
                    if (inFolder) hasher.update(buf, n);
                    size += n;
                }
            }
            if (inFolder && there && !there->isDir && there->size == size &&
                sameBytes(target, hasher.finish())) {
                // Brought in before: left as it is (no version of the same bytes).
                r.ok = true;
                r.outcome = "unchanged";
                r.message = msg("web.upload.unchanged", {{"name", r.name}});
                results.push_back(std::move(r));
                return;
            }
            if (inFolder) keepModified(*upload);
            upload->commit();
            r.ok = true;
            r.outcome = r.replaced ? "replaced" : "added";
            r.message =
                msg(r.replaced ? "web.upload.replaced" : "web.upload.saved", {{"name", r.name}});
        } catch (const service::ServiceError& e) {
            r.status = service::httpStatus(e.code());
            r.message = e.message();
            drain(stream);
        } catch (const Refusal& e) {
            r.status = 400;
            r.message = e.message();
            drain(stream);
        }
        if (!r.ok) r.outcome = "failed";
        results.push_back(std::move(r));
    }

    DocPath folder() const { return folder_; }
    std::vector<UploadResult> results;

private:
    // A file of a folder dropped or picked in the browser comes with the folders it was
    // in below the dropped one ("relpath", e.g. "会計/令和5年度"): they are made when
    // missing, with names as an import makes them (characters Windows cannot store
    // become full-width); a PC's junk is left out. False (and `r` says why) when the
    // file is not to be stored.
    bool folderTarget(const std::string& name, UploadResult& r, DocPath& target) {
        const std::string relpath = form_.get("relpath", "");
        std::vector<std::string> segments;
        std::size_t start = 0;
        while (start <= relpath.size()) {
            std::size_t end = relpath.find('/', start);
            if (end == std::string::npos) end = relpath.size();
            if (end > start) segments.push_back(relpath.substr(start, end - start));
            start = end + 1;
        }
        bool junk = import::isJunk(name, false);
        for (const auto& s : segments) junk = junk || import::isJunk(s, true);
        if (junk) {
            r.ok = true;
            r.outcome = "junk";
            r.message = msg("web.upload.junk", {{"name", name}});
            return false;
        }
        DocPath dir = folder_;
        for (const auto& s : segments) {
            auto folderName = import::importName(s);
            if (!folderName) throw Refusal(msg("web.upload.bad_folder_name", {{"name", s}}));
            dir = dir.child(folderName->name);
            auto there = documents_.findIfVisible(caller_, dir);
            if (there && there->isDir) continue;
            try {
                documents_.makeFolder(caller_, dir);
                ++r.folders;
            } catch (const service::ServiceError&) {
                // Made at the same moment by the request of another of its files.
                auto now = documents_.findIfVisible(caller_, dir);
                if (!now || !now->isDir) throw;
            }
        }
        auto fileName = import::importName(name);
        if (!fileName) throw Refusal(msg("web.upload.bad_file_name", {{"name", name}}));
        target = dir.child(fileName->name);
        return true;
    }

    // Whether the file at `path` holds the bytes whose hash is `hash`.
    bool sameBytes(const DocPath& path, const Hash& hash) {
        auto file = documents_.open(caller_, path);
        auto h = hashOf(file->fd());
        return h && *h == hash;
    }

    // The time the file was last changed on the PC (the browser's File.lastModified,
    // in milliseconds), kept as an import keeps it.
    void keepModified(service::Upload& upload) {
        const std::string ms = form_.get("modified", "");
        Poco::Int64 value = 0;
        if (!ms.empty() && Poco::NumberParser::tryParse64(ms, value) && value > 0) {
            upload.setModified(value / 1000);
        }
    }

    static void drain(std::istream& stream) {
        char buf[65536];
        while (stream) stream.read(buf, sizeof buf);
    }
    service::DocumentService& documents_;
    const service::Caller& caller_;
    const Poco::Net::HTMLForm& form_;
    std::function<bool(const std::string&)> csrfOk_;
    bool checked_ = false;
    DocPath folder_;
};

}  // namespace

// ---- a folder ------------------------------------------------------------------------------

void WebRequest::folderPage(const DocPath& dir) {
    // Names and kinds of the whole folder (to sort and count it), sizes and dates for
    // the page shown.
    auto entries = ctx_.documents.list(*caller_, dir, true, false);
    entries.erase(
        std::remove_if(entries.begin(), entries.end(), [](const Entry& e) { return e.clutter(); }),
        entries.end());
    sortForPeople(entries);
    auto dict = pageDict(dir.isRoot() ? text("web.crumb.top") : dir.name());
    addNotice(*dict);
    addBreadcrumbs(*dict, dir, false);
    dict->SetValue("FOLDER", dir.str());
    dict->SetValue("FOLDER_HREF", folderHref(dir));
    bool canWrite = !dir.isRoot() && ctx_.documents.rights(*caller_, dir).rights >= Rights::Write;
    if (canWrite) dict->ShowSection("CAN_WRITE");
    dict->SetValue("NEW_FOLDER_HREF", query("/new-folder", {{"in", dir.str()}}));
    if (canWrite && dir.segments().size() > 1) {
        // A category folder and below can be renamed, moved and deleted; an
        // organisation's own folder is the administrators' (kiroku org).
        dict->ShowSection("FOLDER_ACTIONS");
        dict->SetValue("RENAME_HREF", query("/rename", {{"path", dir.str()}}));
        dict->SetValue("MOVE_HREF", query("/move", {{"path", dir.str()}}));
        dict->SetValue("DELETE_HREF", query("/delete", {{"path", dir.str()}}));
    }
    if (!dir.isRoot() && ctx_.documents.rights(*caller_, dir).allows(Rights::Manage)) {
        dict->SetValueAndShowSection("ACL_HREF", query("/admin/permissions", {{"path", dir.str()}}),
                                     "CAN_MANAGE");
    }
    // A long folder is shown a page at a time (the whole list on request, for printing),
    // so that a phone lays it out quickly; the count is always of the whole folder.
    const std::size_t total = entries.size();
    const bool all = param("all") == "1";
    std::int64_t page = 1;
    Poco::NumberParser::tryParse64(param("page"), page);
    const std::size_t perPage = all ? kFolderAll : kFolderPage;
    const std::size_t pages = std::max<std::size_t>(1, (total + perPage - 1) / perPage);
    page = std::clamp<std::int64_t>(page, 1, static_cast<std::int64_t>(pages));
    const std::size_t first = static_cast<std::size_t>(page - 1) * perPage;
    std::vector<Entry> shown(
        entries.begin() + static_cast<std::ptrdiff_t>(std::min(first, total)),
        entries.begin() + static_cast<std::ptrdiff_t>(std::min(first + perPage, total)));
    ctx_.documents.addDetails(*caller_, dir, shown);
    std::vector<std::string> names;
    for (const auto& e : shown) names.push_back(e.path.name());
    auto changes = ctx_.history.lastChanges(*caller_, dir, names);
    auto years = ctx_.documents.indexedYears(*caller_, dir, shown);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const Entry& e = shown[i];
        Dict* row = dict->AddSectionDictionary("ENTRY");
        std::string name = e.path.name();
        row->SetValue("NAME", name);
        row->SetValue("UPDATED", dateOfMicros(e.modifiedUs, lang_));
        row->SetValue("UPDATED_ISO", isoDateOfMicros(e.modifiedUs));
        auto c = changes.find(name);
        row->SetValue("BY", c == changes.end() ? text("web.none") : c->second.who);
        // Relative to the folder's own URL (it always ends in "/"): half the bytes of a
        // long list of Japanese names.
        const std::string href = "./" + percentEncode(name, false);
        if (e.isDir) {
            row->SetValue("HREF", href + "/");
            row->AddIncludeDictionary("ICON")->SetFilename(Renderer::iconTemplate("folder"));
            row->SetValue("KIND", text("web.kind.folder"));
            row->SetValue("SIZE", "");
            row->SetValue("YEAR", "");
        } else {
            FileKind k = kindOf(name);
            row->SetValue("HREF", href);
            row->AddIncludeDictionary("ICON")->SetFilename(Renderer::iconTemplate(k.icon));
            row->SetValue("KIND", text(k.code));
            row->SetValue("SIZE", sizeText(e.size, lang_));
            row->SetValue("YEAR", fiscalYearText(years[i], lang_));
        }
    }
    if (entries.empty()) dict->ShowSection("EMPTY");
    dict->SetValue("COUNT", msg("web.folder.count", {{"count", std::to_string(total)}}).in(lang_));
    if (pages > 1) {
        dict->ShowSection("PAGING");
        dict->SetValue("PAGE_TEXT",
                       msg("web.folder.range", {{"from", std::to_string(first + 1)},
                                                {"to", std::to_string(first + shown.size())},
                                                {"count", std::to_string(total)}})
                           .in(lang_));
        auto pageHref = [&](std::int64_t n) {
            return query(folderHref(dir), {{"page", std::to_string(n)}});
        };
        if (page > 1) dict->SetValueAndShowSection("PREV_HREF", pageHref(page - 1), "HAS_PREV");
        if (static_cast<std::size_t>(page) < pages)
            dict->SetValueAndShowSection("NEXT_HREF", pageHref(page + 1), "HAS_NEXT");
    }
    if (pages > 1 && !all) {
        dict->SetValueAndShowSection("ALL_HREF", query(folderHref(dir), {{"all", "1"}}),
                                     "CAN_SHOW_ALL");
    } else if (all && total > kFolderPage) {
        dict->SetValueAndShowSection("PAGED_HREF", folderHref(dir), "SHOWING_ALL");
    }
    sendPage("folder", *dict);
}

// ---- a file --------------------------------------------------------------------------------

void WebRequest::filePage(const DocPath& file) {
    Entry e = ctx_.documents.find(*caller_, file);
    auto dict = pageDict(file.name());
    addNotice(*dict);
    addBreadcrumbs(*dict, file.parent(), true);
    FileKind k = kindOf(file.name());
    dict->SetValue("NAME", file.name());
    dict->SetValue("PATH", file.str());
    dict->SetValue("KIND", text(k.code));
    dict->SetValue("SIZE", sizeText(e.size, lang_));
    dict->SetValue("UPDATED", dateOfMicros(e.modifiedUs, lang_));
    dict->SetValue("UPDATED_ISO", isoDateOfMicros(e.modifiedUs));
    auto changes = ctx_.history.lastChanges(*caller_, file.parent(), {file.name()});
    auto c = changes.find(file.name());
    dict->SetValue("BY", c == changes.end() ? text("web.none") : c->second.who);
    dict->SetValue("RAW_HREF", rawHref(file));
    dict->SetValue("DOWNLOAD_HREF", rawHref(file) + "?download=1");
    dict->SetValue("FOLDER_HREF", folderHref(file.parent()));
    dict->SetValue("VERSIONS_HREF", query("/versions", {{"path", file.str()}}));
    auto stored = ctx_.documents.indexed(*caller_, file, true);
    dict->SetValue("YEAR", stored ? fiscalYearText(stored->year, lang_) : text("web.none"));
    if (k.image) dict->ShowSection("PREVIEW_IMAGE");
    if (k.pdf) dict->ShowSection("PREVIEW_PDF");
    if (stored && !stored->text.empty()) {
        std::string shown = cutUtf8(stored->text, kPreviewBytes);
        dict->SetValueAndShowSection("TEXT", shown, "PREVIEW_TEXT");
        dict->ShowSection(stored->ocr ? "OCR_TEXT" : "FILE_TEXT");
        if (shown.size() < stored->text.size()) dict->ShowSection("TEXT_CUT");
    } else if (stored && stored->ocrPending) {
        dict->ShowSection("OCR_PENDING");
    } else if (!k.image) {
        dict->ShowSection(stored ? "NO_TEXT" : "NOT_YET_READ");
    }
    if (ctx_.documents.rights(*caller_, file).rights >= Rights::Write) {
        dict->ShowSection("CAN_WRITE");
        dict->SetValue("RENAME_HREF", query("/rename", {{"path", file.str()}}));
        dict->SetValue("MOVE_HREF", query("/move", {{"path", file.str()}}));
        dict->SetValue("DELETE_HREF", query("/delete", {{"path", file.str()}}));
    }
    sendPage("file", *dict);
}

void WebRequest::sendFile(service::OpenFile& file, const std::string& name, bool download) {
    char sniff[4096];
    ssize_t sniffed = std::max<ssize_t>(::pread(file.fd(), sniff, sizeof sniff, 0), 0);
    setUserContentHeaders(response_, name, indexer::mimeTypeOf(name),
                          std::string_view(sniff, static_cast<std::size_t>(sniffed)));
    if (download) {
        std::string encoded = percentEncode(name, false);
        response_.set("Content-Disposition", "attachment; filename*=UTF-8''" + encoded);
    }
    response_.set("Cache-Control", "private, no-cache");
    std::uint64_t count = file.entry().size;
    response_.setContentLength64(static_cast<Poco::Int64>(count));
    sent_ = true;
    if (!body_.finished() && !body_.discard(kDrainBytes)) response_.setKeepAlive(false);
    if (request_.getMethod() == "HEAD") {
        response_.send();
        return;
    }
    std::ostream& out = response_.send();
    std::vector<char> buf(1 << 16);
    off_t offset = 0;
    while (count > 0 && out) {
        ssize_t n =
            ::pread(file.fd(), buf.data(), std::min<std::uint64_t>(count, buf.size()), offset);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.write(buf.data(), n);
        offset += n;
        count -= static_cast<std::uint64_t>(n);
    }
}

void WebRequest::raw(const DocPath& file) {
    auto open = ctx_.documents.open(*caller_, file);
    sendFile(*open, file.name(), param("download") == "1");
}

// ---- uploading -----------------------------------------------------------------------------

void WebRequest::upload() {
    if (request_.getContentType().compare(0, 19, "multipart/form-data") != 0) {
        return sendError(400, msg("web.upload.not_multipart"));
    }
    Poco::Net::HTMLForm form;
    form.setFieldLimit(20);  // csrf, folder, relpath, modified and the files
    form.setValueLengthLimit(4096);
    const std::string headerToken = request_.get("X-CSRF-Token", "");
    UploadParts parts(ctx_.documents, *caller_, form, [&](const std::string& field) {
        return tokenMatches(headerToken.empty() ? field : headerToken, session_->csrf);
    });
    RequestBodyStream in(body_);
    try {
        form.load(request_, in, parts);
    } catch (const service::ServiceError&) {
        throw;
    } catch (const IncompleteBody&) {
        throw;
    } catch (const Poco::Exception& e) {
        ctx_.log.warning("upload from %s: %s", address_, e.displayText());
        if (parts.results.empty()) return sendError(400, msg("web.upload.broken"));
    }
    bool json = request_.get("Accept", "").compare(0, 16, "application/json") == 0;
    if (parts.results.empty()) {
        if (json) return sendError(400, msg("web.upload.none"));
        return redirect(query("/files/", {}));
    }
    bool allOk = std::all_of(parts.results.begin(), parts.results.end(),
                             [](const UploadResult& r) { return r.ok; });
    if (json) {
        std::string out = "{\"files\":[";
        for (std::size_t i = 0; i < parts.results.size(); ++i) {
            const auto& r = parts.results[i];
            if (i) out += ",";
            out += "{\"name\":" + jsonString(r.name) + ",\"ok\":" + (r.ok ? "true" : "false") +
                   ",\"outcome\":" + jsonString(r.outcome) +
                   ",\"folders\":" + std::to_string(r.folders) +
                   ",\"message\":" + jsonString(text(r.message)) + "}";
        }
        out += "]}";
        return sendJson(allOk ? 200 : parts.results.front().status, out);
    }
    DocPath folder = parts.folder();
    if (allOk) {
        return redirect(
            query(folderHref(folder),
                  {{"done", "uploaded"}, {"count", std::to_string(parts.results.size())}}));
    }
    auto dict = pageDict(text("web.upload.result_title"));
    dict->SetValue("FOLDER_HREF", folderHref(folder));
    dict->SetValue("FOLDER_NAME", folder.name());
    for (const auto& r : parts.results) {
        Dict* row = dict->AddSectionDictionary(r.ok ? "SAVED" : "FAILED");
        row->SetValue("FILE_NAME", r.name);
        row->SetValue("FILE_MESSAGE", text(r.message));
    }
    sendPage("upload_result", *dict, 200);
}

// ---- a new folder, renaming, deleting ----------------------------------------------------------

void WebRequest::newFolderPage() {
    DocPath in = pathParam("in");
    ctx_.documents.require(*caller_, in, Rights::Write);
    auto dict = pageDict(text("web.new_folder.title"));
    dict->SetValue("IN", in.str());
    dict->SetValue("IN_NAME", in.name());
    dict->SetValue("BACK_HREF", folderHref(in));
    dict->SetValue("NAME", param("name"));
    sendPage("new_folder", *dict);
}

void WebRequest::newFolder() {
    DocPath in = pathParam("in");
    std::string name = param("name");
    auto again = [&](const Message& error) {
        auto dict = pageDict(text("web.new_folder.title"));
        dict->SetValue("IN", in.str());
        dict->SetValue("IN_NAME", in.name());
        dict->SetValue("BACK_HREF", folderHref(in));
        dict->SetValue("NAME", name);
        dict->SetValueAndShowSection("ERROR", text(error), "HAS_ERROR");
        sendPage("new_folder", *dict, 400);
    };
    DocPath target;
    try {
        target = in.child(DocPath::checkName(name));
    } catch (const BadName& e) {
        return again(e.message());
    }
    try {
        ctx_.documents.makeFolder(*caller_, target);
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Exists ||
            e.code() == service::ServiceError::Code::Conflict)
            return again(e.message());
        throw;
    }
    redirect(query(folderHref(target), {{"done", "folder_made"}, {"name", target.name()}}));
}

void WebRequest::renamePage() {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    ctx_.documents.require(*caller_, path, Rights::Write);
    auto dict = pageDict(text("web.rename.title"));
    dict->SetValue("PATH", path.str());
    dict->SetValue("OLD_NAME", path.name());
    dict->SetValue("NAME", param("name").empty() ? path.name() : param("name"));
    dict->SetValue("BACK_HREF", e.isDir ? folderHref(path) : fileHref(path));
    sendPage("rename", *dict);
}

void WebRequest::rename() {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    std::string name = param("name");
    auto again = [&](const Message& error) {
        auto dict = pageDict(text("web.rename.title"));
        dict->SetValue("PATH", path.str());
        dict->SetValue("OLD_NAME", path.name());
        dict->SetValue("NAME", name);
        dict->SetValue("BACK_HREF", e.isDir ? folderHref(path) : fileHref(path));
        dict->SetValueAndShowSection("ERROR", text(error), "HAS_ERROR");
        sendPage("rename", *dict, 400);
    };
    DocPath target;
    try {
        target = path.parent().child(DocPath::checkName(name));
    } catch (const BadName& err) {
        return again(err.message());
    }
    if (target == path) return redirect(e.isDir ? folderHref(path) : fileHref(path));
    try {
        ctx_.documents.move(*caller_, path, target, false);
    } catch (const service::ServiceError& err) {
        if (err.code() == service::ServiceError::Code::PreconditionFailed ||
            err.code() == service::ServiceError::Code::Exists ||
            err.code() == service::ServiceError::Code::Conflict)
            return again(msg("doc.exists"));
        throw;
    }
    redirect(query(e.isDir ? folderHref(target) : fileHref(target),
                   {{"done", "renamed"}, {"name", target.name()}}));
}

void WebRequest::movePage(const Message* error) {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    ctx_.documents.require(*caller_, path, Rights::Write);
    auto dict = pageDict(text("web.move.title"));
    dict->SetValue("PATH", path.str());
    dict->SetValue("NAME", path.name());
    dict->SetValue("BACK_HREF", e.isDir ? folderHref(path) : fileHref(path));
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    // The folders it could go to: those the person may write, a few levels deep, not
    // where it is now and not inside itself. Bounded, whatever the drive holds.
    std::vector<std::pair<DocPath, int>> todo{{DocPath(), 0}};
    std::size_t shown = 0;
    while (!todo.empty() && shown < 400) {
        auto [dir, depth] = todo.back();
        todo.pop_back();
        std::vector<Entry> children;
        try {
            children = ctx_.documents.list(*caller_, dir, false);
        } catch (const service::ServiceError&) {
            continue;
        }
        std::sort(children.begin(), children.end(), [](const Entry& a, const Entry& b) {
            return a.path.name() > b.path.name();  // popped in name order
        });
        for (const auto& c : children) {
            if (!c.isDir || c.path == path || c.path.isWithin(path)) continue;
            if (depth + 1 < 4) todo.push_back({c.path, depth + 1});
        }
        if (dir.isRoot() || dir == path.parent()) continue;
        if (!ctx_.documents.rights(*caller_, dir).allows(Rights::Write)) continue;
        Dict* opt = dict->AddSectionDictionary("FOLDER_OPTION");
        opt->SetValue("VALUE", dir.str());
        opt->SetValue("LABEL", dir.str());
        ++shown;
    }
    if (shown == 0)
        dict->ShowSection("NOWHERE");
    else
        dict->ShowSection("SOMEWHERE");
    sendPage("move", *dict, error ? 400 : 200);
}

void WebRequest::move() {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    DocPath to = pathParam("to");
    DocPath target = to.child(path.name());
    try {
        ctx_.documents.move(*caller_, path, target, false);
    } catch (const service::ServiceError& err) {
        if (err.code() == service::ServiceError::Code::PreconditionFailed ||
            err.code() == service::ServiceError::Code::Exists) {
            Message m = msg("web.move.taken");
            return movePage(&m);
        }
        if (err.code() == service::ServiceError::Code::Conflict ||
            err.code() == service::ServiceError::Code::Invalid)
            return movePage(&err.message());
        throw;
    }
    redirect(query(e.isDir ? folderHref(target) : folderHref(to),
                   {{"done", "moved"}, {"name", path.name()}}));
}

void WebRequest::deletePage() {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    ctx_.documents.require(*caller_, path, Rights::Write);
    auto dict = pageDict(text("web.delete.title"));
    dict->SetValue("PATH", path.str());
    dict->SetValue("NAME", path.name());
    dict->SetValue("BACK_HREF", e.isDir ? folderHref(path) : fileHref(path));
    dict->ShowSection(e.isDir ? "IS_FOLDER" : "IS_FILE");
    dict->SetValue("DAYS", std::to_string(ctx_.settings.trashDays));
    sendPage("delete", *dict);
}

void WebRequest::remove() {
    DocPath path = pathParam("path");
    ctx_.documents.remove(*caller_, path);
    redirect(query(folderHref(path.parent()), {{"done", "trashed"}, {"name", path.name()}}));
}

// ---- versions ------------------------------------------------------------------------------

void WebRequest::versionsPage() {
    DocPath path = pathParam("path");
    Entry e = ctx_.documents.find(*caller_, path);
    auto versions = ctx_.documents.versions(*caller_, path);
    auto dict = pageDict(text("web.versions.title"));
    addNotice(*dict);
    addBreadcrumbs(*dict, path.parent(), true);
    dict->SetValue("NAME", path.name());
    dict->SetValue("PATH", path.str());
    dict->SetValue("BACK_HREF", fileHref(path));
    dict->SetValue("CURRENT_UPDATED", dateOfMicros(e.modifiedUs, lang_));
    dict->SetValue("CURRENT_SIZE", sizeText(e.size, lang_));
    dict->SetValue("CURRENT_HREF", rawHref(path));
    bool canWrite = ctx_.documents.rights(*caller_, path).rights >= Rights::Write;
    for (const auto& v : versions) {
        Dict* row = dict->AddSectionDictionary("VERSION");
        row->SetValue("SAVED", dateTimeOfIso(v.saved, lang_));
        row->SetValue("SAVED_BY", ctx_.history.displayName(v.savedBy));
        row->SetValue("V_SIZE", sizeText(v.size, lang_));
        row->SetValue("V_ID", std::to_string(v.id));
        row->SetValue("V_HREF", query("/version", {{"id", std::to_string(v.id)}}));
        if (!v.label.empty()) row->SetValueAndShowSection("V_LABEL", v.label, "HAS_LABEL");
        if (canWrite) {
            row->ShowSection("CAN_RESTORE");
            row->SetValue("V_LABEL_HREF", query("/version-label", {{"id", std::to_string(v.id)}}));
        }
    }
    if (versions.empty()) dict->ShowSection("NO_VERSION");
    sendPage("versions", *dict);
}

void WebRequest::restoreVersion() {
    const std::int64_t id = idParam("version.not_found_short");
    DocPath path = ctx_.documents.restoreVersion(*caller_, id);
    redirect(query("/versions",
                   {{"path", path.str()}, {"done", "version_restored"}, {"name", path.name()}}));
}

void WebRequest::labelPage(const Message* error) {
    const std::int64_t id = idParam("version.not_found_short");
    VersionInfo v = ctx_.documents.version(*caller_, id);
    DocPath path = DocPath::fromText(v.path);
    ctx_.documents.require(*caller_, path, Rights::Write);
    auto dict = pageDict(text("web.versions.label_title"));
    dict->SetValue("NAME", path.name());
    dict->SetValue("SAVED", dateTimeOfIso(v.saved, lang_));
    dict->SetValue("V_ID", std::to_string(id));
    dict->SetValue("LABEL", error ? param("label") : v.label);
    dict->SetValue("BACK_HREF", query("/versions", {{"path", path.str()}}));
    if (error) dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    sendPage("version_label", *dict, error ? 400 : 200);
}

void WebRequest::labelVersion() {
    const std::int64_t id = idParam("version.not_found_short");
    std::string label = Poco::trim(param("label"));
    try {
        ctx_.documents.labelVersion(*caller_, id, label);
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Invalid) throw;
        return labelPage(&e.message());
    }
    VersionInfo v = ctx_.documents.version(*caller_, id);
    redirect(
        query("/versions", {{"path", v.path},
                            {"done", label.empty() ? "version_unlabelled" : "version_labelled"},
                            {"name", label}}));
}

void WebRequest::versionContent() {
    const std::int64_t id = idParam("version.not_found_short");
    auto open = ctx_.documents.openVersion(*caller_, id);
    sendFile(*open, open->entry().path.name(), param("download") == "1");
}

// ---- the trash -----------------------------------------------------------------------------

void WebRequest::trashPage() {
    auto entries = ctx_.documents.trash(*caller_);
    auto dict = pageDict(text("web.trash.title"));
    dict->ShowSection("NAV_TRASH");
    addNotice(*dict);
    dict->SetValue("DAYS", std::to_string(ctx_.settings.trashDays));
    for (const auto& t : entries) {
        Dict* row = dict->AddSectionDictionary("ITEM");
        std::string name =
            t.path.substr(t.path.rfind('/') == std::string::npos ? 0 : t.path.rfind('/') + 1);
        std::string folder = t.path.rfind('/') == std::string::npos
                                 ? std::string()
                                 : t.path.substr(0, t.path.rfind('/'));
        row->SetValue("T_NAME", name);
        row->SetValue("T_FOLDER", folder.empty() ? text("web.crumb.top") : folder);
        row->SetValue("T_DELETED", dateTimeOfIso(t.deleted, lang_));
        row->SetValue("T_BY", ctx_.history.displayName(t.deletedBy));
        row->SetValue("T_ID", std::to_string(t.id));
        row->SetValue("T_KIND", t.isDir ? text("web.kind.folder") : text(kindOf(name).code));
    }
    if (entries.empty()) dict->ShowSection("EMPTY");
    sendPage("trash", *dict);
}

void WebRequest::restoreTrash() {
    const std::int64_t id = idParam("trash.not_found");
    DocPath restored;
    try {
        restored = ctx_.documents.restoreTrash(*caller_, id);
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Exists) {
            return sendError(409, msg("web.trash.place_taken"));
        }
        throw;
    }
    redirect(query("/trash", {{"done", "restored"}, {"name", restored.name()}}));
}

}  // namespace kiroku::web
