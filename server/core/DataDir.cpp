#include "core/DataDir.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

namespace kiroku {

namespace {

void makeDir(const std::string& path) {
    if (::mkdir(path.c_str(), 0750) != 0 && errno != EEXIST) {
        throw Poco::CreateFileException("cannot create folder " + path + ": " +
                                        std::strerror(errno));
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw Poco::CreateFileException(path + " exists but is not a folder");
    }
}

}  // namespace

DataDir::DataDir(std::string root) : root_(Poco::Path(root).absolute().toString()) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

void DataDir::ensureLayout() const {
    Poco::Path parent(root_);
    parent.makeParent();
    makeDir(root_);
    if (::access(root_.c_str(), W_OK) != 0) {
        throw Poco::FileAccessDeniedException("data folder is not writable: " + root_);
    }
    for (const auto& sub : {files(), versions(), trash(), index(), tls(), tmp(), journal()})
        makeDir(sub);
}

bool DataDir::isDataDirectory() const {
    struct stat st {};
    return ::stat(metaDb().c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool DataDir::canBecomeDataDirectory() const {
    struct stat st {};
    if (::stat(root_.c_str(), &st) != 0) return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) return false;
    // lost+found: the root of a freshly made file system (a data disk mounted here).
    static const std::set<std::string> layout = {
        "kiroku.properties", "files",     "versions", "trash", "index", "tls", "tmp",
        "journal",           "lost+found"};
    for (Poco::DirectoryIterator it(root_), end; it != end; ++it) {
        if (!layout.count(it.name())) return false;
    }
    return true;
}

}  // namespace kiroku
