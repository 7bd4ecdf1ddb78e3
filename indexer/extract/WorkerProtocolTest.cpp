#include "extract/WorkerProtocol.h"

#include <gtest/gtest.h>

namespace kiroku::indexer::extract {
namespace {

TEST(WorkerProtocolTest, RequestCarriesPathsWithSpacesAndNewlines) {
    const std::string path = "/data/回覧　夏祭り\nのお知らせ.html";
    const std::string wire = encodeRequest(path, 4096);
    const std::size_t newline = wire.find('\n');
    const RequestHeader header = parseRequestHeader(wire.substr(0, newline));
    EXPECT_EQ(header.maxBytes, 4096u);
    ASSERT_EQ(header.pathLength, path.size());
    EXPECT_EQ(wire.substr(newline + 1), path);
}

TEST(WorkerProtocolTest, ResponseRoundTrip) {
    const std::string wire = encodeResponse(true, "text/plain", "text", "一行目\n二行目");
    const std::size_t newline = wire.find('\n');
    const ResponseHeader header = parseResponseHeader(wire.substr(0, newline));
    EXPECT_TRUE(header.ok);
    EXPECT_EQ(header.mime, "text/plain");
    EXPECT_EQ(header.extractor, "text");
    EXPECT_EQ(wire.substr(newline + 1, header.payloadLength), "一行目\n二行目");
}

TEST(WorkerProtocolTest, UnknownFieldsTravelAsDashAndComeBackEmpty) {
    const std::string wire = encodeResponse(false, "", "bad name", "unsupported type x");
    const ResponseHeader header = parseResponseHeader(wire.substr(0, wire.find('\n')));
    EXPECT_FALSE(header.ok);
    EXPECT_EQ(header.mime, "");
    EXPECT_EQ(header.extractor, "bad_name");
}

TEST(WorkerProtocolTest, MalformedHeadersAreRejected) {
    EXPECT_THROW(parseResponseHeader("ok text/plain text"), ProtocolError);
    EXPECT_THROW(parseResponseHeader("maybe a b 3"), ProtocolError);
    EXPECT_THROW(parseResponseHeader("ok a b -3"), ProtocolError);
    EXPECT_THROW(parseResponseHeader("ok a b 3x"), ProtocolError);
    EXPECT_THROW(parseRequestHeader("extract 10 0"), ProtocolError);
    EXPECT_THROW(parseRequestHeader("extract 10  5"), ProtocolError);
    EXPECT_THROW(parseReady("steady 1"), ProtocolError);
    EXPECT_EQ(parseReady("ready 7"), 7u);
}

}  // namespace
}  // namespace kiroku::indexer::extract
