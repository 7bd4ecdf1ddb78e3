#pragma once
// The body of the extractor harnesses (extract_<plugin>.cpp): the plugin is loaded the
// way kiroku-extract's ExtractorRegistry loads it (Poco::ClassLoader and the plugin's
// manifest, from the build's bin/plugins/), and each input is written to a file and
// extracted, as a worker extracts an uploaded file.
// Asserts the Extractor contract (kiroku/indexer/Extractor.h): extract() returns valid
// UTF-8 of at most maxBytes bytes, or throws ExtractionError and nothing else. maxBytes
// is small for every third input, so that the cap is crossed too.

#include "FuzzSupport.h"
#include "kiroku/indexer/Extractor.h"

#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>

#include <memory>

namespace kiroku::fuzz {

class PluginExtractor {
public:
    explicit PluginExtractor(const std::string& plugin)
        : library_(std::string(KIROKU_PLUGIN_DIR) + "/libkiroku-" + plugin + ".so"), file_(plugin) {
        loader_.loadLibrary(library_);
        const auto* manifest = loader_.findManifest(library_);
        FUZZ_CHECK(manifest != nullptr && manifest->begin() != manifest->end());
        extractor_.reset(manifest->begin()->create());
    }
    ~PluginExtractor() { extractor_.reset(); }

    void run(std::string_view bytes) {
        const std::size_t maxBytes = bytes.size() % 3 == 0 ? 100 : 1 << 20;
        std::string text;
        try {
            text = extractor_->extract(file_.write(bytes), maxBytes);
        } catch (const indexer::ExtractionError&) {
            return;
        }
        FUZZ_CHECK(text.size() <= maxBytes);
        FUZZ_CHECK(indexer::isValidUtf8(text));
    }

private:
    std::string library_;
    ScratchFile file_;
    Poco::ClassLoader<indexer::Extractor> loader_;
    std::unique_ptr<indexer::Extractor> extractor_;
};

}  // namespace kiroku::fuzz

// Defines the fuzz target for the plugin libkiroku-<plugin>.so.
#define KIROKU_EXTRACTOR_HARNESS(plugin)                                                \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
        static kiroku::fuzz::PluginExtractor extractor(plugin);                         \
        extractor.run(kiroku::fuzz::asText(data, size));                                \
        return 0;                                                                       \
    }
