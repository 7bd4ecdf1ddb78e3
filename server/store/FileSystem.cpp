#include "store/FileSystem.h"

#include "db/Database.h"
#include "store/FileOps.h"
#include "store/StoreError.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace kiroku {

int PosixFileSystem::create(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) fileops::throwErrno("create", path);
    return fd;
}

void PosixFileSystem::write(int fd, const char* data, std::size_t size, const std::string& path) {
    for (std::size_t done = 0; done < size;) {
        ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fileops::throwErrno("write", path);
        done += static_cast<std::size_t>(n);
    }
}

void PosixFileSystem::setModified(int fd, std::int64_t epochSeconds, const std::string& path) {
    struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(epochSeconds), 0}};
    if (::futimens(fd, times) != 0) fileops::throwErrno("set the time of", path);
}

void PosixFileSystem::sync(int fd, const std::string& path) {
    if (::fsync(fd) != 0) fileops::throwErrno("sync", path);
}

void PosixFileSystem::close(int fd, const std::string& path) {
    if (::close(fd) != 0 && errno != EINTR) fileops::throwErrno("close", path);
}

void PosixFileSystem::rename(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) fileops::throwErrno("rename to " + to, from);
}

void PosixFileSystem::renameNoReplace(const std::string& from, const std::string& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
    if (errno != EINVAL && errno != ENOSYS) fileops::throwErrno("rename to " + to, from);
    // A file system without RENAME_NOREPLACE (some network shares): changes hold the
    // database's write lock, so only a hand-made file can appear between the check and
    // the rename.
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0) {
        errno = EEXIST;
        fileops::throwErrno("rename to " + to, from);
    }
    rename(from, to);
}

void PosixFileSystem::link(const std::string& from, const std::string& to) {
    if (::link(from.c_str(), to.c_str()) != 0) fileops::throwErrno("link to " + to, from);
}

void PosixFileSystem::unlink(const std::string& path) {
    if (::unlink(path.c_str()) != 0) fileops::throwErrno("remove", path);
}

void PosixFileSystem::makeDir(const std::string& path) {
    if (::mkdir(path.c_str(), 0750) != 0) fileops::throwErrno("create folder", path);
}

void PosixFileSystem::removeDir(const std::string& path) {
    if (::rmdir(path.c_str()) != 0) fileops::throwErrno("remove folder", path);
}

void PosixFileSystem::syncDir(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fileops::throwErrno("open folder", path);
    int rc = ::fsync(fd);
    int e = errno;
    ::close(fd);
    errno = e;
    if (rc != 0 && errno != EINVAL) fileops::throwErrno("sync folder", path);
}

void PosixFileSystem::commit(Transaction& tx) { tx.commit(); }

FileSystem& posixFileSystem() {
    static PosixFileSystem fs;
    return fs;
}

std::optional<FileIdentity> identityOf(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev),
                        static_cast<std::uint64_t>(st.st_ino)};
}

}  // namespace kiroku
