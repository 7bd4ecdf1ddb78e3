#include "web/WebRequest.h"

#include "core/FiscalYear.h"
#include "http/Status.h"
#include "web/Format.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <unicode/coll.h>
#include <unicode/locid.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

namespace kiroku::web {

namespace {

// Names whose collation keys a server thread keeps (a few folders' worth).
constexpr std::size_t kSortKeyCache = 20000;

// A refused request's body is read and dropped up to this much before the answer, so
// that the client, still sending, sees the answer rather than a reset connection.
constexpr std::int64_t kDrainBytes = 1 << 20;

constexpr std::int64_t kMaxFormBody = 64 * 1024;
const char* const kSessionCookie = "kiroku_session";
const char* const kLangCookie = "kiroku_lang";

// No inline script, no plug-ins, nothing from another site; frames only of this site
// (previews, which are served sandboxed).
const char* const kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'";

bool startsWith(const std::string& s, const char* prefix) {
    return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

}  // namespace

WebRequest::WebRequest(WebContext& ctx, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, bool secure, std::string address)
    : ctx_(ctx),
      request_(request),
      response_(response),
      body_(request),
      secure_(secure),
      address_(std::move(address)) {
    const std::string& target = request.getURI();
    path_ = target.substr(0, target.find('?'));
    try {
        for (const auto& [k, v] : Poco::URI(target).getQueryParameters()) query_.add(k, v);
    } catch (const Poco::Exception&) {
        query_.clear();  // a malformed query reads as none
    }
}

void WebRequest::handle() {
    try {
        route();
    } catch (const service::ServiceError& e) {
        sendError(service::httpStatus(e.code()), e.message());
    } catch (const BadName& e) {
        sendError(400, e.message());
    } catch (const Refusal& e) {
        sendError(400, e.message());
    } catch (const BodyTooLarge&) {
        response_.setKeepAlive(false);
        sendError(413, msg("web.too_large"));
    } catch (const IncompleteBody&) {
        response_.setKeepAlive(false);
        sendError(400, msg("web.incomplete"));
    } catch (const std::exception& e) {
        ctx_.log.error("web page %s: %s", path_, std::string(e.what()));
        sendError(500, msg("web.internal"));
    }
}

void WebRequest::route() {
    const std::string& method = request_.getMethod();
    bool get = method == "GET" || method == "HEAD";
    if (!get && method != "POST") return sendError(405, msg("web.method"));
    if (startsWith(path_, "/static/")) return sendAsset(path_.substr(8));
    if (path_ == "/favicon.ico") return sendAsset("favicon.svg");

    std::string chosen = param("lang");
    if (chosen.empty()) chosen = cookie(kLangCookie);
    if (chosen == "en" || chosen == "ja") lang_ = chosen;
    if (!param("lang").empty() && (chosen == "en" || chosen == "ja")) {
        Poco::Net::HTTPCookie c(kLangCookie, chosen);
        c.setPath("/");
        c.setMaxAge(365 * 24 * 3600);
        c.setHttpOnly(true);
        c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
        c.setSecure(secure_);
        response_.addCookie(c);
    }

    if (path_ == "/login") {
        if (get) return loginPage();
        return login();
    }
    if (!startSession()) {
        if (get) {
            std::string next = request_.getURI();
            return redirect(next == "/" ? "/login" : query("/login", {{"next", next}}));
        }
        // What the person typed is not lost: an ordinary form comes back inside the login
        // page and is offered again after logging in (files must be chosen again).
        KeptForm kept;
        if (path_ != "/logout") {
            readForm();
            kept.action = request_.getURI();
            for (const auto& [k, v] : form_) {
                if (k != "csrf") kept.fields.emplace_back(k, v);
            }
        }
        const bool keep = !kept.fields.empty() && safeNext(kept.action) == kept.action;
        const bool files = request_.getContentType().compare(0, 19, "multipart/form-data") == 0;
        Message m = msg(files ? "web.login.expired_files" : "web.login.expired");
        return loginPage(&m, 401, keep ? &kept : nullptr);
    }
    if (method == "POST") requireCsrf();

    if (path_ == "/" || path_ == "/index.html")
        return get ? home() : sendError(405, msg("web.method"));
    if (path_ == "/logout" && !get) return logout();
    if (path_ == "/resume") return get ? resumePage() : sendError(405, msg("web.method"));
    if (path_ == "/handovers") return get ? handoversPage() : sendError(405, msg("web.method"));
    if (path_ == "/handover") return get ? handoverPage() : sendError(405, msg("web.method"));
    if (path_ == "/handover/export")
        return get ? exportHandover() : sendError(405, msg("web.method"));
    if (startsWith(path_, "/handover/")) {
        return get ? sendError(405, msg("web.method")) : changeHandover(path_.substr(10));
    }
    if (startsWith(path_, "/files/") || path_ == "/files") {
        if (!get) return sendError(405, msg("web.method"));
        std::string rest = path_.size() > 7 ? path_.substr(7) : std::string();
        DocPath p = DocPath::fromUrl(rest);
        bool asFolder = rest.empty() || rest.back() == '/';
        Entry e = ctx_.documents.find(*caller_, p);
        if (e.isDir) {
            // A folder's page is always at a URL ending in "/": its list links relatively.
            if (!asFolder || path_ == "/files") return redirect(folderHref(p));
            return folderPage(p);
        }
        if (asFolder) return redirect(fileHref(p));
        return filePage(p);
    }
    if (startsWith(path_, "/raw/")) {
        if (!get) return sendError(405, msg("web.method"));
        return raw(DocPath::fromUrl(path_.substr(5)));
    }
    if (path_ == "/upload" && !get) return upload();
    if (path_ == "/new-folder") return get ? newFolderPage() : newFolder();
    if (path_ == "/rename") return get ? renamePage() : rename();
    if (path_ == "/move") return get ? movePage() : move();
    if (path_ == "/delete") return get ? deletePage() : remove();
    if (path_ == "/versions") return get ? versionsPage() : restoreVersion();
    if (path_ == "/version" && get) return versionContent();
    if (path_ == "/version-label") return get ? labelPage() : labelVersion();
    if (path_ == "/trash") return get ? trashPage() : restoreTrash();
    if (path_ == "/search" && get) return searchPage();
    if (path_ == "/settings") return get ? settingsPage() : saveSettings();
    if (path_ == "/connect" && get) return connectPage();
    if (path_ == "/admin" && get) return adminPage();
    if (path_ == "/admin/people") return get ? peoplePage() : addPerson();
    if (path_ == "/admin/people/state" && !get) return setPersonDisabled();
    if (path_ == "/admin/people/password") return get ? passwordPage() : setPassword();
    if (path_ == "/admin/orgs") return get ? orgsPage() : addOrg();
    if (path_ == "/admin/roles" && get) return rolesPage();
    if (path_ == "/admin/roles/assign") return get ? assignPage() : assign();
    if (path_ == "/admin/roles/end" && !get) return endTerm();
    if (path_ == "/admin/roles/renew") return get ? renewPage() : renew();
    if (path_ == "/admin/permissions") return get ? permissionsPage() : grant();
    if (path_ == "/admin/permissions/remove" && !get) return revoke();
    if (path_ == "/admin/audit" && get) return auditPage();
    if (path_ == "/admin/index" && get) return indexPage();
    if (path_ == "/admin/access" && get) return accessPage();
    sendError(404, msg("web.no_such_page"));
}

// ---- sessions, parameters, CSRF -------------------------------------------------------------

std::string WebRequest::cookie(const std::string& name) const {
    Poco::Net::NameValueCollection cookies;
    request_.getCookies(cookies);
    return cookies.get(name, "");
}

bool WebRequest::startSession() {
    token_ = cookie(kSessionCookie);
    if (token_.empty()) return false;
    session_ = ctx_.sessions.find(token_);
    if (!session_) return false;
    // A disabled person, or a new password, ends the session at the next request.
    auto user = ctx_.auth.active(session_->user);
    if (!user || user->passwordHash != session_->credential) {
        ctx_.sessions.end(token_);
        session_.reset();
        return false;
    }
    caller_ = ctx_.documents.caller(*user, address_);
    Preferences p = ctx_.admin.preferences(*caller_);
    lang_ = p.lang;
    size_ = p.textSize;
    return true;
}

std::string WebRequest::param(const std::string& name) const {
    if (query_.has(name)) return query_.get(name);
    return form_.get(name, "");
}

void WebRequest::readForm() {
    std::string type = request_.getContentType();
    if (type.compare(0, 33, "application/x-www-form-urlencoded") != 0) return;
    std::string text = body_.readAll(kMaxFormBody);
    std::istringstream in(text);
    Poco::Net::HTMLForm form;
    form.setFieldLimit(100);
    form.load(request_, in);
    for (const auto& [k, v] : form) form_.add(k, v);
}

bool WebRequest::csrfOk() const {
    if (!session_) return false;
    std::string sent = request_.get("X-CSRF-Token", "");
    if (sent.empty()) sent = form_.get("csrf", "");
    return tokenMatches(sent, session_->csrf);
}

void WebRequest::requireCsrf() {
    // Multipart uploads carry the token in a header (scripts) or a field the upload
    // handler checks before it accepts a file.
    if (request_.getContentType().compare(0, 19, "multipart/form-data") != 0) readForm();
    if (request_.getContentType().compare(0, 19, "multipart/form-data") == 0 &&
        request_.get("X-CSRF-Token", "").empty())
        return;  // upload() checks the field that precedes the files
    if (!csrfOk()) {
        throw service::ServiceError(service::ServiceError::Code::Forbidden, msg("web.csrf"));
    }
}

// ---- answers ---------------------------------------------------------------------------------

std::string WebRequest::text(const std::string& code) const { return msg(code).in(lang_); }

std::unique_ptr<WebRequest::Dict> WebRequest::pageDict(const std::string& title) {
    auto dict = std::make_unique<Dict>("page");
    dict->SetValue("LANG", lang_);
    dict->SetValue("SIZE", size_);
    dict->SetValue("TITLE", title);
    Date today = Date::today();
    int y = today.year(), m = std::stoi(today.str().substr(5, 2)),
        d = std::stoi(today.str().substr(8, 2));
    dict->SetValue("TODAY", dateText(y, m, d, lang_));
    dict->SetValue("OTHER_LANG", lang_ == "en" ? "ja" : "en");
    if (session_ && caller_) {
        dict->ShowSection("USER");
        dict->SetValue("USER_NAME",
                       caller_->user.display.empty() ? caller_->user.name : caller_->user.display);
        dict->SetValue("CSRF", maskToken(session_->csrf));
        dict->SetValue("Q", param("q"));
        if (caller_->subject.admin || !managedOrgs().empty()) dict->ShowSection("MANAGES");
        dict->ShowSection("NAV");
    } else {
        dict->ShowSection("NO_USER");
    }
    return dict;
}

void WebRequest::addNotice(Dict& dict) {
    // A change's confirmation after its redirect: only codes of web.done.*, with a name.
    std::string done = param("done");
    if (done.empty()) return;
    for (char c : done) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return;
    }
    try {
        Message m = msg("web.done." + done, {{"name", param("name")}, {"count", param("count")}});
        dict.SetValueAndShowSection("NOTICE_TEXT", text(m), "NOTICE");
    } catch (const std::logic_error&) {
    }
}

bool WebRequest::acceptsGzip() const {
    std::string accepted = Poco::toLower(request_.get("Accept-Encoding", ""));
    auto at = accepted.find("gzip");
    return at != std::string::npos && accepted.compare(at, 10, "gzip;q=0") != 0 &&
           accepted.compare(at, 11, "gzip; q=0") != 0;
}

void WebRequest::send(int status, const std::string& type, const std::string& body,
                      const std::string* gzipped) {
    if (sent_) return;
    sent_ = true;
    if (!body_.finished() && !body_.discard(kDrainBytes)) response_.setKeepAlive(false);
    setStatus(response_, status);
    response_.setContentType(type);
    response_.set("X-Content-Type-Options", "nosniff");
    response_.set("Referrer-Policy", "same-origin");
    // Pages are text and compress about thirty-fold: a folder of a thousand files is
    // some 700 KB of HTML, 25 KB on the wire. (Every page's CSRF token is masked afresh,
    // so compression reveals nothing of it.)
    const std::string* out = &body;
    std::string compressed;
    if (body.size() > 1024 && acceptsGzip()) {
        if (!gzipped) {
            compressed = gzip(body, 1);
            gzipped = &compressed;
        }
        response_.set("Content-Encoding", "gzip");
        out = gzipped;
    }
    if (body.size() > 1024) response_.set("Vary", "Accept-Encoding");
    response_.sendBuffer(out->data(), request_.getMethod() == "HEAD" ? 0 : out->size());
}

void WebRequest::sendPage(const std::string& templateName, Dict& dict, int status) {
    // Every page is the header, its own template and the footer, from one dictionary.
    std::string html = ctx_.renderer.render("header", lang_, dict) +
                       ctx_.renderer.render(templateName, lang_, dict) +
                       ctx_.renderer.render("footer", lang_, dict);
    response_.set("Content-Security-Policy", kPagePolicy);
    response_.set("Cache-Control", "no-store");
    response_.set("Content-Language", lang_);
    send(status, "text/html; charset=utf-8", html);
}

void WebRequest::sendError(int status, const Message& message) {
    if (sent_) return;
    if (startsWith(request_.get("Accept", ""), "application/json")) {
        std::string json = "{\"error\":" + std::to_string(status) + ",\"message\":\"";
        for (char c : text(message)) {
            if (c == '"' || c == '\\') json += '\\';
            if (static_cast<unsigned char>(c) < 0x20) continue;
            json += c;
        }
        return sendJson(status, json + "\"}");
    }
    auto dict = pageDict(text(status == 404   ? "web.error.not_found_title"
                              : status == 403 ? "web.error.forbidden_title"
                                              : "web.error.title"));
    dict->SetValue("MESSAGE", text(message));
    try {
        sendPage("error", *dict, status);
    } catch (const std::exception&) {
        send(status, "text/plain; charset=utf-8", text(message));
    }
}

void WebRequest::redirect(const std::string& location) {
    response_.set("Location", location);
    response_.set("Cache-Control", "no-store");
    send(303, "text/plain; charset=utf-8", "");
}

void WebRequest::sendJson(int status, const std::string& json) {
    response_.set("Cache-Control", "no-store");
    send(status, "application/json; charset=utf-8", json);
}

void WebRequest::sendAsset(const std::string& name) {
    const Asset* a = ctx_.renderer.asset(name);
    if (!a) return sendError(404, msg("web.no_such_page"));
    response_.set("ETag", a->etag);
    response_.set("Cache-Control", "no-cache");
    if (request_.get("If-None-Match", "") == a->etag) return send(304, a->type, "");
    send(200, a->type, a->body, &a->gzipped);
}

void WebRequest::sortForPeople(std::vector<Entry>& entries) const {
    const auto& order = ctx_.settings.categories;
    // Names in the order people expect: 第2回 before 第10回 (numbers by value), kana and
    // kanji as a Japanese collator orders them.
    // One collator per server thread (making one loads the Japanese rules; a collator
    // is not to be shared between threads).
    thread_local UErrorCode status = U_ZERO_ERROR;
    thread_local std::unique_ptr<icu::Collator> collator = [] {
        std::unique_ptr<icu::Collator> c(
            icu::Collator::createInstance(icu::Locale::getJapanese(), status));
        if (U_SUCCESS(status)) c->setAttribute(UCOL_NUMERIC_COLLATION, UCOL_ON, status);
        return c;
    }();
    struct Keyed {
        std::ptrdiff_t rank;
        std::string key;
        Entry entry;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(entries.size());
    for (auto& e : entries) {
        auto it = std::find(order.begin(), order.end(), e.path.name());
        std::ptrdiff_t rank = e.isDir && it != order.end()
                                  ? it - order.begin()
                                  : static_cast<std::ptrdiff_t>(order.size()) + (e.isDir ? 0 : 1);
        // Sort keys are kept per thread (a folder page sorts the whole folder each
        // time); the cache is emptied when it grows past kSortKeyCache names.
        thread_local std::unordered_map<std::string, std::string> keys;
        if (keys.size() > kSortKeyCache) keys.clear();
        const std::string name = e.path.name();
        auto [it2, added] = keys.try_emplace(name);
        std::string& cached = it2->second;
        if (added) {
            if (U_SUCCESS(status)) {
                icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
                int32_t n = collator->getSortKey(text, nullptr, 0);
                cached.resize(static_cast<std::size_t>(n));
                collator->getSortKey(text, reinterpret_cast<uint8_t*>(cached.data()), n);
            } else {
                cached = name;
            }
        }
        std::string key = cached;
        keyed.push_back({rank, std::move(key), std::move(e)});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.key < b.key;
    });
    for (std::size_t i = 0; i < keyed.size(); ++i) entries[i] = std::move(keyed[i].entry);
}

// ---- links -----------------------------------------------------------------------------------

std::string WebRequest::folderHref(const DocPath& dir) {
    return dir.isRoot() ? "/files/" : "/files/" + dir.urlEncoded() + "/";
}

std::string WebRequest::fileHref(const DocPath& file) { return "/files/" + file.urlEncoded(); }

std::string WebRequest::rawHref(const DocPath& file) { return "/raw/" + file.urlEncoded(); }

std::string WebRequest::query(const std::string& base,
                              std::initializer_list<std::pair<const char*, std::string>> args) {
    std::string out = base;
    char sep = '?';
    for (const auto& [k, v] : args) {
        out += sep;
        out += k;
        out += '=';
        std::string encoded;
        Poco::URI::encode(v, "&=+?#/%", encoded);
        out += encoded;
        sep = '&';
    }
    return out;
}

DocPath WebRequest::pathParam(const std::string& name) { return DocPath::fromText(param(name)); }

std::int64_t WebRequest::idParam(const char* notFound) const {
    std::int64_t id = 0;
    if (!Poco::NumberParser::tryParse64(param("id"), id)) {
        throw service::ServiceError(service::ServiceError::Code::NotFound, msg(notFound));
    }
    return id;
}

void WebRequest::addBreadcrumbs(Dict& dict, const DocPath& path, bool lastIsLink) {
    Dict* top = dict.AddSectionDictionary("CRUMB");
    top->SetValue("CRUMB_NAME", text("web.crumb.top"));
    top->SetValue("CRUMB_HREF", "/files/");
    if (path.isRoot() && !lastIsLink)
        top->ShowSection("CRUMB_CURRENT");
    else
        top->ShowSection("CRUMB_LINK");
    DocPath at;
    const auto& segs = path.segments();
    for (std::size_t i = 0; i < segs.size(); ++i) {
        at = at.child(segs[i]);
        Dict* c = dict.AddSectionDictionary("CRUMB");
        c->SetValue("CRUMB_NAME", segs[i]);
        c->SetValue("CRUMB_HREF",
                    i + 1 == segs.size() && !lastIsLink ? std::string() : folderHref(at));
        if (i + 1 == segs.size() && !lastIsLink)
            c->ShowSection("CRUMB_CURRENT");
        else
            c->ShowSection("CRUMB_LINK");
    }
}

}  // namespace kiroku::web
