#include "core/DataDir.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace kiroku
