// LOCK and UNLOCK.
#include "dav/DavRequest.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace kiroku::dav {

namespace {
const char* const kDav = "DAV:";
}

std::string DavRequest::activeLock(const Lock& l, const std::string& hrefPrefix) {
    // No <D:lockroot>: Windows' WebDAV client fails on it.
    std::string out = "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>";
    out += l.exclusive ? "<D:exclusive/>" : "<D:shared/>";
    out += "</D:lockscope><D:depth>";
    out += l.infinite ? "infinity" : "0";
    out += "</D:depth>";
    out += l.ownerXml;
    out += "<D:timeout>Second-" + std::to_string(l.secondsLeft()) + "</D:timeout>";
    out += "<D:locktoken><D:href>" + l.token + "</D:href></D:locktoken></D:activelock>";
    return out;
}

int DavRequest::requestedTimeout() const {
    const Settings& s = ctx_.settings;
    if (!request_.has("Timeout")) return s.lockDefaultSeconds;
    Poco::StringTokenizer parts(request_.get("Timeout"), ",", Poco::StringTokenizer::TOK_TRIM);
    for (const auto& part : parts) {
        if (Poco::icompare(part, "Infinite") == 0) return s.lockMaxSeconds;
        if (Poco::icompare(part.substr(0, 7), "Second-") == 0) {
            Poco::UInt64 n = 0;
            if (Poco::NumberParser::tryParseUnsigned64(part.substr(7), n)) {
                if (n == 0) return s.lockDefaultSeconds;
                return static_cast<int>(
                    std::min<Poco::UInt64>(n, static_cast<Poco::UInt64>(s.lockMaxSeconds)));
            }
        }
    }
    return s.lockDefaultSeconds;
}

void DavRequest::doLock() {
    DocPath path = parseTarget();
    auto body = readXmlBody();
    int timeout = requestedTimeout();

    if (!body) {
        // Refresh: the If header names the lock to extend.
        if (caller_.lockTokens.empty()) {
            throw DavStatus(400, msg("dav.refresh_needs_token"));
        }
        checkIfHeader(path);
        try {
            Lock refreshed = docs_.refreshLock(caller_, path, timeout);
            sendBytes(200, "application/xml; charset=utf-8",
                      std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop "
                                  "xmlns:D=\"DAV:\"><D:lockdiscovery>") +
                          activeLock(refreshed, ctx_.prefix) + "</D:lockdiscovery></D:prop>");
        } catch (const service::ServiceError& e) {
            if (e.code() != service::ServiceError::Code::PreconditionFailed) throw;
            throw DavStatus(412, e.message(), "<D:lock-token-matches-request-uri/>");
        }
        return;
    }

    if (!body->is(kDav, "lockinfo")) throw DavStatus(400, msg("dav.bad_lock_body"));
    const XmlNode* scope = body->child(kDav, "lockscope");
    const XmlNode* type = body->child(kDav, "locktype");
    if (!scope || !type || !type->child(kDav, "write")) {
        throw DavStatus(400, msg("dav.bad_lock_body"));
    }
    service::LockRequest lr;
    lr.exclusive = scope->child(kDav, "exclusive") != nullptr;
    if (!lr.exclusive && !scope->child(kDav, "shared")) {
        throw DavStatus(400, msg("dav.bad_lock_body"));
    }
    if (const XmlNode* o = body->child(kDav, "owner")) lr.ownerXml = serializeElement(*o);

    std::string depth =
        request_.has("Depth") ? Poco::toLower(Poco::trim(request_.get("Depth"))) : "infinity";
    if (depth != "0" && depth != "infinity") {
        throw DavStatus(400, msg("dav.lock_depth"));
    }
    lr.infinite = depth == "infinity";
    lr.timeoutSeconds = timeout;
    checkIfHeader(path);
    service::LockGrant grant = docs_.lock(caller_, path, lr);
    response_.set("Lock-Token", "<" + grant.lock.token + ">");
    sendBytes(grant.created ? 201 : 200, "application/xml; charset=utf-8",
              std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop "
                          "xmlns:D=\"DAV:\"><D:lockdiscovery>") +
                  activeLock(grant.lock, ctx_.prefix) + "</D:lockdiscovery></D:prop>");
}

void DavRequest::doUnlock() {
    DocPath path = parseTarget();
    if (!request_.has("Lock-Token")) {
        throw DavStatus(400, msg("dav.unlock_needs_token"));
    }
    std::string token = Poco::trim(request_.get("Lock-Token"));
    if (token.size() >= 2 && token.front() == '<' && token.back() == '>')
        token = token.substr(1, token.size() - 2);
    try {
        docs_.unlock(caller_, path, token);
    } catch (const service::ServiceError& e) {
        if (e.code() != service::ServiceError::Code::Conflict) throw;
        throw DavStatus(409, e.message(), "<D:lock-token-matches-request-uri/>");
    }
    sendBytes(204, "", "");
}

}  // namespace kiroku::dav
