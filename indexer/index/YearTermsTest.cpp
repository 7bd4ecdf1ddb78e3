// Issue 13, "years as officers write them": every common spelling of a year, in a query,
// meets every other in documents' names and texts, and never another year's.
#include "index/YearTerms.h"

#include "kiroku/indexer/FiscalYears.h"
#include "kiroku/indexer/Normaliser.h"
#include "kiroku/indexer/SearchIndex.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <set>

using namespace kiroku::indexer;

namespace {

struct Spelling {
    const char* written;
    int year, month;  // what it names (month: a date's, else 0)
};

// The spellings of the issue, and the years they must not be taken for (平成5年 is not
// R5; 2019 is both 平成31年 and 令和元年; R6.11 is not 令和6年10月).
const Spelling kSpellings[] = {
    {"R5", 2023, 0},           {"R05", 2023, 0},          {"R.5", 2023, 0},
    {"Ｒ５", 2023, 0},         {"令和5年", 2023, 0},      {"令和５年度", 2023, 0},
    {"令和元年", 2019, 0},     {"H30", 2018, 0},          {"平成30年度", 2018, 0},
    {"平成31年", 2019, 0},     {"S63", 1988, 0},          {"2023", 2023, 0},
    {"2023年", 2023, 0},       {"2023年度", 2023, 0},     {"FY2023", 2023, 0},
    {"R6.11", 2024, 11},       {"令和6年11月", 2024, 11}, {"平成5年", 1993, 0},
    {"H5", 1993, 0},           {"2019", 2019, 0},         {"令和元年度", 2019, 0},
    {"令和6年10月", 2024, 10}, {"2024", 2024, 0},         {"昭和63年度", 1988, 0},
};

// Whether a query spelling `q` must find a document spelling `d`.
bool meet(const Spelling& q, const Spelling& d) {
    return q.year == d.year && (q.month == 0 || q.month == d.month);
}

std::size_t indexOf(const char* w) {
    for (std::size_t i = 0; i < std::size(kSpellings); ++i) {
        if (std::string(kSpellings[i].written) == w) return i;
    }
    ADD_FAILURE() << w;
    return 0;
}

// Each spelling in a document's name, and written in another document's text.
std::string named(std::size_t i) {
    return "区/名前" + std::to_string(i) + "/" + kSpellings[i].written + "_収支決算書.txt";
}
std::string written(std::size_t i) { return "区/本文" + std::to_string(i) + "/収支決算書.txt"; }

class YearSpellingsMeet : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new std::string(Poco::TemporaryFile::tempName());
        index_ = new SearchIndex(*dir_);
        auto b = index_->batch();
        for (std::size_t i = 0; i < std::size(kSpellings); ++i) {
            put(b, named(i), "収支の決算を報告します。");
            put(b, written(i),
                std::string("これは") + kSpellings[i].written + "の収支決算書です。");
        }
        b.commit();
    }
    static void TearDownTestSuite() {
        delete index_;
        Poco::File(*dir_).remove(true);
        delete dir_;
    }
    static void put(SearchIndex::Batch& b, const std::string& path, const std::string& text) {
        IndexedDocument d;
        d.path = path;
        d.text = text;
        d.modifiedUs = 1500000000000000;  // 2017: no spelling's fiscal year
        d.type = "text";
        b.put(d);
    }
    static std::set<std::string> find(const std::string& text, int year = 0) {
        SearchQuery q;
        q.text = text;
        q.year = year;
        q.limit = 200;
        std::set<std::string> out;
        for (const auto& h : index_->search(q, ReadableScope::everything()).hits)
            out.insert(h.path);
        return out;
    }
    inline static std::string* dir_ = nullptr;
    inline static SearchIndex* index_ = nullptr;
};

}  // namespace

TEST_F(YearSpellingsMeet, EverySpellingFindsEveryOtherOfItsYearAndNoOther) {
    for (const auto& q : kSpellings) {
        std::set<std::string> expected;
        for (std::size_t i = 0; i < std::size(kSpellings); ++i) {
            if (!meet(q, kSpellings[i])) continue;
            expected.insert(named(i));
            expected.insert(written(i));
        }
        EXPECT_EQ(find(q.written), expected) << q.written;
        EXPECT_EQ(find(std::string(q.written) + " 決算"), expected) << q.written << " 決算";
    }
}

