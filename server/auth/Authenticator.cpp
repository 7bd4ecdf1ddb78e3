#include "auth/Authenticator.h"

#include "auth/PasswordHasher.h"

#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/NetException.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace kiroku {

namespace {
constexpr auto kRememberFor = std::chrono::minutes(10);
constexpr std::size_t kMaxRemembered = 4096;
}  // namespace

Authenticator::Authenticator(UserDirectory& users, LoginThrottle& throttle, Poco::Logger& log)
    : users_(users), throttle_(throttle), log_(log), secret_(32, '\0') {
    RAND_bytes(reinterpret_cast<unsigned char*>(secret_.data()), static_cast<int>(secret_.size()));
}

std::string Authenticator::cacheKey(const std::string& name, const std::string& password) const {
    std::string message = name + '\0' + password;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

AuthResult Authenticator::check(const Poco::Net::HTTPRequest& request, const std::string& address) {
    if (!request.hasCredentials()) return {};
    try {
        Poco::Net::HTTPBasicCredentials creds(request);
        return check(creds.getUsername(), creds.getPassword(), address);
    } catch (const Poco::Net::NotAuthenticatedException&) {
        return {};
    }
}

AuthResult Authenticator::check(const std::string& name, const std::string& password,
                                const std::string& address) {
    AuthResult result;
    auto user = users_.find(name);
    std::string key = cacheKey(name, password);
    auto now = std::chrono::steady_clock::now();
    if (user && !user->disabled) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = remembered_.find(key);
        if (it != remembered_.end() && it->second.passwordHash == user->passwordHash &&
            it->second.until > now) {
            result.status = AuthResult::Status::Ok;
            result.user = user;
            return result;
        }
    }
    // Only credentials that were never verified meet the throttle, so a person already
    // logged in keeps working while someone else is guessing at their name.
    if (int wait = throttle_.retryAfter(name, address); wait > 0) {
        log_.warning("login refused (throttled, %d s left) for '%s' from %s", wait, name, address);
        result.status = AuthResult::Status::Throttled;
        result.retryAfter = wait;
        return result;
    }
    bool ok = user && !user->disabled && passwords::verify(password, user->passwordHash);
    if (!ok) {
        int delay = throttle_.recordFailure(name, address);
        log_.warning("login failed for '%s' from %s%s", name, address,
                     std::string(delay > 0 ? ", further attempts delayed " + std::to_string(delay) + " s" : ""));
        result.status = AuthResult::Status::Wrong;
        return result;
    }
    throttle_.recordSuccess(name, address);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (remembered_.size() >= kMaxRemembered) remembered_.clear();
        remembered_[key] = {user->passwordHash, now + kRememberFor};
    }
    result.status = AuthResult::Status::Ok;
    result.user = user;
    return result;
}

}  // namespace kiroku
