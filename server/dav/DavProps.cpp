// PROPFIND and PROPPATCH.
#include "dav/DavRequest.h"

#include "core/HttpDate.h"

#include <Poco/String.h>

#include <algorithm>
#include <set>

namespace kiroku::dav {

namespace {

const char* const kDav = "DAV:";
constexpr std::size_t kMaxPropsAsked = 256;
const char* const kXmlHead = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

const char* const kSupportedLock =
    "<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/>"
    "</D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype>"
    "<D:write/></D:locktype></D:lockentry></D:supportedlock>";

// Live properties: computed from the file, never stored. Order is allprop's order.
const std::vector<std::pair<std::string, LiveProp>>& liveProps() {
    static const std::vector<std::pair<std::string, LiveProp>> props = {
        {"resourcetype", LiveProp::ResourceType},    {"creationdate", LiveProp::CreationDate},
        {"getlastmodified", LiveProp::LastModified}, {"getcontentlength", LiveProp::ContentLength},
        {"getcontenttype", LiveProp::ContentType},   {"getetag", LiveProp::ETag},
        {"displayname", LiveProp::DisplayName},      {"supportedlock", LiveProp::SupportedLock},
        {"lockdiscovery", LiveProp::LockDiscovery}};
    return props;
}

bool isProtected(const std::string& ns, const std::string& name) {
    static const std::set<std::string> names = {
        "resourcetype", "creationdate",  "getlastmodified", "getcontentlength",
        "getetag",      "supportedlock", "lockdiscovery"};
    return ns == kDav && names.count(name) > 0;
}

void appendEmptyProp(std::string& out, const std::string& ns, const std::string& name) {
    if (ns == kDav) {
        out += "<D:";
        out += name;
        out += "/>";
    } else {
        out += '<';
        out += name;
        out += " xmlns=\"";
        appendEscaped(out, ns);
        out += "\"/>";
    }
}

const DeadProp* findDead(const std::vector<DeadProp>& dead, std::string_view ns,
                         std::string_view name) {
    for (const auto& d : dead) {
        if (d.name == name && d.ns == ns) return &d;
    }
    return nullptr;
}

}  // namespace

std::vector<WantedProp> DavRequest::allLiveProps() {
    // displayname only repeats the name; leaving it out keeps listings compact for
    // Windows, which refuses a PROPFIND answer over 1,000,000 bytes.
    std::vector<WantedProp> out;
    for (const auto& [name, live] : liveProps()) {
        if (live != LiveProp::DisplayName) out.push_back({kDav, name, live});
    }
    return out;
}

WantedProp DavRequest::wanted(const std::string& ns, const std::string& name) {
    if (ns == kDav) {
        for (const auto& [n, live] : liveProps()) {
            if (n == name) return {ns, name, live};
        }
        // Computed only on request: the used size walks the whole folder.
        if (name == "quota-available-bytes") return {ns, name, LiveProp::QuotaAvailable};
        if (name == "quota-used-bytes") return {ns, name, LiveProp::QuotaUsed};
    }
    return {ns, name, LiveProp::None};
}

std::string DavRequest::lockDiscovery(const DocPath& path) {
    std::string out = "<D:lockdiscovery>";
    for (const auto& l : docs_.locksCovering(caller_, path)) out += activeLock(l, ctx_.prefix);
    out += "</D:lockdiscovery>";
    return out;
}

// Appends a live property's element (or just its name); false when the resource
// does not have it (a folder has no length, type or entity tag).
bool DavRequest::appendLive(std::string& out, const WantedProp& w, const Entry& e,
                            const std::vector<DeadProp>& dead, bool namesOnly) {
    if ((w.live == LiveProp::DisplayName || w.live == LiveProp::ContentType) && !dead.empty()) {
        if (const DeadProp* d = findDead(dead, kDav, w.name)) {
            if (namesOnly)
                appendEmptyProp(out, kDav, w.name);
            else
                out += d->xml;
            return true;
        }
    }
    if (e.isDir && (w.live == LiveProp::ContentLength || w.live == LiveProp::ContentType ||
                    w.live == LiveProp::ETag)) {
        return false;
    }
    if (!e.isDir && (w.live == LiveProp::QuotaAvailable || w.live == LiveProp::QuotaUsed))
        return false;
    if (namesOnly) {
        appendEmptyProp(out, kDav, w.name);
        return true;
    }
    switch (w.live) {
        case LiveProp::ResourceType:
            out +=
                e.isDir ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>";
            break;
        case LiveProp::CreationDate:
            out += "<D:creationdate>";
            appendIsoDate(out, e.createdUs);
            out += "</D:creationdate>";
            break;
        case LiveProp::LastModified:
            out += "<D:getlastmodified>";
            appendHttpDate(out, e.modifiedUs);
            out += "</D:getlastmodified>";
            break;
        case LiveProp::ContentLength:
            out += "<D:getcontentlength>";
            out += std::to_string(e.size);
            out += "</D:getcontentlength>";
            break;
        case LiveProp::ContentType:
            out += "<D:getcontenttype>";
            out += contentTypeFor(e.path.segments().back());
            out += "</D:getcontenttype>";
            break;
        case LiveProp::ETag:
            out += "<D:getetag>";
            e.appendEtag(out);  // quotes, hex digits and '-': valid as XML text as they are
            out += "</D:getetag>";
            break;
        case LiveProp::DisplayName:
            out += "<D:displayname>";
            appendEscaped(out, e.path.isRoot() ? std::string("Kiroku") : e.path.segments().back());
            out += "</D:displayname>";
            break;
        case LiveProp::SupportedLock:
            out += kSupportedLock;
            break;
        case LiveProp::LockDiscovery:
            out += docs_.anyLocks() ? lockDiscovery(e.path) : "<D:lockdiscovery/>";
            break;
        case LiveProp::QuotaAvailable:
            out += "<D:quota-available-bytes>";
            out += std::to_string(docs_.availableBytes());
            out += "</D:quota-available-bytes>";
            break;
        case LiveProp::QuotaUsed:
            out += "<D:quota-used-bytes>";
            out += std::to_string(docs_.usedBytes(caller_, e.path));
            out += "</D:quota-used-bytes>";
            break;
        case LiveProp::None:
            return false;
    }
    return true;
}

// Appends one <D:response> for an entry: the wanted properties, and for allprop and
// propname also every dead property.
void DavRequest::appendResponse(std::string& out, const Entry& e, const std::vector<DeadProp>& dead,
                                const std::vector<WantedProp>& wantedProps, bool allDead,
                                bool namesOnly) {
    static const std::string kOpen = "<D:propstat><D:prop>";
    out += "<D:response><D:href>";
    out += ctx_.prefix;
    out += '/';
    if (!e.path.isRoot()) {
        appendPercentEncoded(out, e.path.str(), true);
        if (e.isDir) out += '/';
    }
    out += "</D:href>";
    out += kOpen;
    const std::size_t propsStart = out.size();
    std::string missing;
    for (const auto& w : wantedProps) {
        if (w.live != LiveProp::None) {
            // allprop and propname list what a resource has; only named requests hear of the rest.
            if (!appendLive(out, w, e, dead, namesOnly) && !allDead)
                appendEmptyProp(missing, w.ns, w.name);
        } else if (const DeadProp* d = findDead(dead, w.ns, w.name)) {
            out += d->xml;
        } else {
            appendEmptyProp(missing, w.ns, w.name);
        }
    }
    if (allDead) {
        for (const auto& d : dead) {
            if (d.ns == kDav && d.name == "getcontenttype") continue;
            if (namesOnly)
                appendEmptyProp(out, d.ns, d.name);
            else
                out += d.xml;
        }
    }
    if (out.size() == propsStart) {
        out.resize(propsStart - kOpen.size());
    } else {
        out += "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>";
    }
    if (!missing.empty()) {
        out += kOpen;
        out += missing;
        out += "</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>";
    }
    out += "</D:response>";
}

void DavRequest::doPropfind() {
    DocPath path = parseTarget();
    std::string depth =
        request_.has("Depth") ? Poco::toLower(Poco::trim(request_.get("Depth"))) : "infinity";
    if (depth != "0" && depth != "1") {
        if (depth == "infinity") {
            throw DavStatus(403, msg("dav.no_infinite_propfind"), "<D:propfind-finite-depth/>");
        }
        throw DavStatus(400, msg("dav.bad_depth"));
    }
    auto body = readXmlBody();
    bool namesOnly = false;
    bool allDead = true;
    std::vector<WantedProp> wantedProps = allLiveProps();
    if (body) {
        if (!body->is(kDav, "propfind")) {
            throw DavStatus(400, msg("dav.bad_propfind"));
        }
        if (const XmlNode* prop = body->child(kDav, "prop")) {
            allDead = false;
            wantedProps.clear();
            // Each property once, and a bounded number of them: the answer's size is
            // what the client asks times the folder's size (security review, finding 5).
            std::set<std::pair<std::string, std::string>> seen;
            for (const XmlNode* p : prop->elements()) {
                if (!seen.emplace(p->ns, p->name).second) continue;
                if (seen.size() > kMaxPropsAsked) throw DavStatus(400, msg("dav.too_many_props"));
                wantedProps.push_back(wanted(p->ns, p->name));
            }
        } else if (body->child(kDav, "propname")) {
            namesOnly = true;
        } else if (!body->child(kDav, "allprop")) {
            throw DavStatus(400, msg("dav.bad_propfind"));
        }
    }
    Entry entry = docs_.find(caller_, path);
    std::vector<Entry> children;
    std::map<std::string, std::vector<DeadProp>> dead;
    if (depth == "1" && entry.isDir) {
        children = docs_.list(caller_, path);
        dead = docs_.deadPropsWithChildren(caller_, path);
    } else {
        dead[path.str()] = docs_.deadProps(caller_, path);
    }
    static const std::vector<DeadProp> none;
    auto deadOf = [&](const Entry& e) -> const std::vector<DeadProp>& {
        if (dead.empty()) return none;
        auto it = dead.find(e.path.str());
        return it == dead.end() ? none : it->second;
    };
    std::string out;
    out.reserve(1024 + children.size() * 800);
    out += kXmlHead;
    out += "<D:multistatus xmlns:D=\"DAV:\">";
    appendResponse(out, entry, deadOf(entry), wantedProps, allDead, namesOnly);
    for (const auto& c : children)
        appendResponse(out, c, deadOf(c), wantedProps, allDead, namesOnly);
    out += "</D:multistatus>";
    sendMultistatus(out);
}

void DavRequest::doProppatch() {
    DocPath path = parseTarget();
    Entry entry = docs_.find(caller_, path);
    docs_.require(caller_, path, service::Rights::Write, false, "proppatch");
    checkIfHeader(path);
    auto body = readXmlBody();
    if (!body || !body->is(kDav, "propertyupdate")) {
        throw DavStatus(400, msg("dav.bad_proppatch"));
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
    bool refused = std::any_of(changes.begin(), changes.end(), [](const PropChange& c) {
        return isProtected(c.prop.ns, c.prop.name);
    });
    if (!refused) docs_.patchProps(caller_, path, changes);

    std::string ok, forbidden, failed;
    for (const auto& c : changes) {
        std::string& bucket = !refused                              ? ok
                              : isProtected(c.prop.ns, c.prop.name) ? forbidden
                                                                    : failed;
        appendEmptyProp(bucket, c.prop.ns, c.prop.name);
    }
    std::string out = kXmlHead;
    out += "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>";
    appendEscaped(out, href(path, entry.isDir));
    out += "</D:href>";
    auto propstat = [&](const std::string& props, const char* status, const char* error) {
        if (props.empty()) return;
        out += "<D:propstat><D:prop>" + props + "</D:prop><D:status>HTTP/1.1 " + status +
               "</D:status>";
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
