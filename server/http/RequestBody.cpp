#include "http/RequestBody.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>

#include <algorithm>
#include <cctype>

namespace kiroku {

namespace {

// HTTPSession's byte-level reads are protected; this derived type reaches them
// through pointers to members, so bodies can be decoded straight from the session.
struct SessionAccess : Poco::Net::HTTPSession {
    static int getFrom(Poco::Net::HTTPSession& s) {
        int (Poco::Net::HTTPSession::*get)() = &SessionAccess::get;
        return (s.*get)();
    }
    static int readFrom(Poco::Net::HTTPSession& s, char* b, std::streamsize n) {
        int (Poco::Net::HTTPSession::*read)(char*, std::streamsize) = &SessionAccess::read;
        return (s.*read)(b, n);
    }
};

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Where deferContinue keeps a request's expectation until its body is read. Any copy a
// client sends is removed first.
const char* const kDeferredContinue = "X-Kiroku-Deferred-Continue";

Poco::Net::HTTPSession& sessionOf(Poco::Net::HTTPServerRequest& request) {
    return static_cast<Poco::Net::HTTPServerRequestImpl&>(request).session();
}

}  // namespace

RequestBody::RequestBody(Poco::Net::HTTPServerRequest& request) : request_(request) {
    chunked_ = request.getChunkedTransferEncoding();
    if (!chunked_ && request.hasContentLength())
        length_ = std::max<std::int64_t>(request.getContentLength64(), 0);
    remaining_ = chunked_ ? 0 : length_;
    done_ = !chunked_ && length_ == 0;
}

void RequestBody::deferContinue(Poco::Net::HTTPServerRequest& request) {
    request.erase(kDeferredContinue);
    if (!request.getExpectContinue()) return;
    request.erase("Expect");
    if (request.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1)
        request.set(kDeferredContinue, "1");
}

void RequestBody::invite() {
    if (!request_.has(kDeferredContinue)) return;
    request_.erase(kDeferredContinue);
    request_.response().sendContinue();
}

int RequestBody::getByte() {
    int c = SessionAccess::getFrom(sessionOf(request_));
    if (c < 0) {
        broken_ = true;
        throw IncompleteBody("the request body ended early (connection closed)");
    }
    return c;
}

std::size_t RequestBody::readRaw(char* buffer, std::size_t size) {
    int n =
        SessionAccess::readFrom(sessionOf(request_), buffer, static_cast<std::streamsize>(size));
    if (n <= 0) {
        broken_ = true;
        throw IncompleteBody("the request body ended early (connection closed)");
    }
    return static_cast<std::size_t>(n);
}

std::string RequestBody::readLine() {
    std::string line;
    for (;;) {
        int c = getByte();
        if (c == '\n') break;
        if (line.size() > 4096) {
            broken_ = true;
            throw IncompleteBody("malformed chunked body (line too long)");
        }
        line += static_cast<char>(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::size_t RequestBody::read(char* buffer, std::size_t size) {
    if (done_ || size == 0) return 0;
    if (broken_) throw IncompleteBody("the request body is broken");
    invite();
    if (!chunked_) {
        std::size_t want = static_cast<std::size_t>(
            std::min<std::int64_t>(remaining_, static_cast<std::int64_t>(size)));
        std::size_t n = readRaw(buffer, want);
        remaining_ -= static_cast<std::int64_t>(n);
        if (remaining_ == 0) done_ = true;
        return n;
    }
    if (remaining_ == 0) {
        std::string line = readLine();
        std::size_t i = 0;
        std::int64_t value = 0;
        while (i < line.size() && hexDigit(line[i]) >= 0) {
            if (i >= 15) {
                broken_ = true;
                throw IncompleteBody("malformed chunked body (chunk too large)");
            }
            value = value * 16 + hexDigit(line[i]);
            ++i;
        }
        if (i == 0 || (i < line.size() && line[i] != ';' && line[i] != ' ' && line[i] != '\t')) {
            broken_ = true;
            throw IncompleteBody("malformed chunked body (bad chunk size)");
        }
        if (value == 0) {
            // Trailer fields, then the empty line that ends the body.
            while (!readLine().empty()) {
            }
            done_ = true;
            return 0;
        }
        remaining_ = value;
    }
    std::size_t want = static_cast<std::size_t>(
        std::min<std::int64_t>(remaining_, static_cast<std::int64_t>(size)));
    std::size_t n = readRaw(buffer, want);
    remaining_ -= static_cast<std::int64_t>(n);
    if (remaining_ == 0) {
        std::string end = readLine();
        if (!end.empty()) {
            broken_ = true;
            throw IncompleteBody("malformed chunked body (missing CRLF after a chunk)");
        }
    }
    return n;
}

std::string RequestBody::readAll(std::int64_t limit) {
    if (!chunked_ && length_ > limit) throw BodyTooLarge("request body too large");
    std::string out;
    char buf[16384];
    for (;;) {
        std::size_t n = read(buf, sizeof buf);
        if (n == 0) break;
        out.append(buf, n);
        if (static_cast<std::int64_t>(out.size()) > limit)
            throw BodyTooLarge("request body too large");
    }
    return out;
}

bool RequestBody::discard(std::int64_t limit) {
    if (done_) return true;
    if (broken_) return false;
    if (request_.has(kDeferredContinue)) return false;  // never invited
    if (!chunked_ && remaining_ > limit) return false;
    try {
        char buf[16384];
        std::int64_t total = 0;
        for (;;) {
            std::size_t n = read(buf, sizeof buf);
            if (n == 0) return true;
            total += static_cast<std::int64_t>(n);
            if (total > limit) return false;
        }
    } catch (const IncompleteBody&) {
        return false;
    }
}

}  // namespace kiroku
