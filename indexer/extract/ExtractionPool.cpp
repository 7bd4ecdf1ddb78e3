#include "kiroku/indexer/ExtractionPool.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "extract/WorkerProcess.h"

namespace kiroku::indexer {

using extract::WorkerFailure;
using extract::WorkerProcess;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);

Poco::Logger& logger() { return Poco::Logger::get("kiroku.indexer.extract"); }

// Every option as kiroku-extract's arguments.
std::vector<std::string> workerArguments(const ExtractionPool::Options& options) {
    std::vector<std::string> args = options.workerArguments;
    if (options.niceness > 0) {
        args.push_back("--nice");
        args.push_back(std::to_string(std::min(options.niceness, 19)));
    }
    if (options.memoryLimitMiB > 0) {
        args.push_back("--memory-limit");
        args.push_back(std::to_string(options.memoryLimitMiB));
    }
    return args;
}

}  // namespace

ExtractionPool::Options ExtractionPool::ocrOptions(const std::string& languages, unsigned pages,
                                                   std::chrono::seconds perFile) {
    Options options;
    options.workers = 1;
    options.timeout = perFile + std::chrono::seconds(30);
    options.workerArguments = {"--ocr", "--ocr-pages", std::to_string(std::max(pages, 1u)),
                               "--ocr-seconds",
                               std::to_string(std::max<long long>(perFile.count(), 1))};
    if (!languages.empty()) {
        options.workerArguments.push_back("--ocr-languages");
        options.workerArguments.push_back(languages);
    }
    options.niceness = 19;
    options.memoryLimitMiB = kOcrMemoryLimitMiB;
    return options;
}

ExtractionPool::ExtractionPool(std::string workerBinary, std::string pluginDir, std::size_t workers,
                               std::chrono::milliseconds timeout)
    : ExtractionPool(std::move(workerBinary), std::move(pluginDir),
                     Options{workers, timeout, {}, 0, 0}) {}

ExtractionPool::ExtractionPool(std::string workerBinary, std::string pluginDir, Options options)
    : workerBinary_(std::move(workerBinary)),
      pluginDir_(std::move(pluginDir)),
      maxWorkers_(options.workers == 0 ? 1 : options.workers),
      timeout_(options.timeout),
      workerArguments_(workerArguments(options)) {}

ExtractionPool::WorkerPtr ExtractionPool::launch() const {
    return std::make_unique<WorkerProcess>(workerBinary_, pluginDir_, workerArguments_,
                                           kStartTimeout);
}

ExtractionPool::~ExtractionPool() {
    std::vector<WorkerPtr> workers;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        // Busy workers come back within their timeout.
        changed_.wait(lock, [this] { return idle_.size() == running_; });
        workers.swap(idle_);
        running_ = 0;
        pids_.clear();
    }
    workers.clear();  // each worker's destructor stops its process
}

void ExtractionPool::start() {
    std::vector<WorkerPtr> started;
    try {
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (running_ >= maxWorkers_) break;
                ++running_;
            }
            WorkerPtr worker;
            try {
                worker = launch();
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex_);
                --running_;
                throw;
            }
            std::lock_guard<std::mutex> lock(mutex_);
            pids_.insert(worker->pid());
            if (worker->extractorCount() == 0)
                logger().warning("kiroku-extract loaded no extractor plugins from " + pluginDir_);
            started.push_back(std::move(worker));
        }
    } catch (const WorkerFailure& e) {
        for (auto& worker : started) release(std::move(worker));
        throw std::runtime_error(std::string("cannot start the extractor: ") + e.what());
    }
    for (auto& worker : started) release(std::move(worker));
}

ExtractionPool::WorkerPtr ExtractionPool::acquire() {
    {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return !idle_.empty() || running_ < maxWorkers_; });
        if (!idle_.empty()) {
            WorkerPtr worker = std::move(idle_.back());
            idle_.pop_back();
            return worker;
        }
        ++running_;
    }
    try {
        auto worker = launch();
        std::lock_guard<std::mutex> lock(mutex_);
        pids_.insert(worker->pid());
        if (worker->extractorCount() == 0)
            logger().warning("kiroku-extract loaded no extractor plugins from " + pluginDir_);
        return worker;
    } catch (...) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --running_;
        }
        changed_.notify_one();
        throw;
    }
}

void ExtractionPool::release(WorkerPtr worker) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(std::move(worker));
    }
    changed_.notify_all();
}

void ExtractionPool::discard(WorkerPtr worker) {
    const int pid = worker->pid();
    worker.reset();  // kills and reaps, outside the lock
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pids_.erase(pid);
        --running_;
    }
    changed_.notify_all();
}

ExtractionPool::Result ExtractionPool::extract(const std::string& path, std::size_t maxBytes) {
    Result result;
    // A worker found dead before it got the request is replaced without blaming the file;
    // a bounded number of times, so that a worker that dies at once cannot loop forever.
    for (std::size_t attempt = 0; attempt <= maxWorkers_ + 1; ++attempt) {
        WorkerPtr worker;
        try {
            worker = acquire();
        } catch (const WorkerFailure& e) {
            logger().error(e.what());
            result.error = std::string("cannot start the extractor: ") + e.what();
            return result;
        }
        if (!worker->idleAndHealthy()) {
            discard(std::move(worker));
            continue;
        }
        try {
            auto answer = worker->request(path, maxBytes, timeout_);
            release(std::move(worker));
            result.ok = answer.ok;
            result.mime = std::move(answer.mime);
            result.extractor = std::move(answer.extractor);
            (answer.ok ? result.text : result.error) = std::move(answer.payload);
            return result;
        } catch (const WorkerFailure& e) {
            discard(std::move(worker));
            if (e.kind() == WorkerFailure::Kind::NotDelivered) continue;
            const bool timedOut = e.kind() == WorkerFailure::Kind::Timeout;
            logger().warning("extraction of " + path + (timedOut ? " timed out" : " failed: ") +
                             (timedOut ? "" : e.what()) + "; worker replaced");
            result.error = timedOut ? "timeout" : "extractor crashed";
            return result;
        }
    }
    result.error = "extractor crashed";
    return result;
}

std::vector<int> ExtractionPool::workerPids() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {pids_.begin(), pids_.end()};
}

}  // namespace kiroku::indexer
