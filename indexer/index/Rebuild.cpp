// SearchIndex::rebuild (contract in SearchIndex.h): the next generation is written in
// parts, one per writer thread, merged by compaction, then made live.

#include "index/Batch.h"
#include "index/Generations.h"
#include "index/Schema.h"
#include "index/TextFiles.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <xapian.h>

#include <algorithm>
#include <exception>
#include <thread>

namespace kiroku::indexer {

void SearchIndex::rebuild(const std::function<void(Batch&, std::size_t)>& fill,
                          std::size_t writers) {
    std::lock_guard<std::mutex> guard(mutex_);
    writers = std::max<std::size_t>(writers, 1);
    const std::string live = liveGeneration(dir_);
    const std::string next = nextGeneration(live);
    const std::string building = dir_ + "/" + next + ".build";
    for (const auto& d : {building, dir_ + "/" + next}) {
        if (Poco::File(d).exists()) Poco::File(d).remove(true);
    }
    Poco::File(building).createDirectories();
    // Xapian writes one database from one thread: each writer fills a part of its own,
    // in parallel, and the parts are merged below.
    std::vector<std::exception_ptr> errors(writers);
    auto write = [&](std::size_t w) {
        try {
            auto impl = std::make_unique<Batch::Impl>();
            impl->options = options_;
            // A part is thrown away if anything fails: no fsync, blocks changed in place.
            impl->db = Xapian::WritableDatabase(
                building + "/part-" + std::to_string(w),
                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
            impl->db.set_metadata(kFormatKey, kFormat);  // kept by the merge
            impl->texts = std::make_unique<TextsFileWriter>(building + "/" + textsFileName(w), w);
            Batch b(std::move(impl));
            fill(b, w);
            b.commit();
        } catch (...) {
            errors[w] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < writers; ++w) threads.emplace_back(write, w);
    write(0);
    for (auto& t : threads) t.join();
    for (const auto& e : errors) {
        if (e) {
            Poco::File(building).remove(true);
            std::rethrow_exception(e);
        }
    }
    // The merged copy is compacted (smaller and faster to search); the parts are dropped.
    Xapian::Database parts;
    for (std::size_t w = 0; w < writers; ++w)
        parts.add_database(Xapian::Database(building + "/part-" + std::to_string(w)));
    parts.compact(dir_ + "/" + next);
    // The texts files join the generation, on the disk before it is made live.
    try {
        for (std::size_t w = 0; w < writers; ++w) {
            const std::string name = textsFileName(w);
            syncFile(building + "/" + name);
            Poco::File(building + "/" + name).renameTo(dir_ + "/" + next + "/" + name);
        }
        syncFile(dir_ + "/" + next);
    } catch (...) {
        Poco::File(building).remove(true);
        Poco::File(dir_ + "/" + next).remove(true);
        throw;
    }
    Poco::File(building).remove(true);
    setLiveGeneration(dir_, next);
    // Searches that still have the old generation open keep working on their copy.
    try {
        Poco::File(live).remove(true);
    } catch (const Poco::Exception&) {
    }
}

}  // namespace kiroku::indexer
