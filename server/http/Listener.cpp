#include "http/Listener.h"

#include "messages/Messages.h"

#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace kiroku::http {

namespace {

using Clock = std::chrono::steady_clock;

// A served connection: Poco's HTTPServerConnection, which tells the listener when it ends.
class ServedConnection : public Poco::Net::TCPServerConnection {
public:
    ServedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::TCPServerConnection* inner,
                     Listener& listener, int fd)
        : TCPServerConnection(socket), inner_(inner), listener_(listener), fd_(fd) {}
    ~ServedConnection() override {
        inner_.reset();
        // The socket is still open here (the base class holds it), so its descriptor
        // cannot yet belong to a connection accepted since.
        listener_.release(fd_);
    }
    void run() override { inner_->run(); }

private:
    std::unique_ptr<Poco::Net::TCPServerConnection> inner_;
    Listener& listener_;
    int fd_;
};

class ServedFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ServedFactory(Listener& listener, Poco::Net::HTTPServerParams::Ptr params,
                  Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
        : listener_(listener), params_(std::move(params)), factory_(std::move(factory)) {}
    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
        int fd = socket.impl()->sockfd();
        try {
            return new ServedConnection(
                socket, new Poco::Net::HTTPServerConnection(socket, params_, factory_), listener_,
                fd);
        } catch (...) {
            listener_.release(fd);
            throw;
        }
    }

private:
    Listener& listener_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
};

// A short answer written without waiting, before a connection is closed: a client
// that is still listening learns why.
std::string shortResponse(const char* status, const char* code, const char* extraHeaders) {
    Message m = msg(code);
    std::string body = m.ja + "\n" + m.en + "\n";
    return std::string("HTTP/1.1 ") + status +
           "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body;
}

const std::string& busyResponse() {
    static const std::string r =
        shortResponse("503 Service Unavailable", "http.too_many_connections", "Retry-After: 5\r\n");
    return r;
}

const std::string& timeoutResponse() {
    static const std::string r = shortResponse("408 Request Timeout", "http.request_timeout", "");
    return r;
}

// True when `data` holds the end of an HTTP request's head (the empty line).
bool hasHeadEnd(const char* data, std::size_t n) {
    std::string_view v(data, n);
    return v.find("\r\n\r\n") != std::string_view::npos || v.find("\n\n") != std::string_view::npos;
}

}  // namespace

struct Listener::Port {
    Poco::Net::ServerSocket socket;
    bool secure = false;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory;
    Poco::Net::HTTPServerParams::Ptr params;
    Poco::Net::TCPServerDispatcher* dispatcher = nullptr;  // reference-counted by Poco
};

struct Listener::Waiting {
    Poco::Net::StreamSocket socket;
    Port* port = nullptr;
    std::string address;
    Clock::time_point deadline;
};

Listener::Listener(Poco::ThreadPool& pool, const ListenerLimits& limits, Poco::Logger& log)
    : pool_(pool), limits_(limits), log_(log) {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("cannot create a pipe");
}

Listener::~Listener() {
    stop();
    for (auto& p : ports_) {
        if (p->dispatcher) p->dispatcher->release();
    }
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void Listener::add(const Poco::Net::ServerSocket& socket,
                   Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                   Poco::Net::HTTPServerParams::Ptr params, bool secure) {
    auto port = std::make_unique<Port>();
    port->socket = socket;
    port->socket.setBlocking(false);
    port->secure = secure;
    port->factory = factory;
    port->params = params;
    port->dispatcher = new Poco::Net::TCPServerDispatcher(new ServedFactory(*this, params, factory),
                                                          pool_, params);
    ports_.push_back(std::move(port));
}

void Listener::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void Listener::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    char c = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_[1], &c, 1);
    thread_.join();
    for (auto& w : waiting_) forget(w->address);
    waiting_.clear();
    for (auto& p : ports_) p->socket.close();
    {
        // As Poco::Net::HTTPServer::stopAll(true): every served connection's socket is
        // shut down, so that its thread ends soon. The descriptors in served_ are open:
        // a connection leaves it before its socket closes.
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [fd, address] : served_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& p : ports_) p->dispatcher->stop();
}

int Listener::connectionsFrom(const std::string& address) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = perAddress_.find(address);
    return it == perAddress_.end() ? 0 : it->second;
}

bool Listener::admit(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    int& n = perAddress_[address];
    if (limits_.perAddress > 0 && n >= limits_.perAddress) {
        if (n == 0) perAddress_.erase(address);
        return false;
    }
    ++n;
    return true;
}

void Listener::forget(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = perAddress_.find(address);
    if (it != perAddress_.end() && --it->second <= 0) perAddress_.erase(it);
}

void Listener::release(int fd) {
    std::string address;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = served_.find(fd);
        if (it == served_.end()) return;
        address = std::move(it->second);
        served_.erase(it);
    }
    forget(address);
}

void Listener::closeWith(Poco::Net::StreamSocket& socket, bool secure,
                         const std::string* response) {
    ++refused_;
    if (response && !secure) {
        int fd = socket.impl()->sockfd();
        [[maybe_unused]] ssize_t n =
            ::send(fd, response->data(), response->size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);
    }
    socket.close();
}

void Listener::drop(Waiting& w, const std::string* response) {
    closeWith(w.socket, w.port->secure, response);
    forget(w.address);
}

