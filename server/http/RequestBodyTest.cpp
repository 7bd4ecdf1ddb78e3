// RequestBody, the strict body reader, fed raw bytes the way kirokud receives them.
//
// RequestBody reads from the request's HTTPServerSession (not from stream(), which in
// Poco 1.11 is the lenient decoder it replaces), so a request here is real: the bytes
// go through a loopback connection into Poco's HTTPServerSession, and
// HTTPServerRequestImpl parses the header as the server would. The client side then
// closes its sending half, so "the connection ended" is what a short body meets.
#include "http/RequestBody.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace kiroku;

namespace {

class WireRequest {
public:
    explicit WireRequest(std::string bytes) {
        Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
        client_.connect(listener.address(), Poco::Timespan(5, 0));
        server_ = listener.acceptConnection();
        server_.setReceiveTimeout(Poco::Timespan(5, 0));
        // A thread writes, so that a body larger than the socket buffers cannot block the test.
        writer_ = std::thread([this, bytes = std::move(bytes)] {
            try {
                std::size_t sent = 0;
                while (sent < bytes.size()) {
                    int n = client_.sendBytes(
                        bytes.data() + sent,
                        static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 65536)));
                    if (n <= 0) break;
                    sent += static_cast<std::size_t>(n);
                }
                client_.shutdownSend();
            } catch (...) {
            }
        });
        try {
            params_ = new Poco::Net::HTTPServerParams;
            params_->setTimeout(Poco::Timespan(5, 0));
            session_ = std::make_unique<Poco::Net::HTTPServerSession>(server_, params_);
            next();
        } catch (...) {
            finish();  // a header Poco refuses: the writer must still end before we do
            throw;
        }
    }
    ~WireRequest() { finish(); }

    Poco::Net::HTTPServerRequest& request() { return *request_; }

    // Parses the next request on the same connection, as keep-alive would.
    Poco::Net::HTTPServerRequest& next() {
        request_.reset();
        response_.reset();
        response_ = std::make_unique<Poco::Net::HTTPServerResponseImpl>(*session_);
        request_ = std::make_unique<Poco::Net::HTTPServerRequestImpl>(*response_, *session_,
                                                                      params_.get());
        return *request_;
    }

private:
    void finish() {
        // Take in whatever the test left unread, so the writer finishes; it wrote a
        // bounded amount and then ended its half, so this ends too.
        try {
            char buf[65536];
            while (server_.receiveBytes(buf, sizeof buf) > 0) {
            }
        } catch (...) {
        }
        if (writer_.joinable()) writer_.join();
        request_.reset();
        response_.reset();
        session_.reset();
    }

    Poco::Net::StreamSocket client_;
    Poco::Net::StreamSocket server_;
    std::thread writer_;
    Poco::Net::HTTPServerParams::Ptr params_;
    std::unique_ptr<Poco::Net::HTTPServerSession> session_;
    std::unique_ptr<Poco::Net::HTTPServerResponseImpl> response_;
    std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request_;
};

const std::string kNext = "GET /next HTTP/1.1\r\nHost: nas\r\n\r\n";

std::string put(const std::string& headers, const std::string& body) {
    return "PUT /dav/a.txt HTTP/1.1\r\nHost: nas\r\n" + headers + "\r\n" + body;
}
std::string chunked(const std::string& body) { return put("Transfer-Encoding: chunked\r\n", body); }
std::string withLength(std::size_t length, const std::string& body) {
    return put("Content-Length: " + std::to_string(length) + "\r\n", body);
}

// Reads everything that is left, in small pieces; the count of bytes.
std::size_t drain(RequestBody& body) {
    char buf[4096];
    std::size_t total = 0;
    for (;;) {
        std::size_t n = body.read(buf, sizeof buf);
        if (n == 0) return total;
        total += n;
    }
}

}  // namespace

