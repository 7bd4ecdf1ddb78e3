// PUT, DELETE, MKCOL, COPY and MOVE.
#include "dav/DavRequest.h"
#include "dav/Destination.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <vector>

namespace kiroku::dav {

namespace {

std::string depthHeader(const Poco::Net::HTTPServerRequest& r) {
    return r.has("Depth") ? Poco::toLower(Poco::trim(r.get("Depth"))) : std::string("infinity");
}

}  // namespace

void DavRequest::doPut() {
    DocPath path = parseTarget();
    if (path.isRoot()) throw DavStatus(405, msg("doc.not_here"));
    auto entry = docs_.findIfVisible(caller_, path);
    if (entry && entry->isDir) {
        throw DavStatus(405, msg("doc.folder_has_the_name"));
    }
    checkConditionalHeaders(entry, false);
    checkIfHeader(path);
    if (request_.has("Content-Range")) {
        throw DavStatus(400, msg("dav.partial_put"));
    }
    auto upload = docs_.beginUpload(caller_, path, body_.declaredLength());
    // rclone (owncloud/nextcloud vendors) sends the file's own modification time.
    bool mtimeAccepted = false;
    if (request_.has("X-OC-Mtime")) {
        double seconds = 0;
        if (Poco::NumberParser::tryParseFloat(Poco::trim(request_.get("X-OC-Mtime")), seconds) &&
            seconds > 0 && seconds < 253402300800.0) {
            upload->setModified(static_cast<std::int64_t>(seconds));
            mtimeAccepted = true;
        }
    }
    std::vector<char> buf(1 << 16);
    for (;;) {
        std::size_t n = body_.read(buf.data(), buf.size());
        if (n == 0) break;
        upload->write(buf.data(), n);
    }
    bool created = upload->commit();
    if (auto after = docs_.stat(caller_, path)) response_.set("ETag", after->etag());
    if (mtimeAccepted) response_.set("X-OC-MTime", "accepted");
    sendBytes(created ? 201 : 204, "", "");
}

void DavRequest::doDelete() {
    DocPath path = parseTarget();
    Entry entry = docs_.find(caller_, path);
    if (path.isRoot()) throw DavStatus(403, msg("doc.root_not_deletable"));
    if (entry.isDir && depthHeader(request_) != "infinity") {
        throw DavStatus(400, msg("dav.delete_depth"));
    }
    checkIfHeader(path);
    docs_.remove(caller_, path);
    sendBytes(204, "", "");
}

void DavRequest::doMkcol() {
    DocPath path = parseTarget();
    if (body_.present()) {
        throw DavStatus(415, msg("dav.mkcol_body"));
    }
    checkIfHeader(path);
    try {
        docs_.makeFolder(caller_, path);
    } catch (const service::ServiceError& e) {
        // RFC 4918 §9.3.1: MKCOL on an existing resource is 405.
        if (e.code() != service::ServiceError::Code::Exists) throw;
        response_.set("Allow",
                      "OPTIONS, GET, HEAD, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK");
        throw DavStatus(405, e.message());
    }
    sendBytes(201, "", "");
}

void DavRequest::doCopyMove(bool move) {
    DocPath from = parseTarget();
    if (!request_.has("Destination")) {
        throw DavStatus(400, msg("dav.no_destination"));
    }
    DocPath to =
        destinationPath(Poco::trim(request_.get("Destination")), request_.getHost(), ctx_.prefix);

    docs_.find(caller_, from);
    std::string depth = depthHeader(request_);
    bool recursive = true;
    if (move) {
        if (depth != "infinity") throw DavStatus(400, msg("dav.move_depth"));
    } else if (depth == "0") {
        recursive = false;
    } else if (depth != "infinity") {
        throw DavStatus(400, msg("dav.copy_depth"));
    }
    bool overwrite = true;
    if (request_.has("Overwrite")) {
        std::string o = Poco::toUpper(Poco::trim(request_.get("Overwrite")));
        if (o == "F")
            overwrite = false;
        else if (o != "T")
            throw DavStatus(400, msg("dav.overwrite"));
    }
    checkIfHeader(from);
    // A replaced resource goes to the trash in the same change, so nothing is lost.
    bool replaced = move ? docs_.move(caller_, from, to, overwrite)
                         : docs_.copy(caller_, from, to, recursive, overwrite);
    sendBytes(replaced ? 204 : 201, "", "");
}

}  // namespace kiroku::dav
