#include "api/ApiRequest.h"

#include "audit/AuditLog.h"
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

// Ends a request with an HTTP status and a JSON error body.
class ApiError : public Refusal {
public:
    ApiError(int status, std::string code, const std::string& english, std::string japanese)
        : Refusal(english, std::move(japanese)), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }

private:
    int status_;
    std::string code_;
};

ApiError notFound() {
    return ApiError(404, "not_found", "not found", "見つかりません");
}

Poco::JSON::Object::Ptr orgJson(const acl::Organisation& o, const acl::PolicySnapshot& s) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", o.id);
    j->set("name", o.name);
    j->set("kind", acl::orgKindName(o.kind));
    const acl::Organisation* p = s.org(o.parentId);
    j->set("parent", p ? Poco::Dynamic::Var(p->name) : Poco::Dynamic::Var());
    j->set("space", "/" + o.space().str() + "/");
    return j;
}

Poco::JSON::Object::Ptr assignmentJson(const acl::RoleAssignment& a, const acl::PolicySnapshot& s) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    const acl::Organisation* o = s.org(a.orgId);
    j->set("id", a.id);
    j->set("user", a.userName);
    j->set("org", o ? o->name : "");
    j->set("role", a.role);
    j->set("from", a.start);
    j->set("to", a.end);
    return j;
}

}  // namespace

ApiRequest::ApiRequest(ApiContext& ctx, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, const User& user, std::string address)
    : ctx_(ctx), request_(request), response_(response), user_(user), address_(std::move(address)),
      subject_(ctx.policy.subjectFor(user, Date::today())), body_(request) {
    const std::string& target = request.getURI();
    std::string raw = target.substr(0, target.find('?'));
    path_ = raw.size() > 5 ? raw.substr(5) : std::string();  // below "/api/", still percent-encoded
    try {
        query_ = Poco::URI(target).getQueryParameters();
    } catch (const Poco::Exception&) {
        query_.clear();  // a malformed query reads as no parameters
    }
}

void ApiRequest::sendError(int status, const std::string& code, const std::string& japanese,
                           const std::string& english) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("error", code);
    j->set("message", japanese);
    j->set("detail", english);
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
        throw ApiError(400, "bad_json", "the body must be a JSON object", "送られたデータ (JSON) の形が正しくありません");
    }
}

std::string ApiRequest::field(const Poco::JSON::Object::Ptr& obj, const std::string& name, bool required) const {
    if (!obj->has(name) || obj->isNull(name)) {
        if (!required) return {};
        throw ApiError(400, "missing_field", "missing field '" + name + "'", "「" + name + "」が指定されていません");
    }
    Poco::Dynamic::Var v = obj->get(name);
    if (!v.isString()) {
        throw ApiError(400, "bad_field", "'" + name + "' must be text", "「" + name + "」は文字列で指定してください");
    }
    return v.extract<std::string>();
}

void ApiRequest::requireAdmin() {
    if (!subject_.admin) {
        throw ApiError(403, "forbidden", "only administrators may do this", "この操作は管理者だけができます");
    }
}

acl::Decision ApiRequest::requireManage(const DocPath& path) {
    if (!ctx_.store.stat(path)) throw notFound();
    acl::Decision d = ctx_.policy.decide(subject_, path);
    if (d.allows(acl::Rights::Manage)) return d;
    bool visible = d.allows(acl::Rights::Read) || ctx_.policy.canTraverse(subject_, path);
    if (!visible || !ctx_.store.stat(path)) throw notFound();
    throw ApiError(403, "forbidden", "you do not manage /" + path.str(),
                   "このフォルダを管理する権限がありません。役職の担当者か管理者に相談してください");
}