TEST(RequestBody, ContentLengthBodyIsReadExactly) {
    WireRequest wire(withLength(11, "hello world") + kNext);
    RequestBody body(wire.request());
    EXPECT_TRUE(body.present());
    EXPECT_EQ(body.declaredLength(), 11);
    EXPECT_EQ(body.readAll(1024), "hello world");
    EXPECT_TRUE(body.finished());
    char c;
    EXPECT_EQ(body.read(&c, 1), 0u);
    // Not a byte more was taken: the next request on the connection is intact.
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, ContentLengthBodyReadInPiecesStopsAtItsEnd) {
    WireRequest wire(withLength(10, "0123456789") + kNext);
    RequestBody body(wire.request());
    char buf[4];
    std::string got;
    for (std::size_t n; (n = body.read(buf, sizeof buf)) > 0;) got.append(buf, n);
    EXPECT_EQ(got, "0123456789");
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, NoDeclaredBodyReadsNothingEvenWhenBytesFollow) {
    // Poco would hand such a request a stream that reads until the connection closes.
    WireRequest wire(put("", "") + kNext);
    RequestBody body(wire.request());
    EXPECT_FALSE(body.present());
    EXPECT_TRUE(body.finished());
    char buf[64];
    EXPECT_EQ(body.read(buf, sizeof buf), 0u);
    EXPECT_EQ(body.readAll(1024), "");
    EXPECT_TRUE(body.discard());
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, ZeroContentLengthIsNoBody) {
    WireRequest wire(withLength(0, "") + kNext);
    RequestBody body(wire.request());
    EXPECT_FALSE(body.present());
    EXPECT_EQ(body.readAll(1024), "");
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, ChunkedBodyWithExtensionsAndTrailersIsDecoded) {
    WireRequest wire(chunked("5;name=value\r\nhello\r\n"
                             "1 ; quoted=\"a;b\"\r\n \r\n"
                             "A\tx\r\n0123456789\r\n"
                             "0;last\r\n"
                             "X-Checksum: abc\r\n"
                             "X-Other: 2\r\n"
                             "\r\n") +
                     kNext);
    RequestBody body(wire.request());
    EXPECT_TRUE(body.present());
    EXPECT_EQ(body.declaredLength(), -1);
    EXPECT_EQ(body.readAll(1024), "hello 0123456789");
    EXPECT_TRUE(body.finished());
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, ChunkedBodyWithBareLineFeedsAndUpperCaseHexIsDecoded) {
    WireRequest wire(chunked("B\nhello world\n0\n\n") + kNext);
    RequestBody body(wire.request());
    EXPECT_EQ(body.readAll(1024), "hello world");
    EXPECT_EQ(wire.next().getURI(), "/next");
}

TEST(RequestBody, ChunkedBodyCutOffMidChunkIsIncomplete) {
    WireRequest wire(chunked("5\r\nhello\r\nA\r\n01234"));
    RequestBody body(wire.request());
    EXPECT_THROW(body.readAll(1024), IncompleteBody);
    EXPECT_FALSE(body.finished());
}

TEST(RequestBody, ChunkedBodyCutOffBeforeTheLastChunkIsIncomplete) {
    for (const char* cut : {"5\r\nhello\r\n", "5\r\nhello", "5\r\nhello\r", "5\r\nhello\r\n0\r\n",
                            "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n", "5\r\nhello\r\n0", ""}) {
        WireRequest wire(chunked(cut));
        RequestBody body(wire.request());
        EXPECT_THROW(body.readAll(1024), IncompleteBody)
            << testing::PrintToString(std::string(cut));
        EXPECT_FALSE(body.finished());
    }
}

TEST(RequestBody, ChunkWithoutItsClosingLineBreakIsIncomplete) {
    WireRequest wire(chunked("5\r\nhelloX\r\n0\r\n\r\n"));
    RequestBody body(wire.request());
    EXPECT_THROW(body.readAll(1024), IncompleteBody);
}

TEST(RequestBody, BadChunkSizesAreIncomplete) {
    for (const char* size : {"zz", "-5", "+5", "0x5", " 5", "", "5z", "５", "ffffffffffffffffffff",
                             "7fffffffffffffff", "10000000000000000000000000000000000000"}) {
        WireRequest wire(chunked(std::string(size) + "\r\nhello\r\n0\r\n\r\n"));
        RequestBody body(wire.request());
        EXPECT_THROW(body.readAll(1 << 20), IncompleteBody) << size;
    }
}

