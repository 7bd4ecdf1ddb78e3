#pragma once
// How normalised text becomes a document's terms (internal to the indexer): each
// distinct bigram and each distinct character once (bigramTerm, unigramTerm in
// QueryTerms.h), with how often it occurs. No positions. Thread-safe (each thread counts
// in tables of its own).

#include <xapian.h>

#include <string>

namespace kiroku::indexer {

// Adds the terms of `text` to `doc`, each within-document frequency times `weight`.
// Nothing for empty text. The terms are added in term order, which a Xapian::Document
// takes fastest.
void addTextTerms(Xapian::Document& doc, const std::u32string& text, Xapian::termcount weight);

}  // namespace kiroku::indexer
