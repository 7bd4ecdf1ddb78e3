#pragma once
// Bigrams found in so many documents that a posting for each would cost more than it
// tells (internal to the indexer). A rebuild reads a sample of the documents first;
// the bigrams in at least a third of them are not posted for document content (names
// keep every bigram, for ranking), and every index generation records its set, so the
// batches that follow and the searches on it agree.
//
// Nothing is missed: a query never relies on a frequent bigram to select documents.
// A term whose bigrams are all frequent selects every document, and each is checked
// against its stored text (the checks that long terms already have).

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace kiroku::indexer {

// The key of the bigram (first, second): sorts like its UTF-8 term.
inline std::uint64_t bigramKey(char32_t first, char32_t second) {
    return (static_cast<std::uint64_t>(first) << 32) | second;
}

class FrequentBigrams {
public:
    FrequentBigrams() = default;

    // The bigrams in at least a third of the sampled texts (normalised); none when the
    // sample is too small to tell (fewer than kMinSample texts).
    static FrequentBigrams of(const std::vector<std::u32string>& sample);
    static constexpr std::size_t kMinSample = 64;

    // As recorded in an index ("" = none) and read back. A damaged record counts every
    // bigram as frequent: searches stay exact (every document is checked), only slower.
    std::string serialise() const;
    static FrequentBigrams parse(const std::string& text);

    bool empty() const { return keys_.empty() && !all_; }
    std::size_t size() const { return keys_.size(); }
    bool contains(std::uint64_t key) const {
        return all_ || (!keys_.empty() && keys_.count(key) != 0);
    }
    // Whether a frequent bigram begins with `c` (a one-character term cannot then be
    // answered from the postings alone).
    bool startsWith(char32_t c) const { return all_ || firsts_.count(c) != 0; }

private:
    void insert(std::uint64_t key);
    bool all_ = false;
    std::unordered_set<std::uint64_t> keys_;
    std::unordered_set<char32_t> firsts_;
};

}  // namespace kiroku::indexer