// After a malformed or cut-off body, nothing on the connection can be trusted: what
// follows must never be read as the next request (request smuggling), so the body
// stays broken and discard() says the connection must be closed.
TEST(RequestBody, AfterAnIncompleteBodyTheConnectionMustBeClosed) {
    const std::vector<std::string> broken = {
        "ffffffffffffffffffff\r\n0\r\n\r\n",  // absurd size, then a valid end
        "zz\r\n0\r\n\r\n",                    // not hex, then a valid end
        "5\r\nhelloX\r\n0\r\n\r\n",           // a chunk without its CRLF
        // A size line too long: refused after 4097 bytes, and the rest of it ("0")
        // must not be taken for the last chunk.
        "5;" + std::string(4096, 'x') + "0\r\n\r\n",
    };
    for (const std::string& rest : broken) {
        WireRequest wire(chunked(rest) + kNext);
        RequestBody body(wire.request());
        EXPECT_THROW(body.readAll(1024), IncompleteBody) << rest.substr(0, 40);
        char buf[64];
        EXPECT_THROW(body.read(buf, sizeof buf), IncompleteBody) << rest.substr(0, 40);
        EXPECT_FALSE(body.discard()) << rest.substr(0, 40);
        EXPECT_FALSE(body.finished()) << rest.substr(0, 40);
    }
}

TEST(RequestBody, ChunkedLineTooLongIsIncomplete) {
    std::string longExtension = "5;" + std::string(10000, 'x') + "\r\nhello\r\n0\r\n\r\n";
    WireRequest wire(chunked(longExtension));
    RequestBody body(wire.request());
    EXPECT_THROW(body.readAll(1 << 20), IncompleteBody);
    EXPECT_FALSE(body.discard());
}

TEST(RequestBody, ReadAllOverTheLimitOfAContentLengthBodyReadsNothing) {
    const std::size_t size = 200000;
    WireRequest wire(withLength(size, std::string(size, 'a')));
    RequestBody body(wire.request());
    EXPECT_THROW(body.readAll(1000), BodyTooLarge);
    EXPECT_EQ(drain(body), size);  // every byte was still there
    EXPECT_TRUE(body.finished());
}

TEST(RequestBody, ReadAllOverTheLimitOfAChunkedBodyStopsEarly) {
    const std::size_t size = 200000;
    char hex[32];
    std::snprintf(hex, sizeof hex, "%zx", size);
    WireRequest wire(chunked(std::string(hex) + "\r\n" + std::string(size, 'a') + "\r\n0\r\n\r\n"));
    RequestBody body(wire.request());
    EXPECT_THROW(body.readAll(1000), BodyTooLarge);
    // It stopped within one read buffer past the limit, far from the end.
    EXPECT_GE(drain(body), size - 1000 - 16384);
    EXPECT_TRUE(body.finished());
}

TEST(RequestBody, ReadAllAtExactlyTheLimitSucceeds) {
    WireRequest wire(chunked("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
    RequestBody body(wire.request());
    EXPECT_EQ(body.readAll(5), "abcde");
}

TEST(RequestBody, DiscardOfASmallRemainderKeepsTheConnection) {
    {
        WireRequest wire(withLength(10, "0123456789") + kNext);
        RequestBody body(wire.request());
        char buf[3];
        ASSERT_EQ(body.read(buf, sizeof buf), 3u);
        EXPECT_TRUE(body.discard());
        EXPECT_TRUE(body.finished());
        EXPECT_EQ(wire.next().getURI(), "/next");
    }
    {
        WireRequest wire(chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") + kNext);
        RequestBody body(wire.request());
        EXPECT_TRUE(body.discard());
        EXPECT_TRUE(body.finished());
        EXPECT_EQ(wire.next().getURI(), "/next");
    }
}

TEST(RequestBody, DiscardOfALargeRemainderGivesUp) {
    const std::size_t size = 200000;
    {
        WireRequest wire(withLength(size, std::string(size, 'a')));
        RequestBody body(wire.request());
        EXPECT_FALSE(body.discard(64 * 1024));
        EXPECT_EQ(drain(body), size);  // a declared length over the limit is not even read
    }
    {
        char hex[32];
        std::snprintf(hex, sizeof hex, "%zx", size);
        WireRequest wire(
            chunked(std::string(hex) + "\r\n" + std::string(size, 'a') + "\r\n0\r\n\r\n"));
        RequestBody body(wire.request());
        EXPECT_FALSE(body.discard(64 * 1024));
        EXPECT_FALSE(body.finished());
    }
}

TEST(RequestBody, ContentLengthLongerThanTheBytesSentIsIncomplete) {
    {
        WireRequest wire(withLength(100, "only 19 bytes here."));
        RequestBody body(wire.request());
        EXPECT_THROW(body.readAll(1024), IncompleteBody);
        EXPECT_FALSE(body.finished());
        EXPECT_FALSE(body.discard());
    }
    {
        WireRequest wire(withLength(100, "only 19 bytes here."));
        RequestBody body(wire.request());
        EXPECT_FALSE(body.discard());
    }
}
