#pragma once
// File helpers for the store, built on the FileSystem seam where they change anything.
// Every function throws StoreError with errno mapped to a kind (ENOSPC/EDQUOT/EFBIG ->
// InsufficientStorage). Nothing here knows about DocPath: callers pass absolute paths.

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace kiroku {
class FileSystem;
}

namespace kiroku::fileops {

// Copies one regular file to `to` (which must not exist) and syncs it.
void copyFile(FileSystem& fs, const std::string& from, const std::string& to);

// Copies a folder tree (regular files and folders only; links are skipped), every file
// and folder synced.
void copyTree(FileSystem& fs, const std::string& from, const std::string& to);

// Removes a file or a whole folder tree; missing is not an error.
void removeTree(FileSystem& fs, const std::string& path);

// Sum of the sizes of the regular files in a tree (a file's own size for a file).
std::uint64_t treeSize(const std::string& path);

// Bytes available to unprivileged writers on the file system holding `path`.
std::uint64_t freeBytes(const std::string& path);

// Unique name for a temporary file, a version or a trash entry: prefix + 128 random
// bits in hex. Never the same twice, so nothing a failed change left behind is reused.
std::string uniqueName(const std::string& prefix);

// Throws StoreError for the current errno, naming the action.
[[noreturn]] void throwErrno(const std::string& action, const std::string& path);

}  // namespace kiroku::fileops
