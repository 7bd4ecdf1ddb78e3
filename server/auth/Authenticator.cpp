#include "auth/Authenticator.h"

#include "auth/PasswordHasher.h"
#include "audit/AuditLog.h"

#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/NetException.h>
#include <Poco/SHA2Engine.h>
#include <Poco/UTF8String.h>
#include <openssl/rand.h>

namespace kiroku {

namespace {
constexpr auto kRememberFor = std::chrono::minutes(10);
constexpr std::size_t kMaxRemembered = 4096;
constexpr auto kUserRowFor = std::chrono::seconds(2);
}  // namespace

Authenticator::Authenticator(UserDirectory& users, LoginThrottle& throttle, Poco::Logger& log, Database& db)
    : users_(users), throttle_(throttle), db_(db), log_(log), secret_(32, '\0'), loginAudit_(db, log) {
    RAND_bytes(reinterpret_cast<unsigned char*>(secret_.data()), static_cast<int>(secret_.size()));
    passwords::decoy();  // made now, not during someone's first login
}

std::string Authenticator::cacheKey(const std::string& name, const std::string& password) const {
    // Keyed with a per-process random secret: the key never leaves memory and only
    // needs to identify credentials, so a plain SHA-256 over secret and input suffices.
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(secret_);
    sha.update(name);
    sha.update('\0');
    sha.update(password);
    const auto& digest = sha.digest();
    return std::string(digest.begin(), digest.end());
}

std::optional<User> Authenticator::findUser(const std::string& name) {
    // A name no one can have is not looked up (nor remembered).
    try {
        UserDirectory::checkName(name);
    } catch (const UserError&) {
        return std::nullopt;
    }
    auto now = std::chrono::steady_clock::now();
    std::string key = Poco::UTF8::toLower(name);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = users_cache_.find(key);
        if (it != users_cache_.end() && it->second.until > now) return it->second.user;
    }
    auto user = users_.find(name);
    std::lock_guard<std::mutex> lock(mutex_);
    if (users_cache_.size() >= kMaxRemembered) users_cache_.clear();
    users_cache_[key] = {user, now + kUserRowFor};
    return user;
}

AuthResult Authenticator::check(const Poco::Net::HTTPRequest& request, const std::string& address) {
    if (!request.hasCredentials()) return {};
    // Fast path: the exact Authorization value verified before, for a person whose
    // row (password hash, enabled) is unchanged. No decoding, no KDF.
    const std::string& header = request.get(Poco::Net::HTTPRequest::AUTHORIZATION);
    std::string headerKey = cacheKey("", header);
    std::optional<std::string> knownName;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = byHeader_.find(headerKey);
        if (it != byHeader_.end() && it->second.until > std::chrono::steady_clock::now()) knownName = it->second.name;
    }
    if (knownName) {
        auto user = findUser(*knownName);
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = byHeader_.find(headerKey);
        if (user && !user->disabled && it != byHeader_.end() && it->second.passwordHash == user->passwordHash) {
            AuthResult ok;
            ok.status = AuthResult::Status::Ok;
            ok.user = user;
            return ok;
        }
    }
    try {
        Poco::Net::HTTPBasicCredentials creds(request);
        AuthResult result = check(creds.getUsername(), creds.getPassword(), address);
        if (result.status == AuthResult::Status::Ok) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (byHeader_.size() >= kMaxRemembered) byHeader_.clear();
            byHeader_[headerKey] = {result.user->name, result.user->passwordHash,
                                    std::chrono::steady_clock::now() + kRememberFor};
        }
        return result;
    } catch (const Poco::Net::NotAuthenticatedException&) {
        return {};
    }
}

AuthResult Authenticator::check(const std::string& name, const std::string& password,
                                const std::string& address) {
    AuthResult result;
    auto user = findUser(name);
    std::string key = cacheKey(name, password);
    auto rememberedNow = [&]() {
        auto it = remembered_.find(key);
        return user && !user->disabled && it != remembered_.end() &&
               it->second.passwordHash == user->passwordHash &&
               it->second.until > std::chrono::steady_clock::now();
    };
    {
        std::unique_lock<std::mutex> lock(mutex_);
        verified_.wait(lock, [&] { return verifying_.count(key) == 0; });
        if (rememberedNow()) {
            result.status = AuthResult::Status::Ok;
            result.user = user;
            return result;
        }
        verifying_.insert(key);
    }
    struct Done {
        Authenticator& self;
        const std::string& key;
        ~Done() {
            {
                std::lock_guard<std::mutex> lock(self.mutex_);
                self.verifying_.erase(key);
            }
            self.verified_.notify_all();
        }
    } done{*this, key};
    auto now = std::chrono::steady_clock::now();
    // Only credentials that were never verified meet the throttle, so a person already
    // logged in keeps working while someone else is guessing at their name.
    if (int wait = throttle_.retryAfter(name, address); wait > 0) {
        result.status = AuthResult::Status::Throttled;
        result.retryAfter = wait;
        loginAudit_.record(name, address, "throttled");
        return result;
    }
    // The same work whether the name exists, is disabled or the password is wrong.
    bool matches = passwords::verify(password, user ? user->passwordHash : passwords::decoy());
    bool ok = matches && user && !user->disabled;
    if (!ok) {
        throttle_.recordFailure(name, address);
        result.status = AuthResult::Status::Wrong;
        loginAudit_.record(name, address, "failed");
        return result;
    }
    if (passwords::needsRehash(user->passwordHash)) {
        try {
            users_.replaceHash(user->name, passwords::hash(password));
            user = users_.find(user->name);
        } catch (const std::exception& e) {
            log_.error("cannot upgrade the password hash of %s: %s", user->name, std::string(e.what()));
        }
    }
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
