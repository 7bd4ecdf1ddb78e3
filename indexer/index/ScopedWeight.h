#pragma once
// Scores made only of what the person may read (internal to the indexer).
//
// BM25 (Robertson et al.; Xapian's BM25Weight with k1 = 1, b = 0.5 and the same
// treatment of very common terms) splits into a per-term factor, the inverse document
// frequency, and a per-document part from the term's count in the document and the
// document's length against the average. Xapian would take both statistics from the
// whole database, hidden documents included. Here the query wraps each weighted unit (a
// term, or the synonyms one character expands to) in OP_SCALE_WEIGHT by its inverse
// document frequency among the readable documents (inverseDocumentFrequency), and
// ScopedBM25 gives the per-document part against the readable documents' average
// length. So a document scores as it would in an index of the readable documents alone.

#include <xapian.h>

#include <string>

namespace kiroku::indexer {

// The factor of a unit that `frequency` of `documents` readable documents hold.
double inverseDocumentFrequency(double documents, double frequency);

// The most a unit scaled by `factor` can add to a document's ScopedBM25 score.
double highestScoreOf(double factor);

class ScopedBM25 : public Xapian::Weight {
public:
    explicit ScopedBM25(double averageLength);

    std::string name() const override { return "kiroku::ScopedBM25"; }
    std::string serialise() const override;
    ScopedBM25* unserialise(const std::string& data) const override;
    ScopedBM25* clone() const override { return new ScopedBM25(averageLength_); }
    void init(double factor) override { factor_ = factor; }

    double get_sumpart(Xapian::termcount wdf, Xapian::termcount length,
                       Xapian::termcount) const override;
    double get_maxpart() const override;
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
    double get_maxextra() const override { return 0; }

private:
    double averageLength_;
    double factor_ = 0;
};

}  // namespace kiroku::indexer
