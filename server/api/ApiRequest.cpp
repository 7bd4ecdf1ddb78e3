#include "api/ApiRequest.h"

#include "core/FiscalYear.h"
#include "core/HttpDate.h"
#include "http/Status.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <map>
#include <sstream>

namespace kiroku::api {

namespace {

constexpr std::int64_t kMaxJsonBody = 64 * 1024;

// The error codes clients see, one per kind of refusal.
const char* errorCode(service::ServiceError::Code c) {
    using C = service::ServiceError::Code;
    switch (c) {
        case C::NotFound:
            return "not_found";
        case C::Forbidden:
            return "forbidden";
        case C::Exists:
            return "exists";
        case C::Conflict:
            return "refused";
        case C::IsAFolder:
            return "refused";
        case C::Locked:
            return "locked";
        case C::PreconditionFailed:
            return "precondition";
        case C::InsufficientStorage:
            return "storage";
        case C::BadRequest:
            return "bad_request";
        case C::Invalid:
            return "refused";
        case C::Internal:
            return "internal";
    }
    return "internal";
}

Poco::JSON::Object::Ptr orgJson(const service::OrgView& o) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", o.id);
    j->set("name", o.name);
    j->set("kind", service::orgKindName(o.kind));
    j->set("parent", o.parent ? Poco::Dynamic::Var(*o.parent) : Poco::Dynamic::Var());
    j->set("space", "/" + o.space.str() + "/");
    return j;
}

Poco::JSON::Object::Ptr assignmentJson(const service::AssignmentView& a) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", a.id);
    j->set("user", a.user);
    j->set("org", a.org);
    j->set("role", a.role);
    j->set("from", a.from);
    // Held without an end date (期限なし): "to" is null.
    j->set("to", a.openEnded ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.to));
    return j;
}

}  // namespace

ApiRequest::ApiRequest(ApiContext& ctx, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, const User& user,
                       std::string address)
    : ctx_(ctx),
      request_(request),
      response_(response),
      caller_(ctx.documents.caller(user, address)),
      body_(request) {
    const std::string& target = request.getURI();
    std::string raw = target.substr(0, target.find('?'));
    path_ = raw.size() > 5 ? raw.substr(5) : std::string();  // below "/api/", still percent-encoded
    try {
        query_ = Poco::URI(target).getQueryParameters();
    } catch (const Poco::Exception&) {
        query_.clear();  // a malformed query reads as no parameters
    }
}

void ApiRequest::sendError(int status, const std::string& code, const Message& message) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("error", code);
    j->set("message", message.ja);
    j->set("detail", message.en);
    send(status, j);
}

void ApiRequest::send(int status, const Poco::Dynamic::Var& json) {
    if (sent_) return;
    sent_ = true;
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(json, out);
    std::string text = out.str();
    setStatus(response_, status);
    response_.setContentType("application/json; charset=utf-8");
    response_.set("Cache-Control", "no-store");
    if (!body_.finished() && !body_.discard()) response_.setKeepAlive(false);
    response_.sendBuffer(text.data(), text.size());
}

std::string ApiRequest::param(const std::string& name) const {
    for (const auto& [k, v] : query_) {
        if (k == name) return v;
    }
    return {};
}

Poco::JSON::Object::Ptr ApiRequest::body() {
    std::string text = body_.readAll(kMaxJsonBody);
    try {
        auto parsed = Poco::JSON::Parser().parse(text);
        auto obj = parsed.extract<Poco::JSON::Object::Ptr>();
        if (!obj) throw Poco::Exception("not an object");
        return obj;
    } catch (const Poco::Exception&) {
        throw ApiError(400, "bad_json", msg("api.bad_json"));
    }
}

std::string ApiRequest::field(const Poco::JSON::Object::Ptr& obj, const std::string& name,
                              bool required) const {
    if (!obj->has(name) || obj->isNull(name)) {
        if (!required) return {};
        throw ApiError(400, "missing_field", msg("api.missing_field", {{"name", name}}));
    }
    Poco::Dynamic::Var v = obj->get(name);
    if (!v.isString()) {
        throw ApiError(400, "bad_field", msg("api.bad_field", {{"name", name}}));
    }
    return v.extract<std::string>();
}

