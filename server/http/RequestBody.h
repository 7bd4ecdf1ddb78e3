#pragma once
// RequestBody: reads an HTTP request body exactly and safely.
//
// Poco 1.11 gives a request with neither Content-Length nor chunked encoding a body
// stream that reads until the connection closes, and its chunked decoder cannot tell
// a finished body from a connection that dropped half-way. RequestBody reads a body
// only when the request declares one, decodes chunked bodies strictly, and reports a
// body that ended early as incomplete, so a torn upload is never saved.
//
// "Expect: 100-continue" is answered when the body is first read, not before the
// request is looked at (Poco's way): a request refused before its body (too large,
// not allowed, locked) is answered at once, and the client never sends a body into a
// connection that is closing, where it would see a reset instead of the answer.
// Not thread-safe: one per request.

#include <Poco/Net/HTTPServerRequest.h>

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <streambuf>
#include <string>

namespace kiroku {

// Thrown when the body ends before it is complete or is malformed.
class IncompleteBody : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by readAll when the body is larger than allowed.
class BodyTooLarge : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class RequestBody {
public:
    explicit RequestBody(Poco::Net::HTTPServerRequest& request);

    // Takes "Expect: 100-continue" from the request before Poco sees it, so that
    // RequestBody invites the body when it reads it. Called on every request, before
    // its handler is created.
    static void deferContinue(Poco::Net::HTTPServerRequest& request);

    // True when the request declares a body (Content-Length > 0 or chunked).
    bool present() const { return chunked_ || length_ > 0; }
    // Declared length, or -1 for chunked bodies.
    std::int64_t declaredLength() const { return chunked_ ? -1 : length_; }

    // Reads up to `size` bytes; returns 0 at the end of a complete body.
    // Throws IncompleteBody when the connection ends early or the chunking is broken.
    std::size_t read(char* buffer, std::size_t size);

    // Reads the whole body into a string. Throws BodyTooLarge past `limit` bytes
    // (without reading the rest) and IncompleteBody.
    std::string readAll(std::int64_t limit);

    // Reads and throws away the rest of the body when it is small, so that the
    // connection can serve the next request. Returns false when the body was left
    // unread (also a body never invited: the client may or may not send it); the caller
    // must then close the connection.
    bool discard(std::int64_t limit = 64 * 1024);

    bool finished() const { return done_; }

private:
    void invite();  // sends the deferred 100 Continue, once per request
    int getByte();
    std::size_t readRaw(char* buffer, std::size_t size);
    std::string readLine();

    Poco::Net::HTTPServerRequest& request_;
    bool chunked_ = false;
    std::int64_t length_ = 0;
    std::int64_t remaining_ = 0;  // in the current chunk, or of the whole fixed body
    bool done_ = false;
    bool broken_ = false;
};

// The body as a std::istream (for parsers that read streams, such as Poco's multipart
// reader). Reading past a body that ended early throws IncompleteBody. One per request.
class RequestBodyStream : private std::streambuf, public std::istream {
public:
    explicit RequestBodyStream(RequestBody& body) : std::istream(this), body_(body) {
        exceptions(std::ios::badbit);  // let IncompleteBody through
    }

private:
    std::streambuf::int_type underflow() override {
        std::size_t n = body_.read(buffer_, sizeof buffer_);
        if (n == 0) return std::streambuf::traits_type::eof();
        setg(buffer_, buffer_, buffer_ + n);
        return std::streambuf::traits_type::to_int_type(buffer_[0]);
    }
    RequestBody& body_;
    char buffer_[16384];
};

}  // namespace kiroku
