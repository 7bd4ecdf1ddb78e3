#pragma once
// Text extraction for kirokud: a small pool of long-lived `kiroku-extract` worker processes
// that run the extractor plugins on untrusted files. A file that crashes or hangs its worker
// costs that worker (killed and replaced) and is reported as failed; the server and the
// next file are unaffected.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace kiroku::indexer {

namespace extract {
class WorkerProcess;
}

class ExtractionPool {
public:
    static constexpr std::size_t kDefaultMaxBytes = 4u * 1024 * 1024;

    // The outcome for one file. Either ok with its text (possibly empty: an empty file, a
    // scanned PDF), or not ok with a short English reason, e.g. "unsupported type image/png",
    // "not a readable PDF (damaged or truncated)", "timeout", "extractor crashed".
    struct Result {
        bool ok = false;
        std::string mime;       // as libmagic reports it; "" when unknown
        std::string extractor;  // the extractor that produced the text; "" when none
        std::string text;       // UTF-8, at most the requested maxBytes
        std::string error;      // when !ok
    };

    // How the workers are run.
    struct Options {
        // At most this many processes run at once.
        std::size_t workers = 2;
        // Each file gets this long from request to answer; then its worker is killed.
        std::chrono::milliseconds timeout = std::chrono::seconds(20);
        // Passed to every worker after the plugin folder, e.g. {"--ocr", "--ocr-pages",
        // "20"} (the options of `kiroku-extract`, see indexer/extract/README.md).
        std::vector<std::string> workerArguments;
        // 1-19: each worker lowers its own CPU priority to this nice value as it starts
        // (`--nice`), so that it only uses time nothing else wants; 0 leaves it as is.
        int niceness = 0;
        // The workers' address-space limit in MiB (`--memory-limit`); 0: the worker's
        // default, 768 MiB, enough for every plugin but OCR.
        unsigned long memoryLimitMiB = 0;
    };

    // The OCR workers' address space: an A4 page reads within 256 MiB, the largest image
    // the plugin takes (50 megapixels) needs about 600 (measured: docs/design.md, "OCR").
    static constexpr unsigned long kOcrMemoryLimitMiB = 1024;

    // Options for the pool of OCR workers (plugins/ocr): one worker at nice 19 with
    // kOcrMemoryLimitMiB, serving only the OCR extractor with these languages ("" for the
    // plugin's default, jpn+jpn_vert+eng), page cap and time per file. The plugin stops at
    // `perFile` and returns what it has read; the pool's timeout, 30 s later, is the hard
    // stop behind it.
    static Options ocrOptions(const std::string& languages = "", unsigned pages = 20,
                              std::chrono::seconds perFile = std::chrono::seconds(120));

    // `workerBinary` is the kiroku-extract executable and `pluginDir` the folder of plugins
    // it loads (kirokud passes "<its own dir>/kiroku-extract" and "<its own dir>/plugins").
    // At most `workers` processes run at once; each file gets `timeout` from request to
    // answer. Workers start on first use (or in start()); nothing is launched here. Workers
    // run with kiroku-extract's defaults: every extractor but OCR.
    ExtractionPool(std::string workerBinary, std::string pluginDir, std::size_t workers = 2,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20));

    // The same with every option, e.g. ExtractionPool(binary, plugins, ocrOptions()).
    ExtractionPool(std::string workerBinary, std::string pluginDir, Options options);

    // Waits for extractions in progress to finish, then stops every worker.
    ~ExtractionPool();

    ExtractionPool(const ExtractionPool&) = delete;
    ExtractionPool& operator=(const ExtractionPool&) = delete;

    // Starts all workers now, so that a misconfiguration shows at startup. Throws
    // std::runtime_error with the reason when a worker cannot start.
    void start();

    // Extracts the text of the file at `path` (at most `maxBytes` bytes of it). Thread-safe;
    // blocks while every worker is busy. Never throws for a bad file and never waits longer
    // than about `timeout` for it: a worker that does not answer in time is killed ("timeout"),
    // one that dies while working is replaced ("extractor crashed"), and either way the next
    // call gets a fresh worker. A worker that cannot be started gives
    // "cannot start the extractor: …".
    Result extract(const std::string& path, std::size_t maxBytes = kDefaultMaxBytes);

    // The process ids of the running workers (for status pages and tests).
    std::vector<int> workerPids() const;

private:
    using WorkerPtr = std::unique_ptr<extract::WorkerProcess>;

    WorkerPtr acquire();             // an idle worker, or a new one; may throw WorkerFailure
    void release(WorkerPtr worker);  // back to the idle list
    void discard(WorkerPtr worker);  // killed or broken: forget it

    WorkerPtr launch() const;  // a new worker process; may throw WorkerFailure

    const std::string workerBinary_;
    const std::string pluginDir_;
    const std::size_t maxWorkers_;
    const std::chrono::milliseconds timeout_;
    const std::vector<std::string> workerArguments_;  // options included

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<WorkerPtr> idle_;
    std::size_t running_ = 0;  // idle, busy or starting
    std::set<int> pids_;
};

}  // namespace kiroku::indexer
