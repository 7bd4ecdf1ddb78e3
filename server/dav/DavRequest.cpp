#include "dav/DavRequest.h"

#include "core/HttpDate.h"
#include "http/Status.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cerrno>
#include <map>
#include <vector>

namespace kiroku::dav {

using Poco::Net::HTTPResponse;

namespace {

struct ContentType {
    const char* extension;
    const char* type;
};

const ContentType kContentTypes[] = {
    {"txt", "text/plain; charset=utf-8"}, {"csv", "text/csv"}, {"md", "text/markdown"},
    {"htm", "text/html"}, {"html", "text/html"}, {"xml", "application/xml"},
    {"json", "application/json"}, {"pdf", "application/pdf"}, {"rtf", "application/rtf"},
    {"doc", "application/msword"}, {"xls", "application/vnd.ms-excel"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
    {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"}, {"gif", "image/gif"},
    {"zip", "application/zip"}, {"jtd", "application/x-js-taro"},
};

bool isWriteMethod(const std::string& m) {
    return m == "PUT" || m == "DELETE" || m == "MKCOL" || m == "COPY" || m == "MOVE" ||
           m == "PROPPATCH" || m == "LOCK" || m == "UNLOCK";
}

}  // namespace

const char* contentTypeFor(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos && name.size() - dot <= 5) {
        char ext[8] = {};
        for (std::size_t i = dot + 1, j = 0; i < name.size(); ++i, ++j) {
            ext[j] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
        }
        for (const auto& ct : kContentTypes) {
            if (std::strcmp(ext, ct.extension) == 0) return ct.type;
        }
    }
    return "application/octet-stream";
}

DavRequest::DavRequest(DavContext& ctx, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, const User& user,
                       std::string address)
    : ctx_(ctx), docs_(ctx.documents), request_(request), response_(response),
      caller_(ctx.documents.caller(user, address)), body_(request) {}

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
        if (m == "OPTIONS") doOptions();
        else if (m == "GET") doGet(false);
        else if (m == "HEAD") doGet(true);
        else if (m == "PUT") doPut();
        else if (m == "DELETE") doDelete();
        else if (m == "MKCOL") doMkcol();
        else if (m == "COPY") doCopyMove(false);
        else if (m == "MOVE") doCopyMove(true);
        else if (m == "PROPFIND") doPropfind();
        else if (m == "PROPPATCH") doProppatch();
        else if (m == "LOCK") doLock();
        else if (m == "UNLOCK") doUnlock();
        else {
            response_.set("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK");
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
        ctx_.log.information("%s %s %s -> %d", caller_.user.name, m, request_.getURI(),
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
        xml = e.conflictingLock ? "<D:no-conflicting-lock><D:href>" + root + "</D:href></D:no-conflicting-lock>"
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
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, request_.get("If-Modified-Since"), since, tz) &&
            entry->modifiedUs / 1000000 <= since.timestamp().epochTime()) {
            throw DavStatus(304, msg("dav.not_modified"));
        }
    }
    if (entry && !request_.has("If-Match") && request_.has("If-Unmodified-Since")) {
        int tz = 0;
        Poco::DateTime since;
        if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, request_.get("If-Unmodified-Since"), since, tz) &&
            entry->modifiedUs / 1000000 > since.timestamp().epochTime()) {
            throw DavStatus(412, msg("dav.changed"));
        }
    }
}

// ---- OPTIONS, GET, HEAD ---------------------------------------------------------------

void DavRequest::doOptions() {
    response_.set("DAV", "1, 2");
    response_.set("MS-Author-Via", "DAV");
    response_.set("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK");
    sendBytes(200, "text/plain; charset=utf-8", "");
}

namespace {

void appendListingHtml(std::string& out, const std::string& title, const std::vector<Entry>& entries,
                       const std::string& selfHref) {
    out += "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>";
    appendEscaped(out, title);
    out += "</title><style>body{font-size:20px;font-family:sans-serif;margin:2em}"
           "li{margin:.4em 0}</style></head><body><h1>";
    appendEscaped(out, title);
    out += "</h1><ul>";
    if (selfHref.size() > 5) {
        out += "<li><a href=\"../\">&uarr; ";
        appendEscaped(out, msg("listing.up").ja);
        out += "</a></li>";
    }
    for (const auto& e : entries) {
        if (e.clutter()) continue;
        std::string name = e.path.name();
        out += "<li><a href=\"" + selfHref + percentEncode(name, false) + (e.isDir ? "/" : "") + "\">";
        out += e.isDir ? "&#x1F4C1; " : "&#x1F4C4; ";  // folder, page
        appendEscaped(out, name);
        out += "</a></li>";
    }
    out += "</ul></body></html>";
}

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};

