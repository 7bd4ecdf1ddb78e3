// request_body: the strict body reader and chunked decoder (server/http/RequestBody.h),
// fed through a real connection (a local socket) and Poco's HTTPServerSession, as
// kirokud receives bodies. The first byte chooses the mode:
//   even: the rest is a chunked body as sent; readAll(1 KiB) must return or throw
//         IncompleteBody or BodyTooLarge, nothing else, and never return more bytes
//         than were sent;
//   odd:  the rest is a payload, which the harness chunks (sizes, extensions and a
//         trailer drawn from the first byte) and follows with a second request; reading
//         it in small pieces must give the payload exactly, finish the body, and leave
//         the next request on the connection intact.
#include "FuzzSupport.h"
#include "http/RequestBody.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <memory>

using namespace kiroku;

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;  // well inside a local socket's buffer

class Wire {
public:
    Wire() : path_(fuzz::scratchPath("socket")) {
        std::remove(path_.c_str());
        listener_.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path_));
        listener_.listen();
        params_ = new Poco::Net::HTTPServerParams;
        params_->setTimeout(Poco::Timespan(5, 0));
    }
    ~Wire() { std::remove(path_.c_str()); }

    // Sends `bytes` and ends the sending half; the server side of the connection.
    Poco::Net::StreamSocket send(const std::string& bytes) {
        Poco::Net::StreamSocket client;
        client.connect(listener_.address());
        Poco::Net::StreamSocket server = listener_.acceptConnection();
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            int n = client.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
            FUZZ_CHECK(n > 0);
            sent += static_cast<std::size_t>(n);
        }
        client.shutdownSend();
        client_ = client;  // kept open until the next input, so the server never sees a reset
        return server;
    }

    Poco::Net::HTTPServerParams::Ptr params() const { return params_; }

private:
    std::string path_;
    Poco::Net::ServerSocket listener_;
    Poco::Net::StreamSocket client_;
    Poco::Net::HTTPServerParams::Ptr params_;
};

Wire& wire() {
    static Wire w;
    return w;
}

const std::string kHead =
    "PUT /dav/a.txt HTTP/1.1\r\nHost: nas\r\nTransfer-Encoding: chunked\r\n\r\n";
const std::string kNext = "GET /next HTTP/1.1\r\nHost: nas\r\n\r\n";

// A small deterministic generator for the chunking of a payload.
struct Draw {
    std::uint32_t state;
    std::uint32_t next(std::uint32_t bound) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % bound;
    }
};

std::string chunk(const std::string& payload, Draw& draw) {
    std::string out;
    static const char* const hex = "0123456789abcdef";
    std::size_t at = 0;
    while (at < payload.size()) {
        std::size_t n = std::min<std::size_t>(payload.size() - at, 1 + draw.next(300));
        std::string size;
        for (std::size_t v = n; v > 0; v /= 16) size.insert(size.begin(), hex[v % 16]);
        if (draw.next(2)) size.insert(0, std::string(draw.next(4), '0'));
        out += size;
        if (draw.next(4) == 0) out += ";name=value";
        out += draw.next(4) == 0 ? "\n" : "\r\n";
        out.append(payload, at, n);
        out += "\r\n";
        at += n;
    }
    out += "0\r\n";
    if (draw.next(3) == 0) out += "Trailer-Field: x\r\n";
    out += "\r\n";
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > kMaxInput) return 0;
    const std::string rest(fuzz::asText(data + 1, size - 1));
    const bool structured = data[0] % 2 == 1;
    Draw draw{data[0]};

    Poco::Net::StreamSocket server =
        wire().send(kHead + (structured ? chunk(rest, draw) + kNext : rest));
    Poco::Net::HTTPServerSession session(server, wire().params());
    auto response = std::make_unique<Poco::Net::HTTPServerResponseImpl>(session);
    auto request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(*response, session,
                                                                      wire().params().get());
    RequestBody body(*request);
    FUZZ_CHECK(body.present() && body.declaredLength() == -1);

    if (!structured) {
        try {
            std::string got = body.readAll(1024);
            FUZZ_CHECK(got.size() <= rest.size());
            FUZZ_CHECK(body.finished());
        } catch (const IncompleteBody&) {
            FUZZ_CHECK(!body.finished());
        } catch (const BodyTooLarge&) {
        }
        return 0;
    }
    std::string got;
    char buffer[8];
    for (;;) {
        std::size_t n = body.read(buffer, 1 + draw.next(sizeof buffer));
        if (n == 0) break;
        got.append(buffer, n);
    }
    FUZZ_CHECK(got == rest);
    FUZZ_CHECK(body.finished());
    response = std::make_unique<Poco::Net::HTTPServerResponseImpl>(session);
    request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(*response, session,
                                                                 wire().params().get());
    FUZZ_CHECK(request->getURI() == "/next");
    return 0;
}
