#include "http/Framing.h"

#include <gtest/gtest.h>

using namespace kiroku;
using Poco::Net::HTTPRequest;

namespace {
HTTPRequest put(std::initializer_list<std::pair<const char*, const char*>> headers) {
    HTTPRequest r("PUT", "/dav/x", HTTPRequest::HTTP_1_1);
    for (const auto& [k, v] : headers) r.add(k, v);
    return r;
}
}  // namespace

// Regression (security review, finding 15).
TEST(Framing, Finding15AmbiguousBodiesAreRefused) {
    EXPECT_EQ(framingError(put({{"Content-Length", "-5"}})), 400);
    EXPECT_EQ(framingError(put({{"Content-Length", "5 "}, {"Content-Length", "6"}})), 400);
    EXPECT_EQ(framingError(put({{"Content-Length", "0x10"}})), 400);
    EXPECT_EQ(framingError(put({{"Transfer-Encoding", "gzip, chunked"}})), 501);
    EXPECT_EQ(framingError(put({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})), 501);
    EXPECT_EQ(framingError(put({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})), 400);
}

TEST(Framing, SoundBodiesPass) {
    EXPECT_EQ(framingError(put({})), 0);
    EXPECT_EQ(framingError(put({{"Content-Length", "12"}})), 0);
    EXPECT_EQ(framingError(put({{"Content-Length", "12"}, {"Content-Length", "12"}})), 0);
    EXPECT_EQ(framingError(put({{"Transfer-Encoding", "Chunked"}})), 0);
}