TEST_F(YearSpellingsMeet, NotWhereTheyMustNot) {
    auto has = [](const std::set<std::string>& found, std::size_t i) {
        return found.count(named(i)) && found.count(written(i));
    };
    auto at = indexOf;
    EXPECT_FALSE(has(find("R5"), at("平成5年")));  // R5 is not 平成5年
    EXPECT_FALSE(has(find("平成5年"), at("R5")));
    EXPECT_TRUE(has(find("H5"), at("平成5年")));
    EXPECT_TRUE(has(find("2019"), at("平成31年")));  // 2019 is both
    EXPECT_TRUE(has(find("2019"), at("令和元年")));
    EXPECT_TRUE(has(find("平成31年"), at("令和元年")));
    EXPECT_FALSE(has(find("R6.11"), at("令和6年10月")));
    EXPECT_TRUE(has(find("2024"), at("令和6年10月")));  // a date spells its year
    EXPECT_FALSE(has(find("2024"), at("R5")));
}

// The 年度 filter reads what a person types with the parser that filed the documents.
TEST_F(YearSpellingsMeet, TheFiscalYearFilterFindsWhatWasFiledUnderTheSameSpelling) {
    for (std::size_t i = 0; i < std::size(kSpellings); ++i) {
        const int year = parseFiscalYear(kSpellings[i].written);
        if (!year || fiscalYearInPath(named(i)) != year) continue;
        EXPECT_TRUE(find("収支決算書", year).count(named(i))) << kSpellings[i].written;
    }
    EXPECT_TRUE(find("収支決算書", parseFiscalYear("R5")).count(named(indexOf("FY2023"))));
}

// A year typed with a word: the documents filed under that 年度 rank first, before one
// of another 年度 that only mentions the year, however much more it says the word.
TEST(YearRanking, TheFiscalYearsDocumentsRankFirst) {
    const std::string dir = Poco::TemporaryFile::tempName();
    {
        SearchIndex index(dir);
        auto b = index.batch();
        IndexedDocument d;
        d.type = "text";
        d.modifiedUs = 1700000000000000;
        d.path = "区/会計/令和4年度/収支決算書.txt";  // filed under 2022, mentions 2023
        d.text = "決算 決算 決算 決算。期間は2022年4月1日から2023年3月31日。決算の報告。";
        b.put(d);
        d.path = "区/会計/令和5年度/収支決算書.txt";  // filed under 2023
        d.text = "収支の決算を報告します。";
        d.modifiedUs = 1600000000000000;  // older: equal scores would put it last
        b.put(d);
        d.path = "区/会計/令和5年度/予算書.txt";  // 2023, without the word
        d.text = "予算。";
        b.put(d);
        b.commit();
        auto order = [&](const std::string& text) {
            SearchQuery q;
            q.text = text;
            std::vector<std::string> out;
            for (const auto& h : index.search(q, ReadableScope::everything()).hits)
                out.push_back(h.path);
            return out;
        };
        EXPECT_EQ(order("決算").front(), "区/会計/令和4年度/収支決算書.txt");  // by the word
        for (const char* year : {"2023", "R5", "R05", "FY2023", "令和5年度", "2023年度"}) {
            auto hits = order(std::string(year) + " 決算");
            ASSERT_FALSE(hits.empty()) << year;
            EXPECT_EQ(hits.front(), "区/会計/令和5年度/収支決算書.txt") << year;
        }
        // 2023 alone: the 令和4年度 statement mentions it, and comes after the 令和5年度 ones.
        auto hits = order("2023");
        ASSERT_EQ(hits.size(), 3u);
        EXPECT_EQ(hits.back(), "区/会計/令和4年度/収支決算書.txt");
    }
    Poco::File(dir).remove(true);
}

TEST(YearTerms, TermsOfDocumentsAndQueries) {
    Xapian::Document doc;
    const std::string years =
        addYearTerms(doc, normalise("区/平成30年度/").text, normalise("R5_総会.txt").text,
                     normalise("令和6年11月3日、2019年").text, 8);
    EXPECT_EQ(years, "XM202411 XN2018 XN2019 XN2023 XN2024");
    EXPECT_TRUE(holdsYearTerm(years, "XN2019"));
    EXPECT_FALSE(holdsYearTerm(years, "XN201"));
    EXPECT_FALSE(holdsYearTerm(years, "XM2024"));
    auto wdf = [&](const std::string& term) {
        auto it = doc.termlist_begin();
        it.skip_to(term);
        return it != doc.termlist_end() && *it == term ? it.get_wdf() : 0u;
    };
    EXPECT_EQ(wdf("XN2023"), 8u);  // in the name
    EXPECT_EQ(wdf("XN2024"), 1u);
    EXPECT_EQ(wdf("XN2018"), 1u);  // in a folder
    EXPECT_EQ(yearTermsOf(normalise("R6.11").text), std::vector<std::string>{"XM202411"});
    EXPECT_EQ(yearTermsOf(normalise("ＦＹ２０２３").text), std::vector<std::string>{"XN2023"});
    EXPECT_TRUE(yearTermsOf(normalise("2023年度決算").text).empty());  // not a year alone
    EXPECT_TRUE(yearTermsOf(normalise("pr5").text).empty());
}
