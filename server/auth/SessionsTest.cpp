#include "auth/Sessions.h"

#include <gtest/gtest.h>

#include <set>

using namespace kiroku;

namespace {

struct FakeClock {
    SessionStore::Clock::time_point now = SessionStore::Clock::now();
    void advance(std::chrono::minutes m) { now += m; }
};

}  // namespace

TEST(SessionStore, ATokenFindsItsSessionUntilLogout) {
    SessionStore store(30, 12);
    std::string token = store.create("yamada", "hash-1");
    EXPECT_EQ(token.size(), 43u);
    auto s = store.find(token);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->user, "yamada");
    EXPECT_EQ(s->credential, "hash-1");
    EXPECT_EQ(s->csrf.size(), 43u);
    EXPECT_NE(s->csrf, token);
    store.end(token);
    EXPECT_FALSE(store.find(token));
}

TEST(SessionStore, UnknownAndMalformedTokensFindNothing) {
    SessionStore store(30, 12);
    store.create("yamada", "h");
    EXPECT_FALSE(store.find(""));
    EXPECT_FALSE(store.find("x"));
    EXPECT_FALSE(store.find(randomToken()));
    EXPECT_FALSE(store.find(std::string(10000, 'a')));
}

TEST(SessionStore, TokensAreRandomAndDistinct) {
    SessionStore store(30, 12);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) seen.insert(store.create("u", "h"));
    EXPECT_EQ(seen.size(), 200u);
}

TEST(SessionStore, AnIdleSessionEndsButAUsedOneGoesOnUntilItsLimit) {
    FakeClock clock;
    SessionStore store(30, 2);
    store.setClockForTesting([&] { return clock.now; });
    std::string idle = store.create("a", "h"), used = store.create("b", "h");
    for (int i = 0; i < 4; ++i) {
        clock.advance(std::chrono::minutes(20));
        EXPECT_TRUE(store.find(used)) << i;
    }
    EXPECT_FALSE(store.find(idle));  // 80 minutes without a request
    clock.advance(std::chrono::minutes(45));
    EXPECT_FALSE(store.find(used));  // idle too long now
    std::string again = store.create("b", "h");
    for (int i = 0; i < 6; ++i) {
        clock.advance(std::chrono::minutes(20));
        EXPECT_EQ(store.find(again).has_value(), i < 5) << i;  // two hours at most
    }
}

TEST(SessionStore, AFullStoreDropsTheLeastRecentlyUsed) {
    SessionStore store(30, 12, 3);
    std::string a = store.create("a", "h"), b = store.create("b", "h"), c = store.create("c", "h");
    EXPECT_TRUE(store.find(a));  // a is now the most recent; b the least
    std::string d = store.create("d", "h");
    EXPECT_EQ(store.size(), 3u);
    EXPECT_FALSE(store.find(b));
    EXPECT_TRUE(store.find(a));
    EXPECT_TRUE(store.find(c));
    EXPECT_TRUE(store.find(d));
}

TEST(SessionStore, AMaskedTokenDiffersEachTimeAndMatchesOnlyItsToken) {
    std::string token = randomToken(), other = randomToken();
    std::string a = maskToken(token), b = maskToken(token);
    EXPECT_EQ(a.size(), 86u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find(token), std::string::npos);
    EXPECT_TRUE(tokenMatches(a, token));
    EXPECT_TRUE(tokenMatches(b, token));
    EXPECT_TRUE(tokenMatches(token, token));
    EXPECT_FALSE(tokenMatches(a, other));
    EXPECT_FALSE(tokenMatches(maskToken(other), token));
    EXPECT_FALSE(tokenMatches("", token));
    EXPECT_FALSE(tokenMatches(a.substr(0, 85), token));
    EXPECT_FALSE(tokenMatches(std::string(86, '!'), token));
    std::string flipped = a;
    flipped[50] = flipped[50] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokenMatches(flipped, token));
}

TEST(SessionStore, SameSecretComparesWholeStrings) {
    EXPECT_TRUE(sameSecret("abc", "abc"));
    EXPECT_FALSE(sameSecret("abc", "abd"));
    EXPECT_FALSE(sameSecret("abc", "ab"));
    EXPECT_FALSE(sameSecret("", "a"));
}

// A form sent after a login ended is kept for that person's next session, handed out
// once, and never larger than kKeptBytes.
TEST(SessionStore, AKeptFormIsHandedOutOnceAndBounded) {
    SessionStore store(120, 12);
    std::string token = store.create("shoki", "hash");
    EXPECT_FALSE(store.takeKept(token));
    store.keep(token, KeptForm{"/rename", {{"path", "桜ヶ丘自治区/議事録"}, {"name", "総会"}}});
    auto kept = store.takeKept(token);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->action, "/rename");
    ASSERT_EQ(kept->fields.size(), 2u);
    EXPECT_EQ(kept->fields[1].second, "総会");
    EXPECT_FALSE(store.takeKept(token));
    store.keep(token, KeptForm{"/rename", {{"note", std::string(kKeptBytes, 'x')}}});
    EXPECT_FALSE(store.takeKept(token));
    store.keep("unknown-token", KeptForm{"/rename", {{"a", "b"}}});
    EXPECT_FALSE(store.takeKept("unknown-token"));
}
