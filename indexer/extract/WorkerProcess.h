#pragma once
// One running kiroku-extract process, seen from the parent: launch, one request at a time
// with a deadline, and stop. Used by ExtractionPool; POSIX only (pipes polled with poll()).

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "extract/WorkerProtocol.h"

namespace kiroku::indexer::extract {

// A worker that can no longer be used. After any WorkerFailure the process has been killed
// and reaped; the WorkerProcess object must be discarded.
class WorkerFailure : public std::runtime_error {
public:
    enum class Kind {
        Start,         // could not be launched, or never said "ready"
        NotDelivered,  // was already gone when the request was sent: not the file's fault
        Timeout,       // no complete answer before the deadline
        Crashed,       // died while working, or broke the protocol
    };
    WorkerFailure(Kind kind, const std::string& detail) : std::runtime_error(detail), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

class WorkerProcess {
public:
    struct Answer {
        bool ok = false;
        std::string mime, extractor;
        std::string payload;  // the text, or the reason of an error
    };

    // Launches `binary pluginDir arguments…` and waits up to `startTimeout` for its "ready"
    // line. Throws WorkerFailure(Start).
    WorkerProcess(const std::string& binary, const std::string& pluginDir,
                  const std::vector<std::string>& arguments,
                  std::chrono::milliseconds startTimeout);

    // Asks the worker to exit (closes its stdin), waits briefly, then kills it if needed.
    ~WorkerProcess();

    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    int pid() const { return pid_; }
    std::size_t extractorCount() const { return extractorCount_; }

    // False when an idle worker has exited or written something unasked: it cannot serve.
    bool idleAndHealthy() const;

    // Sends one request and waits for the answer until `timeout` has passed. Not
    // thread-safe: one request at a time. Throws WorkerFailure (the worker is then dead).
    Answer request(const std::string& path, std::size_t maxBytes,
                   std::chrono::milliseconds timeout);

private:
    using Clock = std::chrono::steady_clock;

    [[noreturn]] void fail(WorkerFailure::Kind kind, const std::string& detail);
    void kill();  // kills (unless already exited) and reaps; records the exit status
    std::string exitDescription() const;
    void send(const std::string& data, Clock::time_point deadline);
    std::string receiveLine(Clock::time_point deadline);
    std::string receiveExactly(std::size_t n, Clock::time_point deadline);
    bool fill(Clock::time_point deadline);  // false on end of file

    Poco::Pipe toWorker_;
    Poco::Pipe fromWorker_;
    std::unique_ptr<Poco::ProcessHandle> process_;
    int pid_ = -1;
    bool reaped_ = false;
    int exitStatus_ = -1;  // as Poco reports it; -1 while unknown
    std::size_t extractorCount_ = 0;
    std::string buffer_;  // bytes received and not yet consumed
};

}  // namespace kiroku::indexer::extract
