// normaliser: the Japanese normaliser (indexer/japanese, kiroku/indexer/Normaliser.h)
// on any bytes, with and without the itaiji table (the first byte's low bit).
// Asserts: the output is valid UTF-8 with no whitespace and no katakana of U+30A1–U+30F6;
// every character points back into the input, in order; sourceRange stays inside the
// input; and normalising is idempotent (what a query and a document normalise to meets
// again when normalised a second time).
#include "kiroku/indexer/Normaliser.h"
#include "FuzzSupport.h"
#include "kiroku/indexer/Utf8.h"

#include <unicode/uchar.h>

#include <cstdio>

using namespace kiroku::indexer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    NormaliseOptions options;
    options.itaiji = data[0] & 1;
    std::string_view input = kiroku::fuzz::asText(data + 1, size - 1);
    Normalised n = normalise(input, options);

    FUZZ_CHECK(n.inputSize == input.size());
    FUZZ_CHECK(n.text.size() == n.origin.size());
    for (std::size_t i = 0; i < n.text.size(); ++i) {
        FUZZ_CHECK(n.origin[i] < input.size());
        if (i > 0) FUZZ_CHECK(n.origin[i - 1] <= n.origin[i]);
        FUZZ_CHECK(!u_isUWhiteSpace(static_cast<UChar32>(n.text[i])));
        FUZZ_CHECK(n.text[i] < U'\u30A1' || n.text[i] > U'\u30F6');
    }
    const std::string utf8 = n.utf8();
    FUZZ_CHECK(isValidUtf8(utf8));
    FUZZ_CHECK(normaliseToUtf8(input, options) == utf8);
    for (std::size_t from = 0; from < n.text.size(); from += 1 + n.text.size() / 8) {
        auto [begin, end] = n.sourceRange(from, n.text.size());
        FUZZ_CHECK(begin <= end && end <= input.size());
    }
    const std::string twice = normaliseToUtf8(utf8, options);
    if (twice != utf8) {
        for (const std::string* s : {&utf8, &twice}) {
            for (unsigned char c : *s) std::fprintf(stderr, "%02x", c);
            std::fprintf(stderr, "\n");
        }
    }
    FUZZ_CHECK(twice == utf8);
    return 0;
}
