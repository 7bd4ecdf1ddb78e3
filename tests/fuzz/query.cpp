// query: the search query as a person types it, with the filters of a search
// (indexer/index: parseQuery, then planQuery), as NUL-separated fields: text, folder,
// organisation, category, type, from, to, year.
// Asserts: parsing never throws and every term has variants or year terms, no variant
// empty or holding whitespace; planning never throws, gives a plan exactly when a term
// is included, and the plan's Xapian query serialises and reads back; every check has
// variants.
#include "FuzzSupport.h"
#include "index/QueryPlan.h"
#include "index/QueryTerms.h"

#include <unicode/uchar.h>

#include <charconv>

using namespace kiroku::indexer;

namespace {

void checkTerms(const std::vector<QueryTerm>& terms) {
    for (const auto& t : terms) {
        FUZZ_CHECK(!t.variants.empty() || !t.yearTerms.empty());
        for (const auto& v : t.variants) {
            FUZZ_CHECK(!v.empty());
            for (char32_t c : v) FUZZ_CHECK(!u_isUWhiteSpace(static_cast<UChar32>(c)));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto f = kiroku::fuzz::fields(kiroku::fuzz::asText(data, size), 8);
    SearchQuery q;
    q.text = f[0];
    q.folder = f[1];
    q.organisation = f[2];
    q.category = f[3];
    q.type = f[4];
    q.from = f[5];
    q.to = f[6];
    std::from_chars(f[7].data(), f[7].data() + f[7].size(), q.year);

    ParsedQuery parsed = parseQuery(q.text);
    checkTerms(parsed.include);
    checkTerms(parsed.exclude);

    Weigh weigh = [](const Xapian::Query& unit, const std::string&) { return unit; };
    auto plan = planQuery(q, parsed, weigh, std::nullopt, NormaliseOptions{}.timeZone);
    FUZZ_CHECK(plan.has_value() == !parsed.include.empty());
    if (!plan) return 0;
    std::string wire = plan->query.serialise();
    FUZZ_CHECK(Xapian::Query::unserialise(wire).serialise() == wire);
    for (const auto& check : plan->checks) FUZZ_CHECK(!check.variants.empty());
    return 0;
}
