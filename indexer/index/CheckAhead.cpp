#include "index/CheckAhead.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

namespace kiroku::indexer {

std::size_t checkAhead(Xapian::Database& db, const std::string& generation, const TextFiles& texts,
                       const Xapian::Query& candidates, const std::vector<TextCheck>& checks,
                       const NormaliseOptions& options, std::size_t wanted,
                       const CheckAheadLimits& limits) {
    if (checks.empty() || wanted == 0) return 0;
    std::vector<Xapian::docid> ids;
    std::string uuid;
    Xapian::rev revision = 0;
    try {
        // Boolean weights in ascending order: the matcher stops at the most asked for.
        Xapian::Enquire list(db);
        list.set_query(candidates);
        list.set_weighting_scheme(Xapian::BoolWeight());
        list.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::MSet listed = list.get_mset(0, static_cast<Xapian::doccount>(limits.most));
        if (listed.size() < limits.fewest) return 0;
        ids.reserve(listed.size());
        for (auto it = listed.begin(); it != listed.end(); ++it) ids.push_back(*it);
        uuid = db.get_uuid();
        revision = db.get_revision();
    } catch (const Xapian::Error&) {
        return 0;
    }
    std::atomic<std::size_t> next{0}, passed{0}, checked{0};
    const ReadableFn anyone = [](const std::string&) { return true; };
    // Takes chunks in order until enough have passed or none is left.
    const auto work = [&](Xapian::Database& mine) {
        CandidateDecider decider(mine, texts, anyone, nullptr, checks, options);
        while (passed.load(std::memory_order_relaxed) < wanted) {
            const std::size_t from = next.fetch_add(limits.chunk);
            if (from >= ids.size()) break;
            const std::size_t to = std::min(ids.size(), from + limits.chunk);
            std::size_t n = 0;
            for (std::size_t i = from; i < to; ++i) {
                if (decider.passesChecks(mine.get_document(ids[i], Xapian::DOC_ASSUME_VALID))) ++n;
            }
            passed += n;
            checked += to - from;
        }
    };
    std::thread helper;
    try {
        helper = std::thread([&] {
            try {
                // Its own reader, of the same state of the index only: what it finds is
                // remembered for that state.
                Xapian::Database mine(generation);
                if (mine.get_uuid() == uuid && mine.get_revision() == revision) work(mine);
            } catch (...) {
                // The search's thread checks the rest, or the matcher does.
            }
        });
    } catch (const std::system_error&) {
        // No thread to be had: this one checks alone.
    }
    try {
        work(db);
    } catch (...) {
        next = ids.size();  // the helper stops after its chunk
    }
    if (helper.joinable()) helper.join();
    return checked.load();
}

}  // namespace kiroku::indexer
