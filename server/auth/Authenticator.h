#pragma once
// Authenticator: checks HTTP Basic credentials against the UserDirectory, with the
// LoginThrottle in front. A person's row is re-read at most every 2 seconds, so
// disabling someone or changing a password (also from the CLI) takes effect within
// 2 seconds without a database query on every request. Verified credentials are remembered (as a
// keyed hash, for ten minutes, and only while the stored password hash is unchanged), so that the
// slow KDF runs once per login rather than on every WebDAV request; requests that
// arrive together with the same credentials (a client opening several connections)
// wait for one verification instead of each running the KDF. Thread-safe.
//
// Against guessing: a name nobody has, or a disabled person, costs the same KDF run as
// a wrong password (a decoy hash), so the time of an answer does not tell which names
// exist; failures are throttled per name and per address (LoginThrottle) and recorded
// in bounded form (LoginAudit). A hash of an earlier scheme is replaced at the next
// successful login.

#include "auth/LoginAudit.h"
#include "auth/LoginThrottle.h"
#include "auth/UserDirectory.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace kiroku {

struct AuthResult {
    enum class Status { Ok, Missing, Wrong, Throttled };
    Status status = Status::Missing;
    std::optional<User> user;  // set when Ok
    int retryAfter = 0;        // seconds, when Throttled
};

// The user name and password of an Authorization header in the Basic scheme (RFC 7617):
// "Basic", one or more spaces, then base64 (padding only at the end) of "name:password";
// nothing else. Nullopt for anything else: another scheme, bad base64, trailing text,
// no colon, or a name or password that is not UTF-8. Pure; fuzzed.
struct BasicCredentials {
    std::string name, password;
};
std::optional<BasicCredentials> parseBasic(const std::string& authorization);

class Authenticator {
public:
    // Failed and throttled logins are written to the audit log in `db`.
    Authenticator(UserDirectory& users, LoginThrottle& throttle, Poco::Logger& log, Database& db);

    // address: the client's IP address, used for throttling and logging.
    AuthResult check(const Poco::Net::HTTPRequest& request, const std::string& address);

    // Checks a name and password directly (also used by check()).
    AuthResult check(const std::string& name, const std::string& password,
                     const std::string& address);

    // The person of a login name when they may log in now (exists, not disabled), as
    // re-read at most every 2 seconds: for sessions, checked on every request.
    std::optional<User> active(const std::string& name) {
        auto user = findUser(name);
        if (!user || user->disabled) return std::nullopt;
        return user;
    }

private:
    std::string cacheKey(const std::string& name, const std::string& password) const;
    std::optional<User> findUser(const std::string& name);

    struct Remembered {
        std::string passwordHash;
        std::chrono::steady_clock::time_point until;
    };
    UserDirectory& users_;
    LoginThrottle& throttle_;
    Database& db_;
    Poco::Logger& log_;
    std::string secret_;
    LoginAudit loginAudit_;
    std::map<std::string, Remembered> remembered_;
    struct KnownHeader {
        std::string name;
        std::string passwordHash;
        std::chrono::steady_clock::time_point until;
    };
    std::map<std::string, KnownHeader> byHeader_;  // keyed hash of an Authorization value
    struct CachedUser {
        std::optional<User> user;
        std::chrono::steady_clock::time_point until;
    };
    std::map<std::string, CachedUser> users_cache_;
    std::set<std::string> verifying_;  // keys whose KDF is running now
    std::condition_variable verified_;
    std::mutex mutex_;
};

}  // namespace kiroku