void ApiRequest::handle() {
    const std::string& m = request_.getMethod();
    try {
        std::vector<std::string> parts;
        for (std::size_t start = 0; start <= path_.size();) {
            std::size_t end = path_.find('/', start);
            if (end == std::string::npos) end = path_.size();
            if (end > start) parts.push_back(path_.substr(start, end - start));
            start = end + 1;
        }
        auto is = [&](const char* method, std::initializer_list<const char*> shape) {
            if (m != method || parts.size() != shape.size()) return false;
            std::size_t i = 0;
            for (const char* p : shape) {
                if (std::string(p) != "*" && parts[i] != p) return false;
                ++i;
            }
            return true;
        };
        if (is("GET", {"me"}))
            me();
        else if (is("GET", {"catalogue"}))
            catalogue();
        else if (is("GET", {"orgs"}))
            listOrgs();
        else if (is("POST", {"orgs"}))
            addOrg();
        else if (is("PATCH", {"orgs", "*"}))
            changeOrg(parts[1]);
        else if (is("GET", {"roles"}))
            listRoles();
        else if (is("POST", {"roles"}))
            assignRole();
        else if (is("POST", {"roles", "*", "end"})) {
            std::int64_t id = 0;
            if (!Poco::NumberParser::tryParse64(parts[1], id)) throw notFound();
            endRole(id);
        } else if (is("GET", {"acl"}))
            showAcl();
        else if (is("POST", {"acl"}))
            grant();
        else if (is("DELETE", {"acl"}))
            revoke();
        else if (is("GET", {"audit"}))
            auditLog();
        else if (is("GET", {"search"}))
            search();
        else if (is("GET", {"index", "status"}))
            indexStatus();
        else if (is("GET", {"access"}))
            access();
        else if (!parts.empty() && parts[0] == "handovers")
            handovers(parts);
        else
            throw notFound();
    } catch (const ApiError& e) {
        sendError(e.status(), e.errorCode(), e.message());
    } catch (const BadName& e) {
        sendError(400, "bad_name", e.message());
    } catch (const service::ServiceError& e) {
        if (e.code() == service::ServiceError::Code::Internal) {
            ctx_.log.error("%s %s failed: %s", m, request_.getURI(), e.detail());
        }
        sendError(service::httpStatus(e.code()), errorCode(e.code()), e.message());
    } catch (const BodyTooLarge&) {
        sendError(413, "too_large", msg("http.too_large"));
    } catch (const IncompleteBody&) {
        // The client's fault, not the server's: as WebDAV answers it.
        response_.setKeepAlive(false);
        sendError(400, "incomplete", msg("http.incomplete"));
    } catch (const std::exception& e) {
        ctx_.log.error("%s %s failed: %s", m, request_.getURI(), std::string(e.what()));
        sendError(500, "internal", msg("http.internal"));
    }
}

void ApiRequest::me() {
    service::Me me = ctx_.admin.me(caller_);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("user", caller_.user.name);
    j->set("display", caller_.user.display);
    j->set("admin", caller_.user.admin);
    j->set("date", me.date);
    j->set("timeZone", me.timeZone);
    j->set("dateFaked", me.fakedBy.has_value());
    if (me.fakedBy) j->set("dateFakedBy", *me.fakedBy);
    j->set("fiscalYear", me.fiscalYear);
    Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
    for (const auto& a : me.roles) {
        Poco::JSON::Object::Ptr r = assignmentJson(a);
        r->set("current", a.current);
        r->set("readOnly", a.readOnly);
        if (a.kind) r->set("kind", service::orgKindName(*a.kind));
        roles->add(r);
    }
    j->set("roles", roles);
    Poco::JSON::Array::Ptr top = new Poco::JSON::Array;
    for (const auto& f : me.folders) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + f.path.str() + "/");
        x->set("rights", service::rightsName(f.rights));
        x->set("via", f.via);
        top->add(x);
    }
    j->set("folders", top);
    send(200, j);
}

void ApiRequest::catalogue() {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    for (auto kind :
         {service::OrgKind::City, service::OrgKind::District, service::OrgKind::Association}) {
        Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
        for (const auto& r : ctx_.admin.catalogue(kind)) roles->add(r);
        j->set(service::orgKindName(kind), roles);
    }
    send(200, j);
}

void ApiRequest::listOrgs() {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& o : ctx_.admin.organisations()) out->add(orgJson(o));
    send(200, out);
}

void ApiRequest::addOrg() {
    auto b = body();
    auto kind = service::parseOrgKind(field(b, "kind"));
    if (!kind) throw ApiError(400, "bad_kind", msg("api.bad_kind"));
    send(201,
         orgJson(ctx_.admin.addOrg(caller_, field(b, "name"), *kind, field(b, "parent", false))));
}

