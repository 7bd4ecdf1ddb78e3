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
    EXPECT_GT(t.retryAfter("YAMADA", "10.0.0.9"), 0);  // by name, whatever the address
    EXPECT_GT(t.retryAfter("someone", "10.0.0.1"), 0); // by address, whatever the name
    now += seconds(first + 1);
    EXPECT_EQ(t.retryAfter("yamada", "10.0.0.1"), 0);
    int second = t.recordFailure("yamada", "10.0.0.1");
    EXPECT_GT(second, first);
    now += seconds(second + 1);
    t.recordSuccess("yamada", "10.0.0.1");
    EXPECT_EQ(t.recordFailure("yamada", "10.0.0.1"), 0);
}
