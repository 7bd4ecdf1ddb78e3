#include "auth/UserDirectory.h"

#include "auth/PasswordHasher.h"

#include "db/Meta.h"

#include <Poco/UTF8String.h>

#include <algorithm>
#include <cctype>

namespace kiroku {

void UserDirectory::checkName(const std::string& name) {
    bool ok =
        !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0]));
    for (unsigned char c : name) ok = ok && (std::isalnum(c) || c == '.' || c == '_' || c == '-');
    if (!ok) {
        throw UserError(msg("user.bad_name"));
    }
}

void UserDirectory::checkPassword(const std::string& password) {
    std::size_t chars = static_cast<std::size_t>(
        std::count_if(password.begin(), password.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (chars < 8) {
        throw UserError(msg("user.short_password"));
    }
}

void UserDirectory::add(const std::string& name, const std::string& display,
                        const std::string& password) {
    checkName(name);
    if (display.empty()) throw UserError(msg("user.no_display"));
    checkPassword(password);
    if (find(name)) {
        throw UserError(msg("user.exists", {{"name", name}}));
    }
    auto lease = db_.lease();
    db::users::add(**lease, name, display, passwords::hash(password));
}

void UserDirectory::setPassword(const std::string& name, const std::string& password) {
    const User user = existing(name);
    checkPassword(password);
    auto lease = db_.lease();
    db::users::setPassword(**lease, user.name, passwords::hash(password));
}

void UserDirectory::replaceHash(const std::string& name, const std::string& hash) {
    auto lease = db_.lease();
    db::users::setPassword(**lease, name, hash);
}

void UserDirectory::setDisabled(const std::string& name, bool disabled) {
    const User user = existing(name);
    auto lease = db_.lease();
    db::users::setDisabled(**lease, user.name, disabled);
}

std::optional<User> UserDirectory::find(const std::string& name) const {
    auto lease = db_.lease();
    return db::users::find(**lease, name);
}

User UserDirectory::existing(const std::string& name) const {
    auto user = find(name);
    if (!user) throw UserError(msg("user.unknown", {{"name", name}}));
    return *user;
}

std::vector<User> UserDirectory::list() const {
    auto lease = db_.lease();
    return db::users::all(**lease);
}

void UserDirectory::setAdmin(const std::string& name, bool admin) {
    const User user = existing(name);
    Transaction tx(db_);
    db::users::setAdmin(tx.session(), user.name, admin);
    db::meta::bumpPolicy(tx.session());
    tx.commit();
}

}  // namespace kiroku
