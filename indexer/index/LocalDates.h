#pragma once
// Dates where the association is (internal to the indexer): a document's fiscal year from
// its modified time, and the days of a date filter, in the association's time zone
// (NormaliseOptions::timeZone), whatever the machine's own zone. Thread-safe.

#include <cstdint>
#include <memory>
#include <string>

namespace kiroku::indexer {

class LocalDates {
public:
    // The dates of the zone `name` (Asia/Tokyo); an unknown name is UTC (kirokud and kiroku
    // refuse one at start, before an index is opened).
    static const LocalDates& in(const std::string& name);

    // The fiscal year (April 1 - March 31) of the instant `us` (microseconds since 1970).
    int fiscalYearAt(std::int64_t us) const;
    // Microseconds since 1970 at the start of the local day `year-month-day`.
    double startOfDay(int year, int month, int day) const;

    explicit LocalDates(const std::string& name);
    ~LocalDates();

private:
    struct Zone;
    std::unique_ptr<const Zone> zone_;
};

}  // namespace kiroku::indexer
