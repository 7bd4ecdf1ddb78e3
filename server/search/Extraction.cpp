#include "search/Extraction.h"

#include "kiroku/indexer/ExtractionPool.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <istream>

namespace kiroku {

namespace {
constexpr std::size_t kMaxTextBytes = 4u << 20;  // per document

// Beside the executable in a build tree; PREFIX/lib/kiroku when installed.
std::string workerDir(const std::string& binDir) {
    if (::access((binDir + "/kiroku-extract").c_str(), X_OK) == 0) return binDir;
    return binDir + "/../lib/kiroku";
}

// Extraction through a pool of kiroku-extract workers (their own processes).
ExtractFn poolExtractor(std::shared_ptr<indexer::ExtractionPool> pool) {
    return [pool](const std::string& diskPath) {
        auto r = pool->extract(diskPath, kMaxTextBytes);
        Extraction x;
        x.ok = r.ok;
        x.text = std::move(r.text);
        x.error = r.error;
        x.mime = r.mime;
        return x;
    };
}
}  // namespace

std::string executableDir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    std::string exe(buf, static_cast<std::size_t>(n));
    return exe.substr(0, exe.rfind('/'));
}

ExtractFn workerPoolExtractor(const std::string& binDir, std::size_t workers) {
    const std::string dir = workerDir(binDir);
    return poolExtractor(std::make_shared<indexer::ExtractionPool>(dir + "/kiroku-extract",
                                                                   dir + "/plugins", workers));
}

OcrAvailability ocrAvailability(const std::string& binDir, const Settings& settings) {
    OcrAvailability a;
    if (!settings.ocr) {
        a.what = "off (ocr.enabled = false)";
        return a;
    }
    const std::string dir = workerDir(binDir);
    try {
        Poco::Pipe out;
        Poco::ProcessHandle h = Poco::Process::launch(
            dir + "/kiroku-extract",
            {dir + "/plugins", "--ocr", "--ocr-languages", settings.ocrLanguages, "--check"},
            nullptr, &out, &out);
        Poco::PipeInputStream in(out);
        std::string line;
        std::getline(in, line);
        std::string rest;
        while (std::getline(in, rest)) {
        }
        a.available = h.wait() == 0;
        // "OCR is available: jpn+jpn_vert+eng" or "OCR is not available: <why>".
        auto colon = line.find(": ");
        a.what = colon == std::string::npos ? line : line.substr(colon + 2);
    } catch (const Poco::Exception& e) {
        a.what = "cannot start kiroku-extract: " + e.displayText();
    }
    return a;
}

ExtractFn ocrPoolExtractor(const std::string& binDir, const Settings& settings) {
    const std::string dir = workerDir(binDir);
    auto options = indexer::ExtractionPool::ocrOptions(
        settings.ocrLanguages, static_cast<unsigned>(std::max(settings.ocrMaxPages, 1)),
        std::chrono::seconds(std::max(settings.ocrSecondsPerFile, 1)));
    options.workers = static_cast<std::size_t>(std::max(settings.ocrWorkers, 1));
    return poolExtractor(std::make_shared<indexer::ExtractionPool>(dir + "/kiroku-extract",
                                                                   dir + "/plugins", options));
}

OcrAvailability setUpOcr(SearchService& search, const std::string& indexDir,
                         const std::string& binDir, const Settings& settings) {
    OcrAvailability a = ocrAvailability(binDir, settings);
    if (a.available)
        search.enableOcr(indexDir + "/ocr", a.what);
    else
        search.disableOcr(a.what);
    return a;
}

}  // namespace kiroku
