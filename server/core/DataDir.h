#pragma once
// The data directory: everything kirokud and kiroku own lives below one root.
//
//   kiroku.properties  configuration (written with commented defaults on first start)
//   meta.db            SQLite metadata (WAL)
//   files/             the current tree, as plain files with their real names
//   versions/          earlier contents of overwritten files
//   trash/             deleted files and folders
//   index/             the search index (rebuilt from the files when missing)
//   tls/               the HTTPS key and certificate
//   tmp/               uploads in progress (same file system as files/, so rename is atomic),
//                      one folder per running process
//   journal/           the plans of changes in progress, for crash recovery (store/Change.h)
//
// A DataDir is an immutable value; ensureLayout() is the only call that touches the disk.

#include <string>

namespace kiroku {

class DataDir {
public:
    explicit DataDir(std::string root);

    // Creates the root and every sub-folder that is missing (mode 0750).
    // Throws Poco::Exception when the root cannot be created or is not writable.
    void ensureLayout() const;

    const std::string& root() const { return root_; }
    std::string files() const { return root_ + "/files"; }
    std::string versions() const { return root_ + "/versions"; }
    std::string trash() const { return root_ + "/trash"; }
    std::string index() const { return root_ + "/index"; }
    std::string tls() const { return root_ + "/tls"; }
    std::string tmp() const { return root_ + "/tmp"; }
    std::string journal() const { return root_ + "/journal"; }
    std::string metaDb() const { return root_ + "/meta.db"; }
    std::string properties() const { return root_ + "/kiroku.properties"; }

private:
    std::string root_;
};

}  // namespace kiroku
