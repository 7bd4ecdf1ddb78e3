#include "dav/Range.h"

#include <gtest/gtest.h>

using namespace kiroku::dav;
using Kind = RangeRequest::Kind;

TEST(Range, OneRangeIsServedInPart) {
    auto r = parseRange("bytes=10-19", 100);
    ASSERT_EQ(r.kind, Kind::Part);
    EXPECT_EQ(r.range.first, 10u);
    EXPECT_EQ(r.range.last, 19u);
    r = parseRange("bytes=90-", 100);
    EXPECT_EQ(r.range.last, 99u);
    r = parseRange("bytes=95-500", 100);
    EXPECT_EQ(r.range.last, 99u);  // cut to the end of the file
}

TEST(Range, TheLastBytes) {
    auto r = parseRange("bytes=-10", 100);
    ASSERT_EQ(r.kind, Kind::Part);
    EXPECT_EQ(r.range.first, 90u);
    EXPECT_EQ(r.range.last, 99u);
    EXPECT_EQ(parseRange("bytes=-500", 100).range.first, 0u);
    EXPECT_EQ(parseRange("bytes=-0", 100).kind, Kind::Unsatisfiable);
}

TEST(Range, PastTheEndIsUnsatisfiable) {
    EXPECT_EQ(parseRange("bytes=100-", 100).kind, Kind::Unsatisfiable);
    EXPECT_EQ(parseRange("bytes=0-", 0).kind, Kind::Unsatisfiable);
    EXPECT_EQ(parseRange("bytes=-1", 0).kind, Kind::Unsatisfiable);
}

TEST(Range, AnythingElseMeansTheWholeFile) {
    for (const char* h :
         {"", "bytes", "items=0-1", "bytes=0-1,5-6", "bytes=a-b", "bytes=5-2", "bytes=-",
          "bytes=99999999999999999999-", "bytes=1-2-3", "bytes= 1 - x"}) {
        EXPECT_EQ(parseRange(h, 100).kind, Kind::Whole) << h;
    }
}
