#include "http/Listener.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace kiroku;

namespace {

std::atomic<int> noDelaySeen{-1};  // TCP_NODELAY on the socket of the last request served

class Hello : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
            noDelaySeen = impl->socket().getNoDelay() ? 1 : 0;
        }
        response.setContentLength(5);
        response.send() << "hello";
    }
};

class HelloFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Hello;
    }
};

// A raw client connection from a given loopback address.
class Client {
public:
    Client(const char* from, int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &a.sin_addr);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        sockaddr_in s{};
        s.sin_family = AF_INET;
        s.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &s.sin_addr);
        EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&s), sizeof s), 0);
        timeval tv{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { close(); }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    void send(const std::string& s) {
        ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), (ssize_t)s.size());
    }
    std::string receive() {
        char buf[4096];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }
    std::string get() {
        send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        return receive();
    }

private:
    int fd_ = -1;
};

bool startsWith(const std::string& s, const std::string& p) {
    return s.compare(0, p.size(), p) == 0;
}

class ListenerTest : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = std::make_unique<Poco::ThreadPool>(2, 8);
        http::ListenerLimits limits;
        limits.perAddress = 2;
        limits.headerTimeout = Poco::Timespan(1, 0);
        listener_ = std::make_unique<http::Listener>(*pool_, limits, log_);
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress("127.0.0.1:0"), true, false);
        socket.listen(16);
        port_ = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        listener_->add(socket, new HelloFactory, params, false);
        listener_->start();
    }
    void TearDown() override {
        listener_->stop();
        pool_->joinAll();
    }
    // Waits up to 3 s for the count of `address` to become `n`.
    bool countBecomes(const char* address, int n) {
        for (int i = 0; i < 300; ++i) {
            if (listener_->connectionsFrom(address) == n) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    Poco::Logger& log_ = Poco::Logger::get("ListenerTest");
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<http::Listener> listener_;
    int port_ = 0;
};

}  // namespace

// Regression (security review, finding 4).
TEST_F(ListenerTest, Finding04AnAddressPastItsCapIsRefusedAndOthersAreServed) {
    Client a("127.0.0.5", port_), b("127.0.0.5", port_);
    EXPECT_TRUE(startsWith(a.get(), "HTTP/1.1 200"));
    EXPECT_TRUE(countBecomes("127.0.0.5", 2));  // b waits, silent, and counts
    Client c("127.0.0.5", port_);
    EXPECT_TRUE(startsWith(c.receive(), "HTTP/1.1 503"));
    EXPECT_TRUE(startsWith(b.get(), "HTTP/1.1 200"));
    Client other("127.0.0.6", port_);
    EXPECT_TRUE(startsWith(other.get(), "HTTP/1.1 200"));
    // Closing gives the address its connection back (served and waiting alike).
    a.close();
    b.close();
    EXPECT_TRUE(countBecomes("127.0.0.5", 0));
    Client d("127.0.0.5", port_);
    EXPECT_TRUE(startsWith(d.get(), "HTTP/1.1 200"));
}

TEST_F(ListenerTest, Finding04SilentConnectionsHoldNoThreadAndAreClosedWith408) {
    // More silent connections than the pool has threads, from more addresses.
    std::vector<std::unique_ptr<Client>> silent;
    for (int i = 0; i < 12; ++i) {
        std::string from = "127.0.1." + std::to_string(10 + i / 2);
        silent.push_back(std::make_unique<Client>(from.c_str(), port_));
    }
    Client officer("127.0.0.2", port_);
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(startsWith(officer.get(), "HTTP/1.1 200"));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
    Client half("127.0.0.3", port_);
    half.send("GET / HTTP/1.1\r\nHo");
    EXPECT_TRUE(startsWith(half.receive(), "HTTP/1.1 408"));
    EXPECT_TRUE(startsWith(silent[0]->receive(), "HTTP/1.1 408"));
    EXPECT_TRUE(countBecomes("127.0.1.10", 0));
}

TEST_F(ListenerTest, AHeadSentInPiecesIsServedWhole) {
    Client c("127.0.0.7", port_);
    c.send("GET / HTTP/1.1\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    c.send("Host: t\r\n\r\n");
    EXPECT_TRUE(startsWith(c.receive(), "HTTP/1.1 200"));
}

TEST_F(ListenerTest, ClosedBeforeAWholeRequestIsForgotten) {
    {
        Client c("127.0.0.8", port_);
        c.send("GET / HTTP/1.1\r\nHo");
        EXPECT_TRUE(countBecomes("127.0.0.8", 1));
    }
    EXPECT_TRUE(countBecomes("127.0.0.8", 0));
}

// Regression: without TCP_NODELAY (which Poco's own TCPServer sets), each response on a
// keep-alive connection waited for the client's delayed acknowledgement: searches took
// 44 ms instead of 5 (bench/search.sh).
TEST_F(ListenerTest, RegressionNoDelayServedSocketsSendAtOnce) {
    noDelaySeen = -1;
    Client c("127.0.0.9", port_);
    EXPECT_TRUE(startsWith(c.get(), "HTTP/1.1 200"));
    EXPECT_EQ(noDelaySeen.load(), 1);
}
