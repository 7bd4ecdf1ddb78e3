// Authenticator with its real parts: a database in a temporary folder, the
// UserDirectory on it and a LoginThrottle. Logins that fail are in the audit log,
// guessing is throttled, and disabling someone or changing a password ends even the
// credentials the Authenticator remembers, within its 2-second re-read.
#include "auth/Authenticator.h"
#include "auth/PasswordHasher.h"

#include "audit/AuditLog.h"
#include "core/Settings.h"

#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <sstream>

#include <algorithm>
#include <chrono>

#include <chrono>
#include <thread>

using namespace kiroku;
using namespace std::chrono;
using Status = AuthResult::Status;

namespace {

const char* const kAlicePassword = "correct-horse-1";
const char* const kBobPassword = "battery-staple-2";

class AuthenticatorTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        Poco::File(dir_).createDirectories();
        db_ = std::make_unique<Database>(dir_ + "/meta.db");
        users_ = std::make_unique<UserDirectory>(*db_);
        throttle_ = std::make_unique<LoginThrottle>(settings_.loginFailureLimit);
        log_.setLevel(Poco::Message::PRIO_ERROR);  // failed logins warn; keep the test output quiet
        auth_ = std::make_unique<Authenticator>(*users_, *throttle_, log_, *db_);
        users_->add("alice", "山田 花子", kAlicePassword);
    }
    void TearDown() override {
        auth_.reset();
        users_.reset();
        db_.reset();
        Poco::File(dir_).remove(true);
    }

    static Poco::Net::HTTPRequest basic(const std::string& name, const std::string& password) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/dav/",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPBasicCredentials(name, password).authenticate(request);
        return request;
    }
    static Poco::Net::HTTPRequest withAuthorization(const std::string& value) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/dav/",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set(Poco::Net::HTTPRequest::AUTHORIZATION, value);
        return request;
    }
    std::vector<AuditEvent> logins(const std::string& user) {
        AuditFilter f;
        f.user = user;
        return audit::query(*db_, f);
    }

    Settings settings_;
    std::string dir_;
    Poco::Logger& log_ = Poco::Logger::get("kiroku.test.authenticator");
    std::unique_ptr<Database> db_;
    std::unique_ptr<UserDirectory> users_;
    std::unique_ptr<LoginThrottle> throttle_;
    std::unique_ptr<Authenticator> auth_;
};

}  // namespace

TEST_F(AuthenticatorTest, RightPasswordLogsIn) {
    AuthResult r = auth_->check("alice", kAlicePassword, "10.0.0.1");
    ASSERT_EQ(r.status, Status::Ok);
    ASSERT_TRUE(r.user);
    EXPECT_EQ(r.user->name, "alice");
    EXPECT_EQ(r.user->display, "山田 花子");
    // Remembered now: the same credentials again are still right.
    EXPECT_EQ(auth_->check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
    EXPECT_TRUE(logins("alice").empty());  // successes are not audited as logins
}

TEST_F(AuthenticatorTest, WrongPasswordIsRefusedAndAudited) {
    AuthResult r = auth_->check("alice", "wrong-password", "10.0.0.1");
    EXPECT_EQ(r.status, Status::Wrong);
    EXPECT_FALSE(r.user);
    auto events = logins("alice");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, "login");
    EXPECT_EQ(events[0].result, "failed");
    EXPECT_EQ(events[0].address, "10.0.0.1");
}

TEST_F(AuthenticatorTest, UnknownUserIsRefusedAndAudited) {
    AuthResult r = auth_->check("nobody", kAlicePassword, "10.0.0.2");
    EXPECT_EQ(r.status, Status::Wrong);
    EXPECT_FALSE(r.user);
    auto events = logins("nobody");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, "login");
    EXPECT_EQ(events[0].result, "failed");
    EXPECT_EQ(events[0].address, "10.0.0.2");
}

