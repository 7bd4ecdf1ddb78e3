// PUT, DELETE, MKCOL, COPY and MOVE.
#include "dav/DavRequest.h"

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
    if (path.isRoot()) throw DavStatus(405, "cannot PUT to the root folder", "ここにはファイルを保存できません");
    auto entry = ctx_.store.stat(path);
    if (entry && entry->isDir) {
        throw DavStatus(405, "a folder has this name", "同じ名前のフォルダがあるため保存できません");
    }
    if (entry) {
        require(path, acl::Rights::Write);
    } else {
        require(path.parent(), acl::Rights::Write);
    }
    checkConditionalHeaders(entry, false);
    checkIfHeader(path);
    checkLocks(path, false, !entry);
    if (!entry) {
        auto parent = ctx_.store.stat(path.parent());
        if (!parent || !parent->isDir) {
            throw DavStatus(409, "the folder /" + path.parent().str() + " does not exist",
                            "保存先のフォルダがありません。先にフォルダを作ってください");
        }
    }
    if (request_.has("Content-Range")) {
        throw DavStatus(400, "partial PUT (Content-Range) is not supported",
                        "ファイルの一部だけの保存には対応していません");
    }
    auto upload = ctx_.store.beginUpload(path, actor(), body_.declaredLength());
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
    auto after = ctx_.store.stat(path);
    if (after) response_.set("ETag", after->etag());
    if (mtimeAccepted) response_.set("X-OC-MTime", "accepted");
    sendBytes(created ? 201 : 204, "", "");
}

void DavRequest::doDelete() {
    DocPath path = parseTarget();
    auto entry = ctx_.store.stat(path);
    if (!entry) throw DavStatus(404, "not found: /" + path.str(), "ファイルまたはフォルダが見つかりません");
    if (path.isRoot()) throw DavStatus(403, "the root folder cannot be deleted", "いちばん上のフォルダは削除できません");
    requireVisible(path, entry->isDir);
    if (entry->isDir && depthHeader(request_) != "infinity") {
        throw DavStatus(400, "DELETE of a folder needs Depth: infinity", "フォルダの削除には Depth: infinity が必要です");
    }
    require(path.parent(), acl::Rights::Write);
    require(path, acl::Rights::Write, true);
    checkIfHeader(path);
    checkLocks(path, true, true);
    ctx_.store.remove(path, actor());
    ctx_.locks.releaseWithin(path);
    ctx_.policy.recheck();
    sendBytes(204, "", "");
}

void DavRequest::doMkcol() {
    DocPath path = parseTarget();
    if (body_.present()) {
        throw DavStatus(415, "MKCOL with a body is not supported", "フォルダ作成に本文は使えません");
    }
    if (auto existing = ctx_.store.stat(path); existing && visible(path, existing->isDir)) {
        response_.set("Allow", "OPTIONS, GET, HEAD, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK");
        throw DavStatus(405, "already exists: /" + path.str(), "同じ名前のファイルかフォルダがすでにあります");
    }
    require(path.parent(), acl::Rights::Write);
    if (ctx_.store.stat(path)) {
        // Taken by something this person cannot see: refuse without saying what it is.
        throw DavStatus(409, "the name is taken", "その名前は使えません。別の名前にしてください");
    }
    checkIfHeader(path);
    checkLocks(path, false, true);
    ctx_.store.makeFolder(path, actor());
    sendBytes(201, "", "");
}

void DavRequest::doCopyMove(bool move) {
    DocPath from = parseTarget();
    if (!request_.has("Destination")) {
        throw DavStatus(400, "Destination header missing", "移動先・コピー先 (Destination) が指定されていません");
    }
    std::string dest = Poco::trim(request_.get("Destination"));
    auto scheme = dest.find("://");
    if (scheme != std::string::npos) {
        auto slash = dest.find('/', scheme + 3);
        dest = slash == std::string::npos ? "/" : dest.substr(slash);
    }
    if (dest.find('#') != std::string::npos) {
        throw DavStatus(400, "a fragment (#) is not allowed in Destination", "移動先のアドレスに # は使えません");
    }
    dest = dest.substr(0, dest.find('?'));
    if (dest.compare(0, ctx_.prefix.size(), ctx_.prefix) != 0 ||
        (dest.size() > ctx_.prefix.size() && dest[ctx_.prefix.size()] != '/')) {
        throw DavStatus(502, "Destination is outside this drive", "移動先・コピー先がこのドライブの外です");
    }
    DocPath to = DocPath::fromUrl(std::string_view(dest).substr(ctx_.prefix.size()));

    auto src = ctx_.store.stat(from);
    if (!src) throw DavStatus(404, "not found: /" + from.str(), "ファイルまたはフォルダが見つかりません");
    requireVisible(from, src->isDir);
    if (from.isRoot() || to.isRoot()) {
        throw DavStatus(403, "the root folder cannot be copied, moved or replaced", "いちばん上のフォルダは対象にできません");
    }
    if (from == to) throw DavStatus(403, "source and destination are the same", "元と先が同じです");
    if (src->isDir && to.isWithin(from)) {
        throw DavStatus(403, "cannot copy or move a folder into itself", "フォルダをその中へコピー・移動することはできません");
    }
    std::string depth = depthHeader(request_);
    bool recursive = true;
    if (move) {
        if (depth != "infinity") throw DavStatus(400, "MOVE needs Depth: infinity", "移動には Depth: infinity が必要です");
    } else if (depth == "0") {
        recursive = false;
    } else if (depth != "infinity") {
        throw DavStatus(400, "COPY allows Depth 0 or infinity", "コピーの Depth は 0 か infinity にしてください");
    }
    bool overwrite = true;
    if (request_.has("Overwrite")) {
        std::string o = Poco::toUpper(Poco::trim(request_.get("Overwrite")));
        if (o == "F") overwrite = false;
        else if (o != "T") throw DavStatus(400, "Overwrite must be T or F", "Overwrite は T か F にしてください");
    }

    // Rights at both ends: the whole source (read to copy, write to move) and the destination.
    if (move) {
        require(from.parent(), acl::Rights::Write);
        // Entries and protections travel with what they sit on: moving them is managing.
        require(from, ctx_.policy.carriesRules(from) ? acl::Rights::Manage : acl::Rights::Write, true);
    } else {
        require(from, acl::Rights::Read, true);
    }
    require(to.parent(), acl::Rights::Write);
    checkIfHeader(from);
    if (move) checkLocks(from, true, true);
    auto existing = ctx_.store.stat(to);
    if (existing) require(to, acl::Rights::Write, true);
    auto parent = ctx_.store.stat(to.parent());
    if (!parent || !parent->isDir) {
        throw DavStatus(409, "the destination folder does not exist", "移動先・コピー先のフォルダがありません");
    }
    checkLocks(to, true, true);
    if (existing && !overwrite) {
        throw DavStatus(412, "the destination exists and Overwrite is F",
                        "移動先・コピー先に同じ名前のものがあります (上書きしない指定です)");
    }
    // A replaced resource goes to the trash in the same change, so nothing is lost.
    if (move) {
        ctx_.store.move(from, to, actor(), existing.has_value());
        ctx_.locks.releaseWithin(from);
        ctx_.policy.recheck();
    } else {
        ctx_.store.copy(from, to, recursive, actor(), existing.has_value());
    }
    if (existing) ctx_.locks.releaseWithin(to);
    sendBytes(existing ? 204 : 201, "", "");
}

}  // namespace kiroku::dav
