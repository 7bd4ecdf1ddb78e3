#include "dav/DavRequest.h"

#include "core/HttpDate.h"
#include "core/Printable.h"
#include "http/Status.h"
#include "kiroku/indexer/FileTypes.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

namespace kiroku::dav {

using Poco::Net::HTTPResponse;

namespace {

bool isWriteMethod(const std::string& m) {
    return m == "PUT" || m == "DELETE" || m == "MKCOL" || m == "COPY" || m == "MOVE" ||
           m == "PROPPATCH" || m == "LOCK" || m == "UNLOCK";
}

}  // namespace

const char* contentTypeFor(std::string_view name) { return indexer::mimeTypeOf(name); }

DavRequest::DavRequest(DavContext& ctx, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, const User& user,
                       std::string address)
    : ctx_(ctx),
      docs_(ctx.documents),
      request_(request),
      response_(response),
      caller_(ctx.documents.caller(user, address)),
      body_(request) {}

void DavRequest::handle() {
    const std::string& m = request_.getMethod();
    try {
        if (request_.has("If")) {
            try {
                ifLists_ = parseIfHeader(request_.get("If"));
            } catch (const IfHeaderError& e) {
                throw DavStatus(400, msg("dav.bad_if"));
            }
            caller_.lockTokens = submittedTokens(ifLists_);
        }
        if (m == "OPTIONS")
            doOptions();
        else if (m == "GET")
            doGet(false);
        else if (m == "HEAD")
            doGet(true);
        else if (m == "PUT")
            doPut();
        else if (m == "DELETE")
            doDelete();
        else if (m == "MKCOL")
            doMkcol();
        else if (m == "COPY")
            doCopyMove(false);
        else if (m == "MOVE")
            doCopyMove(true);
        else if (m == "PROPFIND")
            doPropfind();
        else if (m == "PROPPATCH")
            doProppatch();
        else if (m == "LOCK")
            doLock();
        else if (m == "UNLOCK")
            doUnlock();
        else {
            response_.set("Allow",
                          "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, "
                          "PROPPATCH, LOCK, UNLOCK");
            throw DavStatus(405, msg("dav.method", {{"method", m}}));
        }
    } catch (const DavStatus& e) {
        sendError(e);
    } catch (const BadName& e) {
        bool read = m == "GET" || m == "HEAD" || m == "PROPFIND";
        if (read && !e.hostile()) {
            sendError(DavStatus(404, msg("doc.not_found_short")));
        } else {
            sendError(DavStatus(400, e.message()));
        }
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Internal) {
            ctx_.log.error("%s %s: %s", m, request_.getURI(), e.detail());
        }
        sendError(translate(e));
    } catch (const XmlError& e) {
        sendError(DavStatus(400, msg("dav.bad_xml")));
    } catch (const BodyTooLarge&) {
        sendError(DavStatus(413, msg("http.too_large")));
    } catch (const IncompleteBody& e) {
        response_.setKeepAlive(false);
        sendError(DavStatus(400, msg("http.incomplete")));
    } catch (const std::exception& e) {
        ctx_.log.error("%s %s failed: %s", m, request_.getURI(), std::string(e.what()));
        sendError(DavStatus(500, msg("http.internal")));
    }
    if (isWriteMethod(m)) {
        ctx_.log.information("%s %s %s -> %d", caller_.user.name, m,
                             printable(request_.getURI(), 1024),
                             static_cast<int>(response_.getStatus()));
    }
}

// ---- helpers ------------------------------------------------------------------------

DocPath DavRequest::parseTarget() {
    std::string uri = request_.getURI();
    if (uri.find('#') != std::string::npos) {
        throw DavStatus(400, msg("dav.fragment"));
    }
    std::string path = uri.substr(0, uri.find('?'));
    if (path.compare(0, ctx_.prefix.size(), ctx_.prefix) != 0) {
        throw DavStatus(404, msg("doc.not_found_short"));
    }
    return DocPath::fromUrl(std::string_view(path).substr(ctx_.prefix.size()));
}

std::string DavRequest::href(const DocPath& path, bool isDir) const {
    std::string out = ctx_.prefix + "/";
    if (!path.isRoot()) {
        out += path.urlEncoded();
        if (isDir) out += '/';
    }
    return out;
}

