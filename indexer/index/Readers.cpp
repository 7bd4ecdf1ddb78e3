#include "index/Readers.h"

#include "index/Schema.h"

#include <map>

namespace kiroku::indexer {

Reader& threadReader(const void* owner, const std::string& current) {
    thread_local std::map<const void*, Reader> readers;
    auto it = readers.find(owner);
    if (it == readers.end() || it->second.generation != current) {
        Reader& r = readers[owner];
        r.generation = current;
        // The texts files first: a generation removed meanwhile then fails to open.
        r.texts = TextFiles(current);
        r.db = Xapian::Database(current);
        return r;
    }
    try {
        it->second.db.reopen();
    } catch (const Xapian::DatabaseError&) {
        it->second.db = Xapian::Database(current);
    }
    return it->second;
}

}  // namespace kiroku::indexer
