#include "auth/Sessions.h"

#include <sodium.h>

#include <stdexcept>

namespace kiroku {

std::string randomToken() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, bytes, sizeof bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

bool sameSecret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

bool fromBase64(const std::string& text, std::string& out) {
    out.assign(text.size(), '\0');
    std::size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &n, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    out.resize(n);
    return true;
}

std::string toBase64(const std::string& bytes) {
    std::string out(
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

}  // namespace

std::string maskToken(const std::string& token) {
    std::string raw;
    if (!fromBase64(token, raw)) return token;
    std::string mask(raw.size(), '\0');
    randombytes_buf(mask.data(), mask.size());
    std::string out = mask;
    for (std::size_t i = 0; i < raw.size(); ++i) out += static_cast<char>(raw[i] ^ mask[i]);
    return toBase64(out);
}

bool tokenMatches(const std::string& sent, const std::string& token) {
    if (sent.size() == token.size()) return sameSecret(sent, token);
    std::string raw, both;
    if (!fromBase64(token, raw) || sent.size() > 200 || !fromBase64(sent, both)) return false;
    if (both.size() != 2 * raw.size()) return false;
    std::string unmasked(raw.size(), '\0');
    for (std::size_t i = 0; i < raw.size(); ++i)
        unmasked[i] = static_cast<char>(both[i] ^ both[raw.size() + i]);
    return sameSecret(unmasked, raw);
}

SessionStore::SessionStore(int idleMinutes, int maxHours, std::size_t maxSessions)
    : idle_(std::max(idleMinutes, 1)),
      max_(std::max(maxHours, 1)),
      maxSessions_(std::max<std::size_t>(maxSessions, 1)),
      secret_(randomToken()),
      now_([] { return Clock::now(); }) {}

std::string SessionStore::key(const std::string& token) const {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), reinterpret_cast<const unsigned char*>(secret_.data()),
                       secret_.size());
    return std::string(reinterpret_cast<const char*>(hash), sizeof hash);
}

void SessionStore::drop(std::map<std::string, Entry>::iterator it) {
    lru_.erase(it->second.order);
    sessions_.erase(it);
}

std::string SessionStore::create(const std::string& user, const std::string& credential) {
    std::string token = randomToken();
    std::string k = key(token);
    std::lock_guard<std::mutex> guard(mutex_);
    while (sessions_.size() >= maxSessions_ && !lru_.empty()) drop(sessions_.find(lru_.back()));
    lru_.push_front(k);
    Entry e{WebSession{user, randomToken(), credential, std::nullopt}, now_(), now_(),
            lru_.begin()};
    sessions_[k] = std::move(e);
    return token;
}

void SessionStore::keep(const std::string& token, KeptForm form) {
    std::size_t bytes = form.action.size();
    for (const auto& [k, v] : form.fields) bytes += k.size() + v.size();
    if (bytes > kKeptBytes) return;
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = sessions_.find(key(token));
    if (it != sessions_.end()) it->second.session.kept = std::move(form);
}

std::optional<KeptForm> SessionStore::takeKept(const std::string& token) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = sessions_.find(key(token));
    if (it == sessions_.end()) return std::nullopt;
    std::optional<KeptForm> out = std::move(it->second.session.kept);
    it->second.session.kept.reset();
    return out;
}

std::optional<WebSession> SessionStore::find(const std::string& token) {
    if (token.size() != 43) return std::nullopt;
    std::string k = key(token);
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = sessions_.find(k);
    if (it == sessions_.end()) return std::nullopt;
    Clock::time_point now = now_();
    if (now - it->second.used > idle_ || now - it->second.created >= max_) {
        drop(it);
        return std::nullopt;
    }
    it->second.used = now;
    lru_.splice(lru_.begin(), lru_, it->second.order);
    return it->second.session;
}

void SessionStore::end(const std::string& token) {
    std::string k = key(token);
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = sessions_.find(k);
    if (it != sessions_.end()) drop(it);
}

std::size_t SessionStore::size() {
    std::lock_guard<std::mutex> guard(mutex_);
    return sessions_.size();
}

}  // namespace kiroku
