#include "app/Router.h"

#include <gtest/gtest.h>

using kiroku::plainHttpAllowed;
using Poco::Net::IPAddress;

TEST(Router, PlainHttpOnlyFromThisMachineUnlessAllowed) {
    EXPECT_TRUE(plainHttpAllowed(false, false, IPAddress("127.0.0.1")));
    EXPECT_TRUE(plainHttpAllowed(false, false, IPAddress("127.8.9.10")));
    EXPECT_TRUE(plainHttpAllowed(false, false, IPAddress("::1")));
    EXPECT_TRUE(plainHttpAllowed(false, false, IPAddress("::ffff:127.0.0.1")));
    EXPECT_FALSE(plainHttpAllowed(false, false, IPAddress("192.168.1.20")));
    EXPECT_FALSE(plainHttpAllowed(false, false, IPAddress("10.0.0.5")));
    EXPECT_FALSE(plainHttpAllowed(false, false, IPAddress("::ffff:192.168.1.20")));
    EXPECT_FALSE(plainHttpAllowed(false, false, IPAddress("fe80::1")));
    EXPECT_TRUE(plainHttpAllowed(false, true, IPAddress("192.168.1.20")));  // http.allowRemote
    EXPECT_TRUE(plainHttpAllowed(true, false, IPAddress("192.168.1.20")));  // HTTPS
}
