#include "extract/ExtractorRegistry.h"

#include "kiroku/indexer/Utf8.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <magic.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace kiroku::indexer::extract {
namespace {

bool claims(const Extractor& extractor, const std::string& mime, bool exact) {
    const auto types = extractor.mimeTypes();
    return std::any_of(types.begin(), types.end(), [&](const std::string& type) {
        if (exact) return type == mime;
        // A family: "text/*" claims "text/csv".
        return type.size() > 2 && type.compare(type.size() - 2, 2, "/*") == 0 &&
               mime.compare(0, type.size() - 1, type, 0, type.size() - 1) == 0;
    });
}

// The first `maxBytes` bytes of `text`, cut at a code point boundary: the registry's own
// guarantee of the Extractor contract, whatever a plugin returns.
void capUtf8(std::string& text, std::size_t maxBytes) {
    text.resize(utf8PrefixLength(text, maxBytes));
}

}  // namespace

void ExtractorRegistry::MagicCloser::operator()(magic_set* m) const { magic_close(m); }

namespace {

magic_set* openMagic(int flags) {
    magic_set* m = magic_open(flags);
    if (!m) throw std::runtime_error("libmagic: cannot initialise");
    // nullptr: the system's default database (/usr/lib/file/magic.mgc on Debian).
    if (magic_load(m, nullptr) != 0) {
        std::string error = std::string("libmagic: cannot load its database: ") + magic_error(m);
        magic_close(m);
        throw std::runtime_error(error);
    }
    return m;
}

}  // namespace

ExtractorRegistry::ExtractorRegistry()
    : magic_(openMagic(MAGIC_MIME_TYPE | MAGIC_SYMLINK | MAGIC_ERROR)),
      binaryMagic_(openMagic(MAGIC_MIME_TYPE | MAGIC_SYMLINK | MAGIC_ERROR | MAGIC_NO_CHECK_TEXT)) {
}

ExtractorRegistry::ExtractorRegistry(const std::string& pluginDir)
    : ExtractorRegistry(pluginDir, [](const Extractor&) { return true; }) {}

ExtractorRegistry::ExtractorRegistry(const std::string& pluginDir, const Selection& keep)
    : ExtractorRegistry() {
    loadPlugins(pluginDir, keep);
}

ExtractorRegistry::~ExtractorRegistry() {
    extractors_.clear();  // before loader_ unloads the code of their destructors
}

void ExtractorRegistry::add(std::unique_ptr<Extractor> extractor) {
    extractors_.push_back(std::move(extractor));
}

const Extractor* ExtractorRegistry::find(std::string_view name) const {
    for (const auto& extractor : extractors_)
        if (extractor->name() == name) return extractor.get();
    return nullptr;
}

std::vector<std::string> ExtractorRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& extractor : extractors_) out.push_back(extractor->name());
    return out;
}

void ExtractorRegistry::loadPlugins(const std::string& pluginDir, const Selection& keep) {
    std::vector<std::string> libraries;
    try {
        for (Poco::DirectoryIterator it(pluginDir), end; it != end; ++it) {
            const std::string name = it.name();
            if (name.rfind("lib", 0) == 0 && name.size() > 3 &&
                name.compare(name.size() - 3, 3, ".so") == 0 && it->isFile())
                libraries.push_back(it.path().toString());
        }
    } catch (const Poco::Exception& e) {
        loadErrors_.push_back("plugin directory " + pluginDir + ": " + e.displayText());
        return;
    }
    std::sort(libraries.begin(), libraries.end());
    for (const auto& library : libraries) {
        try {
            loader_.loadLibrary(library);
            const auto* manifest = loader_.findManifest(library);
            if (manifest == nullptr) continue;
            for (auto meta = manifest->begin(); meta != manifest->end(); ++meta)
                if (meta->canCreate()) {
                    std::unique_ptr<Extractor> extractor(meta->create());
                    if (keep(*extractor)) extractors_.push_back(std::move(extractor));
                }
        } catch (const Poco::Exception& e) {
            loadErrors_.push_back(library + ": " + e.displayText());
        } catch (const std::exception& e) {
            loadErrors_.push_back(library + ": " + e.what());
        }
    }
}

