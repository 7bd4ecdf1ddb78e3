#include "index/TextTerms.h"

#include "index/QueryTerms.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace kiroku::indexer {

namespace {
// The key of a bigram (first, second), or of a character alone (second kAlone): sorts
// like its UTF-8 term (unigramTerm ends with the byte 0xFF, after every bigram of it).
constexpr char32_t kAlone = 0x110000;  // beyond Unicode
std::uint64_t bigramKey(char32_t first, char32_t second) {
    return (static_cast<std::uint64_t>(first) << 32) | second;
}
}  // namespace

// Bigrams are counted in an open-addressing table (a node each would cost an allocation
// each) and added in term order: a key sorts like its term.
void addTextTerms(Xapian::Document& doc, const std::u32string& text, Xapian::termcount weight) {
    if (text.empty()) return;
    constexpr std::uint64_t kFree = ~std::uint64_t(0);
    thread_local std::vector<std::pair<std::uint64_t, Xapian::termcount>> table;
    std::size_t bits = 10, used = 0;
    table.assign(std::size_t(1) << bits, {kFree, 0});
    auto count = [&](std::uint64_t key) {
        for (;;) {
            std::size_t mask = table.size() - 1;
            for (std::size_t at = (key * 0x9E3779B97F4A7C15ull) >> (64 - bits);;
                 at = (at + 1) & mask) {
                if (table[at].first == key) {
                    table[at].second += weight;
                    return;
                }
                if (table[at].first != kFree) continue;
                if ((used + 1) * 2 <= table.size()) {
                    table[at] = {key, weight};
                    ++used;
                    return;
                }
                break;  // half full: grow, then place it
            }
            std::vector<std::pair<std::uint64_t, Xapian::termcount>> old(std::size_t(1) << ++bits,
                                                                         {kFree, 0});
            old.swap(table);
            std::size_t mask2 = table.size() - 1;
            for (const auto& entry : old) {
                if (entry.first == kFree) continue;
                std::size_t at = (entry.first * 0x9E3779B97F4A7C15ull) >> (64 - bits);
                while (table[at].first != kFree) at = (at + 1) & mask2;
                table[at] = entry;
            }
        }
    };
    for (std::size_t i = 0; i + 1 < text.size(); ++i) count(bigramKey(text[i], text[i + 1]));
    for (char32_t c : text) count(bigramKey(c, kAlone));
    thread_local std::vector<std::pair<std::uint64_t, Xapian::termcount>> terms;
    terms.clear();
    for (const auto& entry : table) {
        if (entry.first != kFree) terms.push_back(entry);
    }
    std::sort(terms.begin(), terms.end());
    for (const auto& [key, wdf] : terms) {
        const auto first = static_cast<char32_t>(key >> 32);
        const auto second = static_cast<char32_t>(key & 0xFFFFFFFFu);
        doc.add_term(second == kAlone ? unigramTerm(first) : bigramTerm(first, second), wdf);
    }
    // A huge document (up to the 4 MB extraction cap) must not keep its tables alive in
    // the indexing thread for the life of the server.
    if (table.capacity() > (std::size_t(1) << 16)) decltype(table)().swap(table);
    if (terms.capacity() > (std::size_t(1) << 16)) decltype(terms)().swap(terms);
}

}  // namespace kiroku::indexer
