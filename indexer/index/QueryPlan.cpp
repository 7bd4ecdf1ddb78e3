#include "index/QueryPlan.h"

#include "index/LocalDates.h"
#include "index/Schema.h"
#include "index/TrigramFilter.h"
#include "kiroku/indexer/Utf8.h"

#include <cstdio>

namespace kiroku::indexer {

namespace {

// Microseconds since the epoch at the start (or the end) of a day in the zone.
double dateUs(const std::string& date, bool end, const std::string& zone) {
    int year = 0, month = 0, day = 0;
    if (std::sscanf(date.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3 || year < 1 ||
        month < 1 || month > 12 || day < 1 || day > 31)
        return end ? 1e18 : 0;
    const LocalDates& dates = LocalDates::in(zone);
    // The end: just before the next day starts (a day is not always 24 hours long).
    return end ? dates.startOfDay(year, month, day + 1) - 1 : dates.startOfDay(year, month, day);
}

}  // namespace

std::optional<QueryPlan> planQuery(const SearchQuery& q, const ParsedQuery& parsed,
                                   const Weigh& weigh, const std::optional<Xapian::Query>& scope,
                                   const std::string& zone, const Frequency& frequency) {
    const Weigh unweighed = [](const Xapian::Query& unit, const std::string&) { return unit; };
    QueryPlan plan;
    std::vector<Xapian::Query> must, mustNot, filters;
    auto check = [&](const QueryTerm& term, bool exclude) {
        TextCheck c;
        c.exclude = exclude;
        for (const auto& v : term.variants) {
            c.variants.push_back(toUtf8(v));
            c.filterKeys.push_back(filterKeysOf(c.variants.back()));
        }
        c.yearTerms = term.yearTerms;
        plan.checks.push_back(std::move(c));
    };
    for (const auto& term : parsed.include) {
        must.push_back(termQuery(term, weigh, frequency));
        if (needsCheck(term)) check(term, false);
    }
    for (const auto& term : parsed.exclude) {
        if (needsCheck(term)) {
            check(term, true);
        } else {
            mustNot.push_back(termQuery(term, unweighed));
        }
    }
    if (!q.folder.empty()) filters.push_back(Xapian::Query(boolTerm(kFolderPrefix, q.folder)));
    if (!q.organisation.empty())
        filters.push_back(Xapian::Query(boolTerm(kOrganisationPrefix, q.organisation)));
    if (!q.category.empty())
        filters.push_back(Xapian::Query(boolTerm(kCategoryPrefix, q.category)));
    if (q.year) filters.push_back(Xapian::Query(kYearPrefix + std::to_string(q.year)));
    if (!q.type.empty()) filters.push_back(Xapian::Query(kTypePrefix + q.type));
    if (scope) filters.push_back(*scope);
    if (!q.from.empty() || !q.to.empty()) {
        filters.push_back(Xapian::Query(
            Xapian::Query::OP_VALUE_RANGE, kModifiedSlot,
            Xapian::sortable_serialise(q.from.empty() ? 0 : dateUs(q.from, false, zone)),
            Xapian::sortable_serialise(q.to.empty() ? 1e18 : dateUs(q.to, true, zone))));
    }
    if (must.empty()) return std::nullopt;
    plan.rankFirst = parsed.fiscalYears;
    plan.query = Xapian::Query(Xapian::Query::OP_AND, must.begin(), must.end());
    if (!mustNot.empty()) {
        plan.query =
            Xapian::Query(Xapian::Query::OP_AND_NOT, plan.query,
                          Xapian::Query(Xapian::Query::OP_OR, mustNot.begin(), mustNot.end()));
    }
    if (!filters.empty()) {
        plan.query =
            Xapian::Query(Xapian::Query::OP_FILTER, plan.query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    return plan;
}

Xapian::Query rankingFirst(const Xapian::Query& query, const std::vector<int>& fiscalYears,
                           double bonus) {
    if (fiscalYears.empty()) return query;
    std::vector<Xapian::Query> filed;
    for (int year : fiscalYears) filed.emplace_back(kYearPrefix + std::to_string(year));
    const Xapian::Query bonusOf(
        Xapian::Query::OP_FILTER,
        Xapian::Query((new Xapian::FixedWeightPostingSource(bonus))->release()),
        Xapian::Query(Xapian::Query::OP_OR, filed.begin(), filed.end()));
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, bonusOf);
}

}  // namespace kiroku::indexer
