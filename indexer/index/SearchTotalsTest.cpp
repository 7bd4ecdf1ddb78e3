// What a search counts and what it remembers for the next (issue 14): totals exact up to
// a count and "at least" past it, rights decided before counting, and the totals,
// decisions and rankings kept between searches, each for its own query, rights and
// state of the index, within the caches' bound.

#include "kiroku/indexer/SearchIndex.h"

#include "index/SearchIndexFixture.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <set>
#include <string>
#include <vector>

using namespace kiroku::indexer;
using fixtures::SearchIndexTest;

// ---- totals: exact up to a count, then "at least" (issue 14) ----------------------------

namespace {

// `n` documents under ORG/議事録/ holding `text`, each a day newer than the one before.
void putMany(SearchIndex& index, const std::string& org, int n, const std::string& text) {
    auto b = index.batch();
    for (int i = 0; i < n; ++i) {
        IndexedDocument d;
        d.path = org + "/議事録/" + std::to_string(i) + ".txt";
        d.text = text + " " + std::to_string(i);
        d.modifiedUs = 1700000000000000 + static_cast<std::int64_t>(i) * 86400000000;
        d.type = "text";
        b.put(d);
    }
    b.commit();
}

SearchResult searchFor(const SearchIndex& index, const std::string& text, std::size_t countUpTo,
                       std::size_t offset, std::size_t limit,
                       const ReadableScope& scope = ReadableScope::everything()) {
    SearchQuery q;
    q.text = text;
    q.countUpTo = countUpTo;
    q.offset = offset;
    q.limit = limit;
    return index.search(q, scope);
}

}  // namespace

TEST_F(SearchIndexTest, TotalsAreExactUpToTheCountThenAtLeastIt) {
    putMany(*index_, "東山地区", 30, "回覧板の当番表");
    // Every kind of term: a long one (checked), a bigram, a single character.
    for (const char* text : {"回覧板の当番", "番表", "表"}) {
        SearchResult exact = searchFor(*index_, text, 100, 0, 5);
        EXPECT_TRUE(exact.totalExact) << text;
        EXPECT_EQ(exact.total, 30u) << text;
        EXPECT_EQ(exact.hits.size(), 5u) << text;
        SearchResult capped = searchFor(*index_, text, 10, 0, 5);
        EXPECT_FALSE(capped.totalExact) << text;
        EXPECT_EQ(capped.total, 10u) << text;  // 「10件以上」
        ASSERT_EQ(capped.hits.size(), 5u) << text;
        // The page is the same either way: the best (here the newest) first.
        for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(capped.hits[i].path, exact.hits[i].path);
    }
    SearchResult beyond = searchFor(*index_, "回覧板の当番", 31, 0, 29);
    EXPECT_TRUE(beyond.totalExact);
    EXPECT_EQ(beyond.total, 30u);
}

TEST_F(SearchIndexTest, PagingReachesEveryMatchPastTheExactCount) {
    putMany(*index_, "東山地区", 30, "回覧板の当番表");
    std::set<std::string> seen;
    for (std::size_t offset = 0;; offset += 4) {
        SearchResult r = searchFor(*index_, "回覧板の当番", 6, offset, 4);
        for (const auto& h : r.hits) EXPECT_TRUE(seen.insert(h.path).second) << h.path;
        // Not exact means more follow this page.
        if (!r.totalExact) {
            EXPECT_GT(r.total, offset + r.hits.size());
        } else {
            EXPECT_EQ(r.total, 30u);
        }
        if (r.hits.size() < 4) break;
    }
    EXPECT_EQ(seen.size(), 30u);
}

TEST_F(SearchIndexTest, RightsApplyBeforeCounting) {
    putMany(*index_, "東山地区", 30, "回覧板の当番表");
    putMany(*index_, "緑町自治区", 12, "回覧板の当番表");
    ReadableScope onlyMidori;
    onlyMidori.atRoot = false;
    onlyMidori.points["緑町自治区"] = true;
    for (const char* text : {"回覧板の当番", "番表", "表"}) {
        SearchResult r = searchFor(*index_, text, 100, 0, 5, onlyMidori);
        EXPECT_TRUE(r.totalExact) << text;
        EXPECT_EQ(r.total, 12u) << text;  // not 42: the hidden ones are not counted
        for (const auto& h : r.hits) EXPECT_EQ(h.path.rfind("緑町自治区/", 0), 0u) << h.path;
        // Capped below the readable count: still none of the hidden in the page.
        SearchResult capped = searchFor(*index_, text, 8, 0, 5, onlyMidori);
        EXPECT_FALSE(capped.totalExact) << text;
        EXPECT_EQ(capped.total, 8u) << text;
        for (const auto& h : capped.hits) EXPECT_EQ(h.path.rfind("緑町自治区/", 0), 0u) << h.path;
    }
    // A check of the caller's own (confirm) that refuses some is counted as it decides.
    ReadableScope even = ReadableScope::everything();
    even.confirm = [](const std::string& path) {
        return path.rfind("緑町自治区/", 0) == 0 && path.find("/1") == std::string::npos;
    };
    SearchResult r = searchFor(*index_, "回覧板の当番", 100, 0, 50, even);
    EXPECT_TRUE(r.totalExact);
    EXPECT_EQ(r.total, 9u);  // 0, 2 … 9 of 緑町 (1, 10, 11 refused)
    EXPECT_EQ(r.hits.size(), 9u);
}

