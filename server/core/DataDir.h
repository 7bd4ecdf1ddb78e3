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
// A folder is a data directory once it holds meta.db: `kiroku init` or kirokud's first
// start made it. Every other kiroku command refuses a folder that is not one (a misspelt
// --data must not become a second, empty data directory).
//
// A DataDir is an immutable value; ensureLayout() is the only call that changes the disk.

#include <string>

namespace kiroku {

class DataDir {
public:
    explicit DataDir(std::string root);

    // Creates the root and every sub-folder that is missing (mode 0750).
    // Throws Poco::Exception when the root cannot be created or is not writable.
    void ensureLayout() const;

    // True when the root holds meta.db as a regular file (kiroku init or kirokud made it).
    bool isDataDirectory() const;
    // True when a data directory may be made here without mixing it with other things: the
    // root is missing, or is a folder holding nothing but names of the layout above and
    // lost+found (what an installer or a freshly mounted disk gives, or what an interrupted
    // `kiroku init` left).
    bool canBecomeDataDirectory() const;

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
