#include "store/FileOps.h"

#include "store/StoreError.h"

#include "store/FileSystem.h"

#include <Poco/UUIDGenerator.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace kiroku::fileops {

namespace {

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

void throwErrno(const std::string& action, const std::string& path) {
    int e = errno;
    std::string what = action + " " + path + ": " + std::strerror(e);
    if (e == ENOSPC || e == EDQUOT || e == EFBIG) {
        throw StoreError(StoreError::Kind::InsufficientStorage, msg("doc.disk_full"),
                         "not enough disk space: " + what);
    }
    if (e == ENOENT) throw StoreError(StoreError::Kind::NotFound, msg("doc.not_found"), what);
    if (e == EEXIST || e == ENOTEMPTY)
        throw StoreError(StoreError::Kind::Exists, msg("doc.exists"), what);
    throw StoreError(StoreError::Kind::Io, msg("doc.io_failed"), what);
}

void copyFile(FileSystem& fs, const std::string& from, const std::string& to) {
    Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.fd < 0) throwErrno("open", from);
    int out = fs.create(to);
    try {
        std::vector<char> buf(1 << 16);
        for (;;) {
            ssize_t n = ::read(in.fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throwErrno("read", from);
            if (n == 0) break;
            fs.write(out, buf.data(), static_cast<std::size_t>(n), to);
        }
        fs.sync(out, to);
    } catch (...) {
        ::close(out);
        throw;
    }
    fs.close(out, to);
}

void copyTree(FileSystem& fs, const std::string& from, const std::string& to) {
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0) throwErrno("stat", from);
    if (S_ISREG(st.st_mode)) {
        copyFile(fs, from, to);
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    fs.makeDir(to);
    std::vector<std::string> names;
    {
        std::unique_ptr<DIR, DirCloser> dir(::opendir(from.c_str()));
        if (!dir) throwErrno("open folder", from);
        while (dirent* e = ::readdir(dir.get())) {
            std::string name = e->d_name;
            if (name != "." && name != "..") names.push_back(name);
        }
    }
    for (const auto& name : names) copyTree(fs, from + "/" + name, to + "/" + name);
    fs.syncDir(to);
}

namespace {

// Removes one name; already gone (another process cleaning up the same) is fine.
void gone(FileSystem& fs, const std::string& path, bool folder) {
    try {
        if (folder)
            fs.removeDir(path);
        else
            fs.unlink(path);
    } catch (const StoreError& e) {
        if (e.kind() != StoreError::Kind::NotFound) throw;
    }
}

}  // namespace

void removeTree(FileSystem& fs, const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        std::vector<std::string> names;
        {
            std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
            if (dir) {
                while (dirent* e = ::readdir(dir.get())) {
                    std::string name = e->d_name;
                    if (name != "." && name != "..") names.push_back(name);
                }
            }
        }
        for (const auto& name : names) removeTree(fs, path + "/" + name);
        gone(fs, path, true);
    } else {
        gone(fs, path, false);
    }
}

std::uint64_t treeSize(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return 0;
    if (S_ISREG(st.st_mode)) return static_cast<std::uint64_t>(st.st_size);
    if (!S_ISDIR(st.st_mode)) return 0;
    std::uint64_t total = 0;
    std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
    if (!dir) return 0;
    while (dirent* e = ::readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        total += treeSize(path + "/" + name);
    }
    return total;
}

std::uint64_t freeBytes(const std::string& path) {
    struct statvfs vfs {};
    if (::statvfs(path.c_str(), &vfs) != 0) throwErrno("check free space of", path);
    return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

std::string uniqueName(const std::string& prefix) {
    std::string id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    return prefix + id;
}

}  // namespace kiroku::fileops