TEST_F(SearchIndexTest, RightsDecisionsAreRememberedOnlyUnderTheCallersKey) {
    putMany(*index_, "緑町自治区", 12, "回覧板の当番表");
    int asked = 0;
    bool allowOdd = false;
    ReadableScope scope = ReadableScope::everything();
    scope.confirm = [&](const std::string& path) {
        ++asked;
        const bool odd = path.find("/1") != std::string::npos;  // 1, 10, 11
        return path.rfind("緑町自治区/", 0) == 0 && odd == allowOdd;
    };
    scope.confirmKey = "person A, rights version 1";
    EXPECT_EQ(searchFor(*index_, "回覧板の当番", 100, 0, 50, scope).total, 9u);
    const int first = asked;
    EXPECT_GE(first, 12);
    // The same key: the answers are remembered, confirm is not asked again.
    EXPECT_EQ(searchFor(*index_, "当番表", 100, 0, 50, scope).total, 9u);
    EXPECT_EQ(asked, first);
    // Another key (the rights changed): asked anew, and the new answers hold.
    allowOdd = true;
    scope.confirmKey = "person A, rights version 2";
    EXPECT_EQ(searchFor(*index_, "回覧板の当番", 100, 0, 50, scope).total, 3u);
    EXPECT_GT(asked, first);
    // No key: asked in every search.
    scope.confirmKey.clear();
    const int before = asked;
    EXPECT_EQ(searchFor(*index_, "回覧板の当番", 100, 0, 50, scope).total, 3u);
    EXPECT_GE(asked, before + 12);
    // A change to the index starts afresh even under a known key.
    scope.confirmKey = "person A, rights version 2";
    putMany(*index_, "緑町自治区", 13, "回覧板の当番表");  // adds 緑町自治区/12
    const int afterChange = asked;
    EXPECT_EQ(searchFor(*index_, "回覧板の当番", 100, 0, 50, scope).total, 4u);  // 12 too
    EXPECT_GE(asked, afterChange + 13);
}

// Issue 14: a total is counted once per index state, rights and query; the next page
// ranks only itself. What is remembered never answers another question.
TEST_F(SearchIndexTest, RememberedTotalsAnswerOnlyTheSameQueryRightsAndState) {
    putMany(*index_, "東山地区", 30, "回覧板の当番表");
    putMany(*index_, "緑町自治区", 12, "回覧板の当番表");
    for (const char* text : {"回覧板の当番", "番表", "表"}) {
        EXPECT_EQ(searchFor(*index_, text, 100, 0, 5).total, 42u) << text;
        SearchResult next = searchFor(*index_, text, 100, 5, 5);  // the next page
        EXPECT_TRUE(next.totalExact) << text;
        EXPECT_EQ(next.total, 42u) << text;
        EXPECT_EQ(next.hits.size(), 5u) << text;
        // A smaller count asked for: at least that many, not the exact number.
        SearchResult capped = searchFor(*index_, text, 10, 0, 5);
        EXPECT_FALSE(capped.totalExact) << text;
        EXPECT_EQ(capped.total, 10u) << text;
        // Other rights: their own total.
        ReadableScope onlyMidori;
        onlyMidori.atRoot = false;
        onlyMidori.points["緑町自治区"] = true;
        EXPECT_EQ(searchFor(*index_, text, 100, 0, 5, onlyMidori).total, 12u) << text;
        ReadableScope odd = ReadableScope::everything();
        odd.confirm = [](const std::string& path) { return path.find("/1") != std::string::npos; };
        odd.confirmKey = "1, 10 ... 19 of each";
        EXPECT_EQ(searchFor(*index_, text, 100, 0, 5, odd).total, 14u) << text;
        // A filter: its own total.
        SearchQuery inMidori;
        inMidori.text = text;
        inMidori.organisation = "緑町自治区";
        inMidori.countUpTo = 100;
        EXPECT_EQ(index_->search(inMidori, ReadableScope::everything()).total, 12u) << text;
    }
    // Counted first below the matches, then asked for more: counted again.
    putMany(*index_, "西山地区", 7, "回覧板の当番表");
    EXPECT_EQ(searchFor(*index_, "番表", 10, 0, 5).total, 10u);
    SearchResult all = searchFor(*index_, "番表", 100, 0, 5);
    EXPECT_TRUE(all.totalExact);
    EXPECT_EQ(all.total, 49u);  // the index changed too: 7 more
}

