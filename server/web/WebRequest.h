#pragma once
// WebRequest: one request for the web pages (everything outside /dav/ and /api/).
//
//   GET  /static/NAME                  CSS, JavaScript, icons (no login needed)
//   GET  /login  POST /login           ログイン (name, password; throttled and audited like
//                                      Basic logins); POST /logout
//   GET  /                             ホーム: who I am, my roles, my folders, recent changes
//   GET  /files/PATH/                  a folder: its files with 年度, updated, by whom
//   GET  /files/PATH                   a file: preview (image, PDF, text read by the index)
//   GET  /raw/PATH[?download=1]        a file's content, served as user content (sandboxed)
//   POST /upload                       files into a folder (multipart; JSON for scripts)
//   GET  /new-folder?in=  POST         a new folder
//   GET  /rename?path=    POST         a new name
//   GET  /delete?path=    POST         to the trash, after a plain confirmation
//   GET  /versions?path=  POST         バージョン履歴: view, restore an earlier version
//   GET  /version?id=                  an earlier version's content
//   GET  /trash           POST         ゴミ箱: what the person may put back, and putting back
//   GET  /search?q=&year=&cat=&org=&type=&sort=&page=     検索
//   GET  /settings        POST         文字の大きさ, language (kept per person)
//   GET  /connect                      PCから接続: how to mount the drive from this server
//   GET  /admin                        管理 (people who manage an organisation, administrators):
//        /admin/people[/password]      people: add, disable, a new password (administrators)
//        /admin/roles[/assign|/end]    roles and terms this 年度 and next; appointing
//        /admin/roles/renew            来年度への引き継ぎ: carrying holders over (administrators)
//        /admin/permissions[/remove]   folder permissions in plain words
//        /admin/audit  /admin/index    the audit log with filters; the index's state
//        /admin/access?user=&on=&path= この日に だれが 何を できるか (administrators; GET only)
//
// Sessions are cookies (HttpOnly, SameSite=Lax, Secure on HTTPS); every POST carries
// the session's CSRF token, besides the router's refusal of other origins. Pages are
// rendered by web::Renderer (escaped by construction) and sent with a
// Content-Security-Policy that allows no inline script. What a person may see and do is
// the document and admin services' decision, as for WebDAV and the API: the pages only
// offer what the service would allow, and the service checks again. Never throws.

#include "auth/Authenticator.h"
#include "auth/Sessions.h"
#include "core/Settings.h"
#include "http/RequestBody.h"
#include "service/AdminService.h"
#include "service/DocumentService.h"
#include "service/HandoverService.h"
#include "service/HistoryService.h"
#include "service/PeopleService.h"
#include "web/Renderer.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include <optional>
#include <string>

namespace kiroku::web {

struct WebContext {
    service::DocumentService& documents;
    service::AdminService& admin;
    service::HistoryService& history;
    service::PeopleService& people;
    service::HandoverService& handovers;
    Authenticator& auth;
    SessionStore& sessions;
    const Renderer& renderer;
    const Settings& settings;
    Poco::Logger& log;
    std::string fingerprint;  // of the TLS certificate ("" without HTTPS); set before serving
};

class WebRequest {
public:
    WebRequest(WebContext& ctx, Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response, bool secure, std::string address);
    void handle();

private:
    using Dict = ctemplate::TemplateDictionary;