void ApiRequest::changeOrg(const std::string& rawName) {
    std::string name;
    Poco::URI::decode(rawName, name);
    auto b = body();
    std::optional<std::string> newName, newParent;
    if (b->has("name")) newName = field(b, "name");
    if (b->has("parent")) newParent = field(b, "parent");
    send(200, orgJson(ctx_.admin.changeOrg(caller_, name, newName, newParent)));
}

void ApiRequest::listRoles() {
    std::optional<std::string> org;
    if (!param("org").empty()) org = param("org");
    std::optional<Date> on;
    if (!param("on").empty()) {
        on = Date::parse(param("on"));
        if (!on) throw ApiError(400, "bad_date", msg("api.bad_date"));
    }
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& a : ctx_.admin.assignments(caller_, org, on)) out->add(assignmentJson(a));
    send(200, out);
}

void ApiRequest::assignRole() {
    auto b = body();
    std::optional<Date> from, to;
    if (b->has("term")) {
        auto fy = FiscalYear::parse(field(b, "term"));
        if (!fy) throw ApiError(400, "bad_term", msg("api.bad_term"));
        from = fy->first();
        to = fy->last();
    }
    if (b->has("from")) from = Date::parse(field(b, "from"));
    if (b->has("to")) to = Date::parse(field(b, "to"));
    if (b->has("open")) {
        // "open": true, a holding without an end date (期限なし).
        Poco::Dynamic::Var open = b->get("open");
        if (!open.isBoolean()) throw ApiError(400, "bad_term", msg("api.term_needed"));
        if (open.extract<bool>()) to = acl::Governance::openEnd();
    }
    std::string org = field(b, "org");
    if (!from || !to) throw ApiError(400, "bad_term", msg("api.term_needed"));
    send(201, assignmentJson(
                  ctx_.admin.assign(caller_, field(b, "user"), field(b, "role"), org, *from, *to)));
}

void ApiRequest::endRole(std::int64_t id) {
    auto b = body_.present() ? body() : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    std::optional<Date> on =
        b->has("on") ? Date::parse(field(b, "on")) : std::optional<Date>(Date::today());
    if (!on) throw ApiError(400, "bad_date", msg("api.bad_date"));
    auto end = ctx_.admin.endAssignment(caller_, id, *on);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", id);
    if (end) j->set("to", end->str());
    j->set("cancelled", !end);
    send(200, j);
}

void ApiRequest::showAcl() {
    service::AclView v = ctx_.admin.acl(caller_, DocPath::fromText(param("path")));
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + v.path.str());
    j->set("protected", v.isProtected);
    Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
    for (const auto& e : v.entries) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + e.path);
        x->set("principal", e.principal);
        x->set("rights", service::rightsName(e.rights));
        x->set("inherited", e.inherited);
        entries->add(x);
    }
    j->set("entries", entries);
    j->set("yourRights", service::rightsName(v.yours));
    send(200, j);
}

void ApiRequest::grant() {
    auto b = body();
    DocPath path = DocPath::fromText(field(b, "path"));
    auto rights = service::parseRights(field(b, "rights"));
    if (!rights) throw ApiError(400, "bad_rights", msg("api.bad_rights"));
    ctx_.admin.grant(caller_, path, field(b, "principal"), *rights);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + path.str());
    j->set("principal", field(b, "principal"));
    j->set("rights", service::rightsName(*rights));
    send(201, j);
}

void ApiRequest::revoke() {
    DocPath path = DocPath::fromText(param("path"));
    ctx_.admin.revoke(caller_, path, param("principal"));
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + path.str());
    j->set("revoked", param("principal"));
    send(200, j);
}

void ApiRequest::auditLog() {
    AuditFilter filter;
    if (!param("since").empty()) filter.since = param("since");
    if (!param("user").empty()) filter.user = param("user");
    if (!param("limit").empty())
        filter.limit = std::max(1, std::min(10000, std::atoi(param("limit").c_str())));
    if (!param("path").empty()) filter.path = DocPath::fromText(param("path")).str();
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& e : ctx_.admin.auditLog(caller_, filter)) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("id", e.id);
        x->set("at", e.at);
        x->set("user", e.user);
        x->set("roles", e.roles);
        x->set("address", e.address);
        x->set("action", e.action);
        x->set("path", "/" + e.path);
        if (!e.dest.empty()) x->set("dest", e.dest);
        x->set("result", e.result);
        out->add(x);
    }
    send(200, out);
}

