#pragma once
// Sessions: the web pages' logins (ログイン状態). A session is a random 256-bit token in
// an HttpOnly cookie; the store keeps only a keyed hash of it, with the person's login
// name, a CSRF token for the forms of that session, and when it was last used. A
// session ends at logout, after `idleMinutes` without a request, after `maxHours` in
// any case, and when the store is full its least recently used session goes first (so a
// stranger cannot grow it without bound). Sessions live in memory: a restart of kirokud
// logs everyone out. Whether the person may still log in (disabled, no longer a user) is
// the caller's check on every request. Thread-safe.

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiroku {

// A form sent after the person's login had ended, kept for them to send again once they
// have logged in (nothing typed is lost to a time limit): where it went and its fields.
struct KeptForm {
    std::string action;
    std::vector<std::pair<std::string, std::string>> fields;
};

struct WebSession {
    std::string user;        // login name
    std::string csrf;        // the token every state-changing form of this session carries
    std::string credential;  // the password hash at login: a new password ends the session
    std::optional<KeptForm> kept;
};

class SessionStore {
public:
    using Clock = std::chrono::steady_clock;

    SessionStore(int idleMinutes, int maxHours, std::size_t maxSessions = 10000);

    // Starts a session for `user` (logged in with the password whose hash is
    // `credential`); returns the cookie value.
    std::string create(const std::string& user, const std::string& credential);
    // The session of a cookie value, when it is live (and marks it used now).
    std::optional<WebSession> find(const std::string& token);
    // Keeps a form for the session to send again (one at a time; kKeptBytes at most).
    void keep(const std::string& token, KeptForm form);
    // The kept form of a session, once: it is forgotten as it is handed out.
    std::optional<KeptForm> takeKept(const std::string& token);
    // Ends a session (logout). Unknown tokens are ignored.
    void end(const std::string& token);
    std::size_t size();

    // For tests: the clock the store reads.
    void setClockForTesting(std::function<Clock::time_point()> now) { now_ = std::move(now); }

private:
    struct Entry {
        WebSession session;
        Clock::time_point created, used;
        std::list<std::string>::iterator order;  // place in lru_
    };
    std::string key(const std::string& token) const;
    void drop(std::map<std::string, Entry>::iterator it);

    std::chrono::minutes idle_;
    std::chrono::hours max_;
    std::size_t maxSessions_;
    std::string secret_;  // keys the hashes of tokens
    std::function<Clock::time_point()> now_;
    std::mutex mutex_;
    std::map<std::string, Entry> sessions_;  // keyed hash of the token -> session
    std::list<std::string> lru_;             // keys, most recently used first
};

// The most a kept form may hold (names and values), so that the store stays small.
constexpr std::size_t kKeptBytes = 16 * 1024;

// A new random token: 32 bytes, base64url without padding (43 characters).
std::string randomToken();

// Compares two strings in time that does not depend on where they differ.
bool sameSecret(const std::string& a, const std::string& b);

// A session's CSRF token as a page carries it: a fresh random mask and the token XOR the
// mask (base64url, 86 characters), different on every page, so that a compressed page
// never repeats the same secret bytes for a BREACH-style guess to measure.
std::string maskToken(const std::string& token);
// Whether `sent` is `token` masked as above (or the token itself). Constant time.
bool tokenMatches(const std::string& sent, const std::string& token);

}  // namespace kiroku
