#include "index/QueryTerms.h"

#include "kiroku/indexer/Normaliser.h"
#include "kiroku/indexer/Utf8.h"

#include <gtest/gtest.h>

using namespace kiroku::indexer;

namespace {
std::vector<std::string> variantsOf(const char* term) {
    std::vector<std::string> out;
    for (const auto& v : eraVariants(normalise(term).text)) out.push_back(toUtf8(v));
    return out;
}
}  // namespace

TEST(QueryTerms, EraAndWesternYearsMeet) {
    auto v = variantsOf("令和６年４月");
    EXPECT_NE(std::find(v.begin(), v.end(), "2024年4月"), v.end());
    auto w = variantsOf("2024年4月");
    EXPECT_NE(std::find(w.begin(), w.end(), "令和6年4月"), w.end());
    auto g = variantsOf("令和元年");
    EXPECT_NE(std::find(g.begin(), g.end(), "2019年"), g.end());
    auto h = variantsOf("平成30年度");
    EXPECT_NE(std::find(h.begin(), h.end(), "2018年度"), h.end());
    EXPECT_EQ(variantsOf("防犯灯").size(), 1u);
}

TEST(QueryTerms, ParsingNeverFails) {
    ParsedQuery q = parseQuery("PTA 会費 2023");
    EXPECT_EQ(q.include.size(), 3u);
    q = parseQuery("\"令和4年度 総会\" -回覧");
    ASSERT_EQ(q.include.size(), 1u);
    EXPECT_EQ(q.exclude.size(), 1u);
    q = parseQuery("“防犯灯 LED”");
    EXPECT_EQ(q.include.size(), 1u);
    for (const char* odd :
         {"", "   ", "\"", "-", "!!!", "(((", "AND OR NOT", "\xff\xfe", "ｺﾞﾐ\t当番", "a\"b"}) {
        EXPECT_NO_THROW(parseQuery(odd)) << odd;
    }
    EXPECT_TRUE(parseQuery(" 　 ").include.empty());
}

TEST(QueryTerms, AYearAloneIsFoundByItsYearTerm) {
    ParsedQuery q = parseQuery("R5 決算");
    ASSERT_EQ(q.include.size(), 2u);
    EXPECT_EQ(q.include[0].yearTerms, std::vector<std::string>{"XN2023"});
    EXPECT_TRUE(q.include[0].variants.empty());  // not the letters r5 (pr5, ver5)
    EXPECT_TRUE(q.include[1].yearTerms.empty());
    EXPECT_EQ(q.fiscalYears, std::vector<int>{2023});
    q = parseQuery("2023");  // a number alone: its digits too
    ASSERT_EQ(q.include.size(), 1u);
    EXPECT_EQ(q.include[0].yearTerms, std::vector<std::string>{"XN2023"});
    EXPECT_EQ(q.include[0].variants, std::vector<std::u32string>{U"2023"});
    q = parseQuery("令和7年1月 2023年度決算 -H30");
    EXPECT_EQ(q.include[0].yearTerms, std::vector<std::string>{"XM202501"});
    EXPECT_TRUE(q.include[1].yearTerms.empty());  // a year within a word: its spellings swapped
    EXPECT_EQ(q.fiscalYears, (std::vector<int>{2024, 2023}));  // not the excluded one
    EXPECT_EQ(q.exclude[0].yearTerms, std::vector<std::string>{"XN2018"});
    auto v = variantsOf("平成31年度総会");
    EXPECT_NE(std::find(v.begin(), v.end(), "令和元年度総会"), v.end());
    EXPECT_NE(std::find(v.begin(), v.end(), "2019年度総会"), v.end());
}

// Every bigram is posted (format 5): one or two characters are answered by the postings
// alone, however common (する, ls, 表); only longer terms are checked in the text.
TEST(QueryTerms, OnlyTermsLongerThanABigramAreChecked) {
    for (const char* exact : {"する", "ls", "表", "設定", "ｌｓ"}) {
        ParsedQuery q = parseQuery(exact);
        ASSERT_EQ(q.include.size(), 1u) << exact;
        EXPECT_FALSE(needsCheck(q.include[0])) << exact;
    }
    for (const char* checked : {"ファイル", "grep", "環境変数"}) {
        ParsedQuery q = parseQuery(checked);
        ASSERT_EQ(q.include.size(), 1u) << checked;
        EXPECT_TRUE(needsCheck(q.include[0])) << checked;
    }
}

// Issue 14: a long variant is weighed by its rarest bigram alone; the others filter.
TEST(QueryTerms, ALongVariantIsWeighedByItsRarestBigramOnly) {
    QueryTerm term;
    term.variants = {U"ふぁいる"};
    std::vector<std::string> weighed;
    const Weigh weigh = [&](const Xapian::Query& unit, const std::string& name) {
        weighed.push_back(name);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, unit, 2.0);
    };
    const Frequency frequency = [](const std::string& name) -> Xapian::doccount {
        return name == bigramTerm(U'ぁ', U'い') ? 10 : 1000;
    };
    const Xapian::Query q = termQuery(term, weigh, frequency);
    ASSERT_EQ(weighed.size(), 1u);
    EXPECT_EQ(weighed[0], bigramTerm(U'ぁ', U'い'));
    // The same documents as all three bigrams together.
    std::vector<std::string> terms(q.get_unique_terms_begin(), q.get_unique_terms_end());
    EXPECT_EQ(terms.size(), 3u);
    EXPECT_NE(q.get_description().find("FILTER"), std::string::npos) << q.get_description();
    // Without frequencies: the first of them.
    weighed.clear();
    termQuery(term, weigh);
    EXPECT_EQ(weighed.size(), 1u);
}
