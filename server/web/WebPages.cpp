// The web pages that are not about one folder: login, home, settings, connecting a PC.

#include "core/FiscalYear.h"
#include "web/Format.h"
#include "web/WebRequest.h"

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NetworkInterface.h>

namespace kiroku::web {

namespace {

const char* const kSessionCookie = "kiroku_session";

std::string actionCode(const std::string& action) {
    if (action == "create") return "web.action.create";
    if (action == "update") return "web.action.update";
    if (action == "delete") return "web.action.delete";
    if (action == "move") return "web.action.move";
    if (action == "copy") return "web.action.copy";
    if (action == "mkcol") return "web.action.mkcol";
    return "web.action.restore";
}

}  // namespace

// Where to go after logging in: a path of this site only (never "//host" or a URL).
std::string WebRequest::safeNext(const std::string& next) {
    if (next.size() < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
    for (char c : next) {
        if (static_cast<unsigned char>(c) < 0x20) return "/";
    }
    return next;
}

// ---- login and logout ----------------------------------------------------------------------

namespace {

constexpr const char* kKeepPrefix = "keep:";

}  // namespace

void WebRequest::loginPage(const Message* error, int status, const KeptForm* kept) {
    auto dict = pageDict(text("web.login.title"));
    dict->SetValue("NEXT", safeNext(param("next")));
    dict->SetValue("NAME", kept ? std::string() : param("name"));
    if (error) {
        dict->SetValueAndShowSection("ERROR", text(*error), "HAS_ERROR");
    } else {
        addNotice(*dict);
    }
    if (kept) {
        dict->ShowSection("HAS_KEPT");
        dict->SetValue("KEPT_ACTION", kept->action);
        for (const auto& [k, v] : kept->fields) {
            Dict* field = dict->AddSectionDictionary("KEPT");
            field->SetValue("KEY", kKeepPrefix + k);
            field->SetValue("VALUE", v);
        }
    }
    sendPage("login", *dict, status);
}

void WebRequest::login() {
    readForm();
    // A form kept from before the login ended (loginPage) comes back with every try.
    KeptForm kept;
    kept.action = safeNext(form_.get("keep_action", ""));
    const std::string prefix = kKeepPrefix;
    for (const auto& [k, v] : form_) {
        if (k.compare(0, prefix.size(), prefix) == 0)
            kept.fields.emplace_back(k.substr(prefix.size()), v);
    }
    const KeptForm* keep = kept.fields.empty() || kept.action == "/" ? nullptr : &kept;
    std::string name = form_.get("name", ""), password = form_.get("password", "");
    if (name.empty() || password.empty()) {
        Message m = msg("web.login.missing");
        return loginPage(&m, 400, keep);
    }
    AuthResult r = ctx_.auth.check(name, password, address_);
    if (r.status == AuthResult::Status::Throttled) {
        response_.set("Retry-After", std::to_string(r.retryAfter));
        Message m = msg("web.login.throttled", {{"seconds", std::to_string(r.retryAfter)}});
        return loginPage(&m, 429, keep);
    }
    if (r.status != AuthResult::Status::Ok || !r.user) {
        Message m = msg("web.login.wrong");
        return loginPage(&m, 401, keep);
    }
    std::string token = ctx_.sessions.create(r.user->name, r.user->passwordHash);
    Poco::Net::HTTPCookie c(kSessionCookie, token);
    c.setPath("/");
    c.setHttpOnly(true);
    c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
    c.setSecure(secure_);
    response_.addCookie(c);
    if (keep) {
        ctx_.sessions.keep(token, kept);
        return redirect("/resume");
    }
    redirect(safeNext(form_.get("next", "/")));
}

// After logging in again: the form that was sent when the login had ended, to send now
// (with this session's token) or to leave. Shown once.
void WebRequest::resumePage() {
    auto kept = ctx_.sessions.takeKept(token_);
    if (!kept) return redirect("/");
    auto dict = pageDict(text("web.resume.title"));
    dict->SetValue("ACTION", kept->action);
    for (const auto& [k, v] : kept->fields) {
        Dict* field = dict->AddSectionDictionary("FIELD");
        field->SetValue("KEY", k);
        field->SetValue("VALUE", v);
    }
    sendPage("resume", *dict);
}

void WebRequest::logout() {
    ctx_.sessions.end(token_);
    Poco::Net::HTTPCookie c(kSessionCookie, "");
    c.setPath("/");
    c.setHttpOnly(true);
    c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
    c.setSecure(secure_);
    c.setMaxAge(0);
    response_.addCookie(c);
    redirect("/login?done=logged_out");
}

// ---- home ----------------------------------------------------------------------------------

void WebRequest::home() {
    auto dict = pageDict(text("web.home.title"));
    dict->ShowSection("NAV_HOME");
    addNotice(*dict);
    service::Me me = ctx_.admin.me(*caller_);
    dict->SetValue("DISPLAY",
                   caller_->user.display.empty() ? caller_->user.name : caller_->user.display);
    Date today = *Date::parse(me.date);
    bool anyRole = false;
    for (const auto& r : me.roles) {
        auto from = Date::parse(r.from), to = Date::parse(r.to);
        if (!from || !to || *to < today) continue;  // past terms are not "my roles"
        anyRole = true;
        Dict* row = dict->AddSectionDictionary("ROLE");
        row->SetValue("ROLE_YEAR", fiscalYearText(FiscalYear::containing(*from).year, lang_));
        row->SetValue("ROLE_ORG", r.org);
        row->SetValue("ROLE_NAME", r.role);
        int ty = to->year(), tm = std::stoi(r.to.substr(5, 2)), td = std::stoi(r.to.substr(8, 2));
        row->SetValue(
            "ROLE_UNTIL",
            r.openEnded ? text("term.open_end")
                        : msg("web.home.until", {{"date", dateText(ty, tm, td, lang_)}}).in(lang_));
        if (!r.current) row->ShowSection("ROLE_NEXT");
    }
    if (!anyRole) dict->ShowSection("NO_ROLE");
    if (caller_->subject.admin) dict->ShowSection("ADMIN_NOTE");
    addWaitingHandovers(*dict);

    bool anyFolder = false;
    for (const auto& f : me.folders) {
        anyFolder = true;
        Dict* org = dict->AddSectionDictionary("ORG");
        org->SetValue("ORG_NAME", f.path.name());
        org->SetValue("ORG_HREF", folderHref(f.path));
        auto children = ctx_.documents.list(*caller_, f.path, false);
        sortForPeople(children);
        for (const auto& c : children) {
            if (!c.isDir) continue;
            Dict* cat = org->AddSectionDictionary("CATEGORY");
            cat->SetValue("CAT_NAME", c.path.name());
            cat->SetValue("CAT_HREF", folderHref(c.path));
        }
    }
    if (!anyFolder) dict->ShowSection("NO_FOLDER");

    auto changes = ctx_.history.recent(*caller_, 10);
    for (const auto& c : changes) {
        Dict* row = dict->AddSectionDictionary("CHANGE");
        row->SetValue("CHANGE_WHO", c.who);
        row->SetValue("CHANGE_WHAT", text(actionCode(c.action)));
        row->SetValue("CHANGE_WHEN", dateTimeOfIso(c.at, lang_));
        row->SetValue("CHANGE_DATE", isoDateOfIso(c.at));
        try {
            DocPath p = DocPath::fromText(c.path);
            row->SetValue("CHANGE_NAME", p.name());
            row->SetValue("CHANGE_FOLDER", p.parent().isRoot() ? "" : p.parent().str());
            auto e =
                c.action == "delete" ? std::nullopt : ctx_.documents.findIfVisible(*caller_, p);
            if (e) {
                row->SetValueAndShowSection("CHANGE_HREF", e->isDir ? folderHref(p) : fileHref(p),
                                            "CHANGE_LINK");
            } else {
                row->ShowSection("CHANGE_PLAIN");
            }
        } catch (const BadName&) {
            row->SetValue("CHANGE_NAME", c.path);
            row->ShowSection("CHANGE_PLAIN");
        }
    }
    if (changes.empty()) dict->ShowSection("NO_CHANGE");
    sendPage("home", *dict);
}

// ---- settings ------------------------------------------------------------------------------

void WebRequest::settingsPage() {
    auto dict = pageDict(text("web.settings.title"));
    dict->ShowSection("NAV_SETTINGS");
    addNotice(*dict);
    for (const char* s : {"s", "m", "l", "xl"}) {
        Dict* row = dict->AddSectionDictionary("SIZE_CHOICE");
        row->SetValue("SIZE_VALUE", s);
        row->SetValue("SIZE_LABEL", text(std::string("web.settings.size.") + s));
        if (size_ == s) row->SetValue("SIZE_CHECKED", "checked");
    }
    for (const char* l : {"ja", "en"}) {
        Dict* row = dict->AddSectionDictionary("LANG_CHOICE");
        row->SetValue("LANG_VALUE", l);
        row->SetValue("LANG_LABEL", msg(std::string("web.settings.lang.") + l).ja);
        if (lang_ == l) row->SetValue("LANG_CHECKED", "checked");
    }
    sendPage("settings", *dict);
}

void WebRequest::saveSettings() {
    Preferences p;
    p.textSize = form_.get("size", size_);
    p.lang = form_.get("lang", lang_);
    try {
        ctx_.admin.setPreferences(*caller_, p);
    } catch (const service::ServiceError& e) {
        // Only the page's own choices are offered: anything else is a broken request.
        if (e.code() != service::ServiceError::Code::Invalid) throw;
        return sendError(400, e.message());
    }
    redirect("/settings?done=settings_saved");
}

// ---- connecting a PC -------------------------------------------------------------------------

void WebRequest::connectPage() {
    auto dict = pageDict(text("web.connect.title"));
    dict->ShowSection("NAV_CONNECT");
    // The address people use: the one this browser reached, unless that is this machine
    // itself; then the machine's LAN addresses.
    std::string host = request_.getHost();
    auto colon = host.rfind(':');
    if (colon != std::string::npos && host.find(']') == std::string::npos)
        host = host.substr(0, colon);
    std::vector<std::string> hosts;
    if (host != "127.0.0.1" && host != "localhost" && host != "[::1]" && !host.empty()) {
        hosts.push_back(host);
    } else {
        try {
            for (const auto& nic : Poco::Net::NetworkInterface::list(true, true)) {
                if (nic.isLoopback()) continue;
                for (const auto& a : nic.addressList()) {
                    const auto& ip = a.get<Poco::Net::NetworkInterface::IP_ADDRESS>();
                    if (ip.family() == Poco::Net::IPAddress::IPv4) hosts.push_back(ip.toString());
                }
            }
        } catch (const Poco::Exception&) {
        }
    }
    if (hosts.empty()) hosts.push_back(host.empty() ? "127.0.0.1" : host);
    std::string port = "8443";
    auto pc = ctx_.settings.httpsListen.rfind(':');
    if (pc != std::string::npos) port = ctx_.settings.httpsListen.substr(pc + 1);
    bool https = ctx_.settings.httpsListen != "off";
    for (const auto& h : hosts) {
        Dict* row = dict->AddSectionDictionary("ADDRESS");
        row->SetValue("DAV_URL",
                      https ? "https://" + h + ":" + port + "/dav/" : "http://" + h + "/dav/");
        row->SetValue("WIN_PATH", "\\\\" + h + "@SSL@" + port + "\\dav");
        row->SetValue("WEB_URL", https ? "https://" + h + ":" + port + "/" : "http://" + h + "/");
    }
    if (!ctx_.fingerprint.empty()) {
        dict->SetValueAndShowSection("FINGERPRINT", ctx_.fingerprint, "HAS_FINGERPRINT");
    }
    dict->SetValue("LOGIN", caller_->user.name);
    sendPage("connect", *dict);
}

}  // namespace kiroku::web
