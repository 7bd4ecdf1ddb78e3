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

namespace db::users {

void add(Poco::Data::Session& s, const std::string& name, const std::string& display,
         const std::string& hash);
void setPassword(Poco::Data::Session& s, const std::string& name, const std::string& hash);
void setDisabled(Poco::Data::Session& s, const std::string& name, bool disabled);
void setAdmin(Poco::Data::Session& s, const std::string& name, bool admin);
std::optional<User> find(Poco::Data::Session& s, const std::string& name);
std::vector<User> all(Poco::Data::Session& s);

}  // namespace db::users
}  // namespace kiroku