std::string ExtractorRegistry::mimeOf(const std::string& path) const {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        throw ExtractionFailed(std::string("cannot read the file: ") + std::strerror(errno), "",
                               "");
    if (!S_ISREG(info.st_mode)) throw ExtractionFailed("not a regular file", "", "");
    auto failed = [](magic_set* m) {
        const char* error = magic_error(m);
        return ExtractionFailed(std::string("cannot determine the type: ") +
                                    (error != nullptr ? error : "unknown error"),
                                "", "");
    };
    // The start of the file, cut after its last line end (no character cut in two).
    std::ifstream in(path, std::ios::binary);
    char start[8192];
    in.read(start, sizeof start);
    auto n = static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0));
    auto probe = [&] {
        std::size_t size = std::min(n, kTextProbeBytes);
        if (n > kTextProbeBytes) {
            for (std::size_t end = size; end > size / 2; --end) {
                if (start[end - 1] == '\n') return end;
            }
        }
        return size;
    };
    // libmagic runs once a file. Bytes that read as text get every test on their start:
    // a text's kind shows there, and the text tests cost about a millisecond a file on a
    // whole text. Other files get the whole file without the text tests.
    if (n > 0 && looksLikeText(std::string_view(start, n))) {
        const char* mime = magic_buffer(magic_.get(), start, probe());
        if (mime == nullptr) throw failed(magic_.get());
        return mime;
    }
    const char* mime = magic_file(binaryMagic_.get(), path.c_str());
    if (mime == nullptr) throw failed(binaryMagic_.get());
    if (n == 0 || std::strcmp(mime, "application/octet-stream") != 0) return mime;
    // Bytes no test knows, or text after all (UTF-16 has NUL bytes): the text tests.
    mime = magic_buffer(magic_.get(), start, probe());
    if (mime == nullptr) throw failed(magic_.get());
    return mime;
}

bool ExtractorRegistry::looksLikeText(std::string_view bytes) {
    if (bytes.empty()) return false;
    std::size_t control = 0;
    for (char b : bytes) {
        auto c = static_cast<unsigned char>(b);
        if (c == 0) return false;
        // Tab, line ends, form feed and ESC (ISO-2022-JP) are normal in text.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b && c != '\b')
            ++control;
    }
    return control * 100 <= bytes.size();
}

bool ExtractorRegistry::looksLikeText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string buf(65536, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return looksLikeText(std::string_view(buf));
}

std::vector<const Extractor*> ExtractorRegistry::extractorsFor(const std::string& mime) const {
    std::vector<const Extractor*> found;
    for (bool exact : {true, false}) {
        for (const auto& extractor : extractors_)
            if (claims(*extractor, mime, exact)) found.push_back(extractor.get());
        if (!found.empty()) break;
    }
    return found;
}

ExtractorRegistry::Extraction ExtractorRegistry::extract(const std::string& path,
                                                         std::size_t maxBytes) const {
    const std::string mime = mimeOf(path);
    if (mime == "inode/x-empty") return {mime, "", ""};
    auto candidates = extractorsFor(mime);
    // libmagic sometimes names plain text after a format it resembles (a man page that
    // begins "PA…" reads as HP-GL). When nothing claims the type but the bytes are text,
    // the text extractors take it: still decided by content, never by the file name.
    if (candidates.empty() && looksLikeText(path)) candidates = extractorsFor("text/plain");
    if (candidates.empty()) throw ExtractionFailed("unsupported type " + mime, mime, "");

    std::string reasons;
    for (const Extractor* extractor : candidates) {
        std::string reason;
        try {
            Extraction result{mime, extractor->name(), extractor->extract(path, maxBytes)};
            capUtf8(result.text, maxBytes);
            return result;
        } catch (const ExtractionError& e) {
            reason = e.what();
        } catch (const Poco::Exception& e) {
            reason = e.displayText();
        } catch (const std::bad_alloc&) {
            reason = "out of memory";
        } catch (const std::exception& e) {
            reason = e.what();
        }
        if (candidates.size() == 1) throw ExtractionFailed(reason, mime, extractor->name());
        reasons += (reasons.empty() ? "" : "; ") + extractor->name() + ": " + reason;
    }
    throw ExtractionFailed("unsupported type " + mime + " (" + reasons + ")", mime, "");
}

}  // namespace kiroku::indexer::extract
