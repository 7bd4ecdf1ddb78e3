#pragma once
// Table `meta`: small named values — the schema version, the policy version (bumped by
// every change to who may do what, so each kirokud reloads its rights snapshot), the
// search index's cursor in the change journal.

#include <Poco/Data/Session.h>

#include <optional>
#include <string>

namespace kiroku::db::meta {

std::optional<std::string> get(Poco::Data::Session& s, const std::string& key);
void set(Poco::Data::Session& s, const std::string& key, const std::string& value);
// Adds one to an integer value (absent counts as 0).
void increment(Poco::Data::Session& s, const std::string& key);

// The policy version: rights snapshots are reloaded when it changes.
inline void bumpPolicy(Poco::Data::Session& s) { increment(s, "policy"); }

}  // namespace kiroku::db::meta