TEST_F(AuthenticatorTest, FailuresUpToTheLimitThrottleTheNameEvenWithTheRightPassword) {
    const int limit = settings_.loginFailureLimit;
    ASSERT_GT(limit, 0);
    for (int i = 0; i < limit; ++i) {
        EXPECT_EQ(auth_->check("alice", "guess-" + std::to_string(i), "10.0.0.66").status,
                  Status::Wrong)
            << i;
    }
    // The right password, never verified before, from another address: still throttled,
    // or guessing would only need to rotate addresses.
    AuthResult r = auth_->check("alice", kAlicePassword, "10.0.0.7");
    EXPECT_EQ(r.status, Status::Throttled);
    EXPECT_GT(r.retryAfter, 0);
    EXPECT_FALSE(r.user);

    // Recorded in bounded form: the first failure at once, the rest of the window as
    // one summary when it closes (here: when the authenticator stops).
    auto events = logins("alice");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].result, "throttled");
    EXPECT_EQ(events[0].address, "10.0.0.7");
    EXPECT_EQ(events[1].result, "failed");
    auth_.reset();
    AuditFilter all;
    std::size_t summaries = 0;
    for (const auto& e : audit::query(*db_, all)) {
        if (e.result == "failed" &&
            e.dest == msg("audit.login_summary",
                          {{"count", std::to_string(limit - 1)}, {"names", "alice"}})
                          .ja) {
            ++summaries;
        }
    }
    EXPECT_EQ(summaries, 1u);
}

// Regression (security review, finding 3): every throttled attempt was audited with a
// user name of up to 6 KB, so attempts without a login filled meta.db and server.log.
TEST_F(AuthenticatorTest, Finding3AFloodOfFailedLoginsWritesABoundedNumberOfRows) {
    AuditFilter all;
    all.limit = 100000;
    std::size_t before = audit::query(*db_, all).size();
    std::string longName(6000, 'x');
    for (int i = 0; i < 3000; ++i) auth_->check(longName + std::to_string(i), "guess", "10.6.6.6");
    auth_.reset();
    auto events = audit::query(*db_, all);
    EXPECT_LE(events.size() - before, 4u);  // per kind (failed, throttled): the first and a summary
    for (const auto& e : events) {
        EXPECT_LE(e.user.size(), 64u + 3) << "a name stored whole";
        EXPECT_LE(e.dest.size(), 400u);
    }
}

// Regression (security review, finding 11): a wrong password for an existing user took
// ~54 ms and an unknown user ~0.7 ms, which told which names exist.
TEST_F(AuthenticatorTest, Finding11AnUnknownNameTakesAsLongAsAWrongPassword) {
    auto timed = [&](const std::string& name, int i) {
        auto start = std::chrono::steady_clock::now();
        auth_->check(name, "wrong-password", "10.11." + std::to_string(i) + ".1");
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count();
    };
    std::vector<double> known, unknown;
    for (int i = 0; i < 3; ++i) {
        known.push_back(timed("alice", i));
        unknown.push_back(timed("nobody-" + std::to_string(i), 10 + i));
    }
    std::sort(known.begin(), known.end());
    std::sort(unknown.begin(), unknown.end());
    EXPECT_GT(unknown[1], known[1] * 0.5)
        << "unknown " << unknown[1] << " ms, known " << known[1] << " ms";
}

