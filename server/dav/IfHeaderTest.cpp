#include "dav/IfHeader.h"

#include <gtest/gtest.h>

using namespace kiroku::dav;

TEST(IfHeader, ParsesUntaggedAndTaggedLists) {
    auto lists = parseIfHeader("(<opaquelocktoken:a> [\"e1\"]) (Not <DAV:no-lock> [\"e2\"])");
    ASSERT_EQ(lists.size(), 2u);
    EXPECT_EQ(lists[0].conditions.size(), 2u);
    EXPECT_FALSE(lists[0].conditions[0].isEtag);
    EXPECT_EQ(lists[0].conditions[0].value, "opaquelocktoken:a");
    EXPECT_TRUE(lists[1].conditions[0].negate);
    auto tagged = parseIfHeader("<http://h/dav/x> (<opaquelocktoken:b>)");
    ASSERT_EQ(tagged.size(), 1u);
    EXPECT_EQ(tagged[0].resource, "http://h/dav/x");
    EXPECT_EQ(submittedTokens(lists), std::set<std::string>{"opaquelocktoken:a"});
}

TEST(IfHeader, RefusesMalformed) {
    for (const char* bad : {"", "(", "()", "<x>", "(<a>", "([\"e\"", "garbage"}) {
        EXPECT_THROW(parseIfHeader(bad), IfHeaderError) << bad;
    }
}

TEST(IfHeader, EvaluatesAgainstState) {
    ResourceState state{true, "\"e1\"", {"opaquelocktoken:a"}};
    auto lookup = [&](const std::string&) { return std::optional<ResourceState>(state); };
    EXPECT_TRUE(evaluateIf(parseIfHeader("(<opaquelocktoken:a>)"), lookup));
    EXPECT_FALSE(evaluateIf(parseIfHeader("(<opaquelocktoken:z>)"), lookup));
    EXPECT_TRUE(evaluateIf(parseIfHeader("(<opaquelocktoken:z>) (Not <DAV:no-lock>)"), lookup));
    EXPECT_TRUE(evaluateIf(parseIfHeader("(<opaquelocktoken:a> [\"e1\"])"), lookup));
    EXPECT_FALSE(evaluateIf(
        parseIfHeader("(<opaquelocktoken:a> [\"bad\"]) (Not <DAV:no-lock> [\"bad\"])"), lookup));
    EXPECT_TRUE(evaluateIf(parseIfHeader("([W/\"e1\"])"), lookup));
    auto missing = [](const std::string&) { return std::optional<ResourceState>(); };
    EXPECT_FALSE(evaluateIf(parseIfHeader("<http://other/x> (<opaquelocktoken:a>)"), missing));
}
