#include "index/TrigramFilter.h"

#include <algorithm>

namespace kiroku::indexer {

namespace {

constexpr std::size_t kBitsPerKey = 3;
constexpr std::size_t kMinBytes = 8;

bool letterOrDigit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

// Letters and digits are ASCII: 7 bits each. A run of four has bit 28 set, so no
// trigram has its key.
std::uint32_t keyOf(char32_t a, char32_t b, char32_t c) {
    return (static_cast<std::uint32_t>(a) << 14) | (static_cast<std::uint32_t>(b) << 7) |
           static_cast<std::uint32_t>(c);
}
std::uint32_t keyOf(char32_t a, char32_t b, char32_t c, char32_t d) {
    return (1u << 28) | (keyOf(a, b, c) << 7) | static_cast<std::uint32_t>(d);
}

// The two bits of `key` in a filter of `bits` bits: both halves of one 64-bit mix
// (splitmix64's finaliser), each mapped onto the bits by a multiply (no power of two).
std::pair<std::size_t, std::size_t> bitsOf(std::uint32_t key, std::size_t bits) {
    std::uint64_t x = key * 0x9E3779B97F4A7C15ull;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    auto at = [bits](std::uint64_t half) {
        return static_cast<std::size_t>(((half & 0xFFFFFFFFull) * bits) >> 32);
    };
    return {at(x), at(x >> 32)};
}

template <typename Text>
std::vector<std::uint32_t> keysOf(const Text& text) {
    std::vector<std::uint32_t> keys;
    std::size_t run = 0;  // letters and digits in a row, ending at i
    for (std::size_t i = 0; i < text.size(); ++i) {
        run = letterOrDigit(static_cast<char32_t>(text[i])) ? run + 1 : 0;
        auto at = [&](std::size_t back) { return static_cast<char32_t>(text[i - back]); };
        if (run >= 3) keys.push_back(keyOf(at(2), at(1), at(0)));
        if (run >= 4) keys.push_back(keyOf(at(3), at(2), at(1), at(0)));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

}  // namespace

std::string trigramFilterOf(const std::u32string& normalised) {
    if (normalised.size() < kTrigramFilterMinChars) return {};
    const std::vector<std::uint32_t> keys = keysOf(normalised);
    const std::size_t bytes = std::max(kMinBytes, (keys.size() * kBitsPerKey + 7) / 8);
    std::string filter(bytes, '\0');
    const std::size_t bits = bytes * 8;
    for (std::uint32_t key : keys) {
        const auto [first, second] = bitsOf(key, bits);
        filter[first / 8] = static_cast<char>(filter[first / 8] | (1 << (first % 8)));
        filter[second / 8] = static_cast<char>(filter[second / 8] | (1 << (second % 8)));
    }
    return filter;
}

std::vector<std::uint32_t> filterKeysOf(std::string_view needle) {
    // Only ASCII counts, and ASCII is one byte a character in UTF-8: the bytes will do (a
    // byte of a longer character is never a letter or digit).
    return keysOf(needle);
}

bool mayContain(std::string_view filter, const std::vector<std::uint32_t>& keys) {
    if (filter.empty()) return true;
    const std::size_t bits = filter.size() * 8;
    auto set = [&](std::size_t bit) {
        return (static_cast<unsigned char>(filter[bit / 8]) >> (bit % 8)) & 1;
    };
    for (std::uint32_t key : keys) {
        const auto [first, second] = bitsOf(key, bits);
        if (!set(first) || !set(second)) return false;
    }
    return true;
}

}  // namespace kiroku::indexer
