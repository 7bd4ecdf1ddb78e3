// The "text" plugin: text/* files (plain text, CSV, source code …) in any encoding Japanese
// offices produce, converted to UTF-8. HTML, XML and RTF have plugins of their own, which the
// registry prefers because they name those types exactly.

#include <Poco/ClassLibrary.h>

#include <fstream>
#include <string>
#include <vector>

#include "Charset.h"
#include "TextSink.h"
#include "kiroku/indexer/Extractor.h"

namespace kiroku::plugins {
namespace {

constexpr std::size_t kChunkSize = 64 * 1024;
constexpr std::size_t kSampleSize = 256 * 1024;  // what the encoding guess looks at

// Appends converted text to the sink with CRLF and lone CR turned into LF.
class LineEndingFilter {
public:
    explicit LineEndingFilter(TextSink& sink) : sink_(sink) {}

    void write(std::string_view utf8) {
        std::size_t start = 0;
        for (std::size_t i = 0; i < utf8.size(); ++i) {
            const char c = utf8[i];
            if (c == '\r' || (c == '\n' && afterCr_)) {
                sink_.append(utf8.substr(start, i - start));
                if (c == '\r') sink_.append('\n');
                start = i + 1;
            }
            afterCr_ = (c == '\r');
        }
        sink_.append(utf8.substr(start));
    }

private:
    TextSink& sink_;
    bool afterCr_ = false;
};

}  // namespace

class TextExtractor : public indexer::Extractor {
public:
    std::string name() const override { return "text"; }

    std::vector<std::string> mimeTypes() const override { return {"text/*"}; }

    std::string extract(const std::string& path, std::size_t maxBytes) const override {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw indexer::ExtractionError("cannot open the file");

        std::string chunk(kSampleSize, '\0');
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        chunk.resize(static_cast<std::size_t>(in.gcount()));
        const bool wholeFile = in.eof();
        const DetectedCharset charset = detectCharset(chunk, !wholeFile);

        Utf8Converter converter(charset.charset);
        TextSink sink(maxBytes);
        LineEndingFilter filter(sink);
        std::string utf8;
        std::string_view bytes = std::string_view(chunk).substr(charset.bomLength);
        bool last = wholeFile;
        for (;;) {
            utf8.clear();
            converter.convert(bytes, last, utf8);
            filter.write(utf8);
            if (last || sink.full()) break;
            chunk.resize(kChunkSize);
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            chunk.resize(static_cast<std::size_t>(in.gcount()));
            if (in.bad()) throw indexer::ExtractionError("read error");
            last = in.eof();
            bytes = chunk;
        }
        return sink.take();
    }
};

}  // namespace kiroku::plugins

POCO_BEGIN_MANIFEST(kiroku::indexer::Extractor)
POCO_EXPORT_CLASS(kiroku::plugins::TextExtractor)
POCO_END_MANIFEST