void ApiRequest::search() {
    indexer::SearchQuery q;
    q.text = param("q");
    if (!param("path").empty()) q.folder = DocPath::fromText(param("path")).str();
    q.organisation = param("org");
    q.category = param("category");
    if (!param("year").empty()) {
        auto fy = FiscalYear::parse(param("year"));
        if (!fy) throw ApiError(400, "bad_year", msg("api.bad_year"));
        q.year = fy->year;
    }
    q.type = param("type");
    for (const char* key : {"from", "to"}) {
        if (param(key).empty()) continue;
        if (!Date::parse(param(key))) throw ApiError(400, "bad_date", msg("api.bad_date"));
    }
    q.from = param("from");
    q.to = param("to");
    q.byDate = param("sort") == "date";
    if (!param("offset").empty())
        q.offset = static_cast<std::size_t>(std::max(0, std::atoi(param("offset").c_str())));
    if (!param("limit").empty())
        q.limit = static_cast<std::size_t>(std::clamp(std::atoi(param("limit").c_str()), 1, 200));
    indexer::SearchResult r = ctx_.documents.search(caller_, q);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("total", static_cast<Poco::UInt64>(r.total));
    j->set("totalExact", r.totalExact);
    Poco::JSON::Array::Ptr hits = new Poco::JSON::Array;
    for (const auto& h : r.hits) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + h.path);  // as seen under /dav/, not percent-encoded
        x->set("name", h.name);
        x->set("year", h.year);
        x->set("category", h.category);
        x->set("type", h.type);
        std::string modified;
        appendIsoDate(modified, h.modifiedUs);
        x->set("modified", modified);
        x->set("score", h.score);
        x->set("snippet", h.snippet);
        hits->add(x);
    }
    j->set("hits", hits);
    send(200, j);
}

void ApiRequest::access() {
    if (param("user").empty())
        throw ApiError(400, "missing_field", msg("api.missing_field", {{"name", "user"}}));
    Date on = Date::today();
    if (!param("on").empty()) {
        auto d = service::accessDate(param("on"));
        if (!d) throw ApiError(400, "bad_date", msg("api.bad_access_date"));
        on = *d;
    }
    std::optional<DocPath> path;
    if (!param("path").empty()) path = DocPath::fromText(param("path"));
    service::AccessReport r = ctx_.admin.access(caller_, param("user"), on, path);
    auto roleJson = [](const service::AccessRole& a) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("role", a.role);
        x->set("from", a.from);
        x->set("to", a.openEnded() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.to));
        x->set("readOnly", a.readOnly);
        if (a.readOnly) x->set("readOnlyUntil", a.readOnlyUntil);
        return x;
    };
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("user", r.person.name);
    j->set("display", r.person.display);
    j->set("admin", r.person.admin);
    j->set("disabled", r.person.disabled);
    j->set("date", r.date);
    j->set("fiscalYear", FiscalYear::containing(on).japanese());
    Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
    for (const auto& a : r.roles) roles->add(roleJson(a));
    j->set("roles", roles);
    Poco::JSON::Array::Ptr points = new Poco::JSON::Array;
    for (const auto& p : r.points) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + p.path.str() + (p.isDir && !p.path.isRoot() ? "/" : ""));
        x->set("folder", p.isDir);
        x->set("rights", service::rightsName(p.rights));
        x->set("passThrough", p.passThrough);
        Poco::JSON::Array::Ptr why = new Poco::JSON::Array;
        for (const auto& reason : p.reasons) {
            Poco::JSON::Object::Ptr w = new Poco::JSON::Object;
            using Kind = service::AccessReason::Kind;
            w->set("kind", reason.kind == Kind::Admin    ? "admin"
                           : reason.kind == Kind::Person ? "person"
                                                         : "role");
            if (reason.role) w->set("role", roleJson(*reason.role));
            if (reason.kind != Kind::Admin) {
                Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
                entry->set("path", "/" + reason.entryPath);
                entry->set("principal", reason.principal);
                entry->set("rights", service::rightsName(reason.entryRights));
                w->set("entry", entry);
            }
            why->add(w);
        }
        x->set("why", why);
        points->add(x);
    }
    j->set("access", points);
    send(200, j);
}

void ApiRequest::indexStatus() {
    IndexStatus s = ctx_.admin.indexStatus(caller_);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("pending", s.pending);
    j->set("indexed", s.indexed);
    j->set("failed", s.failed);
    j->set("ocrPending", s.ocrPending);
    j->set("ocr", s.ocrOn);
    Poco::JSON::Array::Ptr failures = new Poco::JSON::Array;
    for (const auto& f : s.failures) {  // paths only for administrators
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        x->set("path", "/" + f.path);
        x->set("reason", f.reason);
        x->set("at", f.at);
        failures->add(x);
    }
    j->set("failures", failures);
    send(200, j);
}

}  // namespace kiroku::api
