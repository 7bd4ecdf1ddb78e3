#include "auth/Authenticator.h"

#include "audit/AuditLog.h"
#include "auth/PasswordHasher.h"
#include "kiroku/indexer/Utf8.h"

#include <Poco/Base64Decoder.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>
#include <Poco/UTF8String.h>
#include <openssl/rand.h>

#include <iterator>
#include <sstream>

namespace kiroku {

namespace {
constexpr auto kRememberFor = std::chrono::minutes(10);
constexpr std::size_t kMaxRemembered = 4096;
constexpr auto kUserRowFor = std::chrono::seconds(2);
}  // namespace

std::optional<BasicCredentials> parseBasic(const std::string& header) {
    std::size_t i = 0;
    const std::size_t n = header.size();
    while (i < n && (header[i] == ' ' || header[i] == '\t')) ++i;
    if (n - i < 6 || Poco::icompare(header.substr(i, 5), "basic") != 0 ||
        (header[i + 5] != ' ' && header[i + 5] != '\t')) {
        return std::nullopt;
    }
    i += 6;
    while (i < n && (header[i] == ' ' || header[i] == '\t')) ++i;
    std::size_t end = n;
    while (end > i && (header[end - 1] == ' ' || header[end - 1] == '\t')) --end;
    const std::string token = header.substr(i, end - i);
    // token68 as base64: letters, digits, + and /, then at most two '=', length a multiple of 4.
    std::size_t data =
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    if (data == std::string::npos) data = token.size();
    if (token.empty() || token.size() % 4 != 0 || token.size() - data > 2 ||
        token.find_first_not_of('=', data) != std::string::npos) {
        return std::nullopt;
    }
    std::string decoded;
    try {
        std::istringstream in(token);
        Poco::Base64Decoder decoder(in);
        decoded.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    BasicCredentials c{decoded.substr(0, colon), decoded.substr(colon + 1)};
    if (!indexer::isValidUtf8(c.name) || !indexer::isValidUtf8(c.password)) return std::nullopt;
    return c;
}

Authenticator::Authenticator(UserDirectory& users, LoginThrottle& throttle, Poco::Logger& log,
                             Database& db)
    : users_(users),
      throttle_(throttle),
      db_(db),
      log_(log),
      secret_(32, '\0'),
      loginAudit_(db, log) {
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
        if (it != byHeader_.end() && it->second.until > std::chrono::steady_clock::now())
            knownName = it->second.name;
    }
    if (knownName) {
        auto user = findUser(*knownName);
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = byHeader_.find(headerKey);
        if (user && !user->disabled && it != byHeader_.end() &&
            it->second.passwordHash == user->passwordHash) {
            AuthResult ok;
            ok.status = AuthResult::Status::Ok;
            ok.user = user;
            return ok;
        }
    }
    {
        auto creds = parseBasic(request.get(Poco::Net::HTTPRequest::AUTHORIZATION, ""));
        if (!creds) return {};
        AuthResult result = check(creds->name, creds->password, address);
        if (result.status == AuthResult::Status::Ok) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (byHeader_.size() >= kMaxRemembered) byHeader_.clear();
            byHeader_[headerKey] = {result.user->name, result.user->passwordHash,
                                    std::chrono::steady_clock::now() + kRememberFor};
        }
        return result;
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
            log_.error("cannot upgrade the password hash of %s: %s", user->name,
                       std::string(e.what()));
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