void Listener::dispatch(Waiting& w) {
    int fd = w.socket.impl()->sockfd();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        served_[fd] = w.address;
    }
    int refusedBefore = w.port->dispatcher->refusedConnections();
    w.port->dispatcher->enqueue(w.socket);
    if (w.port->dispatcher->refusedConnections() != refusedBefore) {
        // Every worker is busy and the queue is full.
        {
            std::lock_guard<std::mutex> lock(mutex_);
            served_.erase(fd);
        }
        drop(w, &busyResponse());
    }
}

void Listener::acceptFrom(Port& port) {
    for (int i = 0; i < 64; ++i) {
        Poco::Net::StreamSocket socket;
        std::string address;
        try {
            Poco::Net::SocketAddress peer;
            socket = port.socket.acceptConnection(peer);
            address = peer.host().toString();
        } catch (const Poco::Exception& e) {
            // EAGAIN (Poco: IOException): nothing more to accept now. EMFILE and the
            // like: accepting pauses for 100 ms, and the warning is logged once a minute.
            if (e.code() != EAGAIN && e.code() != EWOULDBLOCK) {
                auto now = Clock::now();
                acceptPausedUntil_ = now + std::chrono::milliseconds(100);
                if (now - lastAcceptWarning_ > std::chrono::minutes(1)) {
                    log_.warning("accept: %s (code %d)", e.displayText(), e.code());
                    lastAcceptWarning_ = now;
                }
            }
            return;
        }
        // As Poco's TCPServer does: responses go out at once, not after the client's
        // delayed acknowledgement (40 ms a request with keep-alive otherwise).
        try {
            socket.setNoDelay(true);
        } catch (const Poco::Exception&) {
        }
        auto w = std::make_unique<Waiting>();
        w->socket = socket;
        w->port = &port;
        w->address = address;
        w->deadline =
            Clock::now() + std::chrono::microseconds(limits_.headerTimeout.totalMicroseconds());
        if (!admit(address)) {
            closeWith(socket, port.secure, &busyResponse());
            continue;
        }
        if (waiting_.size() >= limits_.maxWaiting) {
            drop(*waiting_.front(), nullptr);
            waiting_.erase(waiting_.begin());
        }
        waiting_.push_back(std::move(w));
    }
}

void Listener::check(Waiting& w, short revents, bool& done) {
    done = false;
    if (revents & (POLLERR | POLLNVAL)) {
        drop(w, nullptr);
        done = true;
        return;
    }
    if (!(revents & (POLLIN | POLLHUP | POLLRDHUP))) return;
    // Peek, so that the worker reads the request itself. 32 KB holds the head of any
    // request a WebDAV client or a browser sends; a longer one is served too (and
    // bounded by Poco's limits on header fields).
    static thread_local std::vector<char> buf(32 << 10);
    ssize_t n = ::recv(w.socket.impl()->sockfd(), buf.data(), buf.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    bool whole = n > 0 && (w.port->secure || static_cast<std::size_t>(n) == buf.size() ||
                           hasHeadEnd(buf.data(), static_cast<std::size_t>(n)));
    if (whole) {
        // HTTPS: the handshake has begun; Poco completes it on the worker's first read.
        dispatch(w);
    } else if (n <= 0 || (revents & (POLLHUP | POLLRDHUP))) {
        // Closed (or done sending) before a whole request.
        drop(w, nullptr);
    } else {
        return;
    }
    done = true;
}

void Listener::run() {
    std::vector<pollfd> fds;
    while (!stopping_) {
        fds.clear();
        fds.push_back({wake_[0], POLLIN, 0});
        // While accepting is paused, the ports are polled for nothing.
        const short portEvents = Clock::now() < acceptPausedUntil_ ? 0 : POLLIN;
        for (auto& p : ports_) fds.push_back({p->socket.impl()->sockfd(), portEvents, 0});
        for (auto& w : waiting_) fds.push_back({w->socket.impl()->sockfd(), POLLIN | POLLRDHUP, 0});
        auto now = Clock::now();
        auto next = now + std::chrono::seconds(1);
        if (portEvents == 0) next = std::min(next, acceptPausedUntil_);
        for (auto& w : waiting_) next = std::min(next, w->deadline);
        int timeout = static_cast<int>(std::max<std::int64_t>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
        int ready = ::poll(fds.data(), fds.size(), timeout);
        if (ready < 0 && errno != EINTR) {
            log_.error("poll: %s", std::string(std::strerror(errno)));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        if (stopping_) break;
        // The waiting connections first (their entries in `fds` follow the ports'),
        // then the new ones, then the deadlines.
        const std::size_t first = 1 + ports_.size();
        std::vector<std::unique_ptr<Waiting>> still;
        still.reserve(waiting_.size());
        for (std::size_t i = 0; i < waiting_.size(); ++i) {
            bool done = false;
            if (ready > 0 && fds[first + i].revents)
                check(*waiting_[i], fds[first + i].revents, done);
            if (!done) still.push_back(std::move(waiting_[i]));
        }
        waiting_.swap(still);
        now = Clock::now();
        std::vector<std::unique_ptr<Waiting>> kept;
        kept.reserve(waiting_.size());
        for (auto& w : waiting_) {
            if (w->deadline <= now) {
                drop(*w, &timeoutResponse());
            } else {
                kept.push_back(std::move(w));
            }
        }
        waiting_.swap(kept);
        for (std::size_t i = 0; i < ports_.size(); ++i) {
            if (ready > 0 && (fds[1 + i].revents & POLLIN)) acceptFrom(*ports_[i]);
        }
    }
}

}  // namespace kiroku::http
