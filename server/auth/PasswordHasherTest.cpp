#include "auth/PasswordHasher.h"

#include <gtest/gtest.h>

using namespace kiroku;

TEST(PasswordHasher, VerifiesOnlyTheRightPassword) {
    std::string stored = passwords::hash("正しいパスワード", 1000);
    EXPECT_TRUE(passwords::verify("正しいパスワード", stored));
    EXPECT_FALSE(passwords::verify("正しいパスワーど", stored));
    EXPECT_FALSE(passwords::verify("", stored));
    EXPECT_FALSE(passwords::verify("x", "garbage"));
    EXPECT_FALSE(passwords::verify("x", "pbkdf2-sha256$0$AAAA$AAAA"));
}

TEST(PasswordHasher, SaltsEveryHashAndUsesManyIterations) {
    std::string a = passwords::hash("same password");
    std::string b = passwords::hash("same password");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.rfind("pbkdf2-sha256$", 0), 0u);
    int iterations = std::stoi(a.substr(14, a.find('$', 14) - 14));
    EXPECT_GE(iterations, 200000);
}