DavStatus DavRequest::translate(const service::ServiceError& e) const {
    std::string xml;
    if (e.code() == service::ServiceError::Code::Locked && e.lockRoot) {
        std::string root = escaped(href(*e.lockRoot, e.lockRootIsFolder));
        xml =
            e.conflictingLock
                ? "<D:no-conflicting-lock><D:href>" + root + "</D:href></D:no-conflicting-lock>"
                : "<D:lock-token-submitted><D:href>" + root + "</D:href></D:lock-token-submitted>";
    }
    return DavStatus(service::httpStatus(e.code()), e.message(), xml);
}

void DavRequest::sendBytes(int status, const std::string& contentType, const std::string& body) {
    if (sent_) return;
    sent_ = true;
    setStatus(response_, status);
    if (!contentType.empty()) response_.setContentType(contentType);
    // A body the request still holds would be read as the next request: read it away
    // when it is small, else close the connection after this response.
    if (!body_.finished() && !body_.discard()) response_.setKeepAlive(false);
    response_.sendBuffer(body.data(), body.size());
}

void DavRequest::sendMultistatus(const std::string& body) {
    sendBytes(207, "application/xml; charset=utf-8", body);
}

void DavRequest::sendError(const DavStatus& e) {
    if (sent_) return;
    if (e.status() == 507 || e.status() == 413) response_.setKeepAlive(false);
    if (e.status() == 304) {
        sendBytes(304, "", "");
        return;
    }
    if (!e.xmlError().empty()) {
        sendBytes(e.status(), "application/xml; charset=utf-8",
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\">" +
                      e.xmlError() + "</D:error>");
        return;
    }
    sendBytes(e.status(), "text/plain; charset=utf-8", e.japanese() + "\n" + e.english() + "\n");
}

std::optional<XmlNode> DavRequest::readXmlBody() {
    if (!body_.present()) return std::nullopt;
    std::string text = body_.readAll(ctx_.settings.maxXmlBody);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
    return parseXml(text);
}

void DavRequest::checkIfHeader(const DocPath& path) {
    if (ifLists_.empty()) return;
    auto lookup = [&](const std::string& resource) -> std::optional<ResourceState> {
        DocPath p = path;
        if (!resource.empty()) {
            std::string r = resource;
            auto scheme = r.find("://");
            if (scheme != std::string::npos) {
                auto slash = r.find('/', scheme + 3);
                r = slash == std::string::npos ? "/" : r.substr(slash);
            }
            if (r.compare(0, ctx_.prefix.size(), ctx_.prefix) != 0) return std::nullopt;
            try {
                p = DocPath::fromUrl(std::string_view(r).substr(ctx_.prefix.size()));
            } catch (const BadName&) {
                return std::nullopt;
            }
        }
        service::ResourceState seen = docs_.state(caller_, p);
        ResourceState state;
        state.exists = seen.exists;
        state.etag = seen.etag;
        state.lockTokens = seen.lockTokens;
        return state;
    };
    if (!evaluateIf(ifLists_, lookup)) {
        throw DavStatus(412, msg("dav.if_failed"));
    }
}

void DavRequest::checkConditionalHeaders(const std::optional<Entry>& entry, bool isRead) {
    const std::string etag = entry ? entry->etag() : std::string();
    if (request_.has("If-Match")) {
        std::string v = Poco::trim(request_.get("If-Match"));
        bool ok = entry && (v == "*" || v.find(etag) != std::string::npos);
        if (!ok) throw DavStatus(412, msg("dav.changed"));
    }
    if (request_.has("If-None-Match")) {
        std::string v = Poco::trim(request_.get("If-None-Match"));
        bool match = entry && (v == "*" || v.find(etag) != std::string::npos);
        if (match) {
            if (isRead) throw DavStatus(304, msg("dav.not_modified"));
            throw DavStatus(412, msg("dav.none_match"));
        }
    }
    if (entry && !request_.has("If-None-Match") && isRead && request_.has("If-Modified-Since")) {
        int tz = 0;
        Poco::DateTime since;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT,
                                           request_.get("If-Modified-Since"), since, tz) &&
            entry->modifiedUs / 1000000 <= since.timestamp().epochTime()) {
            throw DavStatus(304, msg("dav.not_modified"));
        }
    }
    if (entry && !request_.has("If-Match") && request_.has("If-Unmodified-Since")) {
        int tz = 0;
        Poco::DateTime since;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT,
                                           request_.get("If-Unmodified-Since"), since, tz) &&
            entry->modifiedUs / 1000000 > since.timestamp().epochTime()) {
            throw DavStatus(412, msg("dav.changed"));
        }
    }
}

}  // namespace kiroku::dav
