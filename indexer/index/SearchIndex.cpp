// SearchIndex: opening the index, batches, and what it tells about itself. The rest of
// the class is in Rebuild.cpp (new generations) and Search.cpp (queries).

#include "kiroku/indexer/SearchIndex.h"

#include "index/Batch.h"
#include "index/CheckCache.h"
#include "index/DocumentData.h"
#include "index/DocumentYear.h"
#include "index/Generations.h"
#include "index/ModifiedOrder.h"
#include "index/Readers.h"
#include "index/Schema.h"
#include "index/Scope.h"

#include <Poco/File.h>
#include <xapian.h>

#include <cstdlib>
#include <cstring>

namespace kiroku::indexer {

SearchIndex::SearchIndex(std::string dir, NormaliseOptions options, std::size_t cacheBytes,
                         std::size_t rememberedHits)
    : dir_(std::move(dir)),
      options_(options),
      // What checks found takes half: a byte a document for each term checked. A
      // quarter for the statistics and totals, a quarter for the modified times (8 bytes
      // a document: 262,144 documents in the default 8 MB).
      checkCache_(std::make_shared<CheckCache>(cacheBytes / 2)),
      scopeStats_(std::make_shared<ScopeStatsCache>(cacheBytes / 4)),
      modifiedOrder_(std::make_shared<ModifiedOrder>(cacheBytes - cacheBytes / 2 - cacheBytes / 4)),
      rememberedHits_(rememberedHits) {
    Poco::File(dir_).createDirectories();
    if (!Poco::File(dir_ + "/CURRENT").exists()) setLiveGeneration(dir_, "gen-1");
    Xapian::WritableDatabase db(liveGeneration(dir_),
                                Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK);
    if (db.get_doccount() == 0 && db.get_metadata(kFormatKey).empty()) {
        db.set_metadata(kFormatKey, kFormat);
        db.commit();
    }
    db.close();
}

SearchIndex::~SearchIndex() = default;

bool SearchIndex::hasCurrentFormat() const {
    Xapian::Database db(liveGeneration(dir_));
    return db.get_metadata(kFormatKey) == kFormat;
}

SearchIndex::Batch SearchIndex::batch() {
    auto impl = std::make_unique<Batch::Impl>();
    impl->options = options_;
    impl->db = Xapian::WritableDatabase(liveGeneration(dir_),
                                        Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK);
    return Batch(std::move(impl));
}

std::size_t SearchIndex::documentCount() const {
    // The thread's reader: the status is asked every second, and opening the database
    // each time costs descriptors and reads.
    return threadReader(this, liveGeneration(dir_)).db.get_doccount();
}

std::optional<StoredDocument> SearchIndex::stored(const std::string& path, bool withText) const {
    Reader& r = threadReader(this, liveGeneration(dir_));
    Xapian::Database& db = r.db;
    const std::string id = boolTerm(kIdPrefix, path);
    Xapian::PostingIterator it = db.postlist_begin(id);
    if (it == db.postlist_end(id)) return std::nullopt;
    Xapian::Document doc = db.get_document(*it);
    DocumentData data = unpackDocumentData(doc.get_data());
    StoredDocument out;
    out.year = data.year;
    out.type = data.type;
    if (withText) {
        StoredTexts texts;
        loadTexts(doc, doc.get_value(kTextsRefSlot), r.texts, texts);
        out.text = texts.original();
    }
    out.ocr = !doc.get_value(kOcrSlot).empty();
    return out;
}

std::vector<int> SearchIndex::years(const std::vector<std::string>& paths) const {
    std::vector<int> out(paths.size(), 0);
    if (paths.empty()) return out;
    Reader& r = threadReader(this, liveGeneration(dir_));
    Xapian::Database& db = r.db;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const std::string id = boolTerm(kIdPrefix, paths[i]);
        Xapian::PostingIterator it = db.postlist_begin(id);
        if (it == db.postlist_end(id)) continue;
        // Only the data's first line (DocumentData.h), not its sync points.
        const std::string data = db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_data();
        out[i] = unpackDocumentData(data.substr(0, data.find('\n') + 1)).year;
    }
    return out;
}

std::vector<std::pair<std::string, std::int64_t>> SearchIndex::indexedDocuments() const {
    Xapian::Database db(liveGeneration(dir_));
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (auto it = db.valuestream_begin(kPathSlot); it != db.valuestream_end(kPathSlot); ++it) {
        Xapian::Document doc = db.get_document(it.get_docid());
        out.emplace_back(*it, static_cast<std::int64_t>(
                                  Xapian::sortable_unserialise(doc.get_value(kModifiedSlot))));
    }
    return out;
}

std::size_t SearchIndex::cachedBytes() const {
    return checkCache_->bytes() + scopeStats_->bytes() + modifiedOrder_->bytes();
}

}  // namespace kiroku::indexer
