#include "service/LockManager.h"

#include <gtest/gtest.h>

using namespace kiroku::service;
using kiroku::DocPath;

TEST(LockManager, ExclusiveConflictsAndSharedCoexist) {
    LockManager m;
    DocPath a = DocPath::fromText("a"), ab = DocPath::fromText("a/b");
    auto first = m.acquire(a, false, true, "", "u1", 60);
    ASSERT_TRUE(first.lock);
    EXPECT_TRUE(m.acquire(a, false, true, "", "u2", 60).lock);  // shared + shared
    auto ex = m.acquire(ab, true, false, "", "u3", 60);  // exclusive under a shared infinity lock
    EXPECT_FALSE(ex.lock);
    ASSERT_TRUE(ex.conflict);
    EXPECT_EQ(ex.conflict->str(), "a");
    EXPECT_EQ(m.covering(ab).size(), 2u);
    EXPECT_EQ(m.within(DocPath()).size(), 2u);
    EXPECT_TRUE(m.release(first.lock->token));
    EXPECT_FALSE(m.release(first.lock->token));
}

TEST(LockManager, DepthZeroDoesNotCoverChildren) {
    LockManager m;
    ASSERT_TRUE(m.acquire(DocPath::fromText("d"), true, false, "", "u", 60).lock);
    EXPECT_TRUE(m.covering(DocPath::fromText("d/x")).empty());
    EXPECT_TRUE(m.acquire(DocPath::fromText("d/x"), true, false, "", "u", 60).lock);
    // An infinity lock on the parent now conflicts with the child's lock.
    EXPECT_FALSE(m.acquire(DocPath::fromText("d"), false, true, "", "u", 60).lock);
}

TEST(LockManager, ExpiredLocksDisappearAndRefreshExtends) {
    LockManager m;
    auto gone = m.acquire(DocPath::fromText("x"), true, false, "", "u", 0);
    ASSERT_TRUE(gone.lock);
    EXPECT_FALSE(m.find(gone.lock->token));
    auto live = m.acquire(DocPath::fromText("y"), true, false, "", "u", 60);
    auto refreshed = m.refresh(live.lock->token, 600);
    ASSERT_TRUE(refreshed);
    EXPECT_GT(refreshed->secondsLeft(), 500);
    m.releaseWithin(DocPath::fromText("y"));
    EXPECT_TRUE(m.empty());
}
