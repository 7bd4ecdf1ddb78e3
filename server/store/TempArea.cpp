#include "store/TempArea.h"

#include "store/FileOps.h"
#include "store/FileSystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <memory>
#include <vector>

namespace kiroku {

namespace {

const std::string kLock = ".lock";

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// True when no running process holds the lock file of `folder`.
bool abandoned(const std::string& folder) {
    int fd = ::open((folder + kLock).c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return true;  // no lock file: left by an earlier version, or half made
    bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

}  // namespace

TempArea::TempArea(const std::string& tmpRoot) {
    std::string name = fileops::uniqueName("p-");
    folder_ = tmpRoot + "/" + name;
    lockFd_ = ::open((folder_ + kLock).c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (lockFd_ < 0) fileops::throwErrno("create", folder_ + kLock);
    if (::flock(lockFd_, LOCK_EX) != 0) fileops::throwErrno("lock", folder_ + kLock);
    posixFileSystem().makeDir(folder_);

    std::vector<std::string> names;
    {
        std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(tmpRoot.c_str()), ::closedir);
        if (!d) fileops::throwErrno("open folder", tmpRoot);
        while (dirent* e = ::readdir(d.get())) {
            std::string n = e->d_name;
            if (n != "." && n != ".." && n != name && n != name + kLock) names.push_back(n);
        }
    }
    for (const auto& n : names) {
        std::string path = tmpRoot + "/" + n;
        std::string folder = endsWith(n, kLock) ? path.substr(0, path.size() - kLock.size()) : path;
        if (!abandoned(folder)) continue;
        try {
            fileops::removeTree(posixFileSystem(), folder);
            if (endsWith(n, kLock)) fileops::removeTree(posixFileSystem(), path);
        } catch (const std::exception&) {
            // Another process is sweeping the same leftovers.
        }
    }
}

TempArea::~TempArea() {
    try {
        fileops::removeTree(posixFileSystem(), folder_);
    } catch (const std::exception&) {
    }
    ::unlink((folder_ + kLock).c_str());
    if (lockFd_ >= 0) ::close(lockFd_);
}

std::string TempArea::newPath(const std::string& prefix) const {
    return folder_ + "/" + fileops::uniqueName(prefix);
}

}  // namespace kiroku
