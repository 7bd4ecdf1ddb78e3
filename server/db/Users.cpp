#include "db/Users.h"

#include "db/Database.h"

#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace kiroku::db::users {

namespace {

std::vector<User> select(Poco::Data::Session& s, const std::string& where,
                         const std::vector<std::string>& args) {
    std::vector<std::int64_t> id, disabled, admin;
    std::vector<std::string> n, display, password, created, changed;
    Poco::Data::Statement st(s);
    st << "SELECT id, name, display, password, disabled, admin, created, changed FROM users " +
              where,
        into(id), into(n), into(display), into(password), into(disabled), into(admin),
        into(created), into(changed);
    for (const auto& a : args) st, bind(a);
    st.execute();
    std::vector<User> out;
    for (std::size_t i = 0; i < id.size(); ++i) {
        out.push_back({id[i], n[i], display[i], password[i], disabled[i] != 0, admin[i] != 0,
                       created[i], changed[i]});
    }
    return out;
}

}  // namespace

void add(Poco::Data::Session& s, const std::string& name, const std::string& display,
         const std::string& hash) {
    std::string at = nowIso();
    s << "INSERT INTO users (name, display, password, created, changed) VALUES (?, ?, ?, ?, ?)",
        bind(name), bind(display), bind(hash), bind(at), bind(at), now;
}

void setPassword(Poco::Data::Session& s, const std::string& name, const std::string& hash) {
    std::string at = nowIso();
    s << "UPDATE users SET password = ?, changed = ? WHERE name = ?", bind(hash), bind(at),
        bind(name), now;
}

void setDisabled(Poco::Data::Session& s, const std::string& name, bool disabled) {
    int flag = disabled ? 1 : 0;
    std::string at = nowIso();
    s << "UPDATE users SET disabled = ?, changed = ? WHERE name = ?", bind(flag), bind(at),
        bind(name), now;
}

void setAdmin(Poco::Data::Session& s, const std::string& name, bool admin) {
    int flag = admin ? 1 : 0;
    std::string at = nowIso();
    s << "UPDATE users SET admin = ?, changed = ? WHERE name = ?", bind(flag), bind(at), bind(name),
        now;
}

std::optional<User> find(Poco::Data::Session& s, const std::string& name) {
    // Names are ASCII (UserDirectory::checkName), so lower() folds them in SQLite and
    // PostgreSQL alike. Two names that differ only in case cannot be added; should a
    // database have them from before, the exact one wins.
    auto found =
        select(s, "WHERE lower(name) = lower(?) ORDER BY CASE WHEN name = ? THEN 0 ELSE 1 END, id",
               {name, name});
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<User> all(Poco::Data::Session& s) { return select(s, "ORDER BY name", {}); }

Preferences preferences(Poco::Data::Session& s, std::int64_t userId) {
    std::vector<std::string> lang, size;
    s << "SELECT lang, text_size FROM preferences WHERE user_id = ?", bind(userId), into(lang),
        into(size), now;
    Preferences p;
    if (!lang.empty()) {
        p.lang = lang[0];
        p.textSize = size[0];
    }
    return p;
}

void setPreferences(Poco::Data::Session& s, std::int64_t userId, const Preferences& p) {
    s << "INSERT INTO preferences (user_id, lang, text_size) VALUES (?, ?, ?) ON CONFLICT "
         "(user_id) DO UPDATE SET lang = excluded.lang, text_size = excluded.text_size",
        bind(userId), bind(p.lang), bind(p.textSize), now;
}

}  // namespace kiroku::db::users
