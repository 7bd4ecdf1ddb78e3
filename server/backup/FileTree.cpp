#include "backup/FileTree.h"

#include "backup/BackupError.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>

namespace kiroku::backup {

namespace {

constexpr std::size_t kBufferBytes = 1u << 20;

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// SHA-256 through OpenSSL's EVP interface (SHA-NI where the CPU has it).
class Sha256 {
public:
    Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
            throw BackupError(msg("backup.no_digest"));
        }
    }
    void update(const char* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx_.get(), md, &n);
        static const char* const digits = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < n; ++i) {
            out += digits[md[i] >> 4];
            out += digits[md[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

ssize_t readSome(int fd, char* buf, std::size_t size, const std::string& path) {
    for (;;) {
        ssize_t n = ::read(fd, buf, size);
        if (n >= 0) return n;
        if (errno != EINTR) throwErrno("read", path);
    }
}

void writeAll(int fd, const char* data, std::size_t size, const std::string& path) {
    while (size > 0) {
        ssize_t w = ::write(fd, data, size);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throwErrno("write", path);
        data += w;
        size -= static_cast<std::size_t>(w);
    }
}

}  // namespace

void throwErrno(const std::string& action, const std::string& path) {
    int e = errno;
    std::string english = "cannot " + action + " " + path + ": " + std::strerror(e);
    if (e == ENOSPC || e == EDQUOT) {
        throw BackupError(msg("backup.disk_full", {{"path", path}}), english);
    }
    if (e == EACCES || e == EPERM) {
        throw BackupError(msg("backup.no_permission", {{"path", path}}), english);
    }
    if (e == ENOENT) throw BackupError(msg("backup.missing", {{"path", path}}), english);
    throw BackupError(msg("backup.io", {{"path", path}}), english);
}

Digest copyWithDigest(const std::string& from, const std::string& to) {
    Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.fd < 0) throwErrno("open", from);
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.fd < 0) throwErrno("create", to);
    ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    std::unique_ptr<char[]> buf(new char[kBufferBytes]);
    Sha256 sha;
    Digest d;
    for (;;) {
        ssize_t n = readSome(in.fd, buf.get(), kBufferBytes, from);
        if (n == 0) break;
        sha.update(buf.get(), static_cast<std::size_t>(n));
        writeAll(out.fd, buf.get(), static_cast<std::size_t>(n), to);
        d.size += static_cast<std::uint64_t>(n);
    }
    if (::close(out.fd) != 0) {
        out.fd = -1;
        throwErrno("close", to);
    }
    out.fd = -1;
    d.sha256 = sha.hex();
    return d;
}

Digest digestOf(const std::string& path) {
    Fd in(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.fd < 0) throwErrno("open", path);
    ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_DONTNEED);
    ::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    std::unique_ptr<char[]> buf(new char[kBufferBytes]);
    Sha256 sha;
    Digest d;
    for (;;) {
        ssize_t n = readSome(in.fd, buf.get(), kBufferBytes, path);
        if (n == 0) break;
        sha.update(buf.get(), static_cast<std::size_t>(n));
        d.size += static_cast<std::uint64_t>(n);
    }
    d.sha256 = sha.hex();
    return d;
}

void setModeAndTime(const std::string& path, mode_t mode, std::int64_t mtimeNs) {
    if (::chmod(path.c_str(), mode & 07777) != 0) throwErrno("set the mode of", path);
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = static_cast<time_t>(mtimeNs / 1000000000);
    times[1].tv_nsec = static_cast<long>(mtimeNs % 1000000000);
    if (times[1].tv_nsec < 0) {
        times[1].tv_nsec += 1000000000;
        times[1].tv_sec -= 1;
    }
    if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
        throwErrno("set the time of", path);
    }
}

std::vector<std::string> listFolder(const std::string& dir) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) throwErrno("open folder", dir);
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
        errno = 0;
    }
    if (errno != 0) throwErrno("read folder", dir);
    std::sort(names.begin(), names.end());
    return names;
}

void makeFolder(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0) throwErrno("create folder", path);
}

void makeFolders(const std::string& path, mode_t mode) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            throwErrno("use as a folder", path);
        }
        return;
    }
    auto slash = path.find_last_of('/');
    if (slash != std::string::npos && slash > 0) makeFolders(path.substr(0, slash), mode);
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throwErrno("create folder", path);
}

