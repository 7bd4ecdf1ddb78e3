#include "index/FrequentBigrams.h"

#include <gtest/gtest.h>

using namespace kiroku::indexer;

TEST(FrequentBigrams, AreTheBigramsOfAThirdOfTheSampleOrMore) {
    std::vector<std::u32string> sample;
    for (int i = 0; i < 99; ++i) {
        sample.push_back(i % 3 == 0   ? U"会議の記録"
                         : i % 9 == 1 ? U"会議と清掃と点検"
                                      : U"会議と清掃");
    }
    FrequentBigrams f = FrequentBigrams::of(sample);
    EXPECT_TRUE(f.contains(bigramKey(U'会', U'議')));   // in all
    EXPECT_TRUE(f.contains(bigramKey(U'の', U'記')));   // in exactly a third
    EXPECT_TRUE(f.contains(bigramKey(U'清', U'掃')));   // in two thirds
    EXPECT_FALSE(f.contains(bigramKey(U'点', U'検')));  // in 11 of 99
    EXPECT_FALSE(f.contains(bigramKey(U'議', U'会')));  // in none
    EXPECT_TRUE(f.startsWith(U'会'));
    EXPECT_FALSE(f.startsWith(U'点'));
}

TEST(FrequentBigrams, NoneFromASmallSample) {
    std::vector<std::u32string> sample(FrequentBigrams::kMinSample - 1, U"会議");
    EXPECT_TRUE(FrequentBigrams::of(sample).empty());
}

TEST(FrequentBigrams, AreReadBackAsWritten) {
    std::vector<std::u32string> sample(FrequentBigrams::kMinSample, U"総会の議事");
    FrequentBigrams f = FrequentBigrams::of(sample);
    FrequentBigrams back = FrequentBigrams::parse(f.serialise());
    EXPECT_EQ(back.size(), 4u);
    EXPECT_TRUE(back.contains(bigramKey(U'議', U'事')));
    EXPECT_FALSE(back.contains(bigramKey(U'事', U'議')));
    EXPECT_TRUE(FrequentBigrams::parse("").empty());
}

TEST(FrequentBigrams, ADamagedRecordCountsEveryBigramAsFrequent) {
    // Taking a bigram as posted when it is not would miss documents; the other way
    // round only checks more of them.
    FrequentBigrams f = FrequentBigrams::parse("12345\nnot a number\n");
    EXPECT_FALSE(f.empty());
    EXPECT_TRUE(f.contains(bigramKey(U'東', U'京')));
    EXPECT_TRUE(f.startsWith(U'東'));
}