// Issue 14: the first pages of a search are ranked once per index state, rights, query
// and order (Scope.h), and every page taken from that ranking is the page a search
// ranking anew gives: the same hits, order, scores, snippets and totals, for both orders,
// pages inside and across the window, and after the index changes.
TEST_F(SearchIndexTest, RememberedRankingsGiveThePagesARankingAnewGives) {
    {
        auto b = index_->batch();
        for (int i = 0; i < 150; ++i) {
            IndexedDocument d;
            d.path = "東山地区/議事録/" + std::to_string(i) + ".txt";
            // Scores of many heights, and many equal ones (ordered by date).
            for (int k = 0; k <= i % 4; ++k) d.text += "回覧板の当番表。";
            d.text += std::string(static_cast<std::size_t>(i % 3) * 40, 'x') + std::to_string(i);
            d.modifiedUs =
                1700000000000000 + static_cast<std::int64_t>((i * 37) % 150) * 86400000000;
            d.type = "text";
            b.put(d);
        }
        b.commit();
    }
    // No key names the caller's decisions: nothing of this search is remembered.
    ReadableScope anew = ReadableScope::everything();
    anew.confirm = [](const std::string&) { return true; };
    const std::pair<std::size_t, std::size_t> pages[] = {
        {0, 20}, {20, 20}, {80, 20}, {95, 5}, {7, 13}, {90, 20}, {100, 20}, {140, 20}, {160, 20}};
    auto expectSame = [&](const std::string& why) {
        for (bool byDate : {false, true}) {
            for (const auto& [offset, limit] : pages) {
                SearchQuery q;
                q.text = "当番表";
                q.byDate = byDate;
                q.offset = offset;
                q.limit = limit;
                const SearchResult expected = index_->search(q, anew);
                for (int round = 0; round < 2; ++round) {
                    const SearchResult got = index_->search(q, everyone);
                    const std::string at = why + " byDate=" + std::to_string(byDate) +
                                           " offset=" + std::to_string(offset) + " round " +
                                           std::to_string(round);
                    EXPECT_EQ(got.total, expected.total) << at;
                    EXPECT_EQ(got.totalExact, expected.totalExact) << at;
                    ASSERT_EQ(got.hits.size(), expected.hits.size()) << at;
                    for (std::size_t n = 0; n < got.hits.size(); ++n) {
                        EXPECT_EQ(got.hits[n].path, expected.hits[n].path) << at << " #" << n;
                        EXPECT_EQ(got.hits[n].score, expected.hits[n].score) << at << " #" << n;
                        EXPECT_EQ(got.hits[n].snippet, expected.hits[n].snippet) << at << " #" << n;
                    }
                }
            }
        }
    };
    const std::size_t before = index_->cachedBytes();
    expectSame("first");
    // Two rankings of 100 hits are kept (by score, by date), each a docid and a score a hit.
    EXPECT_GE(index_->cachedBytes(), before + 2 * 100 * (sizeof(Xapian::docid) + sizeof(double)));
    // A change of the index: the rankings of the last state answer nothing.
    {
        auto b = index_->batch();
        IndexedDocument d;
        d.path = "東山地区/議事録/new.txt";
        d.text = "当番表当番表当番表当番表当番表";
        d.modifiedUs = 1800000000000000;
        d.type = "text";
        b.put(d);
        b.remove("東山地区/議事録/3.txt");
        b.commit();
    }
    expectSame("after a change");
    SearchQuery top;
    top.text = "当番表";
    top.limit = 1;
    EXPECT_EQ(index_->search(top, everyone).hits.at(0).path, "東山地区/議事録/new.txt");
    // index.rememberedHits = 0: no ranking is kept, and the pages are the same.
    SearchIndex none(dir_, {}, SearchIndex::kDefaultCacheBytes, 0);
    SearchQuery q;
    q.text = "当番表";
    q.limit = 20;
    const SearchResult first = none.search(q, everyone);
    SearchIndex some(dir_);
    some.search(q, everyone);
    EXPECT_GE(some.cachedBytes(),
              none.cachedBytes() + 100 * (sizeof(Xapian::docid) + sizeof(double)));
    const SearchResult expected = index_->search(q, anew);
    ASSERT_EQ(first.hits.size(), expected.hits.size());
    for (std::size_t n = 0; n < first.hits.size(); ++n)
        EXPECT_EQ(first.hits[n].path, expected.hits[n].path) << n;
}

