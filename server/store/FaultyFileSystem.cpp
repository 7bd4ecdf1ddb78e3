#include "store/FaultyFileSystem.h"

#include "store/FileOps.h"
#include "store/StoreError.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace kiroku::test {

namespace {

std::string parentOf(const std::string& path) { return path.substr(0, path.rfind('/')); }

bool isFolder(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isFile(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::uint64_t inodeOfFd(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return static_cast<std::uint64_t>(st.st_ino);
}

std::int64_t sizeOfFd(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return static_cast<std::int64_t>(st.st_size);
}

}  // namespace

FaultyFileSystem::FaultyFileSystem(FileSystem& real, std::string root, std::string shadowDir)
    : real_(real), root_(std::move(root)), shadowDir_(std::move(shadowDir)) {
    ::mkdir(shadowDir_.c_str(), 0700);
}

void FaultyFileSystem::failAt(int n, int error, bool afterCommit) {
    failAt_ = n;
    failError_ = error;
    failAfterCommit_ = afterCommit;
}

void FaultyFileSystem::crashAt(int n) { crashAt_ = n; }

void FaultyFileSystem::step() {
    ++steps_;
    if (steps_ == crashAt_) powerCut();
    if (steps_ == failAt_ && !failAfterCommit_) {
        errno = failError_;
        fileops::throwErrno("injected failure at step " + std::to_string(steps_), "");
    }
}

std::string FaultyFileSystem::shadowOf(const std::string& path) {
    std::string shadow = shadowDir_ + "/" + std::to_string(++shadows_);
    if (::link(path.c_str(), shadow.c_str()) != 0) return {};
    return shadow;
}

int FaultyFileSystem::create(const std::string& path) {
    step();
    int fd = real_.create(path);
    std::uint64_t inode = inodeOfFd(fd);
    fdInode_[fd] = inode;
    syncedSize_[inode] = 0;
    names_.push_back({NameChange::Kind::Added, path, {}, {}, false, false});
    return fd;
}

void FaultyFileSystem::write(int fd, const char* data, std::size_t size, const std::string& path) {
    step();
    auto it = fdInode_.find(fd);
    if (it != fdInode_.end() && !syncedSize_.count(it->second))
        syncedSize_[it->second] = sizeOfFd(fd);
    real_.write(fd, data, size, path);
}

void FaultyFileSystem::setModified(int fd, std::int64_t epochSeconds, const std::string& path) {
    step();
    real_.setModified(fd, epochSeconds, path);
}

void FaultyFileSystem::sync(int fd, const std::string& path) {
    step();
    real_.sync(fd, path);
    auto it = fdInode_.find(fd);
    if (it != fdInode_.end()) syncedSize_.erase(it->second);
}

void FaultyFileSystem::close(int fd, const std::string& path) {
    step();
    fdInode_.erase(fd);
    real_.close(fd, path);
}

void FaultyFileSystem::rename(const std::string& from, const std::string& to) {
    step();
    std::string shadow = isFile(to) ? shadowOf(to) : std::string();
    real_.rename(from, to);
    names_.push_back({NameChange::Kind::Renamed, to, from, shadow, false, false});
}

void FaultyFileSystem::renameNoReplace(const std::string& from, const std::string& to) {
    step();
    real_.renameNoReplace(from, to);
    names_.push_back({NameChange::Kind::Renamed, to, from, {}, false, false});
}

void FaultyFileSystem::link(const std::string& from, const std::string& to) {
    step();
    real_.link(from, to);
    names_.push_back({NameChange::Kind::Added, to, {}, {}, false, false});
}

void FaultyFileSystem::unlink(const std::string& path) {
    step();
    std::string shadow = shadowOf(path);
    real_.unlink(path);
    names_.push_back({NameChange::Kind::Removed, path, {}, shadow, false, false});
}

void FaultyFileSystem::makeDir(const std::string& path) {
    step();
    real_.makeDir(path);
    names_.push_back({NameChange::Kind::Added, path, {}, {}, true, false});
}

void FaultyFileSystem::removeDir(const std::string& path) {
    step();
    real_.removeDir(path);
    names_.push_back({NameChange::Kind::Removed, path, {}, {}, true, false});
}

void FaultyFileSystem::syncDir(const std::string& path) {
    step();
    real_.syncDir(path);
    for (auto& c : names_) {
        if (parentOf(c.path) == path) c.durable = true;
    }
}

void FaultyFileSystem::commit(Transaction& tx) {
    step();
    real_.commit(tx);
    if (steps_ == failAt_ && failAfterCommit_) {
        errno = failError_;
        fileops::throwErrno("injected failure after the commit at step " + std::to_string(steps_),
                            "");
    }
}

void FaultyFileSystem::cutBack(const std::string& dir) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) return;
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d.get())) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    for (const auto& n : names) {
        std::string path = dir + "/" + n;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            cutBack(path);
        } else if (auto it = syncedSize_.find(static_cast<std::uint64_t>(st.st_ino));
                   it != syncedSize_.end()) {
            if (::truncate(path.c_str(), it->second) != 0) _exit(3);
        }
    }
}

void FaultyFileSystem::powerCut() {
    // Names first, newest first, then file contents (wherever the files ended up).
    for (auto it = names_.rbegin(); it != names_.rend(); ++it) {
        const NameChange& c = *it;
        if (c.durable) continue;
        switch (c.kind) {
            case NameChange::Kind::Added:
                fileops::removeTree(posixFileSystem(), c.path);
                break;
            case NameChange::Kind::Removed:
                if (c.folder)
                    ::mkdir(c.path.c_str(), 0750);
                else if (!c.shadow.empty())
                    ::link(c.shadow.c_str(), c.path.c_str());
                break;
            case NameChange::Kind::Renamed:
                if (isFile(c.path) || isFolder(c.path)) ::rename(c.path.c_str(), c.from.c_str());
                if (!c.shadow.empty()) ::link(c.shadow.c_str(), c.path.c_str());
                break;
        }
    }
    cutBack(root_);
    _exit(0);
}

}  // namespace kiroku::test
