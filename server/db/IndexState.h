#pragma once
// What the search index keeps in meta.db: its cursor in the change journal (meta
// 'index_cursor'), the documents whose text could not be extracted (table
// `index_failures`) and those waiting for OCR (table `ocr_queue`), keyed by path: the
// index is derived data, rebuilt from the files.

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

// The OCR queue (table `ocr_queue`): documents indexed by name whose text only OCR can
// read. Queuing again keeps the first time (the queue stays in order).
void queueOcr(Poco::Data::Session& s, const std::string& path);
void unqueueOcr(Poco::Data::Session& s, const std::string& path);
// The oldest `limit` paths waiting.
std::vector<std::string> ocrQueue(Poco::Data::Session& s, std::int64_t limit);
std::int64_t ocrQueueLength(Poco::Data::Session& s);
bool ocrQueued(Poco::Data::Session& s, const std::string& path);

}  // namespace kiroku::db::indexstate
