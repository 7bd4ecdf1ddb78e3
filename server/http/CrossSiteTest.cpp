#include "http/CrossSite.h"

#include <gtest/gtest.h>

using namespace kiroku;
using Poco::Net::HTTPRequest;

namespace {
HTTPRequest request(const std::string& method,
                    std::initializer_list<std::pair<const char*, const char*>> headers) {
    HTTPRequest r(method, "/api/acl", HTTPRequest::HTTP_1_1);
    r.setHost("nas.local:8443");
    for (const auto& [k, v] : headers) r.set(k, v);
    return r;
}
}  // namespace

TEST(CrossSite, ChangesFromAnotherSiteOrOriginAreRefused) {
    EXPECT_TRUE(crossSiteChange(request("POST", {{"Origin", "https://evil.example"}}), true));
    EXPECT_TRUE(crossSiteChange(request("POST", {{"Origin", "null"}}), true));
    EXPECT_TRUE(crossSiteChange(request("POST", {{"Origin", "http://nas.local:8443"}}),
                                true));  // other scheme
    EXPECT_TRUE(crossSiteChange(request("DELETE", {{"Sec-Fetch-Site", "cross-site"}}), true));
    EXPECT_TRUE(crossSiteChange(request("PUT", {{"Sec-Fetch-Site", "same-site"}}), true));
}

TEST(CrossSite, TheSiteItselfAndWebDavClientsAreNot) {
    EXPECT_FALSE(crossSiteChange(request("POST", {{"Origin", "https://nas.local:8443"}}), true));
    EXPECT_FALSE(crossSiteChange(request("POST", {{"Sec-Fetch-Site", "same-origin"}}), true));
    EXPECT_FALSE(crossSiteChange(request("PUT", {}), true));  // Explorer, Finder, rclone
    EXPECT_FALSE(crossSiteChange(request("GET", {{"Origin", "https://evil.example"}}), true));
    EXPECT_FALSE(crossSiteChange(request("PROPFIND", {{"Sec-Fetch-Site", "cross-site"}}), true));
}

TEST(CrossSite, ApiChangesTakeOnlyJson) {
    EXPECT_TRUE(apiChangeWithoutJson(request("POST", {{"Content-Type", "text/plain"}})));
    EXPECT_TRUE(apiChangeWithoutJson(
        request("POST", {{"Content-Type", "application/x-www-form-urlencoded"}})));
    EXPECT_TRUE(apiChangeWithoutJson(request("POST", {})));  // a body-less form post
    EXPECT_FALSE(apiChangeWithoutJson(
        request("POST", {{"Content-Type", "application/json; charset=utf-8"}})));
    EXPECT_FALSE(apiChangeWithoutJson(request("GET", {})));
    EXPECT_FALSE(apiChangeWithoutJson(request("DELETE", {})));  // no form sends it
}
