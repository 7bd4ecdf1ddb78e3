// kiroku-extract: the worker process that runs extractor plugins on untrusted files, so that
// a crash, a hang or a bomb in a parser costs one worker, never kirokud.
//
//   kiroku-extract [PLUGIN_DIR] [--memory-limit MiB]   serve requests on stdin/stdout
//   kiroku-extract [PLUGIN_DIR] --print FILE…           extract files for a person to read
//
// PLUGIN_DIR defaults to "plugins" beside the executable. In serving mode the worker speaks
// the protocol of WorkerProtocol.h and writes nothing else to stdout: the protocol goes to a
// private copy of stdout, and stdout itself is pointed at stderr so that a library that
// prints cannot corrupt the stream. Exit status: 0 when stdin closes, 2 on a protocol
// error, 3 when the worker cannot start.

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "extract/ExtractorRegistry.h"
#include "extract/WorkerProtocol.h"

namespace {

using kiroku::indexer::extract::ExtractionFailed;
using kiroku::indexer::extract::ExtractorRegistry;
namespace protocol = kiroku::indexer::extract;

constexpr unsigned long kDefaultMemoryLimitMiB = 768;

std::string executableDir() {
    std::vector<char> buffer(4096);
    const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
    if (n <= 0) return ".";
    std::string path(buffer.data(), static_cast<std::size_t>(n));
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Address space bounds what a bomb can allocate (allocation fails, the file is reported);
// no core files of crashes on untrusted input. CPU time is bounded by the parent's timeout.
void limitResources(unsigned long memoryLimitMiB) {
    rlimit core{0, 0};
    setrlimit(RLIMIT_CORE, &core);
#ifdef KIROKU_SANITIZE
    // AddressSanitizer reserves terabytes of virtual memory for its shadow, which no
    // address-space limit allows: sanitizer builds (tests only) run without it.
    memoryLimitMiB = 0;
#endif
    if (memoryLimitMiB > 0) {
        const rlim_t bytes = static_cast<rlim_t>(memoryLimitMiB) * 1024 * 1024;
        rlimit memory{bytes, bytes};
        if (setrlimit(RLIMIT_AS, &memory) != 0)
            std::cerr << "kiroku-extract: cannot limit memory: " << std::strerror(errno) << "\n";
    }
}

// Blocking, buffered reads of header lines and exact byte counts from a file descriptor.
class InputReader {
public:
    explicit InputReader(int fd) : fd_(fd) {}

    // false at end of input before any byte of a line.
    bool readLine(std::string& line) {
        line.clear();
        for (;;) {
            const std::size_t newline = buffer_.find('\n', start_);
            if (newline != std::string::npos) {
                line.assign(buffer_, start_, newline - start_);
                start_ = newline + 1;
                return true;
            }
            if (buffer_.size() - start_ > protocol::kMaxHeaderLine)
                throw protocol::ProtocolError("header line too long");
            if (!fill()) {
                if (buffer_.size() == start_) return false;
                throw protocol::ProtocolError("input ended inside a header line");
            }
        }
    }

    std::string readExactly(std::size_t n) {
        while (buffer_.size() - start_ < n)
            if (!fill()) throw protocol::ProtocolError("input ended inside a payload");
        std::string out = buffer_.substr(start_, n);
        start_ += n;
        return out;
    }

private:
    bool fill() {
        if (start_ > 0) {
            buffer_.erase(0, start_);
            start_ = 0;
        }
        char chunk[65536];
        for (;;) {
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n > 0) {
                buffer_.append(chunk, static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0) return false;
            if (errno != EINTR) throw protocol::ProtocolError(std::strerror(errno));
        }
    }

    int fd_;
    std::string buffer_;
    std::size_t start_ = 0;
};

void writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw protocol::ProtocolError(std::string("write: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

std::string answer(const ExtractorRegistry& registry, const std::string& path,
                   std::size_t maxBytes) {
    try {
        const auto result = registry.extract(path, maxBytes);
        return protocol::encodeResponse(true, result.mime, result.extractor, result.text);
    } catch (const ExtractionFailed& e) {
        return protocol::encodeResponse(false, e.mime(), e.extractor(), e.what());
    } catch (const std::bad_alloc&) {
        return protocol::encodeResponse(false, "", "", "out of memory");
    } catch (const std::exception& e) {
        return protocol::encodeResponse(false, "", "", e.what());
    }
}

int serve(const ExtractorRegistry& registry, int protocolFd) {
    InputReader input(STDIN_FILENO);
    writeAll(protocolFd, protocol::encodeReady(registry.size()));
    std::string line;
    while (input.readLine(line)) {
        const auto header = protocol::parseRequestHeader(line);
        const std::string path = input.readExactly(header.pathLength);
        writeAll(protocolFd, answer(registry, path, header.maxBytes));
    }
    return 0;
}

int printFiles(const ExtractorRegistry& registry, const std::vector<std::string>& files) {
    int status = 0;
    for (const auto& file : files) {
        try {
            const auto result = registry.extract(file, std::numeric_limits<std::size_t>::max());
            std::cout << "== " << file << " (" << result.mime << ", "
                      << (result.extractor.empty() ? "-" : result.extractor) << ")\n"
                      << result.text << "\n";
        } catch (const ExtractionFailed& e) {
            std::cout << "== " << file << " (" << (e.mime().empty() ? "-" : e.mime())
                      << "): error: " << e.what() << "\n";
            status = 1;
        }
    }
    return status;
}

}  // namespace

int main(int argc, char* argv[]) {
    std::string pluginDir = executableDir() + "/plugins";
    unsigned long memoryLimitMiB = kDefaultMemoryLimitMiB;
    std::vector<std::string> printList;
    bool print = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--print") {
            print = true;
        } else if (arg == "--memory-limit" && i + 1 < argc) {
            memoryLimitMiB = std::strtoul(argv[++i], nullptr, 10);
        } else if (print) {
            printList.push_back(arg);
        } else if (i == 1) {
            pluginDir = arg;
        } else {
            std::cerr
                << "usage: kiroku-extract [PLUGIN_DIR] [--memory-limit MiB] [--print FILE…]\n";
            return 3;
        }
    }

    // The protocol gets its own descriptor; fd 1 becomes a second stderr.
    const int protocolFd = print ? STDOUT_FILENO : ::dup(STDOUT_FILENO);
    if (protocolFd < 0 || (!print && ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0)) {
        std::cerr << "kiroku-extract: cannot set up stdout: " << std::strerror(errno) << "\n";
        return 3;
    }
    limitResources(memoryLimitMiB);

    try {
        ExtractorRegistry registry(pluginDir);
        for (const auto& error : registry.loadErrors())
            std::cerr << "kiroku-extract: plugin not loaded: " << error << "\n";
        if (print) return printFiles(registry, printList);
        return serve(registry, protocolFd);
    } catch (const protocol::ProtocolError& e) {
        std::cerr << "kiroku-extract: protocol error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kiroku-extract: " << e.what() << "\n";
        return 3;
    }
}
