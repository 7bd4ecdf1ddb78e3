#pragma once
// Low-level POSIX file helpers for the store. Every function throws StoreError
// with errno mapped to a kind (ENOSPC/EDQUOT/EFBIG -> InsufficientStorage).
// Nothing here knows about DocPath: callers pass absolute file-system paths.

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace kiroku::fileops {

// fsync of a folder, so that a rename or create inside it is durable.
void syncDir(const std::string& dir);

// Copies one regular file to `to` (which must not exist), fsyncs it.
void copyFile(const std::string& from, const std::string& to);

// Copies a folder tree (regular files and folders only; links are skipped).
void copyTree(const std::string& from, const std::string& to);

// Removes a file or a whole folder tree; missing is not an error.
void removeTree(const std::string& path);

// Sum of the sizes of the regular files in a tree (a file's own size for a file).
std::uint64_t treeSize(const std::string& path);

// Bytes available to unprivileged writers on the file system holding `path`.
std::uint64_t freeBytes(const std::string& path);

// Unique name for a temporary file or folder: prefix + random hex.
std::string uniqueName(const std::string& prefix);

// Throws StoreError for the current errno, naming the action.
[[noreturn]] void throwErrno(const std::string& action, const std::string& path);

}  // namespace kiroku::fileops
