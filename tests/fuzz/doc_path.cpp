// doc_path: names and paths from people (server/names/DocPath.h): DocPath::fromText
// (the CLI), DocPath::fromUrl (every request URI) and DocPath::checkName.
// Asserts: a refused path throws BadName and nothing else; an accepted path keeps every
// promise of DocPath.h (each segment is a name checkName accepts unchanged, at most 255
// bytes, no '/'), and reads back to the same path from its text, from its URL encoding
// and segment by segment.
#include "FuzzSupport.h"
#include "names/DocPath.h"

using kiroku::BadName;
using kiroku::DocPath;

namespace {

void checkPath(const DocPath& path) {
    std::string joined;
    for (const auto& segment : path.segments()) {
        FUZZ_CHECK(!segment.empty() && segment.size() <= 255);
        FUZZ_CHECK(segment.find('/') == std::string::npos);
        FUZZ_CHECK(DocPath::checkName(segment) == segment);
        if (!joined.empty()) joined += '/';
        joined += segment;
    }
    FUZZ_CHECK(path.str() == joined);
    FUZZ_CHECK(DocPath::fromText(path.str()) == path);
    FUZZ_CHECK(DocPath::fromUrl("/" + path.urlEncoded()) == path);
    FUZZ_CHECK(path.isWithin(DocPath()));
    if (!path.isRoot()) {
        FUZZ_CHECK(path.isWithin(path.parent()));
        FUZZ_CHECK(path.parent().child(path.name()) == path);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = kiroku::fuzz::asText(data, size);
    try {
        checkPath(DocPath::fromText(input));
    } catch (const BadName&) {
    }
    try {
        checkPath(DocPath::fromUrl(input));
    } catch (const BadName&) {
    }
    try {
        std::string name = DocPath::checkName(input);
        FUZZ_CHECK(DocPath::checkName(name) == name);
        FUZZ_CHECK(DocPath().child(name).segments().size() == 1);
    } catch (const BadName&) {
    }
    return 0;
}