    // ---- plumbing (WebRequest.cpp) ----
    void route();
    bool startSession();  // the session of the cookie, the person, their caller
    std::string cookie(const std::string& name) const;
    std::string param(const std::string& name) const;  // query, then form fields
    void readForm();                                   // a urlencoded POST body
    bool csrfOk() const;
    void requireCsrf();
    std::unique_ptr<Dict> pageDict(const std::string& title);
    void sendPage(const std::string& templateName, Dict& dict, int status = 200);
    void sendError(int status, const Message& message);
    void redirect(const std::string& location);
    void sendJson(int status, const std::string& json);
    void sendAsset(const std::string& name);
    // Sends a whole answer, compressed when the browser accepts gzip (`gzipped`: the body
    // compressed already).
    void send(int status, const std::string& type, const std::string& body,
              const std::string* gzipped = nullptr);
    bool acceptsGzip() const;
    std::string text(const std::string& code) const;
    std::string text(const Message& m) const { return m.in(lang_); }
    void addNotice(Dict& dict);
    // Links
    static std::string folderHref(const DocPath& dir);
    static std::string fileHref(const DocPath& file);
    static std::string rawHref(const DocPath& file);
    static std::string query(const std::string& base,
                             std::initializer_list<std::pair<const char*, std::string>> args);
    DocPath pathParam(const std::string& name);
    // A path of this site only (never "//host" or a URL), else "/": where to go next.
    static std::string safeNext(const std::string& next);
    // The number in the parameter "id"; NotFound with the message `notFound` otherwise
    // (a version, a trash entry or a term that is not there).
    std::int64_t idParam(const char* notFound) const;
    void addBreadcrumbs(Dict& dict, const DocPath& path, bool lastIsLink);
    // Folders first, category folders in the order the settings list them (議事録,
    // 引継ぎ …), then by name.
    void sortForPeople(std::vector<Entry>& entries) const;

    // ---- pages (WebPages.cpp) ----
    // The login page; with `kept`, a form sent after the login had ended rides along in
    // it, to be sent again once the person has logged in (resumePage).
    void loginPage(const Message* error = nullptr, int status = 200,
                   const KeptForm* kept = nullptr);
    void login();
    void resumePage();
    void logout();
    void home();
    void settingsPage();
    void saveSettings();
    void connectPage();

    // ---- handovers (HandoverPages.cpp) ----
    static std::string handoverHref(std::int64_t id);
    // The home page's 「あなたへのお知らせ」: handovers to write or to receive.
    void addWaitingHandovers(Dict& dict);
    void handoversPage();
    void handoverPage();
    void handoverChangesPage(std::int64_t id);  // GET /handover?id=N&changes=1[&page=P]
    // GET /handover?id=N&add=matter|contact|item
    void handoverAddPage(std::int64_t id, const std::string& what);
    void exportHandover();
    // POST /handover/WHAT: note, matter, contact, item, remove, submit, receive, continue.
    void changeHandover(const std::string& what);

    // ---- folders and files (FolderPages.cpp) ----
    void folderPage(const DocPath& dir);
    void filePage(const DocPath& file);
    void raw(const DocPath& file);
    void upload();
    void newFolderPage();
    void newFolder();
    void movePage(const Message* error = nullptr);
    void move();
    void renamePage();
    void rename();
    void deletePage();
    void remove();
    void versionsPage();
    void restoreVersion();
    void versionContent();
    void labelPage(const Message* error = nullptr);
    void labelVersion();
    void trashPage();
    void restoreTrash();
    void sendFile(service::OpenFile& file, const std::string& name, bool download);

    // ---- search (SearchPage.cpp) ----
    void searchPage();

    // ---- 管理 (AdminPages.cpp) ----
    std::vector<service::OrgView> managedOrgs();
    std::string principalText(const std::string& principal);
    void adminPage();
    void peoplePage(const Message* error = nullptr);
    void addPerson();
    void setPersonDisabled();
    void passwordPage(const Message* error = nullptr);
    void setPassword();
    void orgsPage(const Message* error = nullptr);
    void addOrg();
    void rolesPage();
    void assignPage(const Message* error = nullptr);
    void assign();
    void endTerm();
    // 来年度への引き継ぎ（更新） (RenewalPage.cpp): the preview and the one button.
    void renewPage(const Message* error = nullptr);
    void renew();
    void permissionsPage(const Message* error = nullptr);
    void grant();
    void revoke();
    void auditPage();
    void indexPage();
    void accessPage();

    WebContext& ctx_;
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    RequestBody body_;
    bool secure_;
    std::string address_;
    std::string path_;  // the request's path, still percent-encoded
    Poco::Net::NameValueCollection query_, form_;
    std::string lang_ = "ja", size_ = "m";
    std::string token_;
    std::optional<WebSession> session_;
    std::optional<service::Caller> caller_;
    bool sent_ = false;
};

}  // namespace kiroku::web
