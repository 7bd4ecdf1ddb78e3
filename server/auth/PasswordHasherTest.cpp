#include "auth/PasswordHasher.h"

#include <gtest/gtest.h>

using namespace kiroku;

TEST(PasswordHasher, VerifiesOnlyTheRightPassword) {
    std::string stored = passwords::hash("正しいパスワード");
    EXPECT_TRUE(passwords::verify("正しいパスワード", stored));
    EXPECT_FALSE(passwords::verify("正しいパスワーど", stored));
    EXPECT_FALSE(passwords::verify("", stored));
    EXPECT_FALSE(passwords::verify("x", "garbage"));
    EXPECT_FALSE(passwords::verify("x", "pbkdf2-sha256$0$AAAA$AAAA"));
    EXPECT_FALSE(passwords::verify("x", "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA"));
}

TEST(PasswordHasher, Argon2idSizedForASmallNasAndSaltedEveryTime) {
    std::string a = passwords::hash("same password");
    std::string b = passwords::hash("same password");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.rfind("$argon2id$v=19$m=32768,t=3,p=1$", 0), 0u) << a;
    EXPECT_FALSE(passwords::needsRehash(a));
}

TEST(PasswordHasher, FirstReleaseHashesStillVerifyAndAskToBeReplaced) {
    std::string old = passwords::pbkdf2ForTests("古いパスワード", 1000);
    EXPECT_TRUE(passwords::verify("古いパスワード", old));
    EXPECT_FALSE(passwords::verify("ちがう", old));
    EXPECT_TRUE(passwords::needsRehash(old));
}

TEST(PasswordHasher, TheDecoyMatchesNothing) {
    EXPECT_FALSE(passwords::verify("", passwords::decoy()));
    EXPECT_FALSE(passwords::verify("password-123", passwords::decoy()));
    EXPECT_EQ(passwords::decoy(), passwords::decoy());
}
