#include "index/DocumentYear.h"

#include "japanese/EraYears.h"
#include "kiroku/indexer/FiscalYears.h"

#include <ctime>

namespace kiroku::indexer {

int documentYear(const std::string& path, const std::u32string& normalisedText,
                 std::int64_t modifiedUs) {
    if (int y = fiscalYearInPath(path)) return y;
    if (int y = dateYearIn(normalisedText.substr(0, 4096))) return y;
    std::time_t t = static_cast<std::time_t>(modifiedUs / 1000000);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    return tm.tm_mon + 1 >= 4 ? tm.tm_year + 1900 : tm.tm_year + 1899;
}

}  // namespace kiroku::indexer