Actor ApiRequest::actor(const std::string& via) const { return Actor{user_.name, address_, via}; }

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
        if (is("GET", {"me"})) me();
        else if (is("GET", {"catalogue"})) catalogue();
        else if (is("GET", {"orgs"})) listOrgs();
        else if (is("POST", {"orgs"})) addOrg();
        else if (is("PATCH", {"orgs", "*"})) changeOrg(parts[1]);
        else if (is("GET", {"roles"})) listRoles();
        else if (is("POST", {"roles"})) assignRole();
        else if (is("POST", {"roles", "*", "end"})) {
            std::int64_t id = 0;
            if (!Poco::NumberParser::tryParse64(parts[1], id)) throw notFound();
            endRole(id);
        } else if (is("GET", {"acl"})) showAcl();
        else if (is("POST", {"acl"})) grant();
        else if (is("DELETE", {"acl"})) revoke();
        else if (is("GET", {"audit"})) auditLog();
        else if (is("GET", {"search"})) search();
        else if (is("GET", {"index", "status"})) indexStatus();
        else throw notFound();
    } catch (const ApiError& e) {
        sendError(e.status(), e.code(), e.japanese(), e.what());
    } catch (const BadName& e) {
        sendError(400, "bad_name", e.japanese(), e.what());
    } catch (const StoreError& e) {
        sendError(e.kind() == StoreError::Kind::NotFound ? 404 : 409, "store", e.japanese(), e.what());
    } catch (const Refusal& e) {  // governance and people: refused by the rules
        sendError(409, "refused", e.japanese(), e.what());
    } catch (const BodyTooLarge&) {
        sendError(413, "too_large", "送られたデータが大きすぎます", "request body too large");
    } catch (const std::exception& e) {
        ctx_.log.error("%s %s failed: %s", m, request_.getURI(), std::string(e.what()));
        sendError(500, "internal", "サーバー内部でエラーが起きました。管理者に連絡してください", "internal error");
    }
}

void ApiRequest::me() {
    auto snap = ctx_.policy.snapshot();
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("user", user_.name);
    j->set("display", user_.display);
    j->set("admin", user_.admin);
    j->set("date", subject_.date);
    j->set("fiscalYear", FiscalYear::containing(*Date::parse(subject_.date)).japanese());
    Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
    for (const auto& a : snap->assignments) {
        if (a.userId != user_.id) continue;
        const acl::Organisation* o = snap->org(a.orgId);
        Poco::JSON::Object::Ptr r = assignmentJson(a, *snap);
        bool held = a.start <= subject_.date && subject_.date <= a.end;
        bool grace = !held && std::any_of(subject_.held.begin(), subject_.held.end(), [&](const acl::Subject::Held& h) {
            return h.readOnly && h.orgId == a.orgId && h.role == a.role;
        });
        r->set("current", held);
        r->set("readOnly", grace);
        if (o) r->set("kind", acl::orgKindName(o->kind));
        roles->add(r);
    }
    j->set("roles", roles);
    Poco::JSON::Array::Ptr top = new Poco::JSON::Array;
    for (const auto& e : ctx_.store.list(DocPath())) {
        if (!e.isDir) continue;
        acl::Decision d = ctx_.policy.decide(subject_, e.path);
        if (!d.allows(acl::Rights::Read) && !ctx_.policy.canTraverse(subject_, e.path)) continue;
        Poco::JSON::Object::Ptr f = new Poco::JSON::Object;
        f->set("path", "/" + e.path.str() + "/");
        f->set("rights", acl::rightsName(d.rights));
        f->set("via", d.via);
        top->add(f);
    }
    j->set("folders", top);
    send(200, j);
}

void ApiRequest::catalogue() {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    for (auto kind : {acl::OrgKind::City, acl::OrgKind::District, acl::OrgKind::Association}) {
        Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
        for (const auto& r : ctx_.governance.catalogue(kind)) roles->add(r);
        j->set(acl::orgKindName(kind), roles);
    }
    send(200, j);
}

void ApiRequest::listOrgs() {
    auto snap = ctx_.policy.snapshot();
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& [id, o] : snap->orgs) out->add(orgJson(o, *snap));
    send(200, out);
}

void ApiRequest::addOrg() {
    requireAdmin();
    auto b = body();
    auto kind = acl::parseOrgKind(field(b, "kind"));
    if (!kind) throw ApiError(400, "bad_kind", "kind is city, district or association", "種類は city、district、association のどれかです");
    auto o = ctx_.governance.addOrg(field(b, "name"), *kind, field(b, "parent", false), actor("管理者 admin"));
    ctx_.policy.invalidate();
    send(201, orgJson(o, *ctx_.policy.snapshot()));
}

