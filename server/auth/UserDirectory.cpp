#include "auth/UserDirectory.h"

#include "auth/PasswordHasher.h"

#include <Poco/Data/Statement.h>
#include <Poco/UTF8String.h>

#include <algorithm>
#include <cctype>

using namespace Poco::Data::Keywords;

namespace kiroku {

void UserDirectory::checkName(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0]));
    for (unsigned char c : name) ok = ok && (std::isalnum(c) || c == '.' || c == '_' || c == '-');
    if (!ok) {
        throw UserError("login names use 1-64 ASCII letters, digits, '.', '_' or '-' and start with a letter or digit",
                        "ログイン名は半角英数字と . _ - で 64 文字まで (先頭は英数字) にしてください");
    }
}

void UserDirectory::checkPassword(const std::string& password) {
    std::size_t chars = static_cast<std::size_t>(std::count_if(
        password.begin(), password.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (chars < 8) {
        throw UserError("passwords need at least 8 characters",
                        "パスワードは 8 文字以上にしてください");
    }
}

void UserDirectory::add(const std::string& name, const std::string& display,
                        const std::string& password) {
    checkName(name);
    if (display.empty()) throw UserError("the display name is empty", "表示名を入力してください");
    checkPassword(password);
    if (find(name)) {
        throw UserError("a user named '" + name + "' exists", "ログイン名「" + name + "」はすでに使われています");
    }
    std::string hashed = passwords::hash(password), at = nowIso();
    std::string n = name, d = display;
    auto lease = db_.lease();
    **lease << "INSERT INTO users (name, display, password, created, changed) VALUES (?, ?, ?, ?, ?)",
        use(n), use(d), use(hashed), use(at), use(at), now;
}

void UserDirectory::setPassword(const std::string& name, const std::string& password) {
    if (!find(name)) throw UserError("no user named '" + name + "'", "ログイン名「" + name + "」の人はいません");
    checkPassword(password);
    std::string hashed = passwords::hash(password), at = nowIso(), n = name;
    auto lease = db_.lease();
    **lease << "UPDATE users SET password = ?, changed = ? WHERE name = ?", use(hashed), use(at),
        use(n), now;
}

void UserDirectory::setDisabled(const std::string& name, bool disabled) {
    if (!find(name)) throw UserError("no user named '" + name + "'", "ログイン名「" + name + "」の人はいません");
    int flag = disabled ? 1 : 0;
    std::string at = nowIso(), n = name;
    auto lease = db_.lease();
    **lease << "UPDATE users SET disabled = ?, changed = ? WHERE name = ?", use(flag), use(at),
        use(n), now;
}

std::optional<User> UserDirectory::find(const std::string& name) const {
    auto found = select("WHERE name = ?", name);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<User> UserDirectory::list() const { return select("ORDER BY name", std::nullopt); }

std::vector<User> UserDirectory::select(const std::string& where, std::optional<std::string> name) const {
    std::vector<std::int64_t> id, disabled, admin;
    std::vector<std::string> n, display, password, created, changed;
    auto lease = db_.lease();
    Poco::Data::Statement st(**lease);
    st << "SELECT id, name, display, password, disabled, admin, created, changed FROM users " + where,
        into(id), into(n), into(display), into(password), into(disabled), into(admin), into(created),
        into(changed);
    if (name) st, use(*name);
    st.execute();
    std::vector<User> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], n[i], display[i], password[i], disabled[i] != 0, admin[i] != 0, created[i], changed[i]});
    }
    return out;
}

void UserDirectory::setAdmin(const std::string& name, bool admin) {
    if (!find(name)) throw UserError("no user named '" + name + "'", "ログイン名「" + name + "」の人はいません");
    int flag = admin ? 1 : 0;
    std::string at = nowIso(), n = name;
    auto lease = db_.lease();
    WriteTransaction tx(**lease);
    **lease << "UPDATE users SET admin = ?, changed = ? WHERE name = ?", use(flag), use(at), use(n), now;
    **lease << "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'policy'", now;
    tx.commit();
}

}  // namespace kiroku
