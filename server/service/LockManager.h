#pragma once
// LockManager: write locks (WebDAV, RFC 4918 §6–7), exclusive or shared, depth 0 or
// infinity, with timeouts. Locks live in memory; a restart releases them (clients
// refresh or re-lock). The document service checks them for every change, whatever
// the protocol: a web upload respects an Office lock taken over WebDAV. Thread-safe.

#include "names/DocPath.h"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kiroku::service {

struct Lock {
    std::string token;  // "opaquelocktoken:<uuid>"
    DocPath root;       // the locked resource
    bool exclusive = true;
    bool infinite = true;   // depth infinity (else 0)
    std::string ownerXml;   // the client's <owner> element, serialised, or empty
    std::string principal;  // login name of the person who took it
    int timeoutSeconds = 0;
    std::chrono::steady_clock::time_point expires;

    // Seconds left before the lock expires (at least 0).
    long secondsLeft() const;
};

class LockManager {
public:
    using Clock = std::chrono::steady_clock;

    // Locks that apply to `path`: locks on it and depth-infinity locks on its ancestors.
    std::vector<Lock> covering(const DocPath& path);
    // Locks on `path` or anywhere below it.
    std::vector<Lock> within(const DocPath& path);
    // Locks covering path or within it (what a delete or move of path must respect).
    std::vector<Lock> affecting(const DocPath& path);

    // Creates a lock unless an existing lock conflicts; returns the conflicting lock's
    // root on conflict.
    struct Result {
        std::optional<Lock> lock;
        std::optional<DocPath> conflict;
    };
    Result acquire(const DocPath& path, bool exclusive, bool infinite, std::string ownerXml,
                   std::string principal, int timeoutSeconds);

    // Extends a lock's timeout; nothing when the token is unknown or expired.
    std::optional<Lock> refresh(const std::string& token, int timeoutSeconds);

    std::optional<Lock> find(const std::string& token);
    bool release(const std::string& token);

    // Drops every lock on `path` or below (after a delete or a move).
    void releaseWithin(const DocPath& path);

    bool empty();

private:
    void expire(Clock::time_point now);
    template <typename Predicate>
    std::vector<Lock> select(Predicate keep);

    std::map<std::string, Lock> locks_;
    std::mutex mutex_;
};

}  // namespace kiroku::service
