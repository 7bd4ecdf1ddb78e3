#pragma once
// Router: Poco's request-handler factory for kirokud. Decides, for every request,
// whether plain HTTP is allowed from this client, whether a change comes from another
// site, and which part of the service answers: WebDAV under /dav/ and the JSON API under
// /api/ (HTTP Basic logins), the web pages everywhere else (their own session logins).
// Thread-safe: Poco calls it from every connection thread.

#include "api/ApiRequest.h"
#include "auth/Authenticator.h"
#include "dav/DavRequest.h"
#include "web/WebRequest.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/IPAddress.h>

namespace kiroku {

struct RouterContext {
    dav::DavContext& dav;
    api::ApiContext& api;
    Authenticator& auth;
    const Settings& settings;
    Poco::Logger& log;
    web::WebContext& web;  // the web pages: everything outside /dav/ and /api/
};

// Whether a request may be served: HTTPS always; plain HTTP only from this machine
// (loopback, also as an IPv4-mapped IPv6 address) unless http.allowRemote is set.
bool plainHttpAllowed(bool secure, bool allowRemote, const Poco::Net::IPAddress& peer);

class Router : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Router(RouterContext& ctx, bool secure) : ctx_(ctx), secure_(secure) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    RouterContext& ctx_;
    bool secure_;
};

}  // namespace kiroku
