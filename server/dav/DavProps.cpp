// PROPFIND and PROPPATCH.
#include "dav/DavRequest.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>

#include <algorithm>
#include <set>

namespace kiroku::dav {

namespace {

const char* const kDav = "DAV:";
const char* const kXmlHead = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

// Live properties: computed from the file, never stored.
const std::vector<std::string>& liveNames() {
    static const std::vector<std::string> names = {
        "resourcetype", "creationdate", "getlastmodified", "getcontentlength",
        "getcontenttype", "getetag", "displayname", "supportedlock", "lockdiscovery"};
    return names;
}

bool isProtected(const std::string& ns, const std::string& name) {
    static const std::set<std::string> names = {"resourcetype", "creationdate", "getlastmodified",
                                                "getcontentlength", "getetag", "supportedlock",
                                                "lockdiscovery"};
    return ns == kDav && names.count(name) > 0;
}

const char* const kSupportedLock =
    "<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/>"
    "</D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype>"
    "<D:write/></D:locktype></D:lockentry></D:supportedlock>";

void appendEmptyProp(std::string& out, const std::string& ns, const std::string& name) {
    if (ns == kDav) {
        out += "<D:" + name + "/>";
    } else {
        out += "<" + name + " xmlns=\"";
        appendEscaped(out, ns);
        out += "\"/>";
    }
}

const DeadProp* findDead(const std::vector<DeadProp>& dead, const std::string& ns, const std::string& name) {
    for (const auto& d : dead) {
        if (d.ns == ns && d.name == name) return &d;
    }
    return nullptr;
}

}  // namespace

std::string DavRequest::lockDiscovery(const DocPath& path) {
    std::string out = "<D:lockdiscovery>";
    for (const auto& l : ctx_.locks.covering(path)) out += activeLock(l, ctx_.prefix);
    out += "</D:lockdiscovery>";
    return out;
}

// Appends one <D:response> for an entry. named: the requested properties (nullptr for
// allprop); namesOnly: PROPFIND propname.
void DavRequest::appendResponse(std::string& out, const Entry& e, const std::vector<DeadProp>& dead,
                                const std::vector<std::pair<std::string, std::string>>* named,
                                bool namesOnly) {
    out += "<D:response><D:href>";
    appendEscaped(out, href(e.path, e.isDir));
    out += "</D:href>";
    std::string found, missing;
    auto live = [&](const std::string& name) -> bool {
        const DeadProp* override = findDead(dead, kDav, name);
        if (override && (name == "displayname" || name == "getcontenttype")) {
            if (!namesOnly) found += override->xml;
            return true;
        }
        if ((name == "getcontentlength" || name == "getetag" || name == "getcontenttype") && e.isDir) return false;
        if (namesOnly) {
            found += "<D:" + name + "/>";
            return true;
        }
        if (name == "resourcetype") {
            found += e.isDir ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>";
        } else if (name == "creationdate") {
            found += "<D:creationdate>" +
                     Poco::DateTimeFormatter::format(Poco::Timestamp(e.createdUs), "%Y-%m-%dT%H:%M:%SZ") +
                     "</D:creationdate>";
        } else if (name == "getlastmodified") {
            found += "<D:getlastmodified>" +
                     Poco::DateTimeFormatter::format(Poco::Timestamp(e.modifiedUs), Poco::DateTimeFormat::HTTP_FORMAT) +
                     "</D:getlastmodified>";
        } else if (name == "getcontentlength") {
            found += "<D:getcontentlength>" + std::to_string(e.size) + "</D:getcontentlength>";
        } else if (name == "getcontenttype") {
            found += "<D:getcontenttype>" + contentTypeFor(e.path.name()) + "</D:getcontenttype>";
        } else if (name == "getetag") {
            found += "<D:getetag>";
            appendEscaped(found, e.etag());
            found += "</D:getetag>";
        } else if (name == "displayname") {
            found += "<D:displayname>";
            appendEscaped(found, e.path.isRoot() ? "Kiroku" : e.path.name());
            found += "</D:displayname>";
        } else if (name == "supportedlock") {
            found += kSupportedLock;
        } else if (name == "lockdiscovery") {
            found += ctx_.locks.empty() ? "<D:lockdiscovery/>" : lockDiscovery(e.path);
        } else {
            return false;
        }
        return true;
    };
    if (!named) {
        for (const auto& n : liveNames()) live(n);
        for (const auto& d : dead) {
            if (d.ns == kDav && (d.name == "displayname" || d.name == "getcontenttype")) continue;
            if (namesOnly) appendEmptyProp(found, d.ns, d.name);
            else found += d.xml;
        }
    } else {
        for (const auto& [ns, name] : *named) {
            bool isLive = ns == kDav && std::find(liveNames().begin(), liveNames().end(), name) != liveNames().end();
            if (isLive) {
                if (!live(name)) appendEmptyProp(missing, ns, name);
                continue;
            }
            if (const DeadProp* d = findDead(dead, ns, name)) {
                found += d->xml;
            } else {
                appendEmptyProp(missing, ns, name);
            }
        }
    }
    if (!found.empty()) {
        out += "<D:propstat><D:prop>" + found + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>";
    }
    if (!missing.empty()) {
        out += "<D:propstat><D:prop>" + missing +
               "</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>";
    }
    out += "</D:response>";
}

void DavRequest::doPropfind() {
    DocPath path = parseTarget();
    std::string depth = request_.has("Depth") ? Poco::toLower(Poco::trim(request_.get("Depth"))) : "infinity";
    if (depth != "0" && depth != "1") {
        if (depth == "infinity") {
            throw DavStatus(403, "PROPFIND with Depth: infinity is not supported",
                            "フォルダ全体を一度に調べること (Depth: infinity) には対応していません",
                            "<D:propfind-finite-depth/>");
        }
        throw DavStatus(400, "Depth must be 0, 1 or infinity", "Depth の指定が正しくありません");
    }
    auto body = readXmlBody();
    bool namesOnly = false;
    std::vector<std::pair<std::string, std::string>> named;
    bool allprop = true;
    if (body) {
        if (!body->is(kDav, "propfind")) {
            throw DavStatus(400, "the body is not a DAV:propfind element", "PROPFIND の本文が正しくありません");
        }
        if (const XmlNode* prop = body->child(kDav, "prop")) {
            allprop = false;
            for (const XmlNode* p : prop->elements()) named.emplace_back(p->ns, p->name);
        } else if (body->child(kDav, "propname")) {
            namesOnly = true;
        } else if (!body->child(kDav, "allprop")) {
            throw DavStatus(400, "propfind needs prop, propname or allprop", "PROPFIND の本文が正しくありません");
        }
    }
    auto entry = ctx_.store.stat(path);
    if (!entry) throw DavStatus(404, "not found: /" + path.str(), "ファイルまたはフォルダが見つかりません");

    std::vector<Entry> children;
    std::map<std::string, std::vector<DeadProp>> dead;
    if (depth == "1" && entry->isDir) {
        children = ctx_.store.list(path);
        dead = ctx_.store.deadPropsWithChildren(path);
    } else {
        dead[path.str()] = ctx_.store.deadProps(path);
    }
    static const std::vector<DeadProp> none;
    auto deadOf = [&](const Entry& e) -> const std::vector<DeadProp>& {
        auto it = dead.find(e.path.str());
        return it == dead.end() ? none : it->second;
    };
    std::string out;
    out.reserve(512 + children.size() * 420);
    out += kXmlHead;
    out += "<D:multistatus xmlns:D=\"DAV:\">";
    const auto* wanted = allprop || namesOnly ? nullptr : &named;
    appendResponse(out, *entry, deadOf(*entry), wanted, namesOnly);
    for (const auto& c : children) appendResponse(out, c, deadOf(c), wanted, namesOnly);
    out += "</D:multistatus>";
    sendMultistatus(out);
}

void DavRequest::doProppatch() {
    DocPath path = parseTarget();
    auto entry = ctx_.store.stat(path);
    if (!entry) throw DavStatus(404, "not found: /" + path.str(), "ファイルまたはフォルダが見つかりません");
    checkIfHeader(path);
    checkLocks(path, false, false);
    auto body = readXmlBody();
    if (!body || !body->is(kDav, "propertyupdate")) {
        throw DavStatus(400, "PROPPATCH needs a DAV:propertyupdate body", "PROPPATCH の本文が正しくありません");
    }
    std::vector<PropChange> changes;
    for (const XmlNode* op : body->elements()) {
        bool remove = op->is(kDav, "remove");
        if (!remove && !op->is(kDav, "set")) continue;
        for (const XmlNode* prop : op->elements()) {
            if (!prop->is(kDav, "prop")) continue;
            for (const XmlNode* p : prop->elements()) {
                PropChange c;
                c.remove = remove;
                c.prop = DeadProp{p->ns, p->name, remove ? std::string() : serializeElement(*p)};
                changes.push_back(std::move(c));
            }
        }
    }
    bool refused = std::any_of(changes.begin(), changes.end(),
                               [](const PropChange& c) { return isProtected(c.prop.ns, c.prop.name); });
    if (!refused) ctx_.store.patchProps(path, changes, actor());

    std::string ok, forbidden, failed;
    for (const auto& c : changes) {
        std::string& bucket = !refused ? ok : isProtected(c.prop.ns, c.prop.name) ? forbidden : failed;
        appendEmptyProp(bucket, c.prop.ns, c.prop.name);
    }
    std::string out = kXmlHead;
    out += "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>";
    appendEscaped(out, href(path, entry->isDir));
    out += "</D:href>";
    auto propstat = [&](const std::string& props, const char* status, const char* error) {
        if (props.empty()) return;
        out += "<D:propstat><D:prop>" + props + "</D:prop><D:status>HTTP/1.1 " + status + "</D:status>";
        if (error) out += std::string("<D:error>") + error + "</D:error>";
        out += "</D:propstat>";
    };
    propstat(ok, "200 OK", nullptr);
    propstat(forbidden, "403 Forbidden", "<D:cannot-modify-protected-property/>");
    propstat(failed, "424 Failed Dependency", nullptr);
    out += "</D:response></D:multistatus>";
    sendMultistatus(out);
}

}  // namespace kiroku::dav