TEST_F(AuthenticatorTest, AnEarlierHashIsReplacedAtTheNextLogin) {
    users_->replaceHash("alice", passwords::pbkdf2ForTests(kAlicePassword, 1000));
    ASSERT_TRUE(passwords::needsRehash(users_->find("alice")->passwordHash));
    EXPECT_EQ(auth_->check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
    std::string now = users_->find("alice")->passwordHash;
    EXPECT_EQ(now.rfind("$argon2id$", 0), 0u) << now;
    EXPECT_TRUE(passwords::verify(kAlicePassword, now));
}

TEST_F(AuthenticatorTest, SomeoneGuessingDoesNotLockOutCredentialsAlreadyVerified) {
    ASSERT_EQ(auth_->check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
    for (int i = 0; i < settings_.loginFailureLimit; ++i)
        auth_->check("alice", "guess", "10.9.9.9");
    ASSERT_EQ(auth_->check("alice", "guess", "10.9.9.9").status, Status::Throttled);
    EXPECT_EQ(auth_->check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
}

TEST_F(AuthenticatorTest, DisabledUserIsRefusedEvenWithTheRightPassword) {
    users_->setDisabled("alice", true);
    Authenticator fresh(*users_, *throttle_, log_, *db_);
    EXPECT_EQ(fresh.check("alice", kAlicePassword, "10.0.0.1").status, Status::Wrong);
    EXPECT_EQ(fresh.check(basic("alice", kAlicePassword), "10.0.0.1").status, Status::Wrong);
    ASSERT_FALSE(logins("alice").empty());
    EXPECT_EQ(logins("alice")[0].result, "failed");

    users_->setDisabled("alice", false);
    Authenticator again(*users_, *throttle_, log_, *db_);
    EXPECT_EQ(again.check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
}

// One wait covers both changes, so the test sleeps at most a little over 2 s.
TEST_F(AuthenticatorTest, DisablingOrANewPasswordEndsRememberedCredentialsWithinTwoSeconds) {
    users_->add("bob", "鈴木 一郎", kBobPassword);
    auto aliceHeader = basic("alice", kAlicePassword);
    auto bobHeader = basic("bob", kBobPassword);
    ASSERT_EQ(auth_->check("alice", kAlicePassword, "10.0.0.1").status, Status::Ok);
    ASSERT_EQ(auth_->check(aliceHeader, "10.0.0.1").status, Status::Ok);
    ASSERT_EQ(auth_->check("bob", kBobPassword, "10.0.0.2").status, Status::Ok);
    ASSERT_EQ(auth_->check(bobHeader, "10.0.0.2").status, Status::Ok);

    users_->setPassword("alice", "a-new-password-3");
    users_->setDisabled("bob", true);
    auto changed = steady_clock::now();

    // Each pair of credentials is tried until it is refused once (so the throttle,
    // which counts failures, never comes into play).
    bool aliceByName = true, aliceByHeader = true, bobByName = true, bobByHeader = true;
    while (aliceByName || aliceByHeader || bobByName || bobByHeader) {
        if (steady_clock::now() - changed > milliseconds(2900)) break;
        if (aliceByName)
            aliceByName = auth_->check("alice", kAlicePassword, "10.0.0.1").status == Status::Ok;
        if (aliceByHeader)
            aliceByHeader = auth_->check(aliceHeader, "10.0.0.1").status == Status::Ok;
        if (bobByName)
            bobByName = auth_->check("bob", kBobPassword, "10.0.0.2").status == Status::Ok;
        if (bobByHeader) bobByHeader = auth_->check(bobHeader, "10.0.0.2").status == Status::Ok;
        std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_FALSE(aliceByName) << "the old password still works by name and password";
    EXPECT_FALSE(aliceByHeader) << "the old password still works through a remembered header";
    EXPECT_FALSE(bobByName) << "a disabled person still logs in by name and password";
    EXPECT_FALSE(bobByHeader) << "a disabled person still logs in through a remembered header";

    EXPECT_EQ(auth_->check("alice", "a-new-password-3", "10.0.0.1").status, Status::Ok);
    EXPECT_EQ(auth_->check(basic("alice", "a-new-password-3"), "10.0.0.1").status, Status::Ok);
}

TEST_F(AuthenticatorTest, BasicHeaderWithUtf8PasswordLogsIn) {
    const std::string password = "ひみつの合言葉です";  // 9 characters, 27 bytes
    users_->add("tanaka", "田中 次郎", password);
    auto request = basic("tanaka", password);
    AuthResult r = auth_->check(request, "10.0.0.3");
    ASSERT_EQ(r.status, Status::Ok);
    EXPECT_EQ(r.user->name, "tanaka");
    // The second time through the remembered header.
    EXPECT_EQ(auth_->check(request, "10.0.0.3").status, Status::Ok);
    // A different UTF-8 password, and the same one in another normalisation form
    // (が as か + U+3099), are different passwords.
    EXPECT_EQ(auth_->check(basic("tanaka", "ひみつの合言葉でず"), "10.0.0.3").status,
              Status::Wrong);
    EXPECT_EQ(auth_->check(basic("tanaka", "ひみつの合言葉て\xE3\x82\x99す"), "10.0.0.3").status,
              Status::Wrong);
}

TEST_F(AuthenticatorTest, MissingAuthorizationHeaderIsMissing) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/dav/",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    AuthResult r = auth_->check(request, "10.0.0.4");
    EXPECT_EQ(r.status, Status::Missing);
    EXPECT_FALSE(r.user);
    EXPECT_TRUE(
        audit::query(*db_, AuditFilter{}).empty());  // nothing to audit: no attempt was made
}

TEST_F(AuthenticatorTest, OtherSchemeThanBasicIsMissing) {
    EXPECT_EQ(auth_->check(withAuthorization("Bearer abc.def.ghi"), "10.0.0.4").status,
              Status::Missing);
}

TEST_F(AuthenticatorTest, MalformedBase64HeaderIsRefusedWithoutThrowing) {
    for (const char* value : {"Basic %%%not/base64!!", "Basic !!YWxpY2U6Y29ycmVjdC1ob3JzZS0x",
                              "Basic ====", "Basic", "Basic \xE3\x81\x82"}) {
        AuthResult r;
        EXPECT_NO_THROW(r = auth_->check(withAuthorization(value), "10.0.0.5")) << value;
        EXPECT_NE(r.status, Status::Ok) << value;
        EXPECT_FALSE(r.user) << value;
    }
    // Without the colon RFC 7617 has no user-pass: not credentials at all (a 401 asking
    // for them, no failed login counted).
    EXPECT_EQ(auth_->check(withAuthorization("Basic YWxpY2U="), "10.0.0.6").status,
              Status::Missing);
}

namespace {
std::string b64(const std::string& s) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << s;
    enc.close();
    return out.str();
}
}  // namespace

// Regression: Poco's Basic parser accepted text after the credentials ("Basic <b64>
// junk") and any scheme spelling; the header is now read strictly (RFC 7617).
TEST(ParseBasic, RegressionTrailingTextAndMalformedHeadersAreRefused) {
    auto ok = parseBasic("Basic " + b64("tester:pw"));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->name, "tester");
    EXPECT_EQ(ok->password, "pw");
    ok = parseBasic("  basic \t" + b64("山田:パス:ワード") + "  ");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->name, "山田");
    EXPECT_EQ(ok->password, "パス:ワード");  // the first colon separates
    ok = parseBasic("Basic " + b64(":"));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->name, "");
    for (const std::string& bad : std::vector<std::string>{
             "Basic " + b64("tester:pw") + " junk", "Basic " + b64("tester:pw") + "AAAA=",
             "Basic " + b64("tester:pw") + "x", "Basic " + b64("tester"), "Basic =AAA",
             "Basic A=AA", "Basic ====", "Basic", "Basic ", "Bearer " + b64("tester:pw"),
             "Basic" + b64("tester:pw"), "Basic " + b64("\xff\xfe:pw"),
             "Basic " + b64("tester:\xc3"), std::string("Basic ") + '\0' + b64("a:b")}) {
        EXPECT_FALSE(parseBasic(bad)) << bad;
    }
}

// Regression: login names are matched in any case (the throttle already counted them as
// one), and a second person whose name differs only in case cannot be added — in the
// audit log and in permission entries they would look like the same person.
TEST_F(AuthenticatorTest, RegressionNamesDifferingOnlyInCaseAreOnePerson) {
    AuthResult r = auth_->check("Alice", kAlicePassword, "10.0.0.7");
    ASSERT_EQ(r.status, Status::Ok);
    EXPECT_EQ(r.user->name, "alice");
    EXPECT_THROW(users_->add("ALICE", "別人", "another-password-1"), UserError);
    users_->setDisabled("ALICE", true);  // the CLI may be given either
    EXPECT_TRUE(users_->find("alice")->disabled);
    EXPECT_EQ(users_->list().size(), 1u);
}
