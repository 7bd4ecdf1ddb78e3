// OPTIONS, GET and HEAD: files (with ranges) and folder listings for browsers.
#include "dav/DavRequest.h"

#include "core/HttpDate.h"
#include "dav/Range.h"
#include "http/Status.h"
#include "http/UserContent.h"

#include <Poco/String.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace kiroku::dav {

// ---- OPTIONS, GET, HEAD ---------------------------------------------------------------

void DavRequest::doOptions() {
    response_.set("DAV", "1, 2");
    response_.set("MS-Author-Via", "DAV");
    response_.set(
        "Allow",
        "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK");
    sendBytes(200, "text/plain; charset=utf-8", "");
}

namespace {

void appendListingHtml(std::string& out, const std::string& title,
                       const std::vector<Entry>& entries, const std::string& selfHref) {
    out += "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>";
    appendEscaped(out, title);
    out +=
        "</title><style>body{font-size:20px;font-family:sans-serif;margin:2em}"
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
        out +=
            "<li><a href=\"" + selfHref + percentEncode(name, false) + (e.isDir ? "/" : "") + "\">";
        out += e.isDir ? "&#x1F4C1; " : "&#x1F4C4; ";  // folder, page
        appendEscaped(out, name);
        out += "</a></li>";
    }
    out += "</ul></body></html>";
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
        appendListingHtml(html, path.isRoot() ? msg("listing.root").ja : path.name(), shown,
                          href(path, true));
        response_.set("Cache-Control", "no-cache");
        // Kiroku's own page, without a script: nothing else may run or load in it.
        response_.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        response_.set("X-Content-Type-Options", "nosniff");
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
            RangeRequest asked = parseRange(request_.get("Range"), entry.size);
            if (asked.kind == RangeRequest::Kind::Unsatisfiable) {
                response_.set("Content-Range", "bytes */" + std::to_string(entry.size));
                throw DavStatus(416, msg("dav.range"));
            }
            if (asked.kind == RangeRequest::Kind::Part) range = asked.range;
        }
    }
    // Opening records the read where reads are recorded (名簿), for a HEAD too: it
    // tells the size and the type of the document.
    std::unique_ptr<service::OpenFile> file = docs_.open(caller_, path);
    char sniff[4096];
    ssize_t sniffed = std::max<ssize_t>(::pread(file->fd(), sniff, sizeof sniff, 0), 0);
    std::uint64_t first = range ? range->first : 0;
    std::uint64_t count = range ? range->last - range->first + 1 : entry.size;
    setStatus(response_, range ? 206 : 200);
    if (range) {
        response_.set("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                           std::to_string(range->last) + "/" +
                                           std::to_string(entry.size));
    }
    // A user's file never runs as the site (http/UserContent.h).
    setUserContentHeaders(response_, path.name(), contentTypeFor(path.name()),
                          std::string_view(sniff, static_cast<std::size_t>(sniffed)));
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
