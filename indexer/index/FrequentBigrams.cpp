#include "index/FrequentBigrams.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

namespace kiroku::indexer {

namespace {
// At most this many: a set this size already covers the common syllables, particles
// and letter pairs of a collection.
constexpr std::size_t kMaxFrequent = 2000;
}  // namespace

FrequentBigrams FrequentBigrams::of(const std::vector<std::u32string>& sample) {
    FrequentBigrams frequent;
    if (sample.size() < kMinSample) return frequent;
    std::unordered_map<std::uint64_t, std::size_t> documents;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& text : sample) {
        seen.clear();
        for (std::size_t i = 0; i + 1 < text.size(); ++i)
            seen.insert(bigramKey(text[i], text[i + 1]));
        for (auto key : seen) ++documents[key];
    }
    const std::size_t threshold = (sample.size() + 2) / 3;
    std::vector<std::pair<std::size_t, std::uint64_t>> common;
    for (const auto& [key, count] : documents) {
        if (count >= threshold) common.emplace_back(count, key);
    }
    std::sort(common.begin(), common.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (common.size() > kMaxFrequent) common.resize(kMaxFrequent);
    for (const auto& entry : common) frequent.insert(entry.second);
    return frequent;
}

void FrequentBigrams::insert(std::uint64_t key) {
    keys_.insert(key);
    firsts_.insert(static_cast<char32_t>(key >> 32));
}

std::string FrequentBigrams::serialise() const {
    std::vector<std::uint64_t> sorted(keys_.begin(), keys_.end());
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (auto key : sorted) out += std::to_string(key) + "\n";
    return out;
}

FrequentBigrams FrequentBigrams::parse(const std::string& text) {
    FrequentBigrams frequent;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        char* end = nullptr;
        unsigned long long key = std::strtoull(line.c_str(), &end, 10);
        if (end == line.c_str() || *end != '\0' || (key >> 32) > 0x10FFFF ||
            (key & 0xFFFFFFFFu) > 0x10FFFF) {
            frequent.all_ = true;  // some bigram would be taken as posted when it is not
            continue;
        }
        frequent.insert(key);
    }
    return frequent;
}

}  // namespace kiroku::indexer
