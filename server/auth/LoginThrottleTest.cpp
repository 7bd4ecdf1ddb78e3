#include "auth/LoginThrottle.h"

#include <gtest/gtest.h>

using namespace kiroku;
using namespace std::chrono;

TEST(LoginThrottle, BlocksAfterLimitWithGrowingDelay) {
    steady_clock::time_point now{};
    LoginThrottle t(5, [&] { return now; });
    for (int i = 0; i < 4; ++i) EXPECT_EQ(t.recordFailure("yamada", "10.0.0.1"), 0);
    EXPECT_EQ(t.retryAfter("yamada", "10.0.0.9"), 0);
    int first = t.recordFailure("yamada", "10.0.0.1");
    EXPECT_GT(first, 0);
    EXPECT_GT(t.retryAfter("YAMADA", "10.0.0.9"), 0);   // by name, whatever the address
    EXPECT_GT(t.retryAfter("someone", "10.0.0.1"), 0);  // by address, whatever the name
    now += seconds(first + 1);
    EXPECT_EQ(t.retryAfter("yamada", "10.0.0.1"), 0);
    int second = t.recordFailure("yamada", "10.0.0.1");
    EXPECT_GT(second, first);
    // Failures fade after an hour without one.
    now += hours(2);
    EXPECT_EQ(t.recordFailure("yamada", "10.0.0.1"), 0);
}

// Regression (security review, finding 11): a success reset the address's count, and
// case variants of a name counted as other names, so 30 failures from one address
// never reached 429.
TEST(LoginThrottle, Finding11ASuccessDoesNotResetAndCaseVariantsAreOneName) {
    steady_clock::time_point now{};
    LoginThrottle t(5, [&] { return now; });
    const char* variants[] = {"Yamada", "YAMADA", "yamada", "yAmAdA", "YaMaDa"};
    int delay = 0;
    for (const char* name : variants) delay = t.recordFailure(name, "10.0.0.1");
    EXPECT_GT(delay, 0);
    EXPECT_GT(t.retryAfter("yamada", "10.0.0.2"), 0);
}

TEST(LoginThrottle, MadeUpNamesCannotGrowTheRecordsWithoutBound) {
    steady_clock::time_point now{};
    LoginThrottle t(5, [&] { return now; });
    for (int i = 0; i < 50000; ++i) {
        t.recordFailure("guess" + std::to_string(i), "10.0.0.1");
        now += milliseconds(1);
    }
    // The guesser's address is still throttled, however many names it made up.
    EXPECT_GT(t.retryAfter("someone-else", "10.0.0.1"), 0);
}
