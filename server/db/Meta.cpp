#include "db/Meta.h"

#include <vector>

using namespace Poco::Data::Keywords;

namespace kiroku::db::meta {

std::optional<std::string> get(Poco::Data::Session& s, const std::string& key) {
    std::vector<std::string> value;
    s << "SELECT value FROM meta WHERE key = ?", bind(key), into(value), now;
    if (value.empty()) return std::nullopt;
    return value.front();
}

void set(Poco::Data::Session& s, const std::string& key, const std::string& value) {
    s << "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
         "excluded.value",
        bind(key), bind(value), now;
}

void increment(Poco::Data::Session& s, const std::string& key) {
    s << "INSERT INTO meta (key, value) VALUES (?, '1') "
         "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
        bind(key), now;
}

}  // namespace kiroku::db::meta