void ApiRequest::changeOrg(const std::string& rawName) {
    requireAdmin();
    std::string name;
    Poco::URI::decode(rawName, name);
    auto b = body();
    if (!ctx_.policy.snapshot()->orgNamed(name)) throw notFound();
    // Check everything first, so a refused change leaves nothing half done.
    if (b->has("parent")) ctx_.governance.checkMove(name, field(b, "parent"));
    if (b->has("name")) ctx_.governance.renameOrg(name, field(b, "name"), actor("管理者 admin"));
    if (b->has("parent")) ctx_.governance.moveOrg(b->has("name") ? field(b, "name") : name, field(b, "parent"), actor("管理者 admin"));
    ctx_.policy.invalidate();
    auto snap = ctx_.policy.snapshot();
    const acl::Organisation* o = snap->orgNamed(b->has("name") ? field(b, "name") : name);
    if (!o) throw notFound();
    send(200, orgJson(*o, *snap));
}

void ApiRequest::listRoles() {
    std::optional<std::string> org;
    if (!param("org").empty()) org = param("org");
    std::optional<Date> on;
    if (!param("on").empty()) {
        on = Date::parse(param("on"));
        if (!on) throw ApiError(400, "bad_date", "on must be YYYY-MM-DD", "日付は YYYY-MM-DD の形で指定してください");
    }
    auto snap = ctx_.policy.snapshot();
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    std::map<std::int64_t, bool> shown;  // per organisation: may this person see its space?
    for (const auto& a : ctx_.governance.assignments(org, on)) {
        auto it = shown.find(a.orgId);
        if (it == shown.end()) {
            const acl::Organisation* o = snap->org(a.orgId);
            DocPath space = o ? o->space() : DocPath();
            bool visible = subject_.admin || a.userId == user_.id ||
                           (o && (ctx_.policy.decide(subject_, space).allows(acl::Rights::Read) ||
                                  ctx_.policy.canTraverse(subject_, space)));
            it = shown.emplace(a.orgId, visible).first;
        }
        if (it->second || a.userId == user_.id) out->add(assignmentJson(a, *snap));
    }
    send(200, out);
}

void ApiRequest::assignRole() {
    auto b = body();
    auto snap = ctx_.policy.snapshot();
    const acl::Organisation* o = snap->orgNamed(field(b, "org"));
    if (!o) throw ApiError(404, "no_org", "no such organisation", "その団体は登録されていません");
    acl::Decision d = requireManage(o->space());
    std::optional<Date> from, to;
    if (b->has("term")) {
        auto fy = FiscalYear::parse(field(b, "term"));
        if (!fy) throw ApiError(400, "bad_term", "term is a fiscal year such as R7 or 2025", "任期は R7、令和7年度、2025 のように指定してください");
        from = fy->first();
        to = fy->last();
    }
    if (b->has("from")) from = Date::parse(field(b, "from"));
    if (b->has("to")) to = Date::parse(field(b, "to"));
    if (!from || !to) throw ApiError(400, "bad_term", "give term, or from and to (YYYY-MM-DD)", "任期 (term) か、始まり (from) と終わり (to) を指定してください");
    auto a = ctx_.governance.assign(field(b, "user"), field(b, "role"), o->name, *from, *to, actor(d.via));
    ctx_.policy.invalidate();
    send(201, assignmentJson(a, *ctx_.policy.snapshot()));
}

void ApiRequest::endRole(std::int64_t id) {
    auto snap = ctx_.policy.snapshot();
    auto it = std::find_if(snap->assignments.begin(), snap->assignments.end(),
                           [&](const acl::RoleAssignment& a) { return a.id == id; });
    if (it == snap->assignments.end()) throw notFound();
    const acl::Organisation* o = snap->org(it->orgId);
    acl::Decision d = requireManage(o ? o->space() : DocPath());
    auto b = body_.present() ? body() : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    std::optional<Date> on = b->has("on") ? Date::parse(field(b, "on")) : std::optional<Date>(Date::today());
    if (!on) throw ApiError(400, "bad_date", "on must be YYYY-MM-DD", "日付は YYYY-MM-DD の形で指定してください");
    auto end = ctx_.governance.endAssignment(id, *on, actor(d.via));
    ctx_.policy.invalidate();
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("id", id);
    if (end) j->set("to", end->str());
    j->set("cancelled", !end);
    send(200, j);
}

