#pragma once
// UserDirectory: the people who can log in (table `users`). Names are ASCII login
// names (letters, digits, '.', '_', '-'; compared without regard to case); the
// display name is free text such as "山田 太郎". Thread-safe.

#include "core/Refusal.h"
#include "db/Database.h"
#include "db/Users.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiroku {

// A refused user operation; what() is English, japanese() is Japanese.
class UserError : public Refusal {
public:
    using Refusal::Refusal;
};

class UserDirectory {
public:
    explicit UserDirectory(Database& db) : db_(db) {}

    // Throws UserError for a bad or taken name, an empty display name or a password
    // shorter than 8 characters.
    void add(const std::string& name, const std::string& display, const std::string& password);
    void setPassword(const std::string& name, const std::string& password);
    // Stores a new hash of the same password (an earlier scheme upgraded at login).
    void replaceHash(const std::string& name, const std::string& hash);
    void setDisabled(const std::string& name, bool disabled);
    // Makes a person a system administrator or not (only the CLI on the NAS offers this).
    void setAdmin(const std::string& name, bool admin);
    // By login name, in any mix of upper and lower case (names differing only in case
    // cannot be added, so this is one person).
    std::optional<User> find(const std::string& name) const;
    std::vector<User> list() const;

    static void checkName(const std::string& name);

private:
    User existing(const std::string& name) const;  // find(), or UserError
    static void checkPassword(const std::string& password);

    Database& db_;
};

}  // namespace kiroku
