#pragma once
// ApiRequest: one JSON API request under /api/ from an authenticated person.
//
//   GET    /api/me                         who am I: roles held today, rights on the top folders
//   GET    /api/catalogue                  roles per organisation kind
//   GET    /api/orgs                       organisations
//   POST   /api/orgs                       {name, kind, parent}                    (administrators)
//   PATCH  /api/orgs/NAME                  {name} to rename, {parent} to move      (administrators)
//   GET    /api/roles?org=&on=             role assignments (terms)
//   POST   /api/roles                      {user, role, org, term | from, to}      (manage on the
//   org's space) POST   /api/roles/ID/end               {on} (manage on the org's space) GET
//   /api/acl?path=                  entries that apply to a folder          (manage on it) POST
//   /api/acl                        {path, principal, rights}               (manage on it) DELETE
//   /api/acl?path=&principal=                                               (manage on it) GET
//   /api/audit?since=&user=&path=&limit=   操作履歴 (administrators; others: a path they manage)
//   GET    /api/search?q=&path=&org=&category=&year=&type=&from=&to=&sort=&offset=&limit=
//                                          full-text search, only what the person may read
//   GET    /api/index/status               {pending, indexed, failed, failures}
//   GET    /api/access?user=&on=&path=     what a person can open and do on a date, and why
//                                          (administrators)
//
// The API only translates: every call goes to the document service or the admin
// service, which decide rights and record what happens like for every protocol. Errors
// are {"error": code, "message": Japanese text, "detail": English text} with the HTTP
// status of the service's one mapping.

#include "core/Settings.h"
#include "http/RequestBody.h"
#include "service/AdminService.h"
#include "service/DocumentService.h"
#include "service/HandoverService.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace kiroku::api {

// Ends a request with an HTTP status and a JSON error body.
class ApiError : public Refusal {
public:
    ApiError(int status, std::string code, Message message)
        : Refusal(std::move(message)), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& errorCode() const { return code_; }

private:
    int status_;
    std::string code_;
};

inline ApiError notFound() { return ApiError(404, "not_found", msg("doc.not_found_short")); }

struct ApiContext {
    service::DocumentService& documents;
    service::AdminService& admin;
    service::HandoverService& handovers;
    const Settings& settings;
    Poco::Logger& log;
};

class ApiRequest {
public:
    ApiRequest(ApiContext& ctx, Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response, const User& user, std::string address);
    // Serves the request; never throws.
    void handle();

private:
    void me();
    void catalogue();
    void listOrgs();
    void addOrg();
    void changeOrg(const std::string& name);
    void listRoles();
    void assignRole();
    void endRole(std::int64_t id);
    void showAcl();
    void grant();
    void revoke();
    void auditLog();
    void search();
    void indexStatus();
    void access();
    // Handovers (HandoverApi.cpp): parts below /api/handovers.
    void handovers(const std::vector<std::string>& parts);

    Poco::JSON::Object::Ptr body();
    std::string param(const std::string& name) const;
    std::string field(const Poco::JSON::Object::Ptr& obj, const std::string& name,
                      bool required = true) const;
    void send(int status, const Poco::Dynamic::Var& json);
    void sendError(int status, const std::string& code, const Message& message);

    ApiContext& ctx_;
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    service::Caller caller_;
    RequestBody body_;
    std::string path_;  // below /api/
    std::vector<std::pair<std::string, std::string>> query_;
    bool sent_ = false;
};

}  // namespace kiroku::api
