#include "app/Router.h"

#include "http/CrossSite.h"
#include "http/Framing.h"
#include "http/RequestBody.h"
#include "http/Status.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

namespace kiroku {

namespace {

using Poco::Net::HTTPResponse;

const char* const kAllow =
    "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    Handler(RouterContext& ctx, bool secure) : ctx_(ctx), secure_(secure) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
        const std::string address = req.clientAddress().host().toString();
        if (!plainHttpAllowed(secure_, ctx_.settings.httpAllowRemote, req.clientAddress().host())) {
            return plain(req, resp, 403, msg("http.plain_not_here"));
        }
        // Before anything reads a body: ambiguous framing is refused and the connection
        // closed (security review, finding 15).
        if (int status = framingError(req)) {
            resp.setKeepAlive(false);
            setStatus(resp, status);
            Message m = msg(status == 501 ? "http.unknown_encoding" : "http.bad_framing");
            std::string text = m.ja + "\n" + m.en + "\n";
            resp.setContentType("text/plain; charset=utf-8");
            resp.sendBuffer(text.data(), text.size());
            return;
        }
        std::string path = req.getURI().substr(0, req.getURI().find('?'));
        bool isDav = path == ctx_.dav.prefix ||
                     path.compare(0, ctx_.dav.prefix.size() + 1, ctx_.dav.prefix + "/") == 0;
        const std::string& method = req.getMethod();

        // Clients probe OPTIONS before they log in (Windows walks up from "/").
        if (method == "OPTIONS") {
            resp.set("DAV", "1, 2");
            resp.set("MS-Author-Via", "DAV");
            resp.set("Allow", kAllow);
            return send(req, resp, 200, "text/plain; charset=utf-8", "");
        }
        // Another site's page may make a browser send Kiroku's cached credentials: no
        // change comes from there (security review, finding 2).
        if (crossSiteChange(req, secure_)) return plain(req, resp, 403, msg("http.cross_site"));
        if (path.compare(0, 5, "/api/") == 0 && apiChangeWithoutJson(req)) {
            return plain(req, resp, 415, msg("api.json_only"));
        }
        bool isApi = path.compare(0, 5, "/api/") == 0;
        if (!isDav && !isApi && method != "PROPFIND") {
            web::WebRequest(ctx_.web, req, resp, secure_, address).handle();
            return;
        }

        AuthResult auth = ctx_.auth.check(req, address);
        if (auth.status == AuthResult::Status::Throttled) {
            resp.set("Retry-After", std::to_string(auth.retryAfter));
            resp.setKeepAlive(false);
            return plain(req, resp, 429,
                         msg("login.throttled", {{"seconds", std::to_string(auth.retryAfter)}}));
        }
        if (auth.status != AuthResult::Status::Ok) {
            resp.set("WWW-Authenticate", "Basic realm=\"Kiroku\", charset=\"UTF-8\"");
            return plain(req, resp, 401, msg("login.needed"));
        }
        if (isDav) {
            dav::DavRequest(ctx_.dav, req, resp, *auth.user, address).handle();
            return;
        }
        if (path.compare(0, 5, "/api/") == 0) {
            api::ApiRequest(ctx_.api, req, resp, *auth.user, address).handle();
            return;
        }
        if (method == "PROPFIND" && path == "/") {
            // Windows' client asks about the server root before the share itself.
            std::string body =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">"
                "<D:response><D:href>/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/>"
                "</D:resourcetype></D:prop><D:status>HTTP/1.1 200 "
                "OK</D:status></D:propstat></D:response>";
            if (req.get("Depth", "") == "1") {
                body +=
                    "<D:response><D:href>" + ctx_.dav.prefix +
                    "/</D:href><D:propstat><D:prop><D:resourcetype>"
                    "<D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                    "</D:propstat></D:response>";
            }
            body += "</D:multistatus>";
            return send(req, resp, 207, "application/xml; charset=utf-8", body);
        }
        plain(req, resp, 404, msg("http.not_found_here", {{"drive", ctx_.dav.prefix + "/"}}));
    }

private:
    void plain(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, int status,
               const Message& message) {
        if (req.getURI().compare(0, 5, "/api/") == 0) {
            // The API answers in its own error format, also before the login.
            Poco::JSON::Object j;
            j.set("error", status == 401   ? "login"
                           : status == 429 ? "throttled"
                           : status == 404 ? "not_found"
                           : status == 415 ? "json_only"
                                           : "refused");
            j.set("message", message.ja);
            j.set("detail", message.en);
            std::ostringstream out;
            j.stringify(out);
            return send(req, resp, status, "application/json; charset=utf-8", out.str());
        }
        send(req, resp, status, "text/plain; charset=utf-8", message.ja + "\n" + message.en + "\n");
    }

    void send(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, int status,
              const std::string& type, const std::string& body) {
        RequestBody requestBody(req);
        if (!requestBody.discard()) resp.setKeepAlive(false);
        setStatus(resp, status);
        resp.setContentType(type);
        resp.sendBuffer(body.data(), body.size());
    }

    RouterContext& ctx_;
    bool secure_;
};

}  // namespace

bool plainHttpAllowed(bool secure, bool allowRemote, const Poco::Net::IPAddress& peer) {
    if (secure || allowRemote || peer.isLoopback()) return true;
    if (peer.family() == Poco::Net::IPAddress::IPv6 && peer.isIPv4Mapped()) {
        return Poco::Net::IPAddress(peer.toString().substr(peer.toString().rfind(':') + 1))
            .isLoopback();
    }
    return false;
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    // Poco passes the request it owns, not a constant, and sends 100 Continue right after
    // this returns: the expectation moves to RequestBody, which answers it when a handler
    // reads the body.
    RequestBody::deferContinue(const_cast<Poco::Net::HTTPServerRequest&>(request));
    return new Handler(ctx_, secure_);
}

}  // namespace kiroku
