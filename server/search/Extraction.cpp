#include "search/Extraction.h"

#include "kiroku/indexer/ExtractionPool.h"

#include <unistd.h>

#include <climits>

namespace kiroku {

namespace {
constexpr std::size_t kMaxTextBytes = 4u << 20;  // per document
}

std::string executableDir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    std::string exe(buf, static_cast<std::size_t>(n));
    return exe.substr(0, exe.rfind('/'));
}

ExtractFn workerPoolExtractor(const std::string& binDir, std::size_t workers) {
    // Beside the executable in a build tree; PREFIX/lib/kiroku when installed.
    std::string dir = binDir;
    if (::access((dir + "/kiroku-extract").c_str(), X_OK) != 0) dir = binDir + "/../lib/kiroku";
    auto pool = std::make_shared<indexer::ExtractionPool>(dir + "/kiroku-extract", dir + "/plugins",
                                                          workers);
    return [pool](const std::string& diskPath) {
        auto r = pool->extract(diskPath, kMaxTextBytes);
        Extraction x;
        x.ok = r.ok;
        x.text = std::move(r.text);
        x.error = r.error;
        return x;
    };
}

}  // namespace kiroku
