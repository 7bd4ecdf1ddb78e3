#include "index/ScopedWeight.h"

#include <algorithm>
#include <cmath>

namespace kiroku::indexer {

namespace {
constexpr double kK1 = 1.0;
constexpr double kB = 0.5;
constexpr double kMinNormalisedLength = 0.5;
}  // namespace

double inverseDocumentFrequency(double documents, double frequency) {
    if (frequency <= 0) return 0;  // matches nothing the person may read
    double ratio = (documents - frequency + 0.5) / (frequency + 0.5);
    // A term in more than half the documents would weigh less than nothing; as Xapian's
    // BM25Weight, it gets a small positive weight instead.
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

double highestScoreOf(double factor) { return factor * (kK1 + 1); }

ScopedBM25::ScopedBM25(double averageLength)
    : averageLength_(averageLength > 0 ? averageLength : 1) {
    need_stat(WDF);
    need_stat(DOC_LENGTH);
}

std::string ScopedBM25::serialise() const { return Xapian::sortable_serialise(averageLength_); }

ScopedBM25* ScopedBM25::unserialise(const std::string& data) const {
    return new ScopedBM25(Xapian::sortable_unserialise(data));
}

double ScopedBM25::get_sumpart(Xapian::termcount wdf, Xapian::termcount length,
                               Xapian::termcount) const {
    if (factor_ == 0 || wdf == 0) return 0;
    double normalised =
        std::max(static_cast<double>(length) / averageLength_, kMinNormalisedLength);
    double k = kK1 * ((1 - kB) + kB * normalised);
    return factor_ * (kK1 + 1) * wdf / (k + wdf);
}

double ScopedBM25::get_maxpart() const { return highestScoreOf(factor_); }

}  // namespace kiroku::indexer
