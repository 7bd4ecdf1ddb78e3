#include "store/FileOps.h"

#include "store/StoreError.h"

#include <Poco/Random.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

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
        throw StoreError(StoreError::Kind::InsufficientStorage, "not enough disk space: " + what,
                         "ディスクの空きが足りません。管理者に連絡してください");
    }
    if (e == ENOENT) {
        throw StoreError(StoreError::Kind::NotFound, what, "ファイルまたはフォルダが見つかりません");
    }
    if (e == EEXIST || e == ENOTEMPTY) {
        throw StoreError(StoreError::Kind::Exists, what, "同じ名前のものがすでにあります");
    }
    throw StoreError(StoreError::Kind::Io, what,
                     "ファイルの読み書きに失敗しました。時間をおいてもう一度試してください");
}

void syncDir(const std::string& dir) {
    Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd < 0) throwErrno("open folder", dir);
    if (::fsync(d.fd) != 0 && errno != EINVAL) throwErrno("sync folder", dir);
}

void copyFile(const std::string& from, const std::string& to) {
    Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.fd < 0) throwErrno("open", from);
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (out.fd < 0) throwErrno("create", to);
    std::vector<char> buf(1 << 16);
    for (;;) {
        ssize_t n = ::read(in.fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwErrno("read", from);
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(out.fd, buf.data() + done, static_cast<size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) throwErrno("write", to);
            done += w;
        }
    }
    if (::fsync(out.fd) != 0) throwErrno("sync", to);
}

void copyTree(const std::string& from, const std::string& to) {
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0) throwErrno("stat", from);
    if (S_ISREG(st.st_mode)) {
        copyFile(from, to);
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    if (::mkdir(to.c_str(), 0750) != 0) throwErrno("create folder", to);
    std::unique_ptr<DIR, DirCloser> dir(::opendir(from.c_str()));
    if (!dir) throwErrno("open folder", from);
    while (dirent* e = ::readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        copyTree(from + "/" + name, to + "/" + name);
    }
    syncDir(to);
}

void removeTree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
        if (dir) {
            while (dirent* e = ::readdir(dir.get())) {
                std::string name = e->d_name;
                if (name == "." || name == "..") continue;
                removeTree(path + "/" + name);
            }
        }
        ::rmdir(path.c_str());
    } else {
        ::unlink(path.c_str());
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
    static std::mutex mutex;
    static Poco::Random random;
    static bool seeded = false;
    std::lock_guard<std::mutex> lock(mutex);
    if (!seeded) {
        random.seed();
        seeded = true;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x%08x", random.next(), random.next());
    return prefix + buf;
}

}  // namespace kiroku::fileops
