#pragma once
// The extractors of one kiroku-extract worker: the plugins it loaded, the MIME type libmagic
// reports for a file, and the choice of extractor by that type (never by the file's name).
// Used only inside the worker process; kirokud goes through ExtractionPool.

#include <Poco/ClassLoader.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiroku/indexer/Extractor.h"

struct magic_set;

namespace kiroku::indexer::extract {

// An extraction that failed, with what was known when it failed (the MIME type, and the
// extractor when one was tried). what() is the reason, e.g. "unsupported type image/jpeg".
class ExtractionFailed : public ExtractionError {
public:
    ExtractionFailed(const std::string& reason, std::string mime, std::string extractor)
        : ExtractionError(reason), mime_(std::move(mime)), extractor_(std::move(extractor)) {}
    const std::string& mime() const { return mime_; }
    const std::string& extractor() const { return extractor_; }

private:
    std::string mime_, extractor_;
};

// Not thread-safe: a worker extracts one file at a time.
class ExtractorRegistry {
public:
    struct Extraction {
        std::string mime;       // as libmagic reports it
        std::string extractor;  // name() of the extractor that succeeded; "" for an empty file
        std::string text;       // UTF-8, at most maxBytes bytes
    };

    // A registry with no extractors (tests add their own with add()). Opens libmagic's
    // default database; throws std::runtime_error if it cannot.
    ExtractorRegistry();

    // Also loads every plugin (lib*.so) in `pluginDir`, in file-name order. A plugin that
    // cannot be loaded is skipped and its reason kept in loadErrors(); a missing directory is
    // one such error, not an exception.
    explicit ExtractorRegistry(const std::string& pluginDir);

    // Which of the loaded extractors a worker serves: kiroku-extract --ocr serves only the
    // extractor named "ocr", an ordinary worker every other one.
    using Selection = std::function<bool(const Extractor&)>;

    // Loads the plugins as above but keeps only the extractors `keep` accepts; the others
    // are destroyed at once (their libraries stay loaded).
    ExtractorRegistry(const std::string& pluginDir, const Selection& keep);

    ~ExtractorRegistry();
    ExtractorRegistry(const ExtractorRegistry&) = delete;
    ExtractorRegistry& operator=(const ExtractorRegistry&) = delete;

    // Adds an extractor after those already known (same rules as a plugin's).
    void add(std::unique_ptr<Extractor> extractor);

    // The extractor called `name`, or nullptr; the names of all, in the order tried.
    const Extractor* find(std::string_view name) const;
    std::vector<std::string> names() const;

    std::size_t size() const { return extractors_.size(); }
    const std::vector<std::string>& loadErrors() const { return loadErrors_; }

    static constexpr std::size_t kTextProbeBytes = 512;

    // The MIME type libmagic reports for the file's content ("application/pdf"), from
    // one libmagic run: bytes that read as text get every test on their first
    // kTextProbeBytes (a text's kind shows at its start: <!DOCTYPE html, <?xml, {\rtf;
    // the text tests cost about a millisecond a file on a whole text); other files get
    // the whole file with the text tests off, and the text tests after all when nothing
    // else knew them (UTF-16 text has NUL bytes).
    // Throws ExtractionFailed when the path is not a readable regular file.
    std::string mimeOf(const std::string& path) const;

    // The extractors that handle `mime`, in the order to try them: those that name the type
    // exactly, or if none does, those that claim its family ("text/*").
    std::vector<const Extractor*> extractorsFor(const std::string& mime) const;
    // True when the start of the file is text: no NUL byte, at most 1% control bytes.
    static bool looksLikeText(const std::string& path);
    static bool looksLikeText(std::string_view bytes);

    // Extracts the text of the file at `path`, at most `maxBytes` bytes of it. An empty file
    // gives empty text. The candidates for the file's type are tried in order and the first
    // success wins. Throws ExtractionFailed: "unsupported type <mime>" when no extractor
    // handles the type, the extractor's reason when one was tried, or every reason when
    // several were.
    Extraction extract(const std::string& path, std::size_t maxBytes) const;

private:
    void loadPlugins(const std::string& pluginDir, const Selection& keep);

    struct MagicCloser {
        void operator()(magic_set* m) const;
    };
    std::unique_ptr<magic_set, MagicCloser> magic_;        // every test
    std::unique_ptr<magic_set, MagicCloser> binaryMagic_;  // without the text tests
    // Declared before the extractors so that they are destroyed before their libraries are
    // unloaded.
    Poco::ClassLoader<Extractor> loader_;
    std::vector<std::unique_ptr<Extractor>> extractors_;
    std::vector<std::string> loadErrors_;
};

}  // namespace kiroku::indexer::extract
