#include "extract/WorkerProcess.h"

#include <Poco/Exception.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace kiroku::indexer::extract {
namespace {

constexpr std::size_t kMaxReasonLength = 64 * 1024;
constexpr auto kGracefulExit = std::chrono::milliseconds(1000);

// Blocks SIGPIPE in the calling thread while it writes to a worker that may have died, so
// that the write fails with EPIPE instead of killing the whole server; a SIGPIPE raised
// meanwhile is consumed before the mask is restored.
class SigpipeBlocker {
public:
    SigpipeBlocker() {
        sigemptyset(&pipeSet_);
        sigaddset(&pipeSet_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        wasPending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipeSet_, &previous_);
    }
    ~SigpipeBlocker() {
        if (!wasPending_) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec now{0, 0};
                sigtimedwait(&pipeSet_, nullptr, &now);
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlocker(const SigpipeBlocker&) = delete;
    SigpipeBlocker& operator=(const SigpipeBlocker&) = delete;

private:
    sigset_t pipeSet_{};
    sigset_t previous_{};
    bool wasPending_ = false;
};

int millisecondsUntil(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<long long>(0, left.count()));
}

}  // namespace

WorkerProcess::WorkerProcess(const std::string& binary, const std::string& pluginDir,
                             const std::vector<std::string>& arguments,
                             std::chrono::milliseconds startTimeout) {
    Poco::Process::Args args{pluginDir};
    args.insert(args.end(), arguments.begin(), arguments.end());
    try {
        process_ = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(binary, args, &toWorker_, &fromWorker_, nullptr));
    } catch (const Poco::Exception& e) {
        throw WorkerFailure(WorkerFailure::Kind::Start,
                            "cannot launch " + binary + ": " + e.displayText());
    }
    pid_ = process_->id();
    try {
        extractorCount_ = parseReady(receiveLine(Clock::now() + startTimeout));
    } catch (const WorkerFailure& e) {
        throw WorkerFailure(WorkerFailure::Kind::Start, binary + " did not start: " + e.what());
    } catch (const ProtocolError& e) {
        kill();
        throw WorkerFailure(WorkerFailure::Kind::Start, binary + " did not start: " + e.what());
    }
}

WorkerProcess::~WorkerProcess() {
    if (reaped_ || !process_) return;
    toWorker_.close(Poco::Pipe::CLOSE_WRITE);  // end of requests: the worker exits
    const auto deadline = Clock::now() + kGracefulExit;
    while (Clock::now() < deadline) {
        try {
            if (Poco::Process::tryWait(*process_) != -1) {
                reaped_ = true;
                return;
            }
        } catch (const Poco::Exception&) {
            reaped_ = true;  // not our child any more (already reaped)
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill();
}

void WorkerProcess::kill() {
    if (reaped_ || !process_) return;
    int status = -1;
    try {
        status = Poco::Process::tryWait(*process_);
        if (status == -1) {
            Poco::Process::kill(*process_);
            status = Poco::Process::wait(*process_);
        }
    } catch (const Poco::Exception&) {
        // Gone already; nothing left to reap.
    }
    reaped_ = true;
    exitStatus_ = status;
}

std::string WorkerProcess::exitDescription() const {
    // Poco reports death by signal N as 256 + N.
    if (exitStatus_ >= 256) return "killed by signal " + std::to_string(exitStatus_ - 256);
    if (exitStatus_ >= 0) return "exited with status " + std::to_string(exitStatus_);
    return "ended";
}

void WorkerProcess::fail(WorkerFailure::Kind kind, const std::string& detail) {
    kill();
    throw WorkerFailure(kind, detail);
}

bool WorkerProcess::idleAndHealthy() const {
    if (reaped_ || !buffer_.empty()) return false;
    pollfd p{fromWorker_.readHandle(), POLLIN, 0};
    const int ready = ::poll(&p, 1, 0);
    return ready == 0;  // nothing to read, no hang-up: alive and silent
}

WorkerProcess::Answer WorkerProcess::request(const std::string& path, std::size_t maxBytes,
                                             std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    send(encodeRequest(path, maxBytes), deadline);
    try {
        const ResponseHeader header = parseResponseHeader(receiveLine(deadline));
        const std::size_t limit = header.ok ? maxBytes : kMaxReasonLength;
        if (header.payloadLength > limit) throw ProtocolError("answer longer than allowed");
        return Answer{header.ok, header.mime, header.extractor,
                      receiveExactly(header.payloadLength, deadline)};
    } catch (const ProtocolError& e) {
        fail(WorkerFailure::Kind::Crashed, std::string("protocol error: ") + e.what());
    }
}

void WorkerProcess::send(const std::string& data, Clock::time_point deadline) {
    const int fd = toWorker_.writeHandle();
    SigpipeBlocker blocker;
    std::size_t done = 0;
    while (done < data.size()) {
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, millisecondsUntil(deadline));
        if (ready == 0) fail(WorkerFailure::Kind::Timeout, "request not accepted in time");
        if (ready < 0) {
            if (errno == EINTR) continue;
            fail(WorkerFailure::Kind::NotDelivered, std::string("poll: ") + std::strerror(errno));
        }
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            fail(WorkerFailure::Kind::NotDelivered, std::string("write: ") + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

bool WorkerProcess::fill(Clock::time_point deadline) {
    const int fd = fromWorker_.readHandle();
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, millisecondsUntil(deadline));
        if (ready == 0) fail(WorkerFailure::Kind::Timeout, "no answer in time");
        if (ready < 0) {
            if (errno == EINTR) continue;
            fail(WorkerFailure::Kind::Crashed, std::string("poll: ") + std::strerror(errno));
        }
        char chunk[65536];
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) return false;
        if (errno != EINTR && errno != EAGAIN)
            fail(WorkerFailure::Kind::Crashed, std::string("read: ") + std::strerror(errno));
    }
}

std::string WorkerProcess::receiveLine(Clock::time_point deadline) {
    for (;;) {
        const std::size_t newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        if (buffer_.size() > kMaxHeaderLine) throw ProtocolError("header line too long");
        if (!fill(deadline)) {
            kill();
            throw WorkerFailure(WorkerFailure::Kind::Crashed, "the worker " + exitDescription());
        }
    }
}

std::string WorkerProcess::receiveExactly(std::size_t n, Clock::time_point deadline) {
    buffer_.reserve(n);
    while (buffer_.size() < n)
        if (!fill(deadline)) {
            kill();
            throw WorkerFailure(WorkerFailure::Kind::Crashed,
                                "the worker " + exitDescription() + " mid-answer");
        }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
}

}  // namespace kiroku::indexer::extract
