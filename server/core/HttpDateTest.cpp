#include "core/HttpDate.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <gtest/gtest.h>

using namespace kiroku;

TEST(HttpDate, MatchesPocoFormattingAcrossYears) {
    for (std::int64_t s : {0LL, 951782400LL, 1700000000LL, 1795412475LL, 4102444799LL}) {
        std::int64_t us = s * 1000000 + 123456;
        std::string http, iso;
        appendHttpDate(http, us);
        appendIsoDate(iso, us);
        EXPECT_EQ(http, Poco::DateTimeFormatter::format(Poco::Timestamp(us),
                                                        Poco::DateTimeFormat::HTTP_FORMAT));
        EXPECT_EQ(iso, Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%SZ"));
    }
}
