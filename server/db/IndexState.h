#pragma once
// What the search index keeps in meta.db: its cursor in the change journal (meta
// 'index_cursor') and the documents whose text could not be extracted (table
// `index_failures`, keyed by path: the index is derived data, rebuilt from the files).

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiroku::db::indexstate {

std::int64_t cursor(Poco::Data::Session& s);
void setCursor(Poco::Data::Session& s, std::int64_t id);

struct Failure {
    std::string path, reason, at;
};
void recordFailure(Poco::Data::Session& s, const std::string& path, const std::string& reason);
// Forgets a failure (the document was extracted after all); cheap when there is none.
void clearFailure(Poco::Data::Session& s, const std::string& path);
std::int64_t failureCount(Poco::Data::Session& s);
std::vector<Failure> failures(Poco::Data::Session& s, std::int64_t limit);

}  // namespace kiroku::db::indexstate
