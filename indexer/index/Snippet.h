#pragma once
// Snippets of search hits (internal to the indexer): the original text around the first
// match, matches marked, HTML-escaped.

#include "index/StoredText.h"
#include "kiroku/indexer/Normaliser.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiroku::indexer {

// A query term as the snippets and the checks look for it.
struct Needle {
    std::u32string text;
    std::string utf8;
};

bool contains(std::string_view haystack, const std::string& needle);

// A snippet of the original text[from, to) around its first match: about 110 normalised
// characters from a little before it, every match among them marked; empty when there
// is no match in that range. Offsets come from the normaliser's map, so matches found in
// normalised text are marked in the text as written (ＬＥＤ 化, ｺﾞﾐ).
// `text` may be the start of a longer text: it is cut short (…) where it has more than `to`.
std::string snippetIn(std::string_view text, std::size_t from, std::size_t to,
                      const std::vector<Needle>& needles, const NormaliseOptions& options);

// The snippet of a document's content: the first match is found in the normalised text,
// and only the original text around it (between sync points) is normalised again. Both
// texts are unpacked only as far as the snippet needs.
std::string snippetOf(StoredTexts& texts, const std::vector<SyncPoint>& sync,
                      const std::vector<Needle>& needles, const NormaliseOptions& options);

}  // namespace kiroku::indexer
