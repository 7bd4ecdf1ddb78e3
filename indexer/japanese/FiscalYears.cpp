#include "kiroku/indexer/FiscalYears.h"

#include "japanese/EraYears.h"
#include "kiroku/indexer/Normaliser.h"

namespace kiroku::indexer {

int parseFiscalYear(std::string_view text) {
    const std::u32string normalised = normalise(text).text;
    const YearSpelling y = yearAt(normalised, 0);
    const bool fiscal = y.form == YearForm::fiscal || y.form == YearForm::bare;
    return y.year && fiscal && y.end == normalised.size() ? y.year : 0;
}

int fiscalYearInPath(std::string_view path) {
    // A '/' between folders is no part of a number: "/2023年度/" is 2023, not "…/2023".
    std::u32string text = normalise(path).text;
    for (auto& c : text) {
        if (c == U'/') c = U' ';
    }
    return fiscalYearIn(text);
}

}  // namespace kiroku::indexer