void ApiRequest::showAcl() {
    DocPath path = DocPath::fromText(param("path"));
    requireManage(path);
    auto snap = ctx_.policy.snapshot();
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + path.str());
    j->set("protected", snap->protectedPaths.count(path.str()) > 0);
    Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
    for (DocPath p = path;; p = p.parent()) {
        auto it = snap->entries.find(p.str());
        if (it != snap->entries.end()) {
            for (const auto& e : it->second) {
                Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
                x->set("path", "/" + e.path);
                x->set("principal", snap->describe(e.principal));
                x->set("rights", acl::rightsName(e.rights));
                x->set("inherited", !(p == path));
                entries->add(x);
            }
        }
        if (p.isRoot() || snap->protectedPaths.count(p.str())) break;
    }
    j->set("entries", entries);
    j->set("yourRights", acl::rightsName(ctx_.policy.decide(subject_, path).rights));
    send(200, j);
}

void ApiRequest::grant() {
    auto b = body();
    DocPath path = DocPath::fromText(field(b, "path"));
    acl::Decision d = requireManage(path);
    auto rights = acl::parseRights(field(b, "rights"));
    if (!rights) throw ApiError(400, "bad_rights", "rights are none, read, write or manage", "権限は none、read、write、manage のどれかです");
    ctx_.governance.grant(path, ctx_.governance.parsePrincipal(field(b, "principal")), *rights, actor(d.via));
    ctx_.policy.invalidate();
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + path.str());
    j->set("principal", field(b, "principal"));
    j->set("rights", acl::rightsName(*rights));
    send(201, j);
}

void ApiRequest::revoke() {
    DocPath path = DocPath::fromText(param("path"));
    acl::Decision d = requireManage(path);
    ctx_.governance.revoke(path, ctx_.governance.parsePrincipal(param("principal")), actor(d.via));
    ctx_.policy.invalidate();
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("path", "/" + path.str());
    j->set("revoked", param("principal"));
    send(200, j);
}

void ApiRequest::auditLog() {
    AuditFilter filter;
    if (!param("since").empty()) filter.since = param("since");
    if (!param("user").empty()) filter.user = param("user");
    if (!param("limit").empty()) filter.limit = std::max(1, std::min(10000, std::atoi(param("limit").c_str())));
    if (!param("path").empty()) filter.path = DocPath::fromText(param("path")).str();
    if (!subject_.admin) {
        // Others see the history of what they manage, nothing else.
        if (!filter.path) {
            throw ApiError(403, "forbidden", "give path=, a folder you manage", "管理しているフォルダを path= で指定してください");
        }
        requireManage(DocPath::fromText(*filter.path));
    }
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& e : audit::query(ctx_.db, filter)) {
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
        if (!fy) throw ApiError(400, "bad_year", "year is a fiscal year such as 2025, R7 or 令和7年度", "年度は 2025、R7、令和7年度 のように指定してください");
        q.year = fy->year;
    }
    q.type = param("type");
    for (const char* key : {"from", "to"}) {
        if (param(key).empty()) continue;
        if (!Date::parse(param(key))) throw ApiError(400, "bad_date", "dates are YYYY-MM-DD", "日付は YYYY-MM-DD の形で指定してください");
    }
    q.from = param("from");
    q.to = param("to");
    q.byDate = param("sort") == "date";
    if (!param("offset").empty()) q.offset = static_cast<std::size_t>(std::max(0, std::atoi(param("offset").c_str())));
    if (!param("limit").empty()) q.limit = static_cast<std::size_t>(std::clamp(std::atoi(param("limit").c_str()), 1, 200));
    indexer::SearchResult r = ctx_.search.search(q, subject_, ctx_.policy);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("total", static_cast<Poco::UInt64>(r.total));
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

void ApiRequest::indexStatus() {
    IndexStatus s = ctx_.search.status(subject_.admin ? 50 : 0);
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
    j->set("pending", s.pending);
    j->set("indexed", s.indexed);
    j->set("failed", s.failed);
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
