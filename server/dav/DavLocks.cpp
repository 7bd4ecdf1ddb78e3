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
                return static_cast<int>(std::min<Poco::UInt64>(n, static_cast<Poco::UInt64>(s.lockMaxSeconds)));
            }
        }
    }
    return s.lockDefaultSeconds;
}

void DavRequest::doLock() {
    DocPath path = parseTarget();
    auto target = ctx_.store.stat(path);
    require(target ? path : path.parent(), acl::Rights::Write);
    auto body = readXmlBody();
    int timeout = requestedTimeout();

    if (!body) {
        // Refresh: the If header names the lock to extend.
        if (submitted_.empty()) {
            throw DavStatus(400, "a LOCK without a body refreshes a lock and needs an If header with its token",
                            "ロックの延長には If ヘッダーでロックトークンを指定してください");
        }
        checkIfHeader(path);
        for (const auto& token : submitted_) {
            auto lock = ctx_.locks.find(token);
            if (!lock || !(lock->root == path || (lock->infinite && path.isWithin(lock->root)))) continue;
            if (lock->principal != user_.name) continue;
            auto refreshed = ctx_.locks.refresh(token, timeout);
            if (!refreshed) continue;
            sendBytes(200, "application/xml; charset=utf-8",
                      std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>") +
                          activeLock(*refreshed, ctx_.prefix) + "</D:lockdiscovery></D:prop>");
            return;
        }
        throw DavStatus(412, "no lock of yours with that token covers this resource",
                        "指定されたロックが見つかりません", "<D:lock-token-matches-request-uri/>");
    }

    if (!body->is(kDav, "lockinfo")) throw DavStatus(400, "LOCK needs a DAV:lockinfo body", "LOCK の本文が正しくありません");
    const XmlNode* scope = body->child(kDav, "lockscope");
    const XmlNode* type = body->child(kDav, "locktype");
    if (!scope || !type || !type->child(kDav, "write")) {
        throw DavStatus(400, "lockinfo needs lockscope and a write locktype", "LOCK の本文が正しくありません");
    }
    bool exclusive = scope->child(kDav, "exclusive") != nullptr;
    if (!exclusive && !scope->child(kDav, "shared")) {
        throw DavStatus(400, "lockscope must be exclusive or shared", "LOCK の本文が正しくありません");
    }
    std::string owner;
    if (const XmlNode* o = body->child(kDav, "owner")) owner = serializeElement(*o);

    std::string depth = request_.has("Depth") ? Poco::toLower(Poco::trim(request_.get("Depth"))) : "infinity";
    if (depth != "0" && depth != "infinity") {
        throw DavStatus(400, "LOCK Depth must be 0 or infinity", "LOCK の Depth は 0 か infinity にしてください");
    }
    auto entry = ctx_.store.stat(path);
    checkIfHeader(path);
    if (!entry) {
        auto parent = ctx_.store.stat(path.parent());
        if (!parent || !parent->isDir) {
            throw DavStatus(409, "the folder does not exist", "フォルダがありません。先にフォルダを作ってください");
        }
        checkLocks(path, false, true);
    }
    auto result = ctx_.locks.acquire(path, exclusive, depth == "infinity" && (!entry || entry->isDir),
                                     owner, user_.name, timeout);
    if (!result.lock) {
        throw DavStatus(423, "a conflicting lock exists on /" + result.conflict->str(),
                        "別の人 (またはアプリ) が使用中のためロックできません",
                        "<D:no-conflicting-lock><D:href>" + escaped(href(*result.conflict, false)) +
                            "</D:href></D:no-conflicting-lock>");
    }
    bool created = false;
    if (!entry) {
        // Locking an unmapped URL creates an empty resource (RFC 4918 §7.3).
        try {
            ctx_.store.beginUpload(path, actor(), 0)->commit();
            created = true;
        } catch (...) {
            ctx_.locks.release(result.lock->token);
            throw;
        }
    }
    ctx_.store.journal(actor(), "lock", path);
    response_.set("Lock-Token", "<" + result.lock->token + ">");
    sendBytes(created ? 201 : 200, "application/xml; charset=utf-8",
              std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>") +
                  activeLock(*result.lock, ctx_.prefix) + "</D:lockdiscovery></D:prop>");
}

void DavRequest::doUnlock() {
    DocPath path = parseTarget();
    if (!request_.has("Lock-Token")) {
        throw DavStatus(400, "UNLOCK needs a Lock-Token header", "ロック解除には Lock-Token が必要です");
    }
    std::string token = Poco::trim(request_.get("Lock-Token"));
    if (token.size() >= 2 && token.front() == '<' && token.back() == '>') token = token.substr(1, token.size() - 2);
    auto lock = ctx_.locks.find(token);
    if (!lock || !(lock->root == path || (lock->infinite && path.isWithin(lock->root)))) {
        throw DavStatus(409, "no such lock on this resource", "このファイルにそのロックはありません",
                        "<D:lock-token-matches-request-uri/>");
    }
    bool breaking = lock->principal != user_.name;
    if (breaking) {
        // Locks never block the people who manage a folder forever: they may break
        // someone else's lock, and that is logged.
        acl::Decision d = rightsOn(lock->root);
        if (!d.allows(acl::Rights::Manage)) {
            if (!visible(path, true)) throw DavStatus(404, "not found", "見つかりません");
            throw DavStatus(403, "the lock belongs to someone else", "このロックは別の人のものです。解除は管理する人に頼んでください");
        }
        rolesUsed_ = d.via;
    } else {
        require(path, acl::Rights::Read);
    }
    ctx_.locks.release(token);
    ctx_.store.journal(actor(), breaking ? "lock-break" : "unlock", path, breaking ? lock->principal : std::string());
    sendBytes(204, "", "");
}

}  // namespace kiroku::dav
