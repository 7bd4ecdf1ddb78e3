// kiroku-extract: the worker process that runs extractor plugins on untrusted files, so that
// a crash, a hang or a bomb in a parser costs one worker, never kirokud.
//
//   kiroku-extract [PLUGIN_DIR] [OPTIONS]                 serve requests on stdin/stdout
//   kiroku-extract [PLUGIN_DIR] [OPTIONS] --print FILE…   extract files for a person to read
//   kiroku-extract [PLUGIN_DIR] [OPTIONS] --check         say whether the extractors can work
//
// OPTIONS:
//   --memory-limit MiB     address-space limit (default 768; 0: none)
//   --nice N               lower this process's CPU priority to nice value N (0-19)
//   --ocr                  serve only the OCR extractor ("ocr"); without it a worker serves
//                          every extractor except OCR, so ordinary indexing never OCRs
//   --ocr-languages L      Tesseract languages, "jpn+jpn_vert+eng" by default (only those
//                          installed are used)
//   --ocr-pages N          OCR at most the first N pages of a PDF (default 20)
//   --ocr-seconds N        OCR time per file (default 120): the text read by then is kept
//
// The --ocr-* options reach the plugin as the environment variables KIROKU_OCR_LANGUAGES,
// KIROKU_OCR_PAGES and KIROKU_OCR_SECONDS, set before the plugins are loaded; an OCR worker
// also sets OMP_THREAD_LIMIT=1 (unless set) so that Tesseract keeps to one core.
//
// --check prints one line on stdout and nothing on stderr. With --ocr: "OCR is available:
// jpn+jpn_vert+eng" (the languages it will read), exit 0, or "OCR is not available: <why>",
// exit 1. Without --ocr: the extractors loaded, exit 0 (1 when none).
//
// PLUGIN_DIR defaults to "plugins" beside the executable. In serving mode the worker speaks
// the protocol of WorkerProtocol.h and writes nothing else to stdout: the protocol goes to a
// private copy of stdout, and stdout itself is pointed at stderr so that a library that
// prints cannot corrupt the stream. Exit status: 0 when stdin closes, 2 on a protocol
// error, 3 when the worker cannot start or its arguments are wrong.

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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
constexpr const char* kOcrExtractor = "ocr";

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

struct Arguments {
    std::string pluginDir = executableDir() + "/plugins";
    unsigned long memoryLimitMiB = kDefaultMemoryLimitMiB;
    int niceness = 0;
    bool ocr = false;
    bool check = false;
    bool print = false;
    std::vector<std::string> printList;
    std::vector<std::pair<const char*, std::string>> environment;  // set before loading
};

// A whole decimal number in [min, max], or false.
bool parseNumber(const char* text, unsigned long min, unsigned long max, unsigned long& out) {
    if (text == nullptr || *text < '0' || *text > '9') return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoul(text, &end, 10);
    return errno == 0 && *end == '\0' && out >= min && out <= max;
}

bool parseArguments(int argc, char* argv[], Arguments& args) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        unsigned long number = 0;
        if (args.print) {
            args.printList.push_back(arg);
        } else if (arg == "--print") {
            args.print = true;
        } else if (arg == "--check") {
            args.check = true;
        } else if (arg == "--ocr") {
            args.ocr = true;
        } else if (arg == "--memory-limit" && parseNumber(value, 0, 1u << 20, number)) {
            args.memoryLimitMiB = number;
            ++i;
        } else if (arg == "--nice" && parseNumber(value, 0, 19, number)) {
            args.niceness = static_cast<int>(number);
            ++i;
        } else if (arg == "--ocr-languages" && value != nullptr) {
            if (*value != '\0') args.environment.emplace_back("KIROKU_OCR_LANGUAGES", value);
            ++i;
        } else if (arg == "--ocr-pages" && parseNumber(value, 1, 100000, number)) {
            args.environment.emplace_back("KIROKU_OCR_PAGES", value);
            ++i;
        } else if (arg == "--ocr-seconds" && parseNumber(value, 1, 86400, number)) {
            args.environment.emplace_back("KIROKU_OCR_SECONDS", value);
            ++i;
        } else if (i == 1 && arg.rfind("--", 0) != 0) {
            args.pluginDir = arg;
        } else {
            return false;
        }
    }
    return !(args.check && args.print);
}

// One line for a person or for kirokud's status page; the exit status says the same.
int check(const ExtractorRegistry& registry, bool ocr) {
    if (ocr) {
        const auto* extractor = registry.find(kOcrExtractor);
        if (extractor == nullptr) {
            std::string why = "the OCR plugin is not installed";
            for (const auto& error : registry.loadErrors())
                if (error.find("libkiroku-ocr") != std::string::npos) why = "cannot load " + error;
            std::cout << "OCR is not available: " << why << std::endl;
            return 1;
        }
        try {
            const std::string languages = extractor->availability();
            std::cout << "OCR is available: " << languages << std::endl;
            return 0;
        } catch (const std::exception& e) {
            std::cout << e.what() << std::endl;
            return 1;
        }
    }
    std::string names;
    for (const auto& name : registry.names()) names += (names.empty() ? "" : " ") + name;
    std::cout << "extractors: " << (names.empty() ? "none" : names) << std::endl;
    return names.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    Arguments args;
    if (!parseArguments(argc, argv, args)) {
        std::cerr << "usage: kiroku-extract [PLUGIN_DIR] [--memory-limit MiB] [--nice N] [--ocr]\n"
                     "         [--ocr-languages L] [--ocr-pages N] [--ocr-seconds N]\n"
                     "         [--check | --print FILE…]\n";
        return 3;
    }
    const bool serving = !args.print && !args.check;

    // The protocol gets its own descriptor; fd 1 becomes a second stderr.
    const int protocolFd = serving ? ::dup(STDOUT_FILENO) : STDOUT_FILENO;
    if (protocolFd < 0 || (serving && ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0)) {
        std::cerr << "kiroku-extract: cannot set up stdout: " << std::strerror(errno) << "\n";
        return 3;
    }
    limitResources(args.memoryLimitMiB);
    // setpriority, not nice(): an absolute value, and threads started later inherit it.
    if (args.niceness > 0 && ::setpriority(PRIO_PROCESS, 0, args.niceness) != 0)
        std::cerr << "kiroku-extract: cannot lower the priority: " << std::strerror(errno) << "\n";
    // The plugins read their options when they are loaded; OpenMP (Tesseract's threads)
    // reads OMP_THREAD_LIMIT when its library is.
    for (const auto& [name, value] : args.environment) ::setenv(name, value.c_str(), 1);
    if (args.ocr) ::setenv("OMP_THREAD_LIMIT", "1", 0);

    try {
        const bool ocr = args.ocr;
        ExtractorRegistry registry(args.pluginDir, [ocr](const kiroku::indexer::Extractor& e) {
            return (e.name() == kOcrExtractor) == ocr;
        });
        if (args.check) return check(registry, args.ocr);
        for (const auto& error : registry.loadErrors())
            std::cerr << "kiroku-extract: plugin not loaded: " << error << "\n";
        if (args.print) return printFiles(registry, args.printList);
        return serve(registry, protocolFd);
    } catch (const protocol::ProtocolError& e) {
        std::cerr << "kiroku-extract: protocol error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        if (args.check) {
            std::cout << (args.ocr ? "OCR is not available: " : "") << e.what() << std::endl;
            return 1;
        }
        std::cerr << "kiroku-extract: " << e.what() << "\n";
        return 3;
    }
}