// Parses a single "bytes=a-b" range; nothing for absent, multiple or unparsable ranges.
// Throws DavStatus 416 for a range that lies outside the file.
std::optional<ByteRange> parseRange(const std::string& header, std::uint64_t size) {
    if (header.compare(0, 6, "bytes=") != 0) return std::nullopt;
    std::string spec = Poco::trim(header.substr(6));
    if (spec.find(',') != std::string::npos) return std::nullopt;
    auto dash = spec.find('-');
    if (dash == std::string::npos) return std::nullopt;
    std::string a = Poco::trim(spec.substr(0, dash)), b = Poco::trim(spec.substr(dash + 1));
    auto digits = [](const std::string& s) {
        return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), ::isdigit);
    };
    ByteRange r;
    if (a.empty()) {
        if (!digits(b)) return std::nullopt;
        std::uint64_t n = std::stoull(b);
        if (n == 0 || size == 0) throw DavStatus(416, msg("dav.range"));
        r.first = n >= size ? 0 : size - n;
        r.last = size - 1;
        return r;
    }
    if (!digits(a) || (!b.empty() && !digits(b))) return std::nullopt;
    r.first = std::stoull(a);
    r.last = b.empty() ? size - 1 : std::min<std::uint64_t>(std::stoull(b), size - 1);
    if (!b.empty() && std::stoull(b) < r.first) return std::nullopt;
    if (r.first >= size) throw DavStatus(416, msg("dav.range"));
    return r;
}

}  // namespace

void DavRequest::doGet(bool head) {
    DocPath path = parseTarget();
    Entry entry = docs_.find(caller_, path);  // a file is visible when it is readable
    if (!entry.isDir) {
        response_.set("ETag", entry.etag());
        std::string lastModified;
        appendHttpDate(lastModified, entry.modifiedUs);
        response_.set("Last-Modified", lastModified);
    }
    checkConditionalHeaders(entry, true);
    if (entry.isDir) {
        std::vector<Entry> shown = docs_.list(caller_, path);
        std::string html;
        appendListingHtml(html, path.isRoot() ? msg("listing.root").ja : path.name(), shown, href(path, true));
        response_.set("Cache-Control", "no-cache");
        sendBytes(200, "text/html; charset=utf-8", head ? std::string() : html);
        if (head) response_.setContentLength(static_cast<std::streamsize>(html.size()));
        return;
    }
    response_.set("Accept-Ranges", "bytes");
    std::optional<ByteRange> range;
    if (request_.has("Range")) {
        bool useRange = true;
        if (request_.has("If-Range")) {
            std::string ir = Poco::trim(request_.get("If-Range"));
            useRange = ir == entry.etag();
        }
        if (useRange) {
            try {
                range = parseRange(request_.get("Range"), entry.size);
            } catch (const DavStatus&) {
                response_.set("Content-Range", "bytes */" + std::to_string(entry.size));
                throw;
            }
        }
    }
    // Opening records the read where reads are recorded (名簿); a HEAD reads nothing.
    std::unique_ptr<service::OpenFile> file;
    if (!head) file = docs_.open(caller_, path);
    std::uint64_t first = range ? range->first : 0;
    std::uint64_t count = range ? range->last - range->first + 1 : entry.size;
    setStatus(response_, range ? 206 : 200);
    if (range) {
        response_.set("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                           std::to_string(range->last) + "/" + std::to_string(entry.size));
    }
    response_.setContentType(contentTypeFor(path.name()));
    response_.setContentLength64(static_cast<Poco::Int64>(count));
    sent_ = true;
    if (!body_.finished() && !body_.discard()) response_.setKeepAlive(false);
    if (head) {
        response_.send();
        return;
    }
    int fd = file->fd();
    std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(count, 1 << 16)) + 1);
    if (count <= (1 << 16)) {
        ssize_t n = ::pread(fd, buf.data(), count, static_cast<off_t>(first));
        if (n != static_cast<ssize_t>(count)) {
            response_.setKeepAlive(false);
            response_.setContentLength64(std::max<ssize_t>(n, 0));
            n = std::max<ssize_t>(n, 0);
        }
        response_.sendBuffer(buf.data(), static_cast<std::size_t>(n));
        return;
    }
    std::ostream& out = response_.send();
    off_t offset = static_cast<off_t>(first);
    while (count > 0 && out) {
        ssize_t n = ::pread(fd, buf.data(), std::min<std::uint64_t>(count, buf.size()), offset);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.write(buf.data(), n);
        offset += n;
        count -= static_cast<std::uint64_t>(n);
    }
}

}  // namespace kiroku::dav