void removeTree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        throwErrno("look at", path);
    }
    if (S_ISDIR(st.st_mode)) {
        for (const auto& name : listFolder(path)) removeTree(path + "/" + name);
        if (::rmdir(path.c_str()) != 0 && errno != ENOENT) throwErrno("remove folder", path);
    } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throwErrno("remove", path);
    }
}

void renamePath(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throwErrno("rename " + from + " to", to);
}

void writeFileDurably(const std::string& path, const std::string& text, mode_t mode) {
    std::string tmp = uniqueName(path + ".tmp-");
    {
        Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777));
        if (out.fd < 0) throwErrno("create", tmp);
        try {
            writeAll(out.fd, text.data(), text.size(), tmp);
            if (::fchmod(out.fd, mode & 07777) != 0) throwErrno("set the mode of", tmp);
            if (::fsync(out.fd) != 0) throwErrno("sync", tmp);
        } catch (...) {
            ::unlink(tmp.c_str());
            throw;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        throwErrno("rename " + tmp + " to", path);
    }
    auto slash = path.find_last_of('/');
    syncFolder(slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash));
}

void syncFileSystem(const std::string& path) {
    Fd d(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (d.fd < 0) throwErrno("open", path);
    if (::syncfs(d.fd) != 0) throwErrno("flush the disk of", path);
}

void syncFolder(const std::string& dir) {
    Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd < 0) throwErrno("open folder", dir);
    if (::fsync(d.fd) != 0 && errno != EINVAL) throwErrno("sync folder", dir);
}

bool missingOrEmpty(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return true;
        throwErrno("look at", path);
    }
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        throwErrno("use as a folder", path);
    }
    return listFolder(path).empty();
}

std::string resolvedPath(const std::string& path) {
    std::string absolute = path;
    if (absolute.empty() || absolute[0] != '/') {
        char cwd[PATH_MAX];
        if (!::getcwd(cwd, sizeof cwd)) throwErrno("find the current folder for", path);
        absolute = std::string(cwd) + "/" + path;
    }
    // Resolve the longest existing prefix; keep the rest as written, without "." and "..".
    std::string head = absolute, tail;
    for (;;) {
        char buf[PATH_MAX];
        if (::realpath(head.c_str(), buf)) {
            std::string out = buf;
            std::vector<std::string> parts;
            std::size_t at = 0;
            while (at <= tail.size()) {
                std::size_t next = tail.find('/', at);
                if (next == std::string::npos) next = tail.size();
                std::string part = tail.substr(at, next - at);
                if (part == "..") {
                    if (!parts.empty())
                        parts.pop_back();
                    else if (out.size() > 1)
                        out = out.substr(0, std::max<std::size_t>(1, out.find_last_of('/')));
                } else if (!part.empty() && part != ".") {
                    parts.push_back(part);
                }
                at = next + 1;
            }
            for (const auto& p : parts) out += (out.back() == '/' ? "" : "/") + p;
            return out;
        }
        if (errno != ENOENT && errno != ENOTDIR) throwErrno("resolve", head);
        auto slash = head.find_last_of('/');
        if (slash == std::string::npos) throwErrno("resolve", path);
        tail = head.substr(slash + 1) + (tail.empty() ? "" : "/" + tail);
        head = slash == 0 ? "/" : head.substr(0, slash);
    }
}

bool isInside(const std::string& inner, const std::string& outer) {
    std::string in = resolvedPath(inner), out = resolvedPath(outer);
    if (out == "/") return true;
    return in == out || in.compare(0, out.size() + 1, out + "/") == 0;
}

dev_t deviceOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throwErrno("look at", path);
    return st.st_dev;
}

std::string uniqueName(const std::string& prefix) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    static const char* const digits = "0123456789abcdef";
    for (;;) {
        std::string name = prefix;
        std::uint64_t v = random();
        for (int i = 0; i < 12; ++i, v >>= 4) name += digits[v & 15];
        struct stat st {};
        if (::lstat(name.c_str(), &st) != 0 && errno == ENOENT) return name;
    }
}

TmpClaim::TmpClaim(const std::string& folder) : lockFile_(folder + ".lock") {
    fd_ = ::open(lockFile_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd_ < 0) throwErrno("create", lockFile_);
    if (::flock(fd_, LOCK_EX) != 0) {
        int e = errno;
        ::close(fd_);
        ::unlink(lockFile_.c_str());
        errno = e;
        throwErrno("lock", lockFile_);
    }
}

TmpClaim::~TmpClaim() {
    ::unlink(lockFile_.c_str());
    ::close(fd_);
}

}  // namespace kiroku::backup