// A remembered ranking is taken only under the same key of the caller's decisions; a hit
// the caller refuses when its page is shown is not shown, whatever was remembered.
TEST_F(SearchIndexTest, ARememberedRankingShowsNoHitTheCallerNowRefuses) {
    putMany(*index_, "東山地区", 30, "回覧板の当番表");
    std::set<std::string> refused;
    ReadableScope scope = ReadableScope::everything();
    scope.confirm = [&](const std::string& path) { return refused.count(path) == 0; };
    scope.confirmKey = "one person, one date";
    const SearchResult first = searchFor(*index_, "当番表", 100, 0, 10, scope);
    ASSERT_EQ(first.hits.size(), 10u);
    // A caller whose decisions changed under the same key (a wrong key): the hit is gone.
    refused.insert(first.hits[3].path);
    const SearchResult again = searchFor(*index_, "当番表", 100, 0, 10, scope);
    for (const auto& hit : again.hits) EXPECT_NE(hit.path, first.hits[3].path);
    // Under another key, decided anew: 29 readable.
    scope.confirmKey = "the next day";
    const SearchResult next = searchFor(*index_, "当番表", 100, 0, 10, scope);
    EXPECT_EQ(next.total, 29u);
    for (const auto& hit : next.hits) EXPECT_NE(hit.path, first.hits[3].path);
}

// Issue 14: what searches remember stays within index.searchCacheMB however many
// documents and different words there are, and answers stay right when it is full.
TEST(SearchCaches, StayWithinTheirBoundAndAnswersStayRight) {
    const std::string dir = Poco::TemporaryFile::tempName();
    {
        const std::size_t bound = 64u << 10;
        SearchIndex index(dir, {}, bound);
        putMany(index, "東山地区", 3000, "回覧板の当番表");
        for (int k = 1; k <= 60; ++k) {
            const std::string prefix = std::to_string(k);
            std::size_t expected = 0;  // documents whose number starts with k
            for (int i = 0; i < 3000; ++i) {
                if (std::to_string(i).rfind(prefix, 0) == 0) ++expected;
            }
            // A long word (checked: 3,000 states of a byte each), and its total.
            SearchResult r = searchFor(index, "当番表" + prefix, 10000, 0, 5);
            EXPECT_TRUE(r.totalExact) << k;
            EXPECT_EQ(r.total, expected) << k;
            EXPECT_LE(index.cachedBytes(), bound) << k;
            EXPECT_GT(index.cachedBytes(), 0u) << k;
        }
        // The first words were let go and are found again, as before.
        EXPECT_EQ(searchFor(index, "当番表1", 10000, 0, 5).total, 1111u);
        EXPECT_LE(index.cachedBytes(), bound);
    }
    Poco::File(dir).remove(true);
}

// A remembered total's key is made of the query's fields: a field holding the separator
// must not read as the next field (here "from 2000, to 2001" would get the total of
// "from 2000", a date followed by junk).
TEST_F(SearchIndexTest, RegressionARememberedTotalIsNotTakenForAnotherQuerysFields) {
    putMany(*index_, "緑町自治区", 12, "回覧板の当番表");  // modified from 2023-11-14
    SearchQuery fromOnly;
    fromOnly.text = "当番表";
    fromOnly.from = std::string("2000-01-01") + '\x01' + "2001-01-01";
    EXPECT_EQ(index_->search(fromOnly, ReadableScope::everything()).total, 12u);
    SearchQuery both;
    both.text = "当番表";
    both.from = "2000-01-01";
    both.to = std::string("2001-01-01") + '\x01';
    SearchResult r = index_->search(both, ReadableScope::everything());
    EXPECT_TRUE(r.hits.empty());
    EXPECT_EQ(r.total, 0u);
}

TEST_F(SearchIndexTest, TotalsBeyondTenThousandAreAtLeastTenThousand) {
    putMany(*index_, "東山地区", 10050, "回覧板の当番表");
    for (const char* text : {"回覧板の当番", "番表", "表"}) {
        SearchResult r = searchFor(*index_, text, SearchQuery::kCountUpTo, 0, 20);
        EXPECT_FALSE(r.totalExact) << text;
        EXPECT_EQ(r.total, 10000u) << text;
        EXPECT_EQ(r.hits.size(), 20u) << text;
    }
    // The last page is reached, and there the count is exact.
    SearchResult last = searchFor(*index_, "回覧板の当番", SearchQuery::kCountUpTo, 10040, 20);
    EXPECT_TRUE(last.totalExact);
    EXPECT_EQ(last.total, 10050u);
    EXPECT_EQ(last.hits.size(), 10u);
}
