#pragma once
// Table `users`: the people who can log in. Names compare without regard to case.

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiroku {

struct User {
    std::int64_t id = 0;
    std::string name;
    std::string display;
    std::string passwordHash;
    bool disabled = false;
    bool admin = false;  // system administrator: manage rights everywhere, always audited
    std::string created;
    std::string changed;
};

// What a person chose for the web pages (言語, 文字の大きさ), kept per person.
struct Preferences {
    std::string lang = "ja";     // "ja" or "en"
    std::string textSize = "m";  // "s", "m", "l" or "xl"
};

namespace db::users {

void add(Poco::Data::Session& s, const std::string& name, const std::string& display,
         const std::string& hash);
void setPassword(Poco::Data::Session& s, const std::string& name, const std::string& hash);
void setDisabled(Poco::Data::Session& s, const std::string& name, bool disabled);
void setAdmin(Poco::Data::Session& s, const std::string& name, bool admin);
std::optional<User> find(Poco::Data::Session& s, const std::string& name);
std::vector<User> all(Poco::Data::Session& s);
// The person's preferences (the defaults when they never chose).
Preferences preferences(Poco::Data::Session& s, std::int64_t userId);
void setPreferences(Poco::Data::Session& s, std::int64_t userId, const Preferences& p);

}  // namespace db::users
}  // namespace kiroku
