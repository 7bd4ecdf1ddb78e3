#pragma once
// Listener: accepts the connections of kirokud's HTTP and HTTPS ports and hands them to
// the worker threads only once they have something to serve, so that strangers cannot
// starve officers of threads:
//
//   - a connection waits in one poll thread, holding no worker, until its first request
//     has arrived whole (HTTP: up to the empty line after the headers) or, for HTTPS,
//     until the client has begun the handshake;
//   - one that has not done so within the header timeout is closed (HTTP: with 408);
//   - an address holds at most `perAddress` connections at once, waiting and served
//     together across both ports; one more is refused (HTTP: with 503) at once;
//   - at most `maxWaiting` connections wait in all; past that, the oldest is dropped.
//
// Once handed over, a connection is Poco's HTTPServerConnection (keep-alive, per-read
// timeouts) on the shared thread pool, as with Poco::Net::HTTPServer; it still counts
// for its address until it closes.
//
// Thread-safe; start() and stop() from one thread.

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiroku::http {

struct ListenerLimits {
    int perAddress = 20;                  // server.maxConnectionsPerAddress (0: no cap)
    Poco::Timespan headerTimeout{10, 0};  // server.requestHeaderTimeout
    std::size_t maxWaiting = 1000;        // connections waiting for their first request
};

class Listener {
public:
    Listener(Poco::ThreadPool& pool, const ListenerLimits& limits, Poco::Logger& log);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // A bound, listening socket whose requests go to `factory`. `secure`: a
    // SecureServerSocket (only the start of the handshake is waited for). Before start().
    void add(const Poco::Net::ServerSocket& socket,
             Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
             Poco::Net::HTTPServerParams::Ptr params, bool secure);

    void start();
    // Stops accepting, closes the waiting connections and aborts the requests being
    // served (their threads end soon after; join the pool to wait for them).
    void stop();

    // Connections open now from `address` (waiting or being served).
    int connectionsFrom(const std::string& address) const;
    // Connections refused or dropped so far (over the cap, timed out, queue full).
    std::int64_t refused() const { return refused_; }

    // Called by a served connection when it ends.
    void release(int fd);

private:
    struct Port;
    struct Waiting;
    void run();
    void acceptFrom(Port& port);
    void check(Waiting& w, short revents, bool& done);
    void dispatch(Waiting& w);
    // Counts a refusal; writes `response` first (plain HTTP only) without waiting.
    void closeWith(Poco::Net::StreamSocket& socket, bool secure, const std::string* response);
    void drop(Waiting& w, const std::string* response);  // closeWith, and the address forgotten
    bool admit(const std::string& address);
    void forget(const std::string& address);

    Poco::ThreadPool& pool_;
    ListenerLimits limits_;
    Poco::Logger& log_;
    std::vector<std::unique_ptr<Port>> ports_;
    std::vector<std::unique_ptr<Waiting>> waiting_;  // oldest first
    mutable std::mutex mutex_;
    std::map<std::string, int> perAddress_;
    std::map<int, std::string> served_;  // socket fd -> address, while a worker serves it
    std::atomic<std::int64_t> refused_{0};
    std::chrono::steady_clock::time_point acceptPausedUntil_{},
        lastAcceptWarning_{};  // poll thread only
    int wake_[2] = {-1, -1};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace kiroku::http
