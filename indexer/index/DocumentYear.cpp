#include "index/DocumentYear.h"

#include "index/LocalDates.h"

#include "japanese/EraYears.h"
#include "kiroku/indexer/FiscalYears.h"

namespace kiroku::indexer {

int documentYear(const std::string& path, const std::u32string& normalisedText,
                 std::int64_t modifiedUs, const std::string& zone) {
    if (int y = fiscalYearInPath(path)) return y;
    if (int y = dateYearIn(normalisedText.substr(0, 4096))) return y;
    return LocalDates::in(zone).fiscalYearAt(modifiedUs);
}

}  // namespace kiroku::indexer
