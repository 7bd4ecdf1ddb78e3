#include "kiroku/indexer/FiscalYears.h"

#include "japanese/EraYears.h"
#include "kiroku/indexer/Normaliser.h"

namespace kiroku::indexer {

int parseFiscalYear(std::string_view text) {
    const std::u32string normalised = normalise(text).text;
    FiscalYearName name = fiscalYearAt(normalised, 0);
    return name.year && name.end == normalised.size() ? name.year : 0;
}

int fiscalYearInPath(std::string_view path) { return fiscalYearIn(normalise(path).text); }

}  // namespace kiroku::indexer
